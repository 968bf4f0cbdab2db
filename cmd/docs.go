package cmd

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/mailsetup/mailsetup/internal/fsutil"
	"github.com/mailsetup/mailsetup/internal/i18n"
	"github.com/mailsetup/mailsetup/internal/iostreams"
	"github.com/mailsetup/mailsetup/internal/termtext"
)

// DocsOptions are the inputs of `mailsetup docs`.
type DocsOptions struct {
	IO *iostreams.IOStreams
	// JSON is the global --json.
	JSON bool
	// Getenv reads SOURCE_DATE_EPOCH (see docsDate).
	Getenv func(string) string
	// Catalog returns the run's messages.
	Catalog func() *i18n.Catalog

	ManDir      string
	MarkdownDir string
	Force       bool
	// WriteMan and WriteMarkdown write the pages of every command into
	// a folder; RunE sets them over the command tree.
	WriteMan      func(dir string, header *doc.GenManHeader) error
	WriteMarkdown func(dir string) error
}

// NewCmdDocs returns `mailsetup docs`, which writes reference documentation
// for every command as man pages or Markdown.
func NewCmdDocs(f *Factory, runF func(*DocsOptions) error) *cobra.Command {
	opts := &DocsOptions{IO: f.IOStreams, Getenv: f.getenv(), Catalog: f.Catalog}
	c := &cobra.Command{
		Use:   "docs (--man DIR | --markdown DIR)",
		Short: "Generate reference documentation as man pages or Markdown",
		Long: `Generate reference documentation for every mailsetup command.

--man DIR writes one man page per command (section 1); --markdown DIR writes one
Markdown page per command. DIR is created if needed. Existing files are not
replaced unless --force is given.`,
		Example: "  mailsetup docs --man ./man\n  mailsetup docs --markdown ./docs/cli",
		Args:    argsRange(0, 0),
		RunE: func(c *cobra.Command, args []string) error {
			if (opts.ManDir == "") == (opts.MarkdownDir == "") {
				return usageErrorM("err.docs-one")
			}
			root := c.Root()
			root.DisableAutoGenTag = true // keeps output byte-stable
			opts.WriteMan = func(dir string, h *doc.GenManHeader) error { return doc.GenManTree(root, h, dir) }
			opts.WriteMarkdown = func(dir string) error { return doc.GenMarkdownTree(root, dir) }
			opts.JSON = f.Global.JSON
			if runF != nil {
				return runF(opts)
			}
			return docsRun(opts)
		},
	}
	c.Flags().StringVar(&opts.ManDir, "man", "", "write man pages to `DIR`")
	c.Flags().StringVar(&opts.MarkdownDir, "markdown", "", "write Markdown pages to `DIR`")
	c.Flags().BoolVar(&opts.Force, "force", false, "replace existing files")
	return c
}

func docsRun(opts *DocsOptions) error {
	dir := opts.MarkdownDir
	if opts.ManDir != "" {
		dir = opts.ManDir
	}
	// Generate into a scratch directory, then move each file into place
	// atomically, refusing to replace existing files without --force.
	tmp, err := os.MkdirTemp("", "mailsetup-docs-")
	if err != nil {
		return fmt.Errorf("docs: %w", err)
	}
	defer os.RemoveAll(tmp)
	if opts.ManDir != "" {
		date := docsDate(opts.Getenv)
		err = opts.WriteMan(tmp, &doc.GenManHeader{Title: "MAILSETUP", Section: "1", Source: "mailsetup " + ReadBuildInfo().Version, Manual: "mailsetup manual", Date: &date})
	} else {
		err = opts.WriteMarkdown(tmp)
	}
	if err != nil {
		return fmt.Errorf("docs: %w", err)
	}
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return fmt.Errorf("docs: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("docs: %w", err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	if !opts.Force {
		for _, n := range names {
			if _, err := os.Lstat(filepath.Join(dir, n)); err == nil {
				return i18n.WrapError(fsutil.ErrExists, "err.file-exists", filepath.Join(dir, n))
			}
		}
	}
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(tmp, n))
		if err != nil {
			return fmt.Errorf("docs: %w", err)
		}
		data = bytes.ReplaceAll(data, []byte(tmp), []byte(dir))
		if err := fsutil.WriteFile(filepath.Join(dir, n), data, fs.FileMode(0o644), opts.Force); err != nil {
			return forceAdvice(fmt.Errorf("docs: %w", err))
		}
	}
	io := opts.IO
	if opts.JSON {
		return writeJSON(io.Out, map[string]any{"dir": dir, "files": names})
	}
	cat := i18n.New(i18n.EN)
	if opts.Catalog != nil {
		cat = opts.Catalog()
	}
	fmt.Fprintln(io.Out, cat.T("docs.wrote", len(names), termtext.Safe(dir)))
	return nil
}

// docsDate is the date printed in man pages: SOURCE_DATE_EPOCH (read with
// getenv) when set, for reproducible builds, otherwise today.
func docsDate(getenv func(string) string) time.Time {
	if s := getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(n, 0).UTC()
		}
	}
	return time.Now().UTC().Truncate(24 * time.Hour)
}
