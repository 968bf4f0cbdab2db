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
	dir := filepath.Join(parent, "jane@example.com")
	files := []DirFile{
		{Name: "a.json", Data: []byte(`{"a":1}`), Mode: 0o644},
		{Name: "secret.k9s", Data: []byte("pw"), Mode: 0o600},
		{Name: "empty", Mode: 0o644},
	}
	if err := WriteDir(dir, files); err != nil {
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
	err := WriteDir(dir, []DirFile{{Name: "a.json", Data: []byte("new"), Mode: 0o644}})
	if !errors.Is(err, ErrExists) {
		t.Fatalf("second write: %v, want ErrExists", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.json")); string(b) != `{"a":1}` {
		t.Errorf("refused write changed a.json to %q", b)
	}
	emptyDir := filepath.Join(parent, "empty")
	os.Mkdir(emptyDir, 0o755)
	if err := WriteDir(emptyDir, files); !errors.Is(err, ErrExists) {
		t.Fatalf("write over an empty folder: %v, want ErrExists", err)
	}
	if entries, _ := os.ReadDir(emptyDir); len(entries) != 0 {
		t.Errorf("the empty folder got %v", entries)
	}

	// Bad names fail without leaving anything behind.
	for _, name := range []string{"", ".", "..", "../x", "a/b"} {
		if err := WriteDir(filepath.Join(parent, "bad"), []DirFile{{Name: name, Data: []byte("x")}}); err == nil {
			t.Errorf("file name %q accepted", name)
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
	long := filepath.Join(parent, strings.Repeat("x", 60)+"@"+strings.Repeat("d", 180)+".example")
	if err := WriteDir(long, files[:1]); err != nil {
		t.Errorf("%d-byte folder name: %v", len(filepath.Base(long)), err)
	}
}

func TestOutputDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new", "out")
	d, err := OpenOutputDir(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteDir(filepath.Join(path, "a"), []DirFile{{Name: "f", Data: []byte("x"), Mode: 0o644}}); err != nil {
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
	n, err := RemoveStaleTemp(parent)
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
	if n, err := RemoveStaleTemp(filepath.Join(parent, "missing")); n != 0 || err != nil {
		t.Errorf("missing parent: %d, %v", n, err)
	}
}
