package cmd

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
)

// explainMaxWidth is the widest line `mailsetup explain` prints: prose is
// easier to read in short lines, even on a wide terminal.
const explainMaxWidth = 78

// explainAliases are other names people type for a topic. They are
// accepted but not listed.
var explainAliases = map[string]string{
	"imap":         "imap-vs-pop3",
	"pop3":         "imap-vs-pop3",
	"pop":          "imap-vs-pop3",
	"imap-or-pop3": "imap-vs-pop3",
	"pop3-vs-imap": "imap-vs-pop3",
	"ssl":          "security",
	"tls":          "security",
	"ssl-tls":      "security",
	"starttls":     "security",
	"encryption":   "security",
	"port":         "ports",
	"app-password": "app-passwords",
	"oauth":        "oauth2",
}

// ExplainOptions are the inputs of `mailsetup explain`.
type ExplainOptions struct {
	IO *iostreams.IOStreams
	// Catalog returns the messages in the run's language.
	Catalog func() *i18n.Catalog
	// JSON is the global --json.
	JSON bool
	// Topic is one of i18n.ExplainTopics, or "" to list them.
	Topic string
}

// ExplainTopic is one topic in the language of the run, as --json prints it.
type ExplainTopic struct {
	Topic string `json:"topic"`
	Lang  string `json:"lang"`
	Title string `json:"title"`
	Short string `json:"short"`
	// Text is the long explanation: paragraphs on single lines separated by
	// a blank line; lines starting with "- " are list items.
	Text string `json:"text"`
}

// NewCmdExplain returns `mailsetup explain [topic]`. runF replaces the run
// function in tests.
func NewCmdExplain(f *Factory, runF func(*ExplainOptions) error) *cobra.Command {
	opts := &ExplainOptions{IO: f.IOStreams, Catalog: f.Catalog}
	en := i18n.New(i18n.EN)
	var topics strings.Builder
	for _, t := range i18n.ExplainTopics {
		fmt.Fprintf(&topics, "  %-15s %s\n", t, en.T("explain."+t+".title"))
	}
	return &cobra.Command{
		Use:   "explain [topic]",
		Short: "Explain e-mail terms in plain words: IMAP or POP3, SMTP, security, ports",
		Long: `Explain an e-mail term in plain words, for helpdesk staff and the people they
help. Without a topic, list the topics.

Topics:
` + topics.String() + `
The text is in the language chosen by --lang, else by LC_ALL, LC_MESSAGES or
LANG, else English. With --json, a topic prints {topic, lang, title, short,
text} and the list prints an array of them.`,
		Example:   "  mailsetup explain\n  mailsetup explain imap-vs-pop3\n  mailsetup explain security --lang ro",
		Args:      argsRange(0, 1),
		ValidArgs: i18n.ExplainTopics,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Topic = ""
			if len(args) == 1 {
				topic, ok := explainTopic(args[0])
				if !ok {
					return usageErrorM("err.explain-topic", args[0], strings.Join(i18n.ExplainTopics, ", "))
				}
				opts.Topic = topic
			}
			opts.JSON = f.Global.JSON
			if runF != nil {
				return runF(opts)
			}
			return explainRun(opts)
		},
	}
}

// explainTopic returns the topic named by s, which may be an alias.
func explainTopic(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, t := range i18n.ExplainTopics {
		if s == t {
			return t, true
		}
	}
	t, ok := explainAliases[s]
	return t, ok
}

// explainTopicIn returns topic's texts from catalogue c.
func explainTopicIn(c *i18n.Catalog, topic string) ExplainTopic {
	return ExplainTopic{
		Topic: topic,
		Lang:  string(c.Lang()),
		Title: c.T("explain." + topic + ".title"),
		Short: c.T("explain." + topic + ".short"),
		Text:  c.T("explain." + topic + ".long"),
	}
}

func explainRun(opts *ExplainOptions) error {
	c := opts.Catalog()
	out := opts.IO.Out
	width := max(min(opts.IO.TerminalWidth()-1, explainMaxWidth), 20)
	if opts.Topic != "" {
		t := explainTopicIn(c, opts.Topic)
		if opts.JSON {
			return writeJSON(out, t)
		}
		cs := opts.IO.ColorScheme()
		_, err := fmt.Fprintf(out, "%s\n\n%s\n", cs.Bold(wrapText(t.Title, width)), wrapText(t.Text, width))
		return err
	}
	list := make([]ExplainTopic, len(i18n.ExplainTopics))
	for i, topic := range i18n.ExplainTopics {
		list[i] = explainTopicIn(c, topic)
	}
	if opts.JSON {
		return writeJSON(out, list)
	}
	return writeTopicList(out, c, list, width)
}

func writeTopicList(w io.Writer, c *i18n.Catalog, list []ExplainTopic, width int) error {
	pad := 0
	for _, t := range list {
		pad = max(pad, len(t.Topic))
	}
	var b strings.Builder
	b.WriteString(c.T("explain.list.header") + "\n")
	for _, t := range list {
		first := "  " + t.Topic + strings.Repeat(" ", pad-len(t.Topic)+2)
		rest := strings.Repeat(" ", len(first))
		for _, line := range wrapWords(strings.Fields(t.Title), width, first, rest) {
			b.WriteString(line + "\n")
		}
	}
	b.WriteString("\n" + wrapText(c.T("explain.list.hint"), width) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// wrapText wraps each line of text to width columns, keeping blank lines.
// A line starting with "- " is a list item: its continuation lines are
// indented by two spaces. A word longer than width gets a line of its own.
func wrapText(text string, width int) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		words := strings.Fields(line)
		if len(words) == 0 {
			out = append(out, "")
			continue
		}
		rest := ""
		if strings.HasPrefix(line, "- ") {
			rest = "  "
		}
		out = append(out, wrapWords(words, width, "", rest)...)
	}
	return strings.Join(out, "\n")
}

// wrapWords fills lines of at most width columns with words, the first line
// starting with first and the others with rest.
func wrapWords(words []string, width int, first, rest string) []string {
	var lines []string
	cur, n, empty := first, utf8.RuneCountInString(first), true
	for _, w := range words {
		wn := utf8.RuneCountInString(w)
		switch {
		case empty:
			cur, n = cur+w, n+wn
		case n+1+wn <= width:
			cur, n = cur+" "+w, n+1+wn
		default:
			lines = append(lines, cur)
			cur, n = rest+w, utf8.RuneCountInString(rest)+wn
		}
		empty = false
	}
	return append(lines, cur)
}
