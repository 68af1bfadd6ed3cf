package main

import (
	"bytes"
	"os"
	"testing"
)

// TestProgressQuiet checks when progress is drawn: never on a pipe,
// file or buffer, never with -q.
func TestProgressQuiet(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, tc := range []struct {
		w     any
		quiet bool
	}{{&bytes.Buffer{}, false}, {f, false}, {f, true}} {
		w := tc.w.(interface{ Write([]byte) (int, error) })
		if showProgress(w, tc.quiet) {
			t.Errorf("%T quiet=%v: progress shown", tc.w, tc.quiet)
		}
	}
	// Spin runs the work and draws nothing on a file.
	ran := false
	if err := spin(f, false, "work", func() error { ran = true; return nil }); err != nil || !ran {
		t.Errorf("spin: ran %v, err %v", ran, err)
	}
	p := newProgress(f, false, 5, "steps")
	p.step()
	p.clear()
	p.done()
	if st, _ := f.Stat(); st.Size() != 0 {
		t.Errorf("%d bytes of progress written to a file", st.Size())
	}
}
