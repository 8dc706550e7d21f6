package analytics

import "context"

// Sentiment is the tone a [Classifier] reads in a text.
type Sentiment string

// The sentiments.
const (
	SentimentPositive Sentiment = "positive"
	SentimentNeutral  Sentiment = "neutral"
	SentimentNegative Sentiment = "negative"
)

// Classification is what a [Classifier] says of one incoming text.
type Classification struct {
	Sentiment Sentiment `json:"sentiment"`
	// Score is the strength of the sentiment, from -1 (most negative) to 1.
	Score float64 `json:"score"`
	// Labels are the topics the text matches, such as "complaint",
	// "question", "spam" or "urgent", sorted.
	Labels []string `json:"labels,omitempty"`
	// Why names what decided (the words or rule), for a person to check.
	Why string `json:"why,omitempty"`
}

// Classifier reads the sentiment and labels of an incoming text. The host may
// back it with its own model; it must be safe for concurrent use and
// deterministic for equal inputs if its results are to be reproducible.
// lang is the BCP 47 tag the network gave, or empty.
type Classifier interface {
	Classify(ctx context.Context, text, lang string) (Classification, error)
}
