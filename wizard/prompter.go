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

// MissingError is returned in scripted mode when an answer is missing: it
// names the flags that would give it.
type MissingError struct {
	Question string   // what was asked, in plain words
	Flags    []string // e.g. ["--email"]
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("cannot ask %q when not running interactively: pass %s", e.Question, strings.Join(e.Flags, " or "))
}

// ErrQuit is returned when the user chooses to quit.
var ErrQuit = errors.New("setup stopped by the user")
