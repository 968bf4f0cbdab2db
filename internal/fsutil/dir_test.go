//go:build unix

package fsutil

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestWriteDir(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	parent := t.TempDir()
	d, err := OpenOutputDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	dir := filepath.Join(parent, "jane@example.com")
	files := []DirFile{
		{Name: "a.json", Data: []byte(`{"a":1}`), Mode: 0o644},
		{Name: "secret.k9s", Data: []byte("pw"), Mode: 0o600},
		{Name: "empty", Mode: 0o644},
	}
	if err := d.WriteDir("jane@example.com", files); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		st, err := os.Stat(filepath.Join(dir, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != f.Mode {
			t.Errorf("%s: mode %o, want %o", f.Name, st.Mode().Perm(), f.Mode)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, f.Name)); string(b) != string(f.Data) {
			t.Errorf("%s: %q, want %q", f.Name, b, f.Data)
		}
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o755 {
		t.Errorf("folder mode %o, want 755", st.Mode().Perm())
	}

	// An existing folder, full or empty, is never touched.
	err = d.WriteDir("jane@example.com", []DirFile{{Name: "a.json", Data: []byte("new"), Mode: 0o644}})
	if !errors.Is(err, ErrExists) {
		t.Fatalf("second write: %v, want ErrExists", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.json")); string(b) != `{"a":1}` {
		t.Errorf("refused write changed a.json to %q", b)
	}
	emptyDir := filepath.Join(parent, "empty")
	os.Mkdir(emptyDir, 0o755)
	if err := d.WriteDir("empty", files); !errors.Is(err, ErrExists) {
		t.Fatalf("write over an empty folder: %v, want ErrExists", err)
	}
	if entries, _ := os.ReadDir(emptyDir); len(entries) != 0 {
		t.Errorf("the empty folder got %v", entries)
	}

	// Bad names fail without leaving anything behind.
	for _, name := range []string{"", ".", "..", "../x", "a/b"} {
		if err := d.WriteDir("bad", []DirFile{{Name: name, Data: []byte("x")}}); err == nil {
			t.Errorf("file name %q accepted", name)
		}
		if err := d.WriteDir(name, files[:1]); err == nil {
			t.Errorf("folder name %q accepted", name)
		}
	}
	entries, _ := os.ReadDir(parent)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "empty jane@example.com" {
		t.Errorf("parent holds %v, want only empty and jane@example.com", names)
	}

	// A folder name near the 255-byte limit still gets its temporary
	// folder.
	long := strings.Repeat("x", 60) + "@" + strings.Repeat("d", 180) + ".example"
	if err := d.WriteDir(long, files[:1]); err != nil {
		t.Errorf("%d-byte folder name: %v", len(long), err)
	}
}

// TestOutputDirSymlinks plants symbolic links to a folder outside the
// output folder where a row folder, a domain folder and a file go: every
// write through them is refused with ErrSymlink and nothing appears
// outside.
func TestOutputDirSymlinks(t *testing.T) {
	parent, outside := t.TempDir(), t.TempDir()
	d, err := OpenOutputDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	os.WriteFile(filepath.Join(outside, "victim"), []byte("keep"), 0o644)
	for _, l := range []string{"row", "_domains", "real/file"} {
		os.MkdirAll(filepath.Dir(filepath.Join(parent, l)), 0o755)
		target := outside
		if l == "real/file" {
			target = filepath.Join(outside, "victim")
		}
		if err := os.Symlink(target, filepath.Join(parent, l)); err != nil {
			t.Fatal(err)
		}
	}
	files := []DirFile{{Name: "victim", Data: []byte("new"), Mode: 0o644}}
	if err := d.WriteDir("row", files); !errors.Is(err, ErrExists) {
		t.Errorf("WriteDir over a link: %v, want ErrExists", err)
	}
	for _, name := range []string{"row/victim", "row/new", "_domains/example.com/config-v1.1.xml", "real/file"} {
		for _, force := range []bool{false, true} {
			if err := d.WriteFile(name, []byte("new"), 0o644, force); !errors.Is(err, ErrSymlink) {
				t.Errorf("WriteFile(%s, force %v): %v, want ErrSymlink", name, force, err)
			}
		}
		if _, err := d.Lstat(name); !errors.Is(err, ErrSymlink) {
			t.Errorf("Lstat(%s): %v, want ErrSymlink", name, err)
		}
	}
	if err := d.MkdirAll("_domains/example.com"); !errors.Is(err, ErrSymlink) {
		t.Errorf("MkdirAll through a link: %v, want ErrSymlink", err)
	}
	if err := d.Remove("row/victim"); !errors.Is(err, ErrSymlink) {
		t.Errorf("Remove through a link: %v, want ErrSymlink", err)
	}
	entries, _ := os.ReadDir(outside)
	if b, _ := os.ReadFile(filepath.Join(outside, "victim")); len(entries) != 1 || string(b) != "keep" {
		t.Errorf("outside the output folder: %v, victim %q", entries, b)
	}
	if st, err := os.Lstat(filepath.Join(parent, "real/file")); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}

	// Without links, WriteFile and MkdirAll work relative to the folder.
	if err := d.MkdirAll("_d/example.com"); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("_d/example.com/f", []byte("one"), 0o600, false); err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("_d/example.com/f", []byte("two"), 0o600, false); !errors.Is(err, ErrExists) {
		t.Errorf("second write: %v, want ErrExists", err)
	}
	if err := d.WriteFile("_d/example.com/f", []byte("two"), 0o644, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(parent, "_d/example.com/f")); string(b) != "two" {
		t.Errorf("f = %q", b)
	}
	if entries, _ := os.ReadDir(filepath.Join(parent, "_d/example.com")); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	if err := d.Remove("_d/example.com/f"); err != nil {
		t.Error(err)
	}
}

func TestOutputDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", "out")
	d, err := OpenOutputDir(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteDir("a", []DirFile{{Name: "f", Data: []byte("x"), Mode: 0o644}}); err != nil {
		t.Fatal(err)
	}
	if err := d.Sync(); err != nil {
		t.Errorf("Sync: %v", err)
	}
	// A second run on the same folder is refused while the first holds it.
	if _, err := OpenOutputDir(path); !errors.Is(err, ErrLocked) {
		t.Errorf("second open: %v, want ErrLocked", err)
	}
	d.Close()
	d2, err := OpenOutputDir(path)
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	d2.Close()
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if _, err := OpenOutputDir(file); err == nil {
		t.Error("a regular file opened as the output folder")
	}
}

func TestRemoveStaleTemp(t *testing.T) {
	parent := t.TempDir()
	stale := filepath.Join(parent, ".jane@example.com"+tmpDirInfix+"12345")
	os.MkdirAll(stale, 0o700)
	os.WriteFile(filepath.Join(stale, "half"), []byte("x"), 0o600)
	keep := []string{"jane@example.com", ".hidden", "x.tmp-1", ".notes.tmp-old", ".x.tmp-"}
	for _, k := range keep {
		os.Mkdir(filepath.Join(parent, k), 0o755)
	}
	d, err := OpenOutputDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	n, err := d.RemoveStaleTemp()
	if err != nil || n != 1 {
		t.Fatalf("RemoveStaleTemp = %d, %v; want 1, nil", n, err)
	}
	for _, k := range keep {
		if _, err := os.Stat(filepath.Join(parent, k)); err != nil {
			t.Errorf("%s removed: %v", k, err)
		}
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale folder still there: %v", err)
	}
}
