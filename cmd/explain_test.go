package cmd

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
)

// explainRunEnv executes mailsetup with args and env as the whole environment the
// language is read from.
func explainRunEnv(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	f := NewFactory(ios)
	f.Getenv = func(k string) string { return env[k] }
	code := Execute(context.Background(), f, args)
	return code, out.String(), errOut.String()
}

func explainCatalog(l i18n.Lang) *i18n.Catalog { return i18n.New(l) }

// explainSameWords reports whether a and b have the same words, ignoring how they
// were wrapped.
func explainSameWords(a, b string) bool {
	return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
}

func explainCheckWidth(t *testing.T, name, out string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if n := utf8.RuneCountInString(line); n > explainMaxWidth {
			t.Errorf("%s: line of %d columns: %q", name, n, line)
		}
	}
}

func TestExplainListsTopics(t *testing.T) {
	for _, l := range i18n.Supported {
		code, out, errOut := explainRunEnv(t, nil, "explain", "--lang", string(l))
		if code != ExitOK || errOut != "" {
			t.Fatalf("%s: exit %d, stderr %q", l, code, errOut)
		}
		c := explainCatalog(l)
		if !strings.HasPrefix(out, c.T("explain.list.header")+"\n") {
			t.Errorf("%s: list does not start with the header: %q", l, out)
		}
		for _, topic := range i18n.ExplainTopics {
			line := ""
			for _, ln := range strings.Split(out, "\n") {
				if strings.HasPrefix(ln, "  "+topic+" ") {
					line = ln
				}
			}
			if line == "" {
				t.Errorf("%s: no line for %s in %q", l, topic, out)
				continue
			}
			// The summary may wrap; its first word is on the topic's line.
			if first := strings.Fields(c.T("explain." + topic + ".title"))[0]; !strings.Contains(line, first) {
				t.Errorf("%s: %s line %q lacks its title", l, topic, line)
			}
		}
		if !explainSameWords(out[strings.LastIndex(out, "\n\n"):], c.T("explain.list.hint")) {
			t.Errorf("%s: list does not end with the hint: %q", l, out)
		}
		explainCheckWidth(t, string(l)+" list", out)
	}
}

func TestExplainEveryTopicInEveryLanguage(t *testing.T) {
	for _, l := range i18n.Supported {
		c := explainCatalog(l)
		for _, topic := range i18n.ExplainTopics {
			code, out, errOut := explainRunEnv(t, nil, "--lang", string(l), "explain", topic)
			if code != ExitOK || errOut != "" {
				t.Fatalf("%s %s: exit %d, stderr %q", l, topic, code, errOut)
			}
			title, long := c.T("explain."+topic+".title"), c.T("explain."+topic+".long")
			if !strings.HasPrefix(out, title+"\n\n") {
				t.Errorf("%s %s: output does not start with the title %q: %q", l, topic, title, out)
			}
			if !explainSameWords(out, title+" "+long) {
				t.Errorf("%s %s: output is not the title and the long text:\n%s", l, topic, out)
			}
			// Paragraphs and list items survive wrapping.
			if got, want := strings.Count(out, "\n\n"), strings.Count(long, "\n\n")+1; got != want {
				t.Errorf("%s %s: %d blank lines, want %d", l, topic, got, want)
			}
			if got, want := strings.Count(out, "\n- "), strings.Count(long, "\n- "); got != want {
				t.Errorf("%s %s: %d list items, want %d", l, topic, got, want)
			}
			explainCheckWidth(t, string(l)+" "+topic, out)
		}
	}
}

