package tensorrt

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
)

func TestStoreSidecar(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.plan")
	x := &trt.TensorDesc{ID: 0, Name: "x", Type: trt.Float, Dims: trt.Dims{1, 3, 8, 8}}
	y := &trt.TensorDesc{ID: 1, Name: "y", Type: trt.Half, Dims: trt.Dims{1, 4, 8, 8}}
	s := NewSidecar(&trt.Description{Inputs: []*trt.TensorDesc{x}, Outputs: []*trt.TensorDesc{y}})
	s.Library = "TensorRT-RTX 1.6.1.120"
	plan := []byte("not really a plan")
	if err := Store(path, plan, s); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != string(plan) {
		t.Fatalf("plan = %q, %v", got, err)
	}
	r, err := ReadSidecar(path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != SidecarFormat || r.TFCVersion == "" || r.Library != s.Library {
		t.Errorf("sidecar header = %+v", r)
	}
	want := []TensorInfo{{Name: "x", Type: trt.Float, DType: "kFLOAT", Shape: []int64{1, 3, 8, 8}}}
	if !reflect.DeepEqual(r.Inputs, want) {
		t.Errorf("inputs = %+v, want %+v", r.Inputs, want)
	}
	if r.Outputs[0].Type != trt.Half || r.Outputs[0].Bytes() != 4*64*2 {
		t.Errorf("outputs = %+v", r.Outputs)
	}
	if err := r.checkPlan(plan); err != nil {
		t.Error(err)
	}
	if err := r.checkPlan(append(plan, 0)); err == nil {
		t.Error("checkPlan accepted a changed plan")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Errorf("directory holds %d files, want the plan and its sidecar (no temporaries)", len(ents))
	}
}

func TestComputeCapability(t *testing.T) {
	for s, want := range map[string]int32{"SM89": 89, "sm_120": 120, "kSM75": 75, "86": 86, "current": 1} {
		if got, err := computeCapability(s); err != nil || got != want {
			t.Errorf("computeCapability(%q) = %d, %v, want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "Hopper", "SM", "sm_9"} {
		if _, err := computeCapability(s); err == nil {
			t.Errorf("computeCapability(%q) accepted", s)
		}
	}
}
