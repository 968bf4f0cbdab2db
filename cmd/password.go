package cmd

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/termtext"
)

// PasswordEnv is the environment variable a password may come from.
const PasswordEnv = "MAILSETUP_PASSWORD"

// passwordFlags are the ways to give a password. There is deliberately no
// flag that takes the password itself: argv is visible to every user of
// the machine.
type passwordFlags struct {
	Stdin bool
	File  string
}

// register adds --password-stdin and --password-file.
func (pf *passwordFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&pf.Stdin, "password-stdin", false, "read the password from the first line of stdin")
	fs.StringVar(&pf.File, "password-file", "", "read the password from the first line of `FILE`")
}

// read returns the password from stdin, a file, MAILSETUP_PASSWORD (read
// with getenv) or a no-echo prompt on a terminal, in that order; "" when
// none is given. readPassword reads the prompt's answer; nil means no
// prompt (setup leaves the question to the wizard).
func (pf *passwordFlags) read(cat *i18n.Catalog, ios *iostreams.IOStreams, getenv func(string) string, readPassword func() ([]byte, error), prompt string) (string, error) {
	switch {
	case pf.Stdin && pf.File != "":
		return "", usageErrorM("err.password-stdin-or-file")
	case pf.Stdin:
		return firstLine(ios.In, "stdin")
	case pf.File != "":
		fh, err := os.Open(pf.File)
		if err != nil {
			return "", i18n.Error("err.password-file", err)
		}
		defer fh.Close()
		if st, err := fh.Stat(); err == nil && st.Mode().Perm()&0o077 != 0 {
			fmt.Fprintln(ios.ErrOut, cat.T("err.password-file-readable", termtext.Safe(pf.File), st.Mode().Perm()))
		}
		return firstLine(fh, pf.File)
	}
	if v := getenv(PasswordEnv); v != "" {
		if strings.ContainsAny(v, "\r\n\x00") {
			return "", i18n.Error("err.password-env-break", PasswordEnv)
		}
		return v, nil
	}
	if !ios.CanPrompt() || readPassword == nil {
		return "", nil
	}
	fmt.Fprint(ios.ErrOut, prompt)
	b, err := readPassword()
	fmt.Fprintln(ios.ErrOut)
	if err != nil {
		return "", i18n.Error("err.password-read", err)
	}
	return string(b), nil
}

// firstLine reads the first line of r, without its line ending, capped at
// 4 KiB.
func firstLine(r io.Reader, name string) (string, error) {
	br := bufio.NewReaderSize(io.LimitReader(r, 4096), 4096)
	line, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", i18n.Error("err.password-read-from", name, err)
	}
	line = strings.TrimRight(line, "\r\n")
	if strings.ContainsAny(line, "\r\x00") {
		return "", i18n.Error("err.password-cr", name)
	}
	if line == "" {
		return "", i18n.Error("err.password-empty", name)
	}
	return line, nil
}

// terminalPassword reads a password from the terminal without echo.
func terminalPassword() ([]byte, error) { return term.ReadPassword(int(os.Stdin.Fd())) }
