package prompt

// survey draws the question line ("? message [hint] (default)") as one
// line and lets the terminal cut it wherever the edge falls, mid-word. The
// templates below are survey's own (v2.3.7) with two changes: the message
// goes through qmsg, which wraps it at spaces to the Survey's Width, and
// each piece survey appends to it (the hint, the default, the answer) goes
// through qput, which keeps it on the line when it fits and otherwise
// starts it on a line of its own, wrapped at spaces too. survey counts the
// rendered lines (newlines and what overflows the width) to erase a
// question when redrawing it, so the newlines added here are erased like
// its own. Hand-rolled because survey has no wrapping option; the words
// stay survey's, and Localize translates them as before.

import (
	"strings"
	"sync"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/core"

	"github.com/mailsetup/mailsetup/internal/termtext"
)

// line is the state of the question line while survey runs a template:
// the width to wrap to (0: no wrapping) and the column the next piece
// starts at. Survey.ask sets width under lineMu for the time it asks.
var (
	lineMu sync.Mutex
	line   struct {
		width, col int
	}
)

// qmsg wraps the question message to the width left after survey's "? "
// icon, continuation lines indented under the text, and leaves one column
// free at the edge.
func qmsg(msg string) string {
	if line.width <= 0 {
		return msg
	}
	lines := strings.Split(termtext.Wrap(msg, max(line.width-3, 10)), "\n")
	line.col = 2 + termtext.Width(lines[len(lines)-1])
	return strings.Join(lines, "\n  ")
}

// qput returns sep and s, to append to the question line, when they fit
// on it, and otherwise s on a new line, wrapped at spaces.
func qput(sep, s string) string {
	if line.width <= 0 {
		return sep + s
	}
	if w := termtext.Width(sep) + termtext.Width(s); line.col+w < line.width {
		line.col += w
		return sep + s
	}
	lines := strings.Split(termtext.Wrap(s, max(line.width-1, 10)), "\n")
	line.col = termtext.Width(lines[len(lines)-1])
	return "\n" + strings.Join(lines, "\n")
}

func init() {
	for _, m := range []map[string]any{core.TemplateFuncsWithColor, core.TemplateFuncsNoColor} {
		m["qmsg"] = qmsg
		m["qput"] = qput
	}
	survey.SelectQuestionTemplate = selectTemplate
	survey.MultiSelectQuestionTemplate = multiSelectTemplate
	survey.InputQuestionTemplate = inputTemplate
	survey.ConfirmQuestionTemplate = confirmTemplate
	survey.PasswordQuestionTemplate = passwordTemplate
}

const selectTemplate = `
{{- define "option"}}
    {{- if eq .SelectedIndex .CurrentIndex }}{{color .Config.Icons.SelectFocus.Format }}{{ .Config.Icons.SelectFocus.Text }} {{else}}{{color "default"}}  {{end}}
    {{- .CurrentOpt.Value}}{{ if ne ($.GetDescription .CurrentOpt) "" }} - {{color "cyan"}}{{ $.GetDescription .CurrentOpt }}{{end}}
    {{- color "reset"}}
{{end}}
{{- if .ShowHelp }}{{- color .Config.Icons.Help.Format }}{{ .Config.Icons.Help.Text }} {{ .Help }}{{color "reset"}}{{"\n"}}{{end}}
{{- color .Config.Icons.Question.Format }}{{ .Config.Icons.Question.Text }} {{color "reset"}}
{{- color "default+hb"}}{{ qmsg (print .Message .FilterMessage) }}{{color "reset"}}
{{- if .ShowAnswer}}{{color "cyan"}}{{ qput " " .Answer }}{{color "reset"}}{{"\n"}}
{{- else}}
  {{- $h := "" }}
  {{- if and .Help (not .ShowHelp)}}{{ $h = print ", " .Config.HelpInput " for more help" }}{{end}}
  {{- color "cyan"}}{{ qput "  " (print "[" "Use arrows to move, type to filter" $h "]") }}{{color "reset"}}
  {{- "\n"}}
  {{- range $ix, $option := .PageEntries}}
    {{- template "option" $.IterateOption $ix $option}}
  {{- end}}
{{- end}}`

