package kernels

import (
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
