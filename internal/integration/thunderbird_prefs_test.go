package integration

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// parsePrefsJS parses a Mozilla prefs file (prefs.js or user.js) into a
// map from pref name to its value: a string, an int64 for a bare integer,
// or a bool. It accepts what Thunderbird writes and what mailsetup
// writes: user_pref("name", value); statements, // and /* */ comments.
// A pref that is set twice keeps the last value, as in Thunderbird.
func parsePrefsJS(data []byte) (map[string]any, error) {
	p := &prefsParser{s: string(data), line: 1}
	prefs := make(map[string]any)
	for {
		if err := p.skipSpace(); err != nil {
			return nil, err
		}
		if p.pos >= len(p.s) {
			return prefs, nil
		}
		name, val, err := p.statement()
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", p.line, err)
		}
		prefs[name] = val
	}
}

type prefsParser struct {
	s    string
	pos  int
	line int
}

func (p *prefsParser) skipSpace() error {
	for p.pos < len(p.s) {
		switch c := p.s[p.pos]; {
		case c == '\n':
			p.line++
			p.pos++
		case c == ' ' || c == '\t' || c == '\r':
			p.pos++
		case strings.HasPrefix(p.s[p.pos:], "//") || c == '#':
			for p.pos < len(p.s) && p.s[p.pos] != '\n' {
				p.pos++
			}
		case strings.HasPrefix(p.s[p.pos:], "/*"):
			end := strings.Index(p.s[p.pos+2:], "*/")
			if end < 0 {
				return fmt.Errorf("line %d: unterminated /* comment", p.line)
			}
			p.line += strings.Count(p.s[p.pos:p.pos+2+end], "\n")
			p.pos += 2 + end + 2
		default:
			return nil
		}
	}
	return nil
}

func (p *prefsParser) expect(tok string) error {
	if err := p.skipSpace(); err != nil {
		return err
	}
	if !strings.HasPrefix(p.s[p.pos:], tok) {
		return fmt.Errorf("got %q, want %q", p.peek(), tok)
	}
	p.pos += len(tok)
	return nil
}

func (p *prefsParser) peek() string {
	rest := p.s[p.pos:]
	if len(rest) > 20 {
		rest = rest[:20] + "..."
	}
	return rest
}

// statement parses user_pref("name", value);
func (p *prefsParser) statement() (string, any, error) {
	if err := p.expect("user_pref"); err != nil {
		return "", nil, err
	}
	if err := p.expect("("); err != nil {
		return "", nil, err
	}
	if err := p.skipSpace(); err != nil {
		return "", nil, err
	}
	name, err := p.str()
	if err != nil {
		return "", nil, fmt.Errorf("pref name: %w", err)
	}
	if err := p.expect(","); err != nil {
		return "", nil, err
	}
	if err := p.skipSpace(); err != nil {
		return "", nil, err
	}
	val, err := p.value()
	if err != nil {
		return "", nil, fmt.Errorf("value of %s: %w", name, err)
	}
	if err := p.expect(")"); err != nil {
		return "", nil, err
	}
	if err := p.expect(";"); err != nil {
		return "", nil, err
	}
	return name, val, nil
}

func (p *prefsParser) value() (any, error) {
	rest := p.s[p.pos:]
	switch {
	case strings.HasPrefix(rest, `"`) || strings.HasPrefix(rest, `'`):
		return p.str()
	case strings.HasPrefix(rest, "true"):
		p.pos += len("true")
		return true, nil
	case strings.HasPrefix(rest, "false"):
		p.pos += len("false")
		return false, nil
	}
	end := 0
	for end < len(rest) && (rest[end] == '-' || rest[end] == '+' || rest[end] >= '0' && rest[end] <= '9') {
		end++
	}
	n, err := strconv.ParseInt(rest[:end], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("got %q, want a string, an integer or a boolean", p.peek())
	}
	p.pos += end
	return n, nil
}

