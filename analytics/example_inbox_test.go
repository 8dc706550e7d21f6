package analytics_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/socialflow/socialflow/analytics"
)

// The default classifier reads sentiment and labels from word lists that are
// data, and says why.
func ExampleLexiconClassifier() {
	c, err := analytics.NewLexiconClassifier(analytics.DefaultLexicon())
	if err != nil {
		log.Fatal(err)
	}
	for _, text := range []string{
		"My order never arrived, I want a refund!",
		"not bad at all, thanks",
		"¿Cómo cambio mi contraseña?",
	} {
		cl, err := c.Classify(context.Background(), text, "")
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-8s %+.2f %v (%s)\n", cl.Sentiment, cl.Score, cl.Labels, cl.Why)
	}
	// Output:
	// negative -0.46 [complaint] (negative: never arrived, refund; labels: complaint)
	// positive +0.46 [] (positive: not … bad, thanks)
	// neutral  +0.00 [question] (labels: question)
}

// First-response and resolution times, and SLA breaches, of a morning's
// inbox.
func ExampleInbox() {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	recs := []analytics.ConversationRecord{
		{ID: "c1", Channel: "ig", Network: "instagram", Member: "ana", State: "closed", Items: 2,
			Opened: t0, FirstResponse: t0.Add(12 * time.Minute), Resolved: t0.Add(40 * time.Minute)},
		{ID: "c2", Channel: "ig", Network: "instagram", Member: "ben", State: "assigned", Items: 1,
			Opened: t0.Add(20 * time.Minute)},
	}
	rep, err := analytics.Inbox(recs, analytics.InboxOptions{
		Now:  t0.Add(time.Hour),
		SLAs: []analytics.SLA{{Channel: "ig", FirstResponse: 30 * time.Minute}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("first response median:", rep.All.FirstMedian.D)
	for _, b := range rep.Breaches {
		fmt.Printf("breach: %s %s waited %s of %s (open %t)\n", b.Conversation, b.Kind, b.Took, b.Target, b.Open)
	}
	// Output:
	// first response median: 12m0s
	// breach: c2 first_response waited 40m0s of 30m0s (open true)
}
