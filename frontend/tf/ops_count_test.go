package tf

import "testing"

// Bincount and Unique are checked against TensorFlow by the generated
// cases (testdata/gen/cases_count.py); these tests cover the refusals.

func TestCountRefusals(t *testing.T) {
	b := newTGraph(t)
	b.input("x", dtI32, 4)
	b.node("u", "Unique", []string{"x"}, "T", atype(dtI32), "out_idx", atype(dtI32))
	_, err := b.importGraph("u")
	wantErr(t, err, `node "u" (Unique)`, "x must be a constant", "TensorRT has no layer computing Unique")

	b = newTGraph(t)
	b.input("x", dtI32, 4)
	b.input("size", dtI32)
	b.constf("w", []int{0})
	b.node("c", "Bincount", []string{"x", "size", "w"}, "T", atype(dtF32))
	_, err = b.importGraph("c")
	wantErr(t, err, `node "c" (Bincount)`, "size must be a constant")

	b = newTGraph(t)
	b.input("x", dtI32, 2, 2, 2)
	b.consti("size", nil, 3)
	b.constf("w", []int{0})
	b.node("c", "DenseBincount", []string{"x", "size", "w"}, "T", atype(dtF32), "Tidx", atype(dtI32), "binary_output", abool(false))
	_, err = b.importGraph("c")
	wantErr(t, err, "input has shape [2,2,2]; want rank 1 or 2")
}
