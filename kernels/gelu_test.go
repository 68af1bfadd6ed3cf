package kernels

import (
	"testing"
)

// TestGelu checks both GELU forms against values computed in float64 by
// the formulas (Python's math.erfc and math.tanh).
func TestGelu(t *testing.T) {
	x := f32([]int{5}, -10, -1, 0, 1, 3)
	for _, c := range []struct {
		op   UnaryOp
		want []float64
	}{
		{Gelu, []float64{-7.619853024160593e-23, -0.15865525393145707, 0, 0.8413447460685429, 2.99595030590511}},
		{GeluTanh, []float64{0, -0.15880800939172324, 0, 0.8411919906082768, 2.996362607918227}},
	} {
		got, err := Unary(c.op, x, UnaryParams{})
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range c.want {
			if g := float64(got.F32[i]); g != float64(float32(w)) {
				t.Errorf("%v(%v) = %v, want %v", c.op, x.F32[i], g, float32(w))
			}
		}
	}
}