func TestExplainLanguageFromEnvironment(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want i18n.Lang
	}{
		{"no locale", nil, nil, i18n.EN},
		{"LANG", map[string]string{"LANG": "ro_RO.UTF-8"}, nil, i18n.RO},
		{"LC_ALL before LANG", map[string]string{"LC_ALL": "lt_LT.UTF-8", "LANG": "ro_RO.UTF-8"}, nil, i18n.LT},
		{"LC_MESSAGES before LANG", map[string]string{"LC_MESSAGES": "lt_LT", "LANG": "en_US.UTF-8"}, nil, i18n.LT},
		{"unsupported locale", map[string]string{"LANG": "de_DE.UTF-8"}, nil, i18n.EN},
		{"--lang wins", map[string]string{"LC_ALL": "ro_RO.UTF-8"}, []string{"--lang", "lt"}, i18n.LT},
		{"--lang en wins", map[string]string{"LANG": "lt_LT.UTF-8"}, []string{"--lang", "en"}, i18n.EN},
	}
	for _, tt := range tests {
		args := append([]string{"explain", "ports"}, tt.args...)
		code, out, errOut := explainRunEnv(t, tt.env, args...)
		if code != ExitOK {
			t.Fatalf("%s: exit %d, stderr %q", tt.name, code, errOut)
		}
		if want := explainCatalog(tt.want).T("explain.ports.title"); !strings.HasPrefix(out, want+"\n") {
			t.Errorf("%s: got %q, want the %s title %q", tt.name, explainFirstLine(out), tt.want, want)
		}
	}
}

// TestExplainLanguageFromProcessEnvironment checks the default: without
// Factory.Getenv, the process environment decides.
func TestExplainLanguageFromProcessEnvironment(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "ro_RO.UTF-8")
	code, out, _ := run(t, "explain", "smtp")
	if want := explainCatalog(i18n.RO).T("explain.smtp.title"); code != ExitOK || !strings.HasPrefix(out, want+"\n") {
		t.Errorf("LANG=ro_RO.UTF-8: exit %d, %q; want %q", code, explainFirstLine(out), want)
	}
	t.Setenv("LC_ALL", "lt_LT.UTF-8")
	code, out, _ = run(t, "explain", "--json")
	var list []ExplainTopic
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != ExitOK || len(list) == 0 || list[0].Lang != "lt" {
		t.Errorf("LC_ALL=lt_LT.UTF-8: exit %d, %v, %q", code, err, out)
	}
}

func explainFirstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func TestExplainUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		msg  string
	}{
		{[]string{"explain", "bogus"}, `unknown topic "bogus" (topics: imap-vs-pop3, smtp, security, ports, app-passwords, oauth2)`},
		{[]string{"explain", "smtp", "ports"}, "takes only one argument"},
		{[]string{"explain", "--lang", "de", "smtp"}, `--lang "de" is not supported (supported: en, ro, lt)`},
		{[]string{"explain", "--lang", "ro_RO", "smtp"}, `--lang "ro_RO" is not supported`},
		{[]string{"explain", "--bogus"}, "unknown flag: --bogus"},
	}
	for _, tt := range tests {
		code, out, errOut := explainRunEnv(t, nil, tt.args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", tt.args, code, ExitUsage)
		}
		if out != "" {
			t.Errorf("%v: wrote to stdout: %q", tt.args, out)
		}
		if !strings.Contains(errOut, tt.msg) || !strings.Contains(errOut, "Usage:") {
			t.Errorf("%v: stderr %q, want %q and the usage", tt.args, errOut, tt.msg)
		}
	}
}

func TestExplainJSON(t *testing.T) {
	code, out, _ := explainRunEnv(t, nil, "explain", "security", "--json", "--lang", "ro")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	if len(raw) != 5 {
		t.Errorf("fields %v, want topic, lang, title, short, text", raw)
	}
	ro := explainCatalog(i18n.RO)
	want := map[string]any{"topic": "security", "lang": "ro", "title": ro.T("explain.security.title"),
		"short": ro.T("explain.security.short"), "text": ro.T("explain.security.long")}
	for k, v := range want {
		if raw[k] != v {
			t.Errorf("%s = %q, want %q", k, raw[k], v)
		}
	}

	code, out, _ = explainRunEnv(t, nil, "explain", "--json")
	var list []ExplainTopic
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != ExitOK {
		t.Fatalf("explain --json: exit %d, %v, %q", code, err, out)
	}
	if len(list) != len(i18n.ExplainTopics) {
		t.Fatalf("%d topics, want %d", len(list), len(i18n.ExplainTopics))
	}
	en := explainCatalog(i18n.EN)
	for i, topic := range i18n.ExplainTopics {
		got := list[i]
		if got.Topic != topic || got.Lang != "en" || got.Title != en.T("explain."+topic+".title") ||
			got.Short != en.T("explain."+topic+".short") || got.Text != en.T("explain."+topic+".long") {
			t.Errorf("list[%d] = %+v", i, got)
		}
	}
}

