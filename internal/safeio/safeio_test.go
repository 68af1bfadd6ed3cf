//go:build unix

package safeio

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// within fails the test if fn takes more than a few seconds: the cases
// below used to hang or read forever.
func within(t *testing.T, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { fn(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("did not return: blocked on a special file")
	}
}

func TestRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	zero := filepath.Join(dir, "zero.pb")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		fifo: "not a regular file (a named pipe)",
		zero: "not a regular file (a character device)",
		dir:  "not a regular file (a directory)",
	} {
		within(t, func() {
			_, err := ReadFile(path, 1<<20)
			if err == nil || err.Error() != path+": "+want {
				t.Errorf("ReadFile(%s) = %v, want %q", path, err, want)
			}
			f, _, err := Open(path)
			if err == nil {
				f.Close()
				t.Errorf("Open(%s) succeeded", path)
			}
		})
	}
}

func TestLimit(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big")
	if err := os.WriteFile(p, []byte("0123456789"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(p, 9); err == nil || !strings.Contains(err.Error(), "10 bytes is more than the 9 bytes limit") {
		t.Errorf("over the limit: %v", err)
	}
	data, err := ReadFile(p, 10)
	if err != nil || string(data) != "0123456789" {
		t.Errorf("at the limit: %q, %v", data, err)
	}
	// A sparse file is refused by its size, before anything is read.
	sparse := filepath.Join(t.TempDir(), "sparse")
	f, err := os.Create(sparse)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(64 << 30); err != nil {
		t.Skipf("sparse file: %v", err)
	}
	f.Close()
	if _, err := ReadFile(sparse, MaxProtoBytes); err == nil || !strings.Contains(err.Error(), "64.0 GiB is more than the 2.0 GiB limit") {
		t.Errorf("sparse: %v", err)
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "missing"), 10); err == nil || strings.Count(err.Error(), "missing") != 1 {
		t.Errorf("missing: %v", err)
	}
}

func TestStdinLimit(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdin
	os.Stdin = r
	defer func() { os.Stdin = old }()
	go func() {
		w.Write(make([]byte, 100))
		w.Close()
	}()
	if _, err := ReadFile("-", 50); err == nil || err.Error() != "<stdin>: more than the 50 bytes limit" {
		t.Errorf("stdin over the limit: %v", err)
	}
}
