package wizard

import (
	"errors"
	"fmt"
	"strings"
)

// Prompter asks the user questions. Every question has a stable key (for
// tests and for naming the flag that answers it), a message, and help
// text shown when the user types "?". The terminal implementation lives in
// internal/prompt (survey); tests use a stub that switches on keys.
type Prompter interface {
	Input(key, message, help, def string, validate func(string) error) (string, error)
	Password(key, message, help string) (string, error)
	Select(key, message, help string, options []string, def int) (int, error)
	MultiSelect(key, message, help string, options []string, defs []int) ([]int, error)
	Confirm(key, message, help string, def bool) (bool, error)
}

// Spinner shows that a slow step is running. Stop is called once per Start.
type Spinner interface {
	Start(message string)
	Stop()
}

type noSpinner struct{}

func (noSpinner) Start(string) {}
func (noSpinner) Stop()        {}

// An Answer names one of the Answers a script gives in place of a
// question. The wizard names no flags: its caller says how each answer is
// given (cmd maps them to its flags).
type Answer string

// The answers a MissingError or an InputError can name.
const (
	AnswerEmail     Answer = "email"      // Answers.Email
	AnswerIncoming  Answer = "incoming"   // Answers.Incoming
	AnswerServers   Answer = "servers"    // Answers.IncomingServer and Answers.OutgoingServer
	AnswerExport    Answer = "export"     // Answers.Export (with ExportSet)
	AnswerOutputDir Answer = "output-dir" // Answers.OutputDir
	AnswerYes       Answer = "yes"        // Answers.Yes
)

// MissingError is returned in scripted mode when an answer is missing: it
// names the answers any one of which would give it.
type MissingError struct {
	Question string   // what was asked, in plain words
	Answers  []Answer // e.g. [AnswerEmail]
}

func (e *MissingError) Error() string {
	names := make([]string, len(e.Answers))
	for i, a := range e.Answers {
		names[i] = string(a)
	}
	return fmt.Sprintf("cannot ask %q when not running interactively: give the answer %s", e.Question, strings.Join(names, " or "))
}

// ErrQuit is returned when the user chooses to quit.
var ErrQuit = errors.New("setup stopped by the user")
