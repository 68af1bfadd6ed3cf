package kernels

import (
	"math"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

// PRelu and L2Normalize against closed forms written here.
func TestPReluClosedForm(t *testing.T) {
	nan := float32(math.NaN())
	x := tensor.FromF32(tensor.Shape{2, 3}, []float32{-2, 0, 3, -4, nan, -0.5})
	s := tensor.FromF32(tensor.Shape{3}, []float32{0.25, 0.5, -1})
	y, err := PRelu(x, s)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{-0.5, 0, 3, -1, nan, 0.5}
	for i, w := range want {
		if g := y.F32[i]; g != w && !(math.IsNaN(float64(g)) && math.IsNaN(float64(w))) {
			t.Errorf("prelu[%d] = %v, want %v", i, g, w)
		}
	}
	if _, err := PRelu(s, x); err == nil {
		t.Error("prelu of a [3] x with a [2,3] slope: no error")
	}
}

func TestL2NormalizeClosedForm(t *testing.T) {
	// Rows (3, 4) and (0, 0): norms 5 and the epsilon floor 1e-3 → sqrt 0.031622775.
	x := tensor.FromF32(tensor.Shape{2, 2}, []float32{3, 4, 0, 0})
	y, err := L2Normalize(x, []int{1}, 1e-3)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{0.6, 0.8, 0, 0}
	for i, w := range want {
		if math.Abs(float64(y.F32[i]-w)) > 1e-7 {
			t.Errorf("l2_normalize[%d] = %v, want %v", i, y.F32[i], w)
		}
	}
	// Over both axes: norm sqrt(9+16) = 5 again.
	y, err = L2Normalize(x, []int{0, 1}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		if math.Abs(float64(y.F32[i]-w)) > 1e-7 {
			t.Errorf("l2_normalize axes [0,1] [%d] = %v, want %v", i, y.F32[i], w)
		}
	}
}