func TestExplainFlagParsing(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, ""},
		{[]string{"smtp"}, "smtp"},
		{[]string{"OAuth2"}, "oauth2"},
		{[]string{"imap"}, "imap-vs-pop3"},
		{[]string{"pop3"}, "imap-vs-pop3"},
		{[]string{"starttls"}, "security"},
		{[]string{"app-password"}, "app-passwords"},
	}
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		var got *ExplainOptions
		c := NewCmdExplain(NewFactory(ios), func(o *ExplainOptions) error { got = o; return nil })
		c.SetArgs(tt.args)
		if err := c.Execute(); err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		if got == nil || got.Topic != tt.want {
			t.Errorf("%v: topic %+v, want %q", tt.args, got, tt.want)
		}
	}
}

func TestExplainHelpListsTopics(t *testing.T) {
	code, out, _ := explainRunEnv(t, nil, "explain", "--help")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, topic := range i18n.ExplainTopics {
		if !strings.Contains(out, "  "+topic+" ") {
			t.Errorf("explain --help lacks %s", topic)
		}
	}
	code, out, _ = explainRunEnv(t, nil, "--help")
	if code != ExitOK || !strings.Contains(out, "explain") || !strings.Contains(out, "en, ro, lt") {
		t.Errorf("--help: exit %d, lacks explain or the --lang values", code)
	}
	code, out, _ = explainRunEnv(t, nil, "__complete", "explain", "")
	if code != ExitOK || !strings.Contains(out, "app-passwords\n") {
		t.Errorf("__complete explain: exit %d, %q", code, out)
	}
}

func TestFactoryCatalog(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := NewFactory(ios)
	f.Getenv = func(k string) string { return map[string]string{"LANG": "lt_LT.UTF-8"}[k] }
	if got := f.Catalog().Lang(); got != i18n.LT {
		t.Errorf("Catalog().Lang() = %s with LANG=lt_LT.UTF-8, want lt", got)
	}
	// Resolved once: later changes to the environment do not matter...
	f.Getenv = func(string) string { return "" }
	if got := f.Catalog().Lang(); got != i18n.LT {
		t.Errorf("Catalog().Lang() = %s after the environment changed, want lt", got)
	}
	// ...but parsing --lang does.
	if code := Execute(context.Background(), f, []string{"--lang", "ro", "version"}); code != ExitOK {
		t.Fatalf("--lang ro version: exit %d", code)
	}
	if got := f.Catalog().Lang(); got != i18n.RO {
		t.Errorf("Catalog().Lang() = %s after --lang ro, want ro", got)
	}
}

func TestWrapText(t *testing.T) {
	text := "one two three four five\n\n- alpha beta gamma delta\nșase șapte opt"
	want := "one two\nthree four\nfive\n\n- alpha\n  beta\n  gamma\n  delta\nșase șapte\nopt"
	if got := wrapText(text, 10); got != want {
		t.Errorf("wrapText = %q, want %q", got, want)
	}
	if got := wrapText("a verylongwordindeed b", 5); got != "a\nverylongwordindeed\nb" {
		t.Errorf("long word: %q", got)
	}
	// Width counts characters, not bytes.
	if got := wrapText("ąčęėį šųūž", 10); got != "ąčęėį šųūž" {
		t.Errorf("diacritics: %q", got)
	}
}
