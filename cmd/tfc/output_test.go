package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestStdoutWriteFailure: every command whose standard output is lost
// (a full disk, /dev/full) exits non-zero with one line naming the cause.
func TestStdoutWriteFailure(t *testing.T) {
	model := filepath.Join(models, "resnet_small", "model.pb")
	var full *os.File
	if f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0); err == nil {
		full = f
		defer f.Close()
	}
	for _, args := range [][]string{
		{"ops"},
		{"passes"},
		{"version"},
		{"check", model},
		{"inspect", model},
		{"run", "-o", t.TempDir(), model},
		{"compile", "-emit=ir", model},
		{"compile", "-emit=network", model},
	} {
		t.Run(strings.Join(args[:1], " "), func(t *testing.T) {
			var stderr strings.Builder
			code := realMain(args, failingWriter{}, &stderr)
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if last := lines[len(lines)-1]; code == 0 || !strings.HasPrefix(last, "tfc "+args[0]+": ") || !strings.Contains(last, "no space left on device") {
				t.Errorf("%v: exit %d, stderr %q", args, code, stderr.String())
			}
			if full != nil {
				stderr.Reset()
				if code := realMain(args, full, &stderr); code == 0 || !strings.Contains(stderr.String(), "no space left on device") {
					t.Errorf("%v > /dev/full: exit %d, stderr %q", args, code, stderr.String())
				}
			}
		})
	}
}

// TestOutputOntoDevice: -o naming a character device (here through a
// symlink, so a regression replaces the link, not the device) writes
// through it and leaves it a device.
func TestOutputOntoDevice(t *testing.T) {
	link := filepath.Join(t.TempDir(), "null.tfir")
	if err := os.Symlink("/dev/null", link); err != nil {
		t.Skip(err)
	}
	model := filepath.Join(models, "resnet_small", "model.pb")
	if code, _, stderr := runTFC(t, nil, "compile", "-emit=ir", "-o", link, model); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("-o replaced the symlink")
	}
	if st, err := os.Stat("/dev/null"); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a device")
	}
	ents, _ := os.ReadDir(filepath.Dir(link))
	if len(ents) != 1 {
		t.Errorf("files left behind: %v", ents)
	}
}
