//go:build unix

package npy

import (
	"path/filepath"
	"syscall"
	"testing"
)

// TestReadFIFO: a FIFO is refused before anything is read (it used to
// block in open until a writer came).
func TestReadFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo.npy")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	_, err := ReadFile(fifo)
	if err == nil || err.Error() != fifo+": not a regular file (a named pipe)" {
		t.Errorf("fifo: %v", err)
	}
}
