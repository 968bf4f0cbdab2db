package cmd

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/mailtest"
)

// commandOptions are the Options types of the commands, by name.
var commandOptions = map[string]reflect.Type{
	"SetupOptions":    reflect.TypeFor[SetupOptions](),
	"DiscoverOptions": reflect.TypeFor[DiscoverOptions](),
	"ProbeOptions":    reflect.TypeFor[ProbeOptions](),
	"ExportOptions":   reflect.TypeFor[ExportOptions](),
	"BulkOptions":     reflect.TypeFor[BulkOptions](),
	"ExplainOptions":  reflect.TypeFor[ExplainOptions](),
	"VersionOptions":  reflect.TypeFor[VersionOptions](),
	"DocsOptions":     reflect.TypeFor[DocsOptions](),
	"ServeOptions":    reflect.TypeFor[ServeOptions](),
	"AuditOptions":    reflect.TypeFor[AuditOptions](),
}

// TestOptionsAreNarrow keeps the commands' Options narrow: no field,
// nor any field of the flag helpers they hold (discoveryFlags,
// accountFlags, ...), nor any function they hold, carries the
// *cobra.Command, its flag set or the whole *Factory. xRun gets what it
// needs as values and functions; RunE records which flags were given.
func TestOptionsAreNarrow(t *testing.T) {
	// Every XOptions struct declared in the package is checked: a new
	// command cannot slip past the list above.
	for _, name := range declaredOptionsTypes(t) {
		if _, ok := commandOptions[name]; !ok {
			t.Errorf("%s is not in commandOptions: add it so that its fields are checked", name)
		}
	}
	forbidden := []reflect.Type{
		reflect.TypeFor[cobra.Command](),
		reflect.TypeFor[pflag.FlagSet](),
		reflect.TypeFor[Factory](),
	}
	for name, typ := range commandOptions {
		for _, bad := range forbiddenIn(typ, forbidden, name, map[reflect.Type]bool{}) {
			t.Errorf("%s: holds %s", name, bad)
		}
	}
}

// TestOptionsCheckFindsWideFields makes sure the check above can fail.
func TestOptionsCheckFindsWideFields(t *testing.T) {
	type helper struct{ C *cobra.Command }
	type wide struct {
		F      *Factory
		H      helper
		Lazy   func() (*Factory, error)
		Flags  []*pflag.FlagSet
		Narrow func() *iostreams.IOStreams
	}
	forbidden := []reflect.Type{reflect.TypeFor[cobra.Command](), reflect.TypeFor[pflag.FlagSet](), reflect.TypeFor[Factory]()}
	got := forbiddenIn(reflect.TypeFor[wide](), forbidden, "wide", map[reflect.Type]bool{})
	sort.Strings(got)
	want := []string{"wide.F (*cmd.Factory)", "wide.Flags (*pflag.FlagSet)", "wide.H.C (*cobra.Command)", "wide.Lazy (*cmd.Factory)"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("found %q, want %q", got, want)
	}
}

// forbiddenIn lists the paths in typ that reach a forbidden type: through
// pointers, slices, arrays, maps, the parameters and results of functions,
// and the fields of this package's structs (other packages' structs, such
// as iostreams.IOStreams, are leaves).
func forbiddenIn(typ reflect.Type, forbidden []reflect.Type, path string, seen map[reflect.Type]bool) []string {
	for _, f := range forbidden {
		if typ == f || (typ.Kind() == reflect.Pointer && typ.Elem() == f) {
			return []string{path + " (" + reflect.PointerTo(f).String() + ")"}
		}
	}
	if seen[typ] {
		return nil
	}
	seen[typ] = true
	defer delete(seen, typ)
	var out []string
	switch typ.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		out = forbiddenIn(typ.Elem(), forbidden, path, seen)
	case reflect.Map:
		out = append(forbiddenIn(typ.Key(), forbidden, path, seen), forbiddenIn(typ.Elem(), forbidden, path, seen)...)
	case reflect.Func:
		for i := range typ.NumIn() {
			out = append(out, forbiddenIn(typ.In(i), forbidden, path, seen)...)
		}
		for i := range typ.NumOut() {
			out = append(out, forbiddenIn(typ.Out(i), forbidden, path, seen)...)
		}
	case reflect.Struct:
		if typ.PkgPath() != reflect.TypeFor[Factory]().PkgPath() {
			return nil
		}
		for i := range typ.NumField() {
			f := typ.Field(i)
			out = append(out, forbiddenIn(f.Type, forbidden, path+"."+f.Name, seen)...)
		}
	}
	return out
}

