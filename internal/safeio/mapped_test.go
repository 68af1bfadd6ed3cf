package safeio

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Map gives the file's content, mapped or read, and it stays the same
// after pieces of it are released.
func TestMap(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 100, minMapBytes, 3*minMapBytes + 123} {
		content := make([]byte, size)
		for i := range content {
			content[i] = byte(i*7 + i>>12)
		}
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		m, err := Map(path, int64(size)+1)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(m.Data, content) {
			t.Fatalf("%d bytes: content differs", size)
		}
		if size > 0 {
			m.Release(m.Data[size/3 : size-size/4])
			m.Release(m.Data)
			m.Release(content) // not a piece of Data: ignored
		}
		if !bytes.Equal(m.Data, content) {
			t.Fatalf("%d bytes: content differs after Release", size)
		}
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
		if m.Data != nil {
			t.Errorf("%d bytes: Data kept after Close", size)
		}
	}
	if _, err := Map(filepath.Join(dir, "f"), 10); err == nil {
		t.Error("a file over the limit is not an error")
	}
	if _, err := Map(dir, 1<<20); err == nil {
		t.Error("a directory is not an error")
	}
}
