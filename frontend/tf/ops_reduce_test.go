package tf

import (
	"testing"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// TopK (V1, k attribute) agrees with TopKV2; index_type int64 casts the
// indices; k = 0 gives empty results.
func TestTopKVariants(t *testing.T) {
	x := tensor.FromF32(tensor.Shape{2, 4}, []float32{3, 1, 4, 1.5, 9, 2, 6, 5})
	b := newTGraph(t)
	b.input("x", dtF32, 2, 4)
	b.consti("k", []int{}, 2)
	b.consti("k0", []int{}, 0)
	b.node("v1", "TopK", []string{"x"}, "T", atype(dtF32), "k", aint(2), "sorted", abool(true))
	b.node("v2", "TopKV2", []string{"x", "k"}, "T", atype(dtF32), "sorted", abool(true))
	b.node("v64", "TopKV2", []string{"x", "k"}, "T", atype(dtF32), "sorted", abool(false), "index_type", atype(dtI64))
	b.node("e", "TopKV2", []string{"x", "k0"}, "T", atype(dtF32))
	got := b.run(map[string]*tensor.Tensor{"x:0": x}, "v1:0", "v1:1", "v2:0", "v2:1", "v64:1", "e:0", "e:1")
	wantF32(t, got[0], []int{2, 2}, got[2].F32...)
	i2, _ := got[3].Ints()
	wantInts(t, got[1], tensor.Int32, []int{2, 2}, i2...)
	wantInts(t, got[4], tensor.Int64, []int{2, 2}, i2...)
	wantF32(t, got[5], []int{2, 0})
	wantInts(t, got[6], tensor.Int32, []int{2, 0})
}

// Reduction axes are normalised, deduplicated and sorted; no axes emit
// nothing.
func TestReduceAxes(t *testing.T) {
	b := newTGraph(t)
	b.input("x", dtF32, 2, 3, 4)
	b.consti("axes", nil, -1, 0, 2)
	b.consti("none", []int{0})
	b.node("s", "Sum", []string{"x", "axes"}, "T", atype(dtF32), "Tidx", atype(dtI32), "keep_dims", abool(true))
	b.node("id", "Max", []string{"x", "none"}, "T", atype(dtF32), "Tidx", atype(dtI32))
	f, err := b.importGraph("s", "id")
	if err != nil {
		t.Fatal(err)
	}
	var reduces []*ir.Op
	for _, op := range f.Ops {
		if op.Opcode == ir.OpReduce {
			reduces = append(reduces, op)
		}
	}
	if len(reduces) != 1 {
		t.Fatalf("%d reduce ops, want 1:\n%s", len(reduces), dumpFunc(f))
	}
	if got := reduces[0].Ints("axes"); len(got) != 2 || got[0] != 0 || got[1] != 2 {
		t.Errorf("axes %v, want [0 2]", got)
	}
	if got := f.Outputs[0].Value.Type.Shape; !got.Equal(tensor.Shape{1, 3, 1}) {
		t.Errorf("shape %v, want [1,3,1]", got)
	}

	b = newTGraph(t)
	b.input("x", dtF32, 2, 3)
	b.consti("axes", nil, 2)
	b.node("s", "Mean", []string{"x", "axes"}, "T", atype(dtF32))
	_, err = b.importGraph("s")
	wantErr(t, err, `node "s" (Mean)`, "axis 2 out of range")
}
