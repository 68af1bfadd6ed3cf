//go:build unix

package tfc_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/tfc-dev/tfc"
)

// TestLoadSpecialFiles: a model path, saved_model.pb, a .meta graph or a
// checkpoint state file that is a FIFO or a device (a symlink to
// /dev/zero) is a one-line error, before anything is read; nothing hangs
// or reads without end.
func TestLoadSpecialFiles(t *testing.T) {
	fifo := func(p string) string {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		return "not a regular file (a named pipe)"
	}
	zero := func(p string) string {
		if err := os.Symlink("/dev/zero", p); err != nil {
			t.Fatal(err)
		}
		return "not a regular file (a character device)"
	}
	for _, tc := range []struct {
		name string
		file string // the special file, in a fresh directory
		load string // the path given to Load ("" → file)
	}{
		{name: "model", file: "model.pb"},
		{name: "saved_model.pb", file: "m/saved_model.pb", load: "m/saved_model.pb"},
		{name: ".meta", file: "ckpt.meta", load: "ckpt.meta"},
		{name: "checkpoint state", file: "dir/checkpoint", load: "dir"},
	} {
		for kind, special := range map[string]func(string) string{"fifo": fifo, "dev-zero": zero} {
			t.Run(tc.name+"/"+kind, func(t *testing.T) {
				dir := t.TempDir()
				file := filepath.Join(dir, tc.file)
				os.MkdirAll(filepath.Dir(file), 0o755)
				want := special(file)
				load := file
				if tc.load != "" {
					load = filepath.Join(dir, tc.load)
				}
				done := make(chan error, 1)
				go func() {
					_, err := tfc.Load(load, tfc.LoadOptions{})
					done <- err
				}()
				select {
				case err := <-done:
					if err == nil || err.Error() != file+": "+want {
						t.Errorf("Load(%s) = %v, want %q", load, err, file+": "+want)
					}
				case <-time.After(10 * time.Second):
					t.Fatalf("Load(%s) hangs", load)
				}
			})
		}
	}
}
