package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.txt")
	if err := WriteBytes(p, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil || string(b) != "hello" {
		t.Fatalf("got %q, %v", b, err)
	}
}

func TestFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.txt")
	err := Write(p, func(w io.Writer) error {
		w.Write([]byte("partial"))
		return errors.New("boom")
	})
	if err == nil {
		t.Fatal("want error")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 0 {
		t.Fatalf("directory not empty after failure: %v", ents)
	}
}

func TestFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.txt")
	if err := WriteBytes(p, []byte("old")); err != nil {
		t.Fatal(err)
	}
	Write(p, func(w io.Writer) error { return errors.New("boom") })
	b, _ := os.ReadFile(p)
	if string(b) != "old" {
		t.Fatalf("old file changed to %q", b)
	}
}

func TestMissingDirectoryNamesTarget(t *testing.T) {
	p := filepath.Join(t.TempDir(), "nope", "out.txt")
	err := WriteBytes(p, []byte("x"))
	if err == nil || err.Error() != "create "+p+": no such file or directory" {
		t.Fatalf("got %v", err)
	}
}

func TestPanicLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	func() {
		defer func() { recover() }()
		Write(filepath.Join(dir, "out.txt"), func(w io.Writer) error {
			w.Write([]byte("partial"))
			panic("boom")
		})
	}()
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("directory not empty after a panic: %v", ents)
	}
}
