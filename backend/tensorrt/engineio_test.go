//go:build tensorrt || tensorrt_rtx

package tensorrt

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
)

// needLibrary fails the test when the TensorRT library of the build tag is
// missing or unusable (a tagged build that cannot build engines is broken,
// not a reason to pass), unless TFC_ALLOW_NO_TRT=1 says that is expected
// (scripts/build-trt.sh's link check against stub libraries sets it).
func needLibrary(t *testing.T) {
	t.Helper()
	allow := os.Getenv("TFC_ALLOW_NO_TRT") == "1"
	fail := func(format string, args ...any) {
		t.Helper()
		if allow {
			t.Skipf(format+" (TFC_ALLOW_NO_TRT=1)", args...)
		}
		t.Fatalf(format+" (set TFC_ALLOW_NO_TRT=1 to skip)", args...)
	}
	if !Available() {
		fail("TensorRT library not usable: %v", AvailableErr())
	}
	if !isRTX {
		if _, err := cudaDevices(); err != nil {
			fail("TensorRT builds only for a GPU that is present: %v", err)
		}
	}
}

// ioOf is a description's inputs and outputs as TensorInfos.
func ioOf(d *trt.Description) (ins, outs []TensorInfo) {
	conv := func(ts []*trt.TensorDesc) []TensorInfo {
		var r []TensorInfo
		for _, t := range ts {
			r = append(r, TensorInfo{Name: t.Name, Type: t.Type, Shape: []int64(t.Dims)})
		}
		return r
	}
	return conv(d.Inputs), conv(d.Outputs)
}

// ioDiffs compares I/O tensors by name: the same set, each with the same
// type and shape. It returns the differences.
func ioDiffs(got, want []TensorInfo) []string {
	var diffs []string
	byName := map[string]TensorInfo{}
	for _, g := range got {
		byName[g.Name] = g
	}
	if len(got) != len(want) {
		diffs = append(diffs, fmt.Sprintf("%d tensors, want %d (%+v, want %+v)", len(got), len(want), got, want))
	}
	for _, w := range want {
		g, ok := byName[w.Name]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("no tensor %q (have %+v)", w.Name, got))
		case g.Type != w.Type || !trt.Dims(g.Shape).Equal(trt.Dims(w.Shape)):
			diffs = append(diffs, fmt.Sprintf("%q: %v %v, want %v %v", w.Name, g.Type, g.Shape, w.Type, w.Shape))
		}
	}
	return diffs
}

func sameIO(t *testing.T, what string, got, want []TensorInfo) {
	t.Helper()
	for _, d := range ioDiffs(got, want) {
		t.Errorf("%s: %s", what, d)
	}
}

// TestIODiffs: the engine I/O comparison sees a renamed, retyped,
// reshaped, missing or extra tensor.
func TestIODiffs(t *testing.T) {
	want := []TensorInfo{{Name: "x", Type: trt.Float, Shape: []int64{1, 3}}, {Name: "i", Type: trt.Int32, Shape: []int64{2}}}
	if d := ioDiffs(want, want); len(d) != 0 {
		t.Errorf("equal I/O: %v", d)
	}
	for name, got := range map[string][]TensorInfo{
		"renamed":  {{Name: "y", Type: trt.Float, Shape: []int64{1, 3}}, want[1]},
		"retyped":  {{Name: "x", Type: trt.Half, Shape: []int64{1, 3}}, want[1]},
		"reshaped": {{Name: "x", Type: trt.Float, Shape: []int64{3, 1}}, want[1]},
		"missing":  {want[0]},
		"extra":    {want[0], want[1], {Name: "z", Type: trt.Float, Shape: []int64{1}}},
	} {
		if d := ioDiffs(got, want); len(d) == 0 {
			t.Errorf("%s: no difference found", name)
		}
	}
}

// checkEngineIO deserializes plan with TensorRT's runtime and requires its
// I/O tensors to be d's (names, direction, types, shapes). TensorRT's
// runtime needs a CUDA driver to deserialize (IRuntime::deserializeCudaEngine
// fails with cudaError 35 on a machine without one): there the error must
// say so, and what can be checked without it is checked instead: every I/O
// name is in the serialized plan, and the plan stored with its sidecar
// (Store) loads back with the sidecar's I/O equal to d's.
func checkEngineIO(t *testing.T, plan []byte, d *trt.Description) {
	t.Helper()
	wantIn, wantOut := ioOf(d)
	e, err := LoadPlan(plan)
	if err == nil {
		defer e.Close()
		ins, outs := e.IO()
		sameIO(t, "engine inputs", ins, wantIn)
		sameIO(t, "engine outputs", outs, wantOut)
		return
	}
	if _, cerr := cudaDevices(); cerr == nil {
		t.Fatalf("deserializing with a CUDA device present: %v", err)
	}
	if !strings.Contains(err.Error(), "CUDA") {
		t.Fatalf("deserializing without a GPU: %v: want an error naming CUDA", err)
	}
	for _, ts := range [][]TensorInfo{wantIn, wantOut} {
		for _, x := range ts {
			if !bytes.Contains(plan, []byte(x.Name)) {
				t.Errorf("I/O tensor %q is not in the serialized plan", x.Name)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "engine.plan")
	sc := NewSidecar(d)
	sc.Library = Version()
	if err := Store(path, plan, sc); err != nil {
		t.Fatal(err)
	}
	back, err := ReadSidecar(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := back.checkPlan(plan); err != nil {
		t.Errorf("sidecar: %v", err)
	}
	sameIO(t, "sidecar inputs", back.Inputs, wantIn)
	sameIO(t, "sidecar outputs", back.Outputs, wantOut)
}
