package fsutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// DirFile is one file of WriteDir.
type DirFile struct {
	Name string
	Data []byte
	Mode fs.FileMode
}

// tmpDirInfix marks WriteDir's temporary folders: ".<name>" + tmpDirInfix +
// random digits, next to the folder being written.
const tmpDirInfix = ".tmp-"

// WriteDir creates the folder dir holding files, atomically: the files are
// written into a hidden temporary folder next to dir, which is then renamed
// to dir without replacing anything (RENAME_NOREPLACE on Linux), so dir
// appears complete or not at all and an existing dir is never touched (the
// error then wraps ErrExists). Missing parent folders are made. The files
// get mode Mode minus the umask.
//
// On Linux WriteDir does not fsync: it is for writing many folders, where
// one OutputDir.Sync per batch costs a fraction of two fsyncs per file.
// Elsewhere, without syncfs(2), it fsyncs each file.
func WriteDir(dir string, files []DirFile) (err error) {
	parent, base := filepath.Split(dir)
	if parent == "" {
		parent = "."
	}
	// The temporary name starts like the folder's (at most 64 bytes of it,
	// so a name near the 255-byte limit still fits) and ends in digits.
	prefix := "." + truncateName(base, 64) + tmpDirInfix
	tmp, err := os.MkdirTemp(parent, prefix+"*")
	if errors.Is(err, fs.ErrNotExist) {
		// The first folder of a new output folder.
		if err = os.MkdirAll(parent, 0o755); err == nil {
			tmp, err = os.MkdirTemp(parent, prefix+"*")
		}
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	for _, f := range files {
		if f.Name == "" || f.Name != filepath.Base(f.Name) || f.Name == "." || f.Name == ".." {
			return fmt.Errorf("write %s: bad file name %q", dir, f.Name)
		}
		if err := createFile(filepath.Join(tmp, f.Name), f.Data, f.Mode.Perm(), perFileSync); err != nil {
			return fmt.Errorf("write %s: %w", filepath.Join(dir, f.Name), err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp made it 0700
		return fmt.Errorf("write %s: %w", dir, err)
	}
	if err := renameNoReplace(tmp, dir); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s %w", dir, ErrExists)
		}
		return fmt.Errorf("write %s: %w", dir, err)
	}
	return nil
}

// RemoveStaleTemp removes the temporary folders an interrupted WriteDir
// (a killed run) left directly in parent, and reports how many it removed.
// Only the process that holds parent (OpenOutputDir) may call it: it
// would also remove the folders of a WriteDir running at the same time.
func RemoveStaleTemp(parent string) (int, error) {
	entries, err := os.ReadDir(parent)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() && isTempName(name) {
			if err := os.RemoveAll(filepath.Join(parent, name)); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// isTempName reports whether name is one of WriteDir's temporary names:
// "." + a name + tmpDirInfix + digits.
func isTempName(name string) bool {
	i := strings.LastIndex(name, tmpDirInfix)
	if i < 2 || name[0] != '.' || i+len(tmpDirInfix) == len(name) {
		return false
	}
	for _, c := range name[i+len(tmpDirInfix):] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// truncateName cuts name to at most n bytes without splitting a UTF-8
// sequence.
func truncateName(name string, n int) string {
	if len(name) <= n {
		return name
	}
	for n > 0 && name[n]&0xc0 == 0x80 {
		n--
	}
	return name[:n]
}

// renameFallback renames old to new when the platform or file system has
// no rename that refuses to replace: it checks first, so a racing writer
// could slip in between (rename then fails, or replaces an empty folder).
func renameFallback(old, new string) error {
	if _, err := os.Lstat(new); err == nil {
		return fs.ErrExist
	}
	return os.Rename(old, new)
}
