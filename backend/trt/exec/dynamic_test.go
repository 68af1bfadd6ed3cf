package exec

import (
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/tensor"
)

func reluSum(t *testing.T, n int64) *trt.Description {
	r := trt.NewRecorder()
	x := r.AddInput("x", trt.Float, trt.Dims{n, 3})
	a := r.AddActivation(x, trt.Activation{Type: trt.ActivationRelu})
	s := r.AddReduce(a.Output(0), trt.Reduce{Operation: trt.ReduceSum, ReduceAxes: 2, KeepDimensions: true})
	s.Output(0).SetName("y")
	r.MarkOutput(s.Output(0))
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return r.Description()
}

// TestRunDynamic runs a network with a dynamic batch at a batch inside its
// profile (the same numbers as the static network of that batch) and
// refuses one outside.
func TestRunDynamic(t *testing.T) {
	d, err := trt.Generalize(reluSum(t, 1), reluSum(t, 4), []trt.Profile{{{Input: "x", Min: trt.Dims{1, 3}, Opt: trt.Dims{1, 3}, Max: trt.Dims{4, 3}}}})
	if err != nil {
		t.Fatal(err)
	}
	x := tensor.FromF32(tensor.Shape{3, 3}, []float32{1, -2, 3, -4, 5, 6, 7, 8, -9})
	got, err := Run(d, map[string]*tensor.Tensor{"x": x})
	if err != nil {
		t.Fatal(err)
	}
	want, err := Run(reluSum(t, 3), map[string]*tensor.Tensor{"x": x})
	if err != nil {
		t.Fatal(err)
	}
	if !got[0].Shape.Equal(tensor.Shape{3, 1}) || got[0].F32[0] != want[0].F32[0] || got[0].F32[1] != want[0].F32[1] || got[0].F32[2] != want[0].F32[2] {
		t.Errorf("dynamic run = %v %v, static %v %v", got[0].Shape, got[0].F32, want[0].Shape, want[0].F32)
	}
	big := tensor.FromF32(tensor.Shape{5, 3}, make([]float32, 15))
	if _, err := Run(d, map[string]*tensor.Tensor{"x": big}); err == nil || !strings.Contains(err.Error(), "outside every optimization profile") {
		t.Errorf("batch 5 = %v", err)
	}
}
