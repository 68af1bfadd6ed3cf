package tf

import (
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/tensor"
)

// TestEinsumDiagonal checks a trace and a diagonal on data, and that a
// term with more letters than its operand's rank is an error, not a panic.
func TestEinsumDiagonal(t *testing.T) {
	b := newTGraph(t)
	b.input("x", tfpb.DataType_DT_FLOAT, 3, 3)
	b.node("tr", "Einsum", []string{"x"}, "equation", astr("ii->"), "N", aint(1), "T", atype(tfpb.DataType_DT_FLOAT))
	b.node("dg", "Einsum", []string{"x"}, "equation", astr("ii->i"), "N", aint(1), "T", atype(tfpb.DataType_DT_FLOAT))
	out := b.run(map[string]*tensor.Tensor{"x:0": iota32(3, 3)}, "tr", "dg")
	wantF32(t, out[0], []int{}, 12)
	wantF32(t, out[1], []int{3}, 0, 4, 8)

	bad := newTGraph(t)
	bad.input("x", tfpb.DataType_DT_FLOAT, 3, 3)
	bad.node("e", "Einsum", []string{"x"}, "equation", astr("iii->i"), "N", aint(1), "T", atype(tfpb.DataType_DT_FLOAT))
	if _, err := bad.importGraph("e"); err == nil || !strings.Contains(err.Error(), "has 3 letters for an operand of rank 2") {
		t.Fatalf("err = %v", err)
	}
}
