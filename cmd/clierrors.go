package cmd

// The command line's own errors in the run's language: pflag's parse
// errors and cobra's argument checks are reworded from the catalogue
// (cli.*), naming the flag or command as typed. cobra and pflag have no
// message catalogue of their own, so their errors are taken apart by type
// here.

import (
	"errors"
	"io/fs"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/mailsetup/mailsetup/internal/i18n"
)

// flagError turns an error of pflag's parsing into a usage error worded
// by the catalogue. Errors of other kinds keep their text.
func flagError(_ *cobra.Command, err error) error {
	var (
		notExist *pflag.NotExistError
		required *pflag.ValueRequiredError
		invalid  *pflag.InvalidValueError
		syntax   *pflag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &notExist):
		switch sh := notExist.GetSpecifiedShortnames(); sh {
		case "":
		case notExist.GetSpecifiedName():
			return usageErrorM("args.flag-unknown", "-"+sh)
		default:
			return usageErrorM("args.shorthand-unknown", notExist.GetSpecifiedName(), "-"+sh)
		}
		return usageErrorM("args.flag-unknown", "--"+notExist.GetSpecifiedName())
	case errors.As(err, &required):
		name := "--" + required.GetSpecifiedName()
		if required.GetSpecifiedShortnames() != "" {
			name = "-" + required.GetSpecifiedName()
		}
		return usageErrorM("args.flag-needs-value", name)
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		return &FlagError{Err: i18n.WrapError(err, "args.flag-invalid", invalid.GetValue(), "--"+f.Name, flagTypeMsg(f, errors.Unwrap(invalid)))}
	case errors.As(err, &syntax):
		return usageErrorM("args.flag-syntax", syntax.GetSpecifiedFlag())
	}
	return &FlagError{Err: err}
}

// flagTypeMsg says what a flag of f's type expects; for types without a
// message, the parser's own words.
func flagTypeMsg(f *pflag.Flag, cause error) any {
	switch f.Value.Type() {
	case "duration":
		return i18n.M("args.type.duration")
	case "int", "int64", "int32", "uint", "uint64", "uint32":
		return i18n.M("args.type.int")
	case "bool":
		return i18n.M("args.type.bool")
	}
	if cause == nil {
		return ""
	}
	return cause.Error()
}

// argsRange is the positional-argument check of a command taking from
// min to max arguments (max is 0 or 1). Its failure is a usage error in
// the run's language; extra words after a command that has subcommands
// are an unknown command, with cobra's suggestions.
func argsRange(min, max int) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		switch {
		case len(args) > max && max == 0 && c.HasSubCommands():
			err := i18n.Error("args.command-unknown", args[0], c.CommandPath())
			if c.SuggestionsMinimumDistance <= 0 {
				c.SuggestionsMinimumDistance = 2 // cobra's default
			}
			if s := c.SuggestionsFor(args[0]); len(s) > 0 {
				err = i18n.WrapError(err, "args.error-hint", err, i18n.M("args.did-you-mean", strings.Join(s, ", ")))
			}
			return &FlagError{Err: err}
		case len(args) > max && max == 0:
			return usageErrorM("args.args-none", c.CommandPath(), args[0])
		case len(args) > max:
			return usageErrorM("args.args-too-many", c.CommandPath(), len(args))
		case len(args) < min:
			_, params, _ := strings.Cut(c.Use, " ")
			return usageErrorM("args.args-missing", c.CommandPath(), params)
		}
		return nil
	}
}

// langArg returns the value of the last --lang in args before "--", for
// errors found before the flags were parsed: the language is known
// however far parsing got.
func langArg(args []string) string {
	lang := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return lang
		case a == "--lang" && i+1 < len(args):
			lang = args[i+1]
			i++
		case strings.HasPrefix(a, "--lang="):
			lang = strings.TrimPrefix(a, "--lang=")
		}
	}
	return lang
}

// fileError says why the file a flag names could not be read: missing
// or unreadable in the catalogue's words, the system's words otherwise.
func fileError(flag, path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return i18n.WrapError(err, "err.file-missing", flag, path)
	case errors.Is(err, fs.ErrPermission):
		return i18n.WrapError(err, "err.file-denied", flag, path)
	}
	return i18n.Error("err.file-read", flag, path, err)
}

// renderedError is an error already worded in the run's language that
// wraps err (for errors.Is and errors.As).
type renderedError struct {
	text string
	err  error
}

func (e *renderedError) Error() string { return e.text }
func (e *renderedError) Unwrap() error { return e.err }
