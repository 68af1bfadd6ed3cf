//go:build tensorrt || tensorrt_rtx

package tensorrt

import (
	"bytes"
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

// sameIO compares I/O tensors by name: the same set, each with the same
// type and shape.
func sameIO(t *testing.T, what string, got, want []TensorInfo) {
	t.Helper()
	byName := map[string]TensorInfo{}
	for _, g := range got {
		byName[g.Name] = g
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d tensors, want %d (%+v, want %+v)", what, len(got), len(want), got, want)
	}
	for _, w := range want {
		g, ok := byName[w.Name]
		switch {
		case !ok:
			t.Errorf("%s: no tensor %q (have %+v)", what, w.Name, got)
		case g.Type != w.Type || !trt.Dims(g.Shape).Equal(trt.Dims(w.Shape)):
			t.Errorf("%s %q: %v %v, want %v %v", what, w.Name, g.Type, g.Shape, w.Type, w.Shape)
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