// str parses a quoted string with the prefs parser's escapes: \\ \" \'
// \n \r \t, \xHH and \uXXXX (with surrogate pairs).
func (p *prefsParser) str() (string, error) {
	quote := p.s[p.pos]
	if quote != '"' && quote != '\'' {
		return "", fmt.Errorf("got %q, want a quoted string", p.peek())
	}
	p.pos++
	var b strings.Builder
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == quote:
			p.pos++
			return b.String(), nil
		case c == '\n':
			return "", fmt.Errorf("newline in string")
		case c != '\\':
			b.WriteByte(c)
			p.pos++
			continue
		}
		if p.pos+1 >= len(p.s) {
			break
		}
		esc := p.s[p.pos+1]
		p.pos += 2
		switch esc {
		case '\\', '"', '\'':
			b.WriteByte(esc)
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'x':
			r, err := p.hex(2)
			if err != nil {
				return "", err
			}
			b.WriteRune(r)
		case 'u':
			r, err := p.hex(4)
			if err != nil {
				return "", err
			}
			if r >= 0xd800 && r < 0xdc00 && strings.HasPrefix(p.s[p.pos:], `\u`) {
				p.pos += 2
				lo, err := p.hex(4)
				if err != nil {
					return "", err
				}
				r = (r-0xd800)<<10 + (lo - 0xdc00) + 0x10000
			}
			if !utf8.ValidRune(r) {
				return "", fmt.Errorf("invalid \\u escape %U", r)
			}
			b.WriteRune(r)
		default:
			return "", fmt.Errorf("unknown escape \\%c", esc)
		}
	}
	return "", fmt.Errorf("unterminated string")
}

func (p *prefsParser) hex(n int) (rune, error) {
	if p.pos+n > len(p.s) {
		return 0, fmt.Errorf("short hex escape")
	}
	v, err := strconv.ParseUint(p.s[p.pos:p.pos+n], 16, 32)
	if err != nil {
		return 0, fmt.Errorf("bad hex escape %q", p.s[p.pos:p.pos+n])
	}
	p.pos += n
	return rune(v), nil
}

// prefString describes a parsed pref value with its type, for messages:
// `string "993"`, `integer 993`, `boolean true`.
func prefString(v any) string {
	switch v := v.(type) {
	case nil:
		return "no such pref"
	case string:
		return "string " + strconv.Quote(v)
	case int64:
		return "integer " + strconv.FormatInt(v, 10)
	case bool:
		return "boolean " + strconv.FormatBool(v)
	}
	return fmt.Sprintf("%T %v", v, v)
}

func TestParsePrefsJS(t *testing.T) {
	src := `// Mozilla User Preferences
/* a block
   comment */
user_pref("a.string", "x \"q\" \\ \u00e9\n");
user_pref("a.int", 993);
user_pref("a.neg", -1);
user_pref( "a.bool" , true ) ;
user_pref("a.quoted.int", "993");
user_pref("a.utf8", "Zoë — 日本");
user_pref("a.pair", "\ud83d\ude00");
user_pref("a.int", 995);
`
	got, err := parsePrefsJS([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"a.string":     "x \"q\" \\ é\n",
		"a.int":        int64(995),
		"a.neg":        int64(-1),
		"a.bool":       true,
		"a.quoted.int": "993",
		"a.utf8":       "Zoë — 日本",
		"a.pair":       "😀",
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: got %s, want %s", name, prefString(got[name]), prefString(w))
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d prefs, want %d: %v", len(got), len(want), got)
	}
	for _, bad := range []string{
		`user_pref("a", 1)`,
		`user_pref("a" 1);`,
		`user_pref("a", "x);`,
		`user_pref("a", 1.5);`,
		`pref("a", 1);`,
		`/* open`,
	} {
		if _, err := parsePrefsJS([]byte(bad)); err == nil {
			t.Errorf("parsePrefsJS(%q): got no error, want one", bad)
		}
	}
}
