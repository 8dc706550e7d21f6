package text

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Config is a twitter-text weighted-length configuration, in the JSON
// format of twitter-text's config/README.md. Use [ConfigV3] (X today),
// [ConfigV2] or [ConfigV1], or [ParseConfig] for a configuration X
// publishes later. The zero value is not valid: see [Config.Validate].
type Config struct {
	Version                int     `json:"version"`
	MaxWeightedTweetLength int     `json:"maxWeightedTweetLength"`
	Scale                  int     `json:"scale"`
	DefaultWeight          int     `json:"defaultWeight"`
	EmojiParsingEnabled    bool    `json:"emojiParsingEnabled,omitempty"`
	TransformedURLLength   int     `json:"transformedURLLength"`
	Ranges                 []Range `json:"ranges"`

	// Emoji chooses the emoji sequences that count as one when
	// EmojiParsingEnabled: the zero value, [TwitterTextEmoji], is
	// twitter-text 3.1.0's list. It is not part of twitter-text's JSON.
	Emoji EmojiData `json:"-"`
}

// Range gives Weight to the code points Start..End (inclusive).
type Range struct {
	Start  int `json:"start"`
	End    int `json:"end"`
	Weight int `json:"weight"`
}

// weightedRanges are the ranges of twitter-text config v2 and v3: Latin and
// the other scripts up to U+10FF, and some general punctuation, weigh 1.
func weightedRanges() []Range {
	return []Range{
		{Start: 0, End: 4351, Weight: 100},
		{Start: 8192, End: 8205, Weight: 100},
		{Start: 8208, End: 8223, Weight: 100},
		{Start: 8242, End: 8247, Weight: 100},
	}
}

// ConfigV3 returns twitter-text's config/v3.json, the configuration X uses
// today and twitter-text's default: 280 weighted characters, CJK and other
// scripts count 2, every URL 23 and every emoji sequence 2.
func ConfigV3() Config {
	return Config{Version: 3, MaxWeightedTweetLength: 280, Scale: 100, DefaultWeight: 200,
		EmojiParsingEnabled: true, TransformedURLLength: 23, Ranges: weightedRanges()}
}

// ConfigV2 returns twitter-text's config/v2.json: as [ConfigV3], but each
// code point of an emoji sequence is weighed on its own.
func ConfigV2() Config {
	return Config{Version: 2, MaxWeightedTweetLength: 280, Scale: 100, DefaultWeight: 200,
		TransformedURLLength: 23, Ranges: weightedRanges()}
}

// ConfigV1 returns twitter-text's config/v1.json: the legacy 140-character
// count where every code point weighs 1 and URLs 23.
func ConfigV1() Config {
	return Config{Version: 1, MaxWeightedTweetLength: 140, Scale: 1, DefaultWeight: 1,
		TransformedURLLength: 23}
}

// ParseConfig decodes a twitter-text JSON configuration and validates it.
func ParseConfig(data []byte) (Config, error) {
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		return Config{}, &ArgumentError{Field: "config", Value: err.Error()}
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate checks the bounds of config/README.md, except that
// maxWeightedTweetLength must be at least 1 (a permillage of a zero maximum
// is undefined). Failures are [*ArgumentError]s naming the field.
func (c Config) Validate() error { return c.validate() }

// validate is Validate without a copy of c.
func (c *Config) validate() error {
	bad := func(field string, v int) error {
		return &ArgumentError{Field: "config." + field, Value: fmt.Sprint(v)}
	}
	switch {
	case c.Version < 0:
		return bad("version", c.Version)
	case c.MaxWeightedTweetLength < 1:
		return bad("maxWeightedTweetLength", c.MaxWeightedTweetLength)
	case c.Scale < 1:
		return bad("scale", c.Scale)
	case c.DefaultWeight < 0:
		return bad("defaultWeight", c.DefaultWeight)
	case c.TransformedURLLength < 0:
		return bad("transformedURLLength", c.TransformedURLLength)
	}
	for i, r := range c.Ranges {
		if r.Start < 0 || r.End < r.Start || r.Weight < 0 {
			return &ArgumentError{Field: fmt.Sprintf("config.ranges[%d]", i),
				Value: fmt.Sprintf("%d-%d:%d", r.Start, r.End, r.Weight)}
		}
	}
	return nil
}

// asciiWeight returns the weight of every ASCII code point, when the
// first range holding any of them holds them all (as in every
// configuration twitter-text publishes).
func (c *Config) asciiWeight() (int, bool) {
	for _, r := range c.Ranges {
		if r.End < 0 || r.Start > utf8.RuneSelf-1 {
			continue
		}
		return r.Weight, r.Start <= 0 && r.End >= utf8.RuneSelf-1
	}
	return c.DefaultWeight, true
}

// weight returns the weight of code unit u: that of the first range that
// holds it, else the default weight.
func (c *Config) weight(u int) int {
	for _, r := range c.Ranges {
		if u >= r.Start && u <= r.End {
			return r.Weight
		}
	}
	return c.DefaultWeight
}
