package text

// Hooks for the external tests.

// TLDNames returns the generated TLD table.
func TLDNames() []string { return tldNames[:] }

// ParseTweetGeneral is ParseTweet without the fast paths (ASCII, and the
// NFC check of text below U+0300).
func ParseTweetGeneral(s string, c Config) (Result, error) {
	if err := c.Validate(); err != nil {
		return Result{}, err
	}
	return parseTweet(s, &c, false)
}
