package probe

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mailsetup/mailsetup/internal/i18n"
)

// codeConst is one `const CodeX Code = "..."` declared in findings.go.
type codeConst struct {
	name, value, doc string
}

// codeConsts parses findings.go and returns its Code constants in
// declaration order.
func codeConsts(t *testing.T) []codeConst {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "findings.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var out []codeConst
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Code" {
				continue
			}
			if len(vs.Names) != 1 || len(vs.Values) != 1 {
				t.Fatalf("%s: declare one Code constant per line", vs.Names[0].Name)
			}
			lit, ok := vs.Values[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Fatalf("%s: want a string literal value", vs.Names[0].Name)
			}
			v, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, codeConst{name: vs.Names[0].Name, value: v, doc: strings.TrimSpace(vs.Doc.Text())})
		}
	}
	return out
}

// TestCodeConstantsAreTheCatalogue checks that every Code constant is in
// Codes and every entry of Codes is a constant, in the same order, and that
// each constant's doc comment states its catalogued meaning and severity.
func TestCodeConstantsAreTheCatalogue(t *testing.T) {
	consts := codeConsts(t)
	var declared, catalogued []string
	for _, c := range consts {
		declared = append(declared, c.value)
	}
	for _, c := range Codes {
		catalogued = append(catalogued, string(c.Code))
	}
	if !slices.Equal(declared, catalogued) {
		t.Fatalf("Code constants and Codes differ:\nconstants %q\nCodes     %q", declared, catalogued)
	}
	for i, c := range consts {
		if want := "Code" + strings.NewReplacer(".", "", "-", "").Replace(c.value); !strings.EqualFold(c.name, want) {
			t.Errorf("constant %s for %q: want a name spelling the code (%s)", c.name, c.value, want)
		}
		info := Codes[i]
		if want := c.name + " means " + info.Meaning + " (" + info.Severity.String() + ")."; c.doc != want {
			t.Errorf("doc comment of %s is %q, want %q", c.name, c.doc, want)
		}
	}
}

// TestFindingsComeFromConstants checks every place in the probe's source
// that makes a finding: newFinding is called with a Code constant, never a
// string literal, conversion or variable (Go would let an untyped string
// through the Code parameter), and no other code builds a Finding with
// fields, so no finding can carry an uncatalogued code.
func TestFindingsComeFromConstants(t *testing.T) {
	names := map[string]bool{}
	for _, c := range codeConsts(t) {
		names[c.name] = true
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	calls := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				// newFinding itself is the one place that fills in a Finding.
				return n.Name.Name != "newFinding" || n.Recv != nil
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "newFinding" {
					calls++
					if arg, ok := n.Args[0].(*ast.Ident); !ok || !names[arg.Name] {
						t.Errorf("%s: newFinding's code is not a Code constant", fset.Position(n.Pos()))
					}
				}
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); ok && id.Name == "Finding" && len(n.Elts) > 0 {
					t.Errorf("%s: a Finding is built outside newFinding", fset.Position(n.Pos()))
				}
			}
			return true
		})
	}
	if calls < len(Codes) {
		t.Errorf("found %d newFinding calls for %d codes: the scan missed the probe's source", calls, len(Codes))
	}
}

// TestFindingJSON pins the JSON form scripts match on: the code is a plain
// string and round-trips.
func TestFindingJSON(t *testing.T) {
	f := newFinding(CodeSecurityNone, i18n.M("probe.fix.implicit-tls", 993), msgFor(CodeSecurityNone, "imap.example.test:143"))
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"severity":"warn","code":"security.none","message":"The connection to imap.example.test:143 is not encrypted: the password and mail travel in the clear.","fix":"Use port 993 with SSL/TLS instead."}`
	if string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	var back Finding
	if err := json.Unmarshal(b, &back); err != nil || back.Severity != f.Severity || back.Code != f.Code || back.Message != f.Message || back.Fix != f.Fix {
		t.Errorf("round trip gave %+v, %v; want %+v", back, err, f)
	}
}
