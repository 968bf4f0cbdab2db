package i18n

import (
	"errors"
	"strings"
)

// Msg is a message not yet rendered: a catalogue key and the values it is
// formatted with. Packages that produce text for people (the probe's
// findings, discovery's trust reasons) keep Msgs, so the same result can be
// shown in any language; the English text comes from the same catalogue.
// An argument that is itself a Msg is rendered in the same language first,
// so a message can be assembled from translated parts.
type Msg struct {
	Key  string
	Args []any
}

// M returns the message key formatted with args.
func M(key string, args ...any) Msg { return Msg{Key: key, Args: args} }

// IsZero reports whether m is the zero Msg (no message).
func (m Msg) IsZero() bool { return m.Key == "" }

// Render returns m in the catalogue's language; the zero Msg renders as "".
// A nil catalogue renders in English.
func (c *Catalog) Render(m Msg) string {
	if m.Key == "" {
		return ""
	}
	if c == nil {
		c = New(EN)
	}
	if len(m.Args) == 0 {
		return c.T(m.Key)
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		switch v := a.(type) {
		case Msg:
			args[i] = c.Render(v)
		case Renderer:
			args[i] = v.RenderIn(c)
		case Coded:
			args[i] = c.ErrorText(v)
		case error:
			args[i] = c.ErrorText(v)
		default:
			args[i] = a
		}
	}
	return c.T(m.Key, args...)
}

// Renderer is a value that renders itself in a catalogue's language, such
// as a probe finding; as an argument of a Msg it is rendered in the Msg's
// language.
type Renderer interface {
	RenderIn(c *Catalog) string
}

// Lookup returns the message for key in the catalogue's language without
// the English fallback, and whether the language has it.
func (c *Catalog) Lookup(key string) (string, bool) {
	msg, ok := catalogs[c.lang][key]
	return msg, ok
}

// Coded is an error of a package that imports no catalogue (account):
// ErrorCode names its catalogue message, "err." + code, and ErrorArgs
// gives the values it is formatted with (a value that is itself Coded or
// a Renderer is rendered in the same language). Its Error is the English
// wording, used when the catalogue has no such message.
type Coded interface {
	error
	ErrorCode() string
	ErrorArgs() []any
}

// ErrorText returns err's message in the catalogue's language: the
// first error in err's chain that renders itself (a Renderer) or names
// its catalogue message (Coded) is rendered, behind what the errors
// wrapping it put before its text (a URL, a file name); an error whose
// wrappers add words after it, or with no such error, is err.Error().
func (c *Catalog) ErrorText(err error) string {
	text := err.Error()
	for e := err; e != nil; e = errors.Unwrap(e) {
		et := e.Error()
		if !strings.HasSuffix(text, et) {
			break
		}
		prefix := text[:len(text)-len(et)]
		switch v := e.(type) {
		case Renderer:
			return prefix + v.RenderIn(c)
		case Coded:
			if key := "err." + v.ErrorCode(); Has(key) {
				return prefix + c.Render(M(key, v.ErrorArgs()...))
			}
			return text
		}
	}
	return text
}

// MsgError is an error worded by a catalogue message: Error gives the
// English text and RenderIn the text in any language (a Renderer), so an
// error made deep in a package is printed in the run's language.
type MsgError struct {
	Msg Msg
	Err error // what it wraps, or nil
}

// Error returns an error worded by the message key with args. The last
// argument that is an error is wrapped, as %w would; messages quote it
// with %v.
func Error(key string, args ...any) error {
	e := &MsgError{Msg: M(key, args...)}
	for _, a := range args {
		if err, ok := a.(error); ok {
			e.Err = err
		}
	}
	return e
}

// WrapError is Error for an error that wraps err without quoting it: the
// message says in its own words what err means.
func WrapError(err error, key string, args ...any) error {
	return &MsgError{Msg: M(key, args...), Err: err}
}

func (e *MsgError) Error() string { return e.RenderIn(nil) }
func (e *MsgError) Unwrap() error { return e.Err }

// RenderIn implements Renderer: the message in c's language.
func (e *MsgError) RenderIn(c *Catalog) string { return c.Render(e.Msg) }

// Errors is several errors on one line, separated by "; ", each still
// visible to errors.Is and errors.As and each in the run's language where
// it words itself (Catalog.ErrorText).
type Errors []error

func (l Errors) Error() string   { return l.RenderIn(nil) }
func (l Errors) Unwrap() []error { return l }

// RenderIn implements Renderer.
func (l Errors) RenderIn(c *Catalog) string {
	if c == nil {
		c = New(EN)
	}
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = c.ErrorText(e)
	}
	return strings.Join(parts, "; ")
}
