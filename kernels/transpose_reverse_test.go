package kernels

import (
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

// The [A,B,C] → [C,B,A] fast path (HWIO → OIHW kernels) against index
// arithmetic, for shapes that coalesce to it and some that do not.
func TestTransposeReverse3(t *testing.T) {
	for _, tc := range []struct {
		shape tensor.Shape
		perm  []int
	}{
		{tensor.Shape{3, 4, 5}, []int{2, 1, 0}},
		{tensor.Shape{3, 3, 8, 16}, []int{3, 2, 0, 1}}, // HWIO → OIHW
		{tensor.Shape{1, 7, 1, 5}, []int{3, 2, 0, 1}},
		{tensor.Shape{70, 33, 2}, []int{2, 1, 0}},
	} {
		x := tensor.MustNew(tensor.Float32, tc.shape)
		for i := range x.F32 {
			x.F32[i] = float32(i)
		}
		y, err := Transpose(x, tc.perm)
		if err != nil {
			t.Fatal(err)
		}
		xs, ys := x.Shape.Strides(), y.Shape.Strides()
		idx := make([]int, len(tc.shape))
		for o := range y.F32 {
			rem, src := o, 0
			for d := range idx {
				idx[d] = rem / ys[d]
				rem %= ys[d]
				src += idx[d] * xs[tc.perm[d]]
			}
			if y.F32[o] != x.F32[src] {
				t.Fatalf("%v perm %v: element %d = %v, want %v", tc.shape, tc.perm, o, y.F32[o], x.F32[src])
			}
		}
	}
}
