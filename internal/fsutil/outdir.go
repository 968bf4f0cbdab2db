package fsutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// ErrLocked is wrapped by OpenOutputDir's error when another process
// holds the folder.
var ErrLocked = errors.New("another mailsetup run is writing to it")

// ErrSymlink is wrapped by the errors of OutputDir's methods when a name
// they would write through is a symbolic link: links are never followed,
// so nothing is written outside the folder.
var ErrSymlink = errors.New("is a symbolic link, which mailsetup does not follow: remove it or write to another folder")

// OutputDir is a folder that one run writes many files into. It is opened
// once (an os.Root) and every name is resolved relative to it without
// following symbolic links, so a link planted in the folder never sends a
// write elsewhere. It is locked against a second run at the same time
// (where the system has flock(2)), and synced through one handle, so a
// write error anywhere in the run is reported by the next Sync however
// long ago it happened.
type OutputDir struct {
	root *os.Root
	f    *os.File // the folder itself: locked, synced, the dirfd of renames
	path string
}

// OpenOutputDir makes the folder path if needed, opens and locks it.
func OpenOutputDir(path string) (*OutputDir, error) {
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	root, err := os.OpenRoot(path)
	if err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	f, err := root.Open(".")
	if err != nil {
		root.Close()
		return nil, fmt.Errorf("output folder: %w", err)
	}
	if err := lockDir(f); err != nil {
		f.Close()
		root.Close()
		return nil, fmt.Errorf("output folder %s: %w", path, err)
	}
	return &OutputDir{root: root, f: f, path: path}, nil
}

// Path returns the path of name (slash-separated, relative to the
// folder) as the user sees it: the folder's path joined with name.
func (d *OutputDir) Path(name string) string { return filepath.Join(d.path, filepath.FromSlash(name)) }

// Lstat returns the file information of name, relative to the folder.
// When name or a folder on its way is a symbolic link, the error wraps
// ErrSymlink.
func (d *OutputDir) Lstat(name string) (fs.FileInfo, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	var info fs.FileInfo
	parts := strings.Split(name, "/")
	for i := range parts {
		p := strings.Join(parts[:i+1], "/")
		st, err := d.root.Lstat(p)
		if err != nil {
			return nil, err
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("%s %w", d.Path(p), ErrSymlink)
		}
		info = st
	}
	return info, nil
}

// checkName accepts a clean, relative, slash-separated name.
func checkName(name string) error {
	if name == "" || name == "." || path.Clean(name) != name || path.IsAbs(name) || name == ".." || strings.HasPrefix(name, "../") || strings.ContainsRune(name, '\\') {
		return fmt.Errorf("bad name %q", name)
	}
	return nil
}

// parentOK checks that no folder on the way to name is a symbolic link,
// and that name itself is none (it may be missing).
func (d *OutputDir) parentOK(name string) error {
	if _, err := d.Lstat(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// MkdirAll makes the folder name and its missing parents; an existing
// symbolic link on the way is an error wrapping ErrSymlink.
func (d *OutputDir) MkdirAll(name string) error {
	if err := d.parentOK(name); err != nil {
		return err
	}
	if err := d.root.MkdirAll(name, 0o755); err != nil {
		return fmt.Errorf("mkdir %s: %w", d.Path(name), err)
	}
	return nil
}

// Remove removes the file name.
func (d *OutputDir) Remove(name string) error {
	if err := d.parentOK(name); err != nil {
		return err
	}
	return d.root.Remove(name)
}

// tmpSeq and tmpSeed make temporary names: unique within a process, and
// unlikely to meet another process's.
var (
	tmpSeq  atomic.Uint64
	tmpSeed = uint64(time.Now().UnixNano()) ^ uint64(os.Getpid())<<32
)

func tmpSuffix() string {
	return strconv.FormatUint((tmpSeed+tmpSeq.Add(1)*0x9e3779b97f4a7c15)%1e10, 10)
}

// WriteFile writes data to name (relative to the folder, in a folder that
// exists) atomically with mode perm, as the package's WriteFile does: with
// overwrite false it fails with ErrExists if name exists, without touching
// it. A symbolic link at name or on its way is refused (ErrSymlink), with
// overwrite too: it is neither followed nor replaced.
func (d *OutputDir) WriteFile(name string, data []byte, perm fs.FileMode, overwrite bool) (err error) {
	if err := d.parentOK(name); err != nil {
		return err
	}
	dir, base := path.Split(name)
	var tmp string
	var f *os.File
	for range 100 {
		tmp = dir + "." + truncateName(base, 64) + ".tmp-" + tmpSuffix()
		f, err = d.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", d.Path(name), err)
	}
	defer func() {
		if f != nil {
			f.Close()
		}
		d.root.Remove(tmp) // no-op once renamed; cleans up after a failure or a link
	}()
	if err := f.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", d.Path(name), err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", d.Path(name), err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", d.Path(name), err)
	}
	err = f.Close()
	f = nil
	if err != nil {
		return fmt.Errorf("write %s: %w", d.Path(name), err)
	}
	if overwrite {
		if err := d.root.Rename(tmp, name); err != nil {
			return fmt.Errorf("write %s: %w", d.Path(name), err)
		}
		return d.syncDir(dir)
	}
	if err := d.root.Link(tmp, name); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s %w", d.Path(name), ErrExists)
		}
		// Some file systems have no hard links: fall back to check, then rename.
		if _, statErr := d.root.Lstat(name); statErr == nil {
			return fmt.Errorf("%s %w", d.Path(name), ErrExists)
		}
		if err := d.root.Rename(tmp, name); err != nil {
			return fmt.Errorf("write %s: %w", d.Path(name), err)
		}
	}
	return d.syncDir(dir)
}

func (d *OutputDir) syncDir(dir string) error {
	if dir = strings.TrimSuffix(dir, "/"); dir == "" {
		dir = "."
	}
	f, err := d.root.Open(dir)
	if err != nil {
		return nil // best effort: the data itself is synced
	}
	defer f.Close()
	_ = f.Sync()
	return nil
}

// Sync makes everything written to the folder's file system durable
// (syncfs(2) on Linux; elsewhere WriteDir syncs each file) and reports
// write errors since the folder was opened.
func (d *OutputDir) Sync() error {
	if err := syncFS(d.f); err != nil {
		return fmt.Errorf("sync %s: %w", d.f.Name(), err)
	}
	return nil
}

// Close unlocks the folder.
func (d *OutputDir) Close() error {
	err := d.f.Close()
	d.root.Close()
	return err
}
