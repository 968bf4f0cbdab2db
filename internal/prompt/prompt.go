// Package prompt asks questions on a terminal with survey, and shows a
// spinner for slow steps. It implements wizard.Prompter and
// wizard.Spinner; the wizard never imports survey itself.
package prompt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"

	"github.com/mailsetup/mailsetup/internal/termtext"
)

// Survey asks questions with survey on a terminal. Questions and answers
// are drawn on Err (stderr), so stdout stays clean.
type Survey struct {
	In  terminal.FileReader
	Out terminal.FileWriter
	Err io.Writer
	// YesNo, when set, are the localised answers to yes/no questions;
	// Confirm then offers them as a choice, since survey's own confirm
	// only understands English y/n.
	YesNo [2]string
	// Width, when above 0, wraps the question line (message, hint,
	// default, answer) and the help shown for "?" at spaces to this many
	// columns (the terminal's), so no word is cut at the edge.
	Width int
}

// help returns h wrapped to the width left after survey's help icon.
func (s *Survey) help(h string) string {
	if s.Width <= 0 {
		return h
	}
	return termtext.Wrap(h, max(s.Width-2, 20))
}

// New returns a Survey prompter, or an error when in or out is not a file
// (a terminal).
func New(in io.Reader, out io.Writer, errOut io.Writer) (*Survey, error) {
	fin, ok := in.(terminal.FileReader)
	if !ok {
		return nil, errors.New("prompt: stdin is not a terminal")
	}
	fout, ok := out.(terminal.FileWriter)
	if !ok {
		return nil, errors.New("prompt: output is not a terminal")
	}
	return &Survey{In: fin, Out: fout, Err: errOut}, nil
}

func (s *Survey) ask(p survey.Prompt, v any, opts ...survey.AskOpt) error {
	opts = append(opts, survey.WithStdio(s.In, s.Out, s.Err), survey.WithShowCursor(true))
	lineMu.Lock()
	defer lineMu.Unlock()
	line.width, line.col = s.Width, 0
	err := survey.AskOne(p, v, opts...)
	if errors.Is(err, terminal.InterruptErr) {
		return fmt.Errorf("interrupted: %w", context.Canceled)
	}
	return err
}

func validator(f func(string) error) survey.AskOpt {
	return survey.WithValidator(func(ans any) error {
		s, _ := ans.(string)
		return f(s)
	})
}

// Input asks for a line of text. The default may be discovered text: it
// is shown escaped (termtext.Safe), and taking the shown default answers
// with the default itself.
func (s *Survey) Input(key, message, help, def string, validate func(string) error) (string, error) {
	var v string
	shown := termtext.Safe(def)
	unshow := func(a string) string {
		if a == shown {
			return def
		}
		return a
	}
	var opts []survey.AskOpt
	if validate != nil {
		opts = append(opts, validator(func(a string) error { return validate(unshow(a)) }))
	}
	err := s.ask(&survey.Input{Message: message, Help: s.help(help), Default: shown}, &v, opts...)
	return unshow(v), err
}

// Password asks for a secret without echoing it.
func (s *Survey) Password(key, message, help string) (string, error) {
	var v string
	err := s.ask(&survey.Password{Message: message, Help: s.help(help)}, &v)
	return v, err
}

// Select asks for one of options and returns its index.
func (s *Survey) Select(key, message, help string, options []string, def int) (int, error) {
	var v int
	err := s.ask(&survey.Select{Message: message, Help: s.help(help), Options: options, Default: options[def]}, &v)
	return v, err
}

// MultiSelect asks for any of options and returns their indexes.
func (s *Survey) MultiSelect(key, message, help string, options []string, defs []int) ([]int, error) {
	var v []int
	d := make([]string, len(defs))
	for i, k := range defs {
		d[i] = options[k]
	}
	err := s.ask(&survey.MultiSelect{Message: message, Help: s.help(help), Options: options, Default: d}, &v)
	return v, err
}

// Confirm asks a yes/no question.
func (s *Survey) Confirm(key, message, help string, def bool) (bool, error) {
	if s.YesNo[0] != "" {
		d := 1
		if def {
			d = 0
		}
		k, err := s.Select(key, message, help, s.YesNo[:], d)
		return k == 0, err
	}
	var v bool
	err := s.ask(&survey.Confirm{Message: message, Help: s.help(help), Default: def}, &v)
	return v, err
}

// Spinner draws a spinner with a message on a terminal until stopped.
type Spinner struct {
	W    io.Writer
	mu   sync.Mutex
	stop chan struct{}
	done chan struct{}
}

// Start shows message with a spinner.
func (sp *Spinner) Start(message string) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.stop != nil {
		return
	}
	sp.stop, sp.done = make(chan struct{}), make(chan struct{})
	go func(stop, done chan struct{}) {
		defer close(done)
		frames := []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			fmt.Fprintf(sp.W, "\r%s %s", frames[i%len(frames)], message)
			select {
			case <-stop:
				fmt.Fprint(sp.W, "\r\x1b[K")
				return
			case <-t.C:
			}
		}
	}(sp.stop, sp.done)
}

// Stop removes the spinner.
func (sp *Spinner) Stop() {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.stop == nil {
		return
	}
	close(sp.stop)
	<-sp.done
	sp.stop = nil
}