// TestRunsAndHelpersTakeNoCommand: the xRun functions and the methods of
// the Options and flag helper types take neither the *cobra.Command nor
// the *Factory (RunE records what they need).
func TestRunsAndHelpersTakeNoCommand(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			recv := ""
			if fn.Recv != nil && len(fn.Recv.List) == 1 {
				typ := fn.Recv.List[0].Type
				if st, ok := typ.(*ast.StarExpr); ok {
					typ = st.X
				}
				if id, ok := typ.(*ast.Ident); ok {
					recv = id.Name
				}
			}
			isRun := fn.Recv == nil && strings.HasSuffix(fn.Name.Name, "Run") && fn.Name.Name != "Run"
			isHelper := (strings.HasSuffix(recv, "Options") || strings.HasSuffix(recv, "Flags")) && recv != "GlobalOptions"
			if !isRun && !isHelper {
				continue
			}
			checked++
			for _, p := range fn.Type.Params.List {
				if typ := typeString(p.Type); typ == "*cobra.Command" || typ == "*Factory" {
					t.Errorf("%s: %s takes %s", fset.Position(fn.Pos()), fn.Name.Name, typ)
				}
			}
		}
	}
	if checked < 15 {
		t.Errorf("checked only %d functions", checked)
	}
}

// typeString renders a parameter's type expression for the check above.
func typeString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return "*" + typeString(e.X)
	case *ast.SelectorExpr:
		return typeString(e.X) + "." + e.Sel.Name
	case *ast.Ident:
		return e.Name
	}
	return ""
}

// declaredOptionsTypes returns the names of the struct types named
// XOptions declared in the package's non-test files, but GlobalOptions
// (the Factory's parsed global flags, which no command holds).
func declaredOptionsTypes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			if _, isStruct := ts.Type.(*ast.StructType); isStruct && strings.HasSuffix(ts.Name.Name, "Options") && ts.Name.Name != "GlobalOptions" {
				names = append(names, ts.Name.Name)
			}
			return true
		})
	}
	if len(names) < len(commandOptions) {
		t.Fatalf("found only %v in the package's files", names)
	}
	return names
}

// TestFactoryGetenv: commands read the environment through
// Factory.Getenv, never os.Getenv: MAILSETUP_PASSWORD for probe, export
// and setup, SOURCE_DATE_EPOCH for docs.
func TestFactoryGetenv(t *testing.T) {
	t.Setenv(PasswordEnv, "")
	os.Unsetenv(PasswordEnv)
	n := mailtest.Start(t)
	env := map[string]string{PasswordEnv: mailtest.DefaultPassword, "SOURCE_DATE_EPOCH": "946684800"}
	runEnv := func(args ...string) (int, string, string) {
		t.Helper()
		ios, _, out, errOut := iostreams.Test()
		f := NewFactory(ios)
		f.Dialer, f.RootCAs = n, n.CAPool()
		f.readPassword = func() ([]byte, error) { t.Fatal("prompted for a password"); return nil, nil }
		f.Getenv = func(k string) string { return env[k] }
		code := Execute(context.Background(), f, append([]string{"--resolver", n.ResolverAddr()}, args...))
		return code, out.String(), errOut.String()
	}

	code, out, errOut := runEnv("probe", "--smtp", "smtp.example.test", "--user", mailtest.DefaultUser, "--json")
	if code != ExitOK || !strings.Contains(out, `"outcome": "ok"`) {
		t.Errorf("probe: the password from Getenv was not used: exit %d\n%s%s", code, out, errOut)
	}

	dir := t.TempDir()
	code, _, errOut = runEnv("export", mailtest.DefaultUser, "--imap", "imap.example.test", "--smtp", "smtp.example.test",
		"--format", "android", "--include-password", "-o", filepath.Join(dir, "export"))
	if code != ExitOK {
		t.Errorf("export --include-password: the password from Getenv was not used: exit %d %s", code, errOut)
	}

	// A wrong password from Getenv makes setup's login check fail: it was read.
	env[PasswordEnv] = "wrong"
	code, _, errOut = runEnv("setup", mailtest.DefaultUser, "--imap", "imap.example.test", "--smtp", "smtp.example.test",
		"--export", "none", "--yes")
	if code != ExitAuth {
		t.Errorf("setup: exit %d, want %d (the wrong password from Getenv rejected): %s", code, ExitAuth, errOut)
	}

	code, _, errOut = runEnv("docs", "--man", filepath.Join(dir, "man"))
	if code != ExitOK {
		t.Fatalf("docs: exit %d %s", code, errOut)
	}
	page, err := os.ReadFile(filepath.Join(dir, "man", "mailsetup-version.1"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte("Jan 2000")) {
		t.Errorf("the man page's date is not SOURCE_DATE_EPOCH from Getenv:\n%.300s", page)
	}
}
