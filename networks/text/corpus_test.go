package text

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
)

// readCorpus reads testdata/corpus.jsonl, the benchmark corpus written by
// internal/gen/corpus (one JSON string a line), once for the test binary;
// the external tests read it through ReadCorpus.
var readCorpus = sync.OnceValues(func() ([]string, error) {
	f, err := os.Open(filepath.Join("testdata", "corpus.jsonl"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var texts []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var s string
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			return nil, err
		}
		texts = append(texts, s)
	}
	return texts, sc.Err()
})
