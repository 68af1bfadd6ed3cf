//go:build unix

package atomicfile

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// The targets below are symlinks in a temporary directory to the real
// devices, so that a regression replaces a symlink, never a device.

func TestWriteThroughCharDevice(t *testing.T) {
	link := filepath.Join(t.TempDir(), "null")
	if err := os.Symlink("/dev/null", link); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes(link, []byte("discarded")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced: %v %v", st.Mode(), err)
	}
	if st, err := os.Stat("/dev/null"); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a device: %v %v", st.Mode(), err)
	}
	ents, _ := os.ReadDir(filepath.Dir(link))
	if len(ents) != 1 {
		t.Errorf("files left behind: %v", ents)
	}
}

func TestWriteErrorOnFullDevice(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	link := filepath.Join(t.TempDir(), "full")
	if err := os.Symlink("/dev/full", link); err != nil {
		t.Fatal(err)
	}
	err := WriteBytes(link, []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "no space left on device") {
		t.Fatalf("writing /dev/full: %v", err)
	}
}

func TestWriteThroughFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- string(b)
	}()
	if err := WriteBytes(fifo, []byte("through the pipe")); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "through the pipe" {
		t.Errorf("reader got %q", s)
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", st.Mode(), err)
	}
}

func TestSymlinkToRegularFileKeepsLink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.txt")
	link := filepath.Join(dir, "link.txt")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.txt", link); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced")
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("target holds %q", b)
	}
}

func TestRefusesBlockDevice(t *testing.T) {
	p := filepath.Join(t.TempDir(), "blk")
	if err := syscall.Mknod(p, syscall.S_IFBLK|0o600, 0); err != nil {
		t.Skipf("mknod (needs root): %v", err)
	}
	err := WriteBytes(p, []byte("x"))
	if err == nil || err.Error() != p+" is a block device; tfc writes regular files, character devices and FIFOs only" {
		t.Errorf("block device: %v", err)
	}
	if st, err := os.Lstat(p); err != nil || st.Mode()&os.ModeDevice == 0 {
		t.Errorf("the device node was replaced")
	}
}
