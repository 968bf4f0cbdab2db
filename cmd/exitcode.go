package cmd

import (
	"context"
	"errors"
	"strings"

	"github.com/mailsetup/mailsetup/account"
	"github.com/mailsetup/mailsetup/internal/fsutil"
	"github.com/mailsetup/mailsetup/internal/i18n"
)

// Exit codes. They are part of mailsetup's interface: scripts rely on them,
// README.md lists them, and they never change meaning.
const (
	ExitOK        = 0   // success
	ExitError     = 1   // any other error
	ExitUsage     = 2   // bad flags, arguments or input; also a missing answer when prompting is impossible
	ExitNotFound  = 3   // discovery found no settings
	ExitServer    = 4   // a server could not be reached, or its TLS is broken
	ExitAuth      = 5   // the server rejected the credentials
	ExitCancelled = 130 // interrupted (Ctrl-C)
)

// ExitCoder is implemented by errors that carry their own exit code.
// Packages below cmd return such errors (for example probe failures map to
// ExitServer or ExitAuth) without importing cmd.
type ExitCoder interface {
	ExitCode() int
}

// FlagError is a usage error: the command line is wrong. It exits with
// ExitUsage and prints the command's usage after the message.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// ExitCode implements ExitCoder.
func (e *FlagError) ExitCode() int { return ExitUsage }

// UsageErrorf returns a *FlagError with a formatted message.
func UsageErrorf(format string, args ...any) error {
	return &FlagError{Err: errorf(format, args...)}
}

// usageErrorM returns a *FlagError whose message is the catalogue
// message key formatted with args (see errorM).
func usageErrorM(key string, args ...any) error {
	return &FlagError{Err: i18n.Error(key, args...)}
}

// errorText returns err's message in cat's language (see
// i18n.Catalog.ErrorText).
func errorText(cat *i18n.Catalog, err error) string { return cat.ErrorText(err) }

// exitError pairs an error with an exit code.
type exitError struct {
	err  error
	code int
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }
func (e *exitError) ExitCode() int { return e.code }

// WithExitCode wraps err so that mailsetup exits with code.
func WithExitCode(err error, code int) error {
	if err == nil {
		return nil
	}
	return &exitError{err: err, code: code}
}

// ExitCodeFor maps an error returned by a command to the process exit code.
func ExitCodeFor(err error) int {
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, errInterrupted) {
		return ExitCancelled
	}
	var ec ExitCoder
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	if isCobraUsageError(err) {
		return ExitUsage
	}
	return ExitError
}

// errInterrupted marks a run stopped by a signal.
var errInterrupted = errors.New("interrupted")

// isCobraUsageError recognises the few usage errors cobra returns as plain
// errors: an unknown subcommand and violated flag groups. Flag parsing
// errors are reworded into *FlagError by the root's flag error function
// (flagError), and argument checks use argsRange.
func isCobraUsageError(err error) bool {
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command ") ||
		strings.HasPrefix(msg, "if any flags in the group ") ||
		strings.HasPrefix(msg, "at least one of the flags in the group ")
}

// forceAdvice adds the flag that replaces an existing file to an error
// wrapping fsutil.ErrExists. Packages below cmd name no flags; every
// command that writes files has --force.
func forceAdvice(err error) error {
	if errors.Is(err, fsutil.ErrExists) {
		return i18n.Error("err.force-advice", err)
	}
	return err
}

// nameAdvice adds the flag that takes the display name to an error about
// an address given with one ("Jane <jane@example.com>"), for the commands
// that have --name.
func nameAdvice(err error) error {
	if errors.Is(err, account.ErrNameInAddress) {
		return i18n.Error("err.name-advice", err)
	}
	return err
}
