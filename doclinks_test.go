package socialflow_test

import (
	"go/ast"
	"go/doc"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const modulePath = "github.com/socialflow/socialflow"

// pkgNames holds what a package declares, for resolving doc links: its
// top-level names and, per type, its methods and struct fields.
type pkgNames struct {
	top     map[string]bool
	members map[string]map[string]bool // type → method or field names
}

// TestDocLinksResolve checks every doc link ([Name], [Type.Method],
// [pkg.Name], [pkg.Type.Method]) in every package's doc comments names
// something that exists: go vet does not check them, and a dangling link is
// a doc that disagrees with the code.
func TestDocLinksResolve(t *testing.T) {
	pkgs := map[string][]*ast.File{} // import path → the package's non-test files
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		ip := modulePath
		if dir := filepath.Dir(path); dir != "." {
			ip += "/" + filepath.ToSlash(dir)
		}
		pkgs[ip] = append(pkgs[ip], f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]pkgNames{}
	docs := map[string]*doc.Package{}
	for ip, files := range pkgs {
		dp, err := doc.NewFromFiles(fset, files, ip, doc.AllDecls|doc.PreserveAST)
		if err != nil {
			t.Fatal(err)
		}
		docs[ip] = dp
		names[ip] = declared(dp)
	}

	var bad []string
	for ip, dp := range docs {
		imports := map[string]string{} // local name → import path
		for _, f := range pkgs[ip] {
			for _, im := range f.Imports {
				path := strings.Trim(im.Path.Value, `"`)
				local := path[strings.LastIndex(path, "/")+1:]
				if im.Name != nil {
					local = im.Name.Name
				}
				imports[local] = path
			}
		}
		check := func(where, text string) {
			p := comment.Parser{LookupPackage: func(name string) (string, bool) {
				if path, ok := imports[name]; ok {
					return path, true
				}
				// [pkg.Name] for a package of this module that the file does
				// not import is still meant as a link.
				for other := range pkgs {
					if other[strings.LastIndex(other, "/")+1:] == name {
						return other, true
					}
				}
				return "", false
			}, LookupSym: func(recv, name string) bool {
				// Every exported-looking [Name] is a link; resolves decides
				// whether it names something.
				return token.IsExported(name) && (recv == "" || token.IsExported(strings.TrimPrefix(recv, "*")))
			}}
			for _, link := range links(p.Parse(text)) {
				if !resolves(link, ip, imports, names) {
					bad = append(bad, ip+": "+where+": ["+linkText(link)+"]")
				}
			}
		}
		check("package doc", dp.Doc)
		for _, c := range dp.Consts {
			check(strings.Join(c.Names, ","), c.Doc)
		}
		for _, v := range dp.Vars {
			check(strings.Join(v.Names, ","), v.Doc)
		}
		for _, f := range dp.Funcs {
			check(f.Name, f.Doc)
		}
		for _, ty := range dp.Types {
			check(ty.Name, ty.Doc)
			for _, f := range append(append([]*doc.Func{}, ty.Funcs...), ty.Methods...) {
				check(ty.Name+"."+f.Name, f.Doc)
			}
			for _, c := range ty.Consts {
				check(strings.Join(c.Names, ","), c.Doc)
			}
			for _, v := range ty.Vars {
				check(strings.Join(v.Names, ","), v.Doc)
			}
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Errorf("doc link does not resolve: %s", b)
	}
}

// declared lists a package's top-level names and each type's methods and
// fields.
func declared(dp *doc.Package) pkgNames {
	n := pkgNames{top: map[string]bool{}, members: map[string]map[string]bool{}}
	addValues := func(vs []*doc.Value) {
		for _, v := range vs {
			for _, name := range v.Names {
				n.top[name] = true
			}
		}
	}
	addValues(dp.Consts)
	addValues(dp.Vars)
	for _, f := range dp.Funcs {
		n.top[f.Name] = true
	}
	for _, ty := range dp.Types {
		n.top[ty.Name] = true
		m := map[string]bool{}
		n.members[ty.Name] = m
		addValues(ty.Consts)
		addValues(ty.Vars)
		for _, f := range ty.Funcs {
			n.top[f.Name] = true
		}
		for _, f := range ty.Methods {
			m[f.Name] = true
		}
		if ty.Decl != nil {
			for _, spec := range ty.Decl.Specs {
				ts, ok := spec.(*ast.TypeSpec)
				if !ok || ts.Name.Name != ty.Name {
					continue
				}
				switch st := ts.Type.(type) {
				case *ast.StructType:
					for _, f := range st.Fields.List {
						for _, id := range f.Names {
							m[id.Name] = true
						}
						if len(f.Names) == 0 { // embedded: its name is the type's
							m[embeddedName(f.Type)] = true
						}
					}
				case *ast.InterfaceType:
					for _, f := range st.Methods.List {
						for _, id := range f.Names {
							m[id.Name] = true
						}
					}
				}
			}
		}
	}
	return n
}

func embeddedName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return embeddedName(x.X)
	case *ast.SelectorExpr:
		return x.Sel.Name
	case *ast.Ident:
		return x.Name
	}
	return ""
}

// links returns every doc link in d.
func links(d *comment.Doc) []*comment.DocLink {
	var out []*comment.DocLink
	var walk func(texts []comment.Text)
	walk = func(texts []comment.Text) {
		for _, t := range texts {
			switch x := t.(type) {
			case *comment.DocLink:
				out = append(out, x)
			case *comment.Link:
				walk(x.Text)
			case comment.Italic, comment.Plain:
			}
		}
	}
	for _, b := range d.Content {
		switch x := b.(type) {
		case *comment.Paragraph:
			walk(x.Text)
		case *comment.Heading:
			walk(x.Text)
		case *comment.List:
			for _, it := range x.Items {
				for _, c := range it.Content {
					if p, ok := c.(*comment.Paragraph); ok {
						walk(p.Text)
					}
				}
			}
		}
	}
	return out
}

func linkText(l *comment.DocLink) string {
	s := l.Name
	if l.Recv != "" {
		s = l.Recv + "." + s
	}
	if l.ImportPath != "" {
		s = l.ImportPath + "." + s
	}
	return s
}

// resolves reports whether l names a declaration: in this module's packages
// it must exist; a link into the standard library or another module is
// taken on trust (go doc resolves those against their own sources).
func resolves(l *comment.DocLink, self string, imports map[string]string, names map[string]pkgNames) bool {
	target := self
	if l.ImportPath != "" {
		target = l.ImportPath
		if p, ok := imports[l.ImportPath]; ok {
			target = p
		}
		if !strings.HasPrefix(target, modulePath) {
			return true
		}
	}
	n, ok := names[target]
	if !ok {
		return false
	}
	if l.Name == "" { // a link to a package
		return true
	}
	if l.Recv != "" {
		return n.members[strings.TrimPrefix(l.Recv, "*")][l.Name]
	}
	return n.top[l.Name]
}
