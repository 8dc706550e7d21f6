package socialflow_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// declaredKinds returns the Err* variables errors.go declares, in order.
func declaredKinds(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, spec := range g.Specs {
			for _, n := range spec.(*ast.ValueSpec).Names {
				if strings.HasPrefix(n.Name, "Err") {
					kinds = append(kinds, n.Name)
				}
			}
		}
	}
	return kinds
}

// TestDocsListEveryErrorKind: wherever README.md and docs/ARCHITECTURE.md
// list the root package's error kinds, the list is exactly the kinds
// errors.go declares (the kinds are append-only, so a new one must reach
// the docs too).
func TestDocsListEveryErrorKind(t *testing.T) {
	want := declaredKinds(t)
	if len(want) == 0 {
		t.Fatal("errors.go declares no Err* kinds")
	}
	slices.Sort(want)
	kind := regexp.MustCompile("`(Err[A-Za-z]+)`")
	for _, doc := range []string{"README.md", "docs/ARCHITECTURE.md"} {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		lists := 0
		// A list is a paragraph or table row naming three or more kinds.
		for _, para := range strings.Split(string(data), "\n\n") {
			for _, chunk := range strings.Split(para, "\n|") {
				var got []string
				for _, m := range kind.FindAllStringSubmatch(chunk, -1) {
					if !slices.Contains(got, m[1]) {
						got = append(got, m[1])
					}
				}
				if len(got) < 3 {
					continue
				}
				lists++
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Errorf("%s lists the error kinds %v; errors.go declares %v (in: %.80q)", doc, got, want, strings.TrimSpace(chunk))
				}
			}
		}
		if doc == "README.md" && lists == 0 {
			t.Errorf("README.md lists no error kinds")
		}
	}
}
