package kernels

import (
	"math"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

func TestGatherNDScatterND(t *testing.T) {
	x := tensor.FromF32(tensor.Shape{2, 3}, []float32{0, 1, 2, 3, 4, 5})
	idx := tensor.FromI32(tensor.Shape{3, 2}, []int32{1, 2, 0, 0, 1, 2})
	g, err := GatherND(x, idx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !g.Shape.Equal(tensor.Shape{3}) || g.F32[0] != 5 || g.F32[1] != 0 || g.F32[2] != 5 {
		t.Fatalf("gather_nd = %v %v", g, g.F32)
	}
	// Scatter the gathered values back: the repeated tuple (1,2) sums.
	s, err := ScatterND(idx, g, tensor.Shape{2, 3})
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{0, 0, 0, 0, 0, 10}
	for i, w := range want {
		if s.F32[i] != w {
			t.Fatalf("scatter_nd = %v, want %v", s.F32, want)
		}
	}
	bad := tensor.FromI32(tensor.Shape{1, 2}, []int32{0, 3})
	if _, err := GatherND(x, bad, 0); err == nil || !strings.Contains(err.Error(), "out of range [0,3)") {
		t.Errorf("gather_nd out of range: %v", err)
	}
	if _, err := ScatterND(bad, tensor.FromF32(tensor.Shape{1}, []float32{1}), tensor.Shape{2, 3}); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Errorf("scatter_nd out of range: %v", err)
	}
}

// TestNonZero: coordinates in row-major order; NaN counts, -0 does not;
// scalars and empty tensors.
func TestNonZero(t *testing.T) {
	nan := float32(math.NaN())
	negZero := float32(math.Copysign(0, -1))
	for _, c := range []struct {
		x    *tensor.Tensor
		want tensor.Shape
		vals []int64
	}{
		{tensor.FromF32(tensor.Shape{2, 3}, []float32{0, nan, negZero, 2, 0, -1}), tensor.Shape{3, 2}, []int64{0, 1, 1, 0, 1, 2}},
		{tensor.FromBool(tensor.Shape{4}, []bool{false, true, true, false}), tensor.Shape{2, 1}, []int64{1, 2}},
		{tensor.FromI32(tensor.Shape{}, []int32{7}), tensor.Shape{1, 0}, nil},
		{tensor.FromI64(tensor.Shape{2, 0, 3}, nil), tensor.Shape{0, 3}, nil},
		{tensor.FromI64(tensor.Shape{3}, []int64{0, 0, 1 << 40}), tensor.Shape{1, 1}, []int64{2}},
	} {
		got, err := NonZero(c.x)
		if err != nil {
			t.Fatal(err)
		}
		if got.DType != tensor.Int64 || !got.Shape.Equal(c.want) || len(got.I64) != len(c.vals) {
			t.Fatalf("NonZero(%v) = %v, want i64%v", c.x, got, c.want)
		}
		for i, v := range c.vals {
			if got.I64[i] != v {
				t.Errorf("NonZero(%v) = %v, want %v", c.x, got.I64, c.vals)
				break
			}
		}
	}
}
