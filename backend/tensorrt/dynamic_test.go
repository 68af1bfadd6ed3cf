//go:build tensorrt || tensorrt_rtx

package tensorrt

import (
	"strings"
	"testing"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/passes"
	tfctensor "github.com/tfc-dev/tfc/tensor"
)

// TestDynamicEngine builds a real engine with an optimization profile: a
// SavedModel with an unknown batch, kept symbolic, lowered to a network
// with input [-1,12,12,3].
func TestDynamicEngine(t *testing.T) {
	needLibrary(t)
	f, err := tfc.Load("../../testdata/savedmodels/keras_cnn/model", tfc.LoadOptions{Symbolic: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := passes.Run(f, passes.Options{}); err != nil {
		t.Fatal(err)
	}
	p := ir.Profile{"image:0": {Min: tfctensor.Shape{1, 12, 12, 3}, Opt: tfctensor.Shape{4, 12, 12, 3}, Max: tfctensor.Shape{16, 12, 12, 3}}}
	d, err := tfc.Lower(f, p, p)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := OptimizeDescription(d, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) == 0 {
		t.Fatal("empty plan")
	}
	s := NewSidecar(d)
	if len(s.Profiles) != 2 || s.Profiles[1].Profile != 1 || s.Profiles[0].Input != "image:0" || s.Profiles[0].Max[0] != 16 {
		t.Errorf("sidecar profiles %+v", s.Profiles)
	}
	// A profile TensorRT rejects (max below min) is the builder's error.
	d.Profiles[1][0].Min = trt.Dims{3, 12, 12, 3}
	d.Profiles[1][0].Max = trt.Dims{1, 12, 12, 3}
	if _, err := OptimizeDescription(d, testOptions(t)); err == nil || !strings.Contains(err.Error(), "tensorrt") {
		t.Errorf("bad profile: %v", err)
	}
}
