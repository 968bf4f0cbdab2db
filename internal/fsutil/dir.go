package fsutil

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
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

// WriteDir creates the folder name (one name, directly in d) holding
// files, atomically: the files are written into a hidden temporary folder
// next to it, which is then renamed to name without replacing anything
// (RENAME_NOREPLACE on Linux, relative to d's handle), so the folder
// appears complete or not at all and an existing one is never touched
// (the error then wraps ErrExists; a symbolic link at name is one, and it
// is never followed). The files get mode Mode minus the umask.
//
// On Linux WriteDir does not fsync: it is for writing many folders, where
// one Sync per batch costs a fraction of two fsyncs per file. Elsewhere,
// without syncfs(2), it fsyncs each file.
func (d *OutputDir) WriteDir(name string, files []DirFile) (err error) {
	if err := checkName(name); err != nil || strings.Contains(name, "/") {
		return fmt.Errorf("write %s: bad folder name %q", d.Path(name), name)
	}
	// The temporary name starts like the folder's (at most 64 bytes of it,
	// so a name near the 255-byte limit still fits) and ends in digits.
	prefix := "." + truncateName(name, 64) + tmpDirInfix
	var tmp string
	for range 100 {
		tmp = prefix + tmpSuffix()
		if err = d.root.Mkdir(tmp, 0o700); !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", d.Path(name), err)
	}
	defer func() {
		if err != nil {
			d.root.RemoveAll(tmp)
		}
	}()
	td, err := d.root.Open(tmp)
	if err != nil {
		return fmt.Errorf("write %s: %w", d.Path(name), err)
	}
	defer td.Close()
	for _, f := range files {
		if f.Name == "" || f.Name != path.Base(f.Name) || strings.ContainsRune(f.Name, '\\') || f.Name == "." || f.Name == ".." {
			return fmt.Errorf("write %s: bad file name %q", d.Path(name), f.Name)
		}
		if err := createFileIn(d.root, td, tmp+"/"+f.Name, f.Name, f.Data, f.Mode.Perm(), perFileSync); err != nil {
			return fmt.Errorf("write %s: %w", d.Path(name+"/"+f.Name), err)
		}
	}
	if err := td.Chmod(0o755); err != nil { // made 0700
		return fmt.Errorf("write %s: %w", d.Path(name), err)
	}
	if err := d.renameNoReplace(tmp, name); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s %w", d.Path(name), ErrExists)
		}
		return fmt.Errorf("write %s: %w", d.Path(name), err)
	}
	return nil
}

// RemoveStaleTemp removes the temporary folders an interrupted WriteDir
// (a killed run) left directly in d, and reports how many it removed.
// Only the process that holds d may call it: it would also remove the
// folders of a WriteDir running at the same time.
func (d *OutputDir) RemoveStaleTemp() (int, error) {
	f, err := d.root.Open(".")
	if err != nil {
		return 0, err
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() && isTempName(name) {
			if err := d.root.RemoveAll(name); err != nil {
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

// renameFallback renames old to new, both relative to d, when the platform
// or file system has no rename that refuses to replace: it checks first,
// so a racing writer could slip in between (rename then fails, or replaces
// an empty folder).
func (d *OutputDir) renameFallback(old, new string) error {
	if _, err := d.root.Lstat(new); err == nil {
		return fs.ErrExist
	}
	return d.root.Rename(old, new)
}
