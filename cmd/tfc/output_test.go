package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
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

// TestMemoryLimit: a 700-byte graph asking for a 4 TB tensor, and a
// model over a small -max-memory, are one-line errors naming the node,
// before anything is allocated, with either executor.
func TestMemoryLimit(t *testing.T) {
	for file, node := range map[string]string{"fill_huge": "fill", "tile_huge": "tile", "broadcast_to_huge": "bcast"} {
		for _, backend := range []string{"interp", "trt-ref"} {
			code, _, stderr := runTFC(t, nil, "run", "-backend", backend, "../../testdata/bad/"+file+".pbtxt")
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			last := lines[len(lines)-1]
			if code != 1 || !strings.Contains(last, `"`+node+`"`) || !strings.HasSuffix(last, "more than the memory limit of 4.0 GiB (-max-memory)") {
				t.Errorf("%s, %s: exit %d: %q", file, backend, code, stderr)
			}
		}
	}
	model := filepath.Join(models, "resnet_small", "model.pb")
	code, _, stderr := runTFC(t, nil, "run", "-max-memory", "100K", "-o", t.TempDir(), model)
	if code != 1 || !strings.Contains(stderr, "more than the memory limit of 100.0 KiB") {
		t.Errorf("-max-memory 100K: exit %d: %q", code, stderr)
	}
	// The limit is per invocation: the next run has the default again.
	if code, _, stderr := runTFC(t, nil, "run", "-o", t.TempDir(), model); code != 0 {
		t.Errorf("after -max-memory: exit %d: %s", code, stderr)
	}
	for _, bad := range []string{"1X", "-5", "G", "99999999T"} {
		if code, _, _ := runTFC(t, nil, "run", "-max-memory", bad, model); code != 2 {
			t.Errorf("-max-memory %s: exit %d, want 2", bad, code)
		}
	}
}

// TestLongErrorsClipped: a 2 MB node name or a 100k-node cycle gives an
// error of a few KB that still says which node and why.
func TestLongErrorsClipped(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("n", 2<<20)
	named := filepath.Join(dir, "long_name.pbtxt")
	os.WriteFile(named, []byte(`node { name: "`+long+`" op: "Identity" input: "does_not_exist" attr { key: "T" value { type: DT_FLOAT } } }`), 0o644)
	var cycle strings.Builder
	const n = 100000
	for i := range n {
		fmt.Fprintf(&cycle, "node { name: \"c%d\" op: \"Identity\" input: \"c%d\" attr { key: \"T\" value { type: DT_FLOAT } } }\n", i, (i+1)%n)
	}
	cyc := filepath.Join(dir, "cycle.pbtxt")
	os.WriteFile(cyc, []byte(cycle.String()), 0o644)
	for model, want := range map[string]string{named: "does_not_exist", cyc: "cycle"} {
		code, _, stderr := runTFC(t, nil, "compile", model)
		if code != 1 || len(stderr) > maxMessage+200 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, want) || !utf8.ValidString(stderr) {
			t.Errorf("%s: exit %d, %d bytes: %.300q", filepath.Base(model), code, len(stderr), stderr)
		}
	}
}