const multiSelectTemplate = `
{{- define "option"}}
    {{- if eq .SelectedIndex .CurrentIndex }}{{color .Config.Icons.SelectFocus.Format }}{{ .Config.Icons.SelectFocus.Text }}{{color "reset"}}{{else}} {{end}}
    {{- if index .Checked .CurrentOpt.Index }}{{color .Config.Icons.MarkedOption.Format }} {{ .Config.Icons.MarkedOption.Text }} {{else}}{{color .Config.Icons.UnmarkedOption.Format }} {{ .Config.Icons.UnmarkedOption.Text }} {{end}}
    {{- color "reset"}}
    {{- " "}}{{- .CurrentOpt.Value}}{{ if ne ($.GetDescription .CurrentOpt) "" }} - {{color "cyan"}}{{ $.GetDescription .CurrentOpt }}{{color "reset"}}{{end}}
{{end}}
{{- if .ShowHelp }}{{- color .Config.Icons.Help.Format }}{{ .Config.Icons.Help.Text }} {{ .Help }}{{color "reset"}}{{"\n"}}{{end}}
{{- color .Config.Icons.Question.Format }}{{ .Config.Icons.Question.Text }} {{color "reset"}}
{{- color "default+hb"}}{{ qmsg (print .Message .FilterMessage) }}{{color "reset"}}
{{- if .ShowAnswer}}{{color "cyan"}}{{ qput " " .Answer }}{{color "reset"}}{{"\n"}}
{{- else }}
  {{- $h := "Use arrows to move, space to select," }}
  {{- if not .Config.RemoveSelectAll }}{{ $h = print $h " <right> to all," }}{{end}}
  {{- if not .Config.RemoveSelectNone }}{{ $h = print $h " <left> to none," }}{{end}}
  {{- $h = print $h " type to filter" }}
  {{- if and .Help (not .ShowHelp)}}{{ $h = print $h ", " .Config.HelpInput " for more help" }}{{end}}
  {{- color "cyan"}}{{ qput "  " (print "[" $h "]") }}{{color "reset"}}
  {{- "\n"}}
  {{- range $ix, $option := .PageEntries}}
    {{- template "option" $.IterateOption $ix $option}}
  {{- end}}
{{- end}}`

const inputTemplate = `
{{- if .ShowHelp }}{{- color .Config.Icons.Help.Format }}{{ .Config.Icons.Help.Text }} {{ .Help }}{{color "reset"}}{{"\n"}}{{end}}
{{- color .Config.Icons.Question.Format }}{{ .Config.Icons.Question.Text }} {{color "reset"}}
{{- color "default+hb"}}{{ qmsg .Message }}{{color "reset"}}
{{- if .ShowAnswer}}
  {{- color "cyan"}}{{ qput " " .Answer }}{{color "reset"}}{{"\n"}}
{{- else if .PageEntries -}}
  {{- " "}}{{- .Answer}} [Use arrows to move, enter to select, type to continue]
  {{- "\n"}}
  {{- range $ix, $choice := .PageEntries}}
    {{- if eq $ix $.SelectedIndex }}{{color $.Config.Icons.SelectFocus.Format }}{{ $.Config.Icons.SelectFocus.Text }} {{else}}{{color "default"}}  {{end}}
    {{- $choice.Value}}
    {{- color "reset"}}{{"\n"}}
  {{- end}}
{{- else }}
  {{- $h := "" }}
  {{- if and .Help (not .ShowHelp)}}{{ $h = print .Config.HelpInput " for help" }}{{end}}
  {{- if .Suggest }}{{ if $h }}{{ $h = print $h ", " }}{{end}}{{ $h = print $h .Config.SuggestInput " for suggestions" }}{{end}}
  {{- if $h }}{{color "cyan"}}{{ qput " " (print "[" $h "]") }}{{color "reset"}}{{end}}
  {{- if .Default}}{{color "white"}}{{ qput " " (print "(" .Default ")") }}{{color "reset"}}{{end}}
  {{- " "}}
{{- end}}`

const confirmTemplate = `
{{- if .ShowHelp }}{{- color .Config.Icons.Help.Format }}{{ .Config.Icons.Help.Text }} {{ .Help }}{{color "reset"}}{{"\n"}}{{end}}
{{- color .Config.Icons.Question.Format }}{{ .Config.Icons.Question.Text }} {{color "reset"}}
{{- color "default+hb"}}{{ qmsg .Message }}{{color "reset"}}
{{- if .Answer}}
  {{- color "cyan"}}{{ qput " " .Answer }}{{color "reset"}}{{"\n"}}
{{- else }}
  {{- if and .Help (not .ShowHelp)}}{{color "cyan"}}{{ qput " " (print "[" .Config.HelpInput " for help]") }}{{color "reset"}}{{end}}
  {{- color "white"}}{{if .Default}}{{ qput " " "(Y/n)" }}{{else}}{{ qput " " "(y/N)" }}{{end}} {{color "reset"}}
{{- end}}`

const passwordTemplate = `
{{- if .ShowHelp }}{{- color .Config.Icons.Help.Format }}{{ .Config.Icons.Help.Text }} {{ .Help }}{{color "reset"}}{{"\n"}}{{end}}
{{- color .Config.Icons.Question.Format }}{{ .Config.Icons.Question.Text }} {{color "reset"}}
{{- color "default+hb"}}{{ qmsg .Message }}{{color "reset"}}
{{- if and .Help (not .ShowHelp)}}{{color "cyan"}}{{ qput " " (print "[" .Config.HelpInput " for help]") }}{{color "reset"}}{{end}}
{{- " "}}`
