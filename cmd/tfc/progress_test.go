package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/schollz/progressbar/v3"
	"github.com/tfc-dev/tfc/backend/tensorrt"
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

// TestTRTProgress feeds the IProgressMonitor calls of an engine build
// (phases nested as TensorRT reports them) and checks the bar names the
// phases and counts the top-level steps.
func TestTRTProgress(t *testing.T) {
	var b bytes.Buffer
	p := newTRTProgress(&b)
	for _, ev := range []tensorrt.ProgressEvent{
		{Kind: tensorrt.PhaseStart, Phase: "Building engine", Steps: 3},
		{Kind: tensorrt.PhaseStart, Phase: "Tactic selection", Parent: "Building engine", Steps: 40},
		{Kind: tensorrt.StepDone, Phase: "Tactic selection", Step: 0},
		{Kind: tensorrt.PhaseFinish, Phase: "Tactic selection"},
		{Kind: tensorrt.StepDone, Phase: "Building engine", Step: 0},
		{Kind: tensorrt.StepDone, Phase: "Building engine", Step: 1},
	} {
		if !p.event(ev) {
			t.Fatalf("%+v: build cancelled", ev)
		}
	}
	out := b.String()
	for _, want := range []string{"Building engine", "Building engine › Tactic selection", "(2/3"} {
		if !strings.Contains(out, want) {
			t.Errorf("progress output lacks %q:\n%q", want, out)
		}
	}
	p.event(tensorrt.ProgressEvent{Kind: tensorrt.PhaseFinish, Phase: "Building engine"})
	if p.bar != nil || len(p.stack) != 0 {
		t.Error("bar left after the last phase finished")
	}
	p.done()
}

// TestBarWriter checks that the byte bar never fails a write, also when
// more is written than the bar's size.
func TestBarWriter(t *testing.T) {
	var out, drawn bytes.Buffer
	p := &progress{bar: progressbar.NewOptions64(10, progressbar.OptionSetWriter(&drawn))}
	w := p.wrap(&out)
	for range 3 {
		if n, err := w.Write([]byte("12345678")); n != 8 || err != nil {
			t.Fatalf("write: %d, %v", n, err)
		}
	}
	if out.Len() != 24 || p.bar.State().CurrentNum != 10 {
		t.Errorf("wrote %d bytes, bar at %d of 10", out.Len(), p.bar.State().CurrentNum)
	}
	p.done()
}
