package text

// Hooks for the external tests.

// TLDNames returns the generated TLD table.
func TLDNames() []string { return tldNames[:] }

// ParseTweetGeneral is ParseTweet without the fast paths (ASCII, the NFC
// quick check while weighing, the shortcuts of the URL scan).
func ParseTweetGeneral(s string, c Config) (Result, error) {
	if err := c.Validate(); err != nil {
		return Result{}, err
	}
	return parseTweet(s, &c, false)
}

// ExtractGeneral is Extract without the shortcuts of the URL scan.
func ExtractGeneral(s string) []Entity { return extract(s, false) }

// ReadCorpus returns the texts of testdata/corpus.jsonl (see readCorpus).
func ReadCorpus() ([]string, error) { return readCorpus() }
