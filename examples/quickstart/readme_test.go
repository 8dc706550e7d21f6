package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pmezard/go-difflib/difflib"
)

var update = flag.Bool("update", false, "rewrite the quickstart output block in README.md")

const (
	readmePath  = "../../README.md"
	blockBegin  = "<!-- quickstart:begin -->\n```text\n"
	blockEnd    = "```\n<!-- quickstart:end -->"
	defaultOut  = "quickstart-out"
	defaultSeed = 1
)

// TestReadmeShowsTheRealOutput runs the quickstart's main job as
// `go run ./examples/quickstart` does (seed 1, output folder quickstart-out)
// and compares what it prints with the block in README.md. Run
// `go test ./examples/quickstart -update` to rewrite the block.
func TestReadmeShowsTheRealOutput(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(&out, dir, defaultSeed, ""); err != nil {
		t.Fatalf("quickstart: %v", err)
	}
	// The README shows the default folder, not this test's temporary one.
	got := strings.ReplaceAll(out.String(), dir, defaultOut)

	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	start := strings.Index(readme, blockBegin)
	end := strings.Index(readme, blockEnd)
	if start < 0 || end < start {
		t.Fatalf("README.md has no block between %q and %q", blockBegin, blockEnd)
	}
	start += len(blockBegin)
	want := readme[start:end]
	if got == want {
		return
	}
	if *update {
		updated := readme[:start] + got + readme[end:]
		if err := os.WriteFile(readmePath, []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote the quickstart block in %s", filepath.Clean(readmePath))
		return
	}
	diff, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(want), B: difflib.SplitLines(got),
		FromFile: "README.md", ToFile: "go run ./examples/quickstart", Context: 2,
	})
	t.Errorf("the quickstart output in README.md is stale; run `go test ./examples/quickstart -update` to rewrite it:\n%s", diff)
}
