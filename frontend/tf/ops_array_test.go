package tf

import (
	"fmt"
	"testing"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Array converters are checked against TensorFlow by the generated cases;
// these tests cover ops no case uses yet (by equivalence with ops that
// cases do check), what is or is not emitted, and error messages.

func TestConcatV1(t *testing.T) {
	x, y := iota32(2, 3), iota32(2, 2)
	in := map[string]*tensor.Tensor{"x:0": x, "y:0": y}
	b := newTGraph(t)
	b.input("x", dtF32, 2, 3)
	b.input("y", dtF32, 2, 2)
	b.consti("axis", []int{}, -1)
	b.node("v1", "Concat", []string{"axis", "x", "y"}, "T", atype(dtF32), "N", aint(2))
	b.node("v2", "ConcatV2", []string{"x", "y", "axis"}, "T", atype(dtF32), "N", aint(2), "Tidx", atype(dtI32))
	got := b.run(in, "v1", "v2")
	wantF32(t, got[0], []int{2, 5}, got[1].F32...)
	wantF32(t, got[1], []int{2, 5}, 0, 1, 2, 0, 1, 3, 4, 5, 2, 3)
}

func TestGatherV1(t *testing.T) {
	x := iota32(4, 3)
	idx := tensor.FromI32(tensor.Shape{2, 2}, []int32{3, 0, 1, 1})
	b := newTGraph(t)
	b.input("x", dtF32, 4, 3)
	b.input("i", dtI32, 2, 2)
	b.consti("axis", []int{}, 0)
	b.node("v1", "Gather", []string{"x", "i"}, "Tparams", atype(dtF32), "Tindices", atype(dtI32))
	b.node("v2", "GatherV2", []string{"x", "i", "axis"}, "Tparams", atype(dtF32), "Tindices", atype(dtI32), "Taxis", atype(dtI32))
	got := b.run(map[string]*tensor.Tensor{"x:0": x, "i:0": idx}, "v1", "v2")
	wantF32(t, got[0], []int{2, 2, 3}, got[1].F32...)

	b = newTGraph(t)
	b.input("x", dtF32, 4, 3)
	b.consti("i", nil, 1, 4)
	b.consti("axis", []int{}, 0)
	b.node("g", "GatherV2", []string{"x", "i", "axis"}, "Tparams", atype(dtF32), "Tindices", atype(dtI32), "Taxis", atype(dtI32))
	_, err := b.importGraph("g")
	wantErr(t, err, `node "g" (GatherV2)`, "index 4 out of range [0,4)")
}

func TestConjugateTranspose(t *testing.T) {
	x := iota32(2, 3, 4)
	b := newTGraph(t)
	b.input("x", dtF32, 2, 3, 4)
	b.consti("perm", nil, 2, 0, 1)
	b.node("c", "ConjugateTranspose", []string{"x", "perm"}, "T", atype(dtF32))
	b.node("t", "Transpose", []string{"x", "perm"}, "T", atype(dtF32))
	got := b.run(map[string]*tensor.Tensor{"x:0": x}, "c", "t")
	wantF32(t, got[0], []int{4, 2, 3}, got[1].F32...)
}

// Converters emit nothing for no-op cases.
func TestArrayNoOps(t *testing.T) {
	b := newTGraph(t)
	b.input("x", dtF32, 2, 3)
	b.consti("ones", nil, 1, 1)
	b.consti("perm", nil, 0, 1)
	b.consti("zpad", []int{2, 2}, 0, 0, 0, 0)
	b.consti("shape", nil, 2, 3)
	b.consti("begin", nil, 0, 0)
	b.consti("size", nil, -1, 3)
	b.consti("rev", nil, 0)
	b.node("tile", "Tile", []string{"x", "ones"}, "T", atype(dtF32))
	b.node("tr", "Transpose", []string{"tile", "perm"}, "T", atype(dtF32))
	b.node("pad", "Pad", []string{"tr", "zpad"}, "T", atype(dtF32))
	b.node("bc", "BroadcastTo", []string{"pad", "shape"}, "T", atype(dtF32))
	b.node("sl", "Slice", []string{"bc", "begin", "size"}, "T", atype(dtF32), "Index", atype(dtI32))
	b.node("re", "Reshape", []string{"sl", "shape"}, "T", atype(dtF32))
	b.input("y", dtF32, 1, 3)
	b.node("rv", "ReverseV2", []string{"y", "rev"}, "T", atype(dtF32))
	f, err := b.importGraph("re", "rv")
	if err != nil {
		t.Fatal(err)
	}
	if ops := opcodes(f); len(ops) != 0 {
		t.Errorf("no-op converters emitted %v", ops)
	}
}

// Fill, ZerosLike and OnesLike give constants when small, broadcasts of a
// scalar when large.
func TestFillLarge(t *testing.T) {
	b := newTGraph(t)
	b.input("x", dtF32, 100, 100)
	b.node("z", "ZerosLike", []string{"x"}, "T", atype(dtF32))
	b.consti("dims", nil, 3, 2)
	b.constf("v", []int{}, 2.5)
	b.node("f", "Fill", []string{"dims", "v"}, "T", atype(dtF32), "index_type", atype(dtI32))
	f, err := b.importGraph("z", "f")
	if err != nil {
		t.Fatal(err)
	}
	if ops := fmt.Sprint(opcodes(f)); ops != "[broadcast]" {
		t.Errorf("ops %s, want [broadcast] (ZerosLike of 10000 elements)", ops)
	}
	out, err := evalFunc(f, map[string]*tensor.Tensor{"x:0": iota32(100, 100)})
	if err != nil {
		t.Fatal(err)
	}
	if out[0].Shape.Size() != 10000 || out[0].F32[9999] != 0 {
		t.Errorf("ZerosLike gave %v", out[0])
	}
	wantF32(t, out[1], []int{3, 2}, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5)
}

func TestArrayErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		build func(b *tgraph)
		want  string
	}{
		{"two -1", func(b *tgraph) {
			b.consti("s", nil, -1, -1)
			b.node("n", "Reshape", []string{"x", "s"}, "T", atype(dtF32))
		}, "more than one -1"},
		{"reshape count", func(b *tgraph) {
			b.consti("s", nil, 5)
			b.node("n", "Reshape", []string{"x", "s"}, "T", atype(dtF32))
		}, "cannot reshape [2,3] (6 elements) to [5]"},
		{"reshape -1 indivisible", func(b *tgraph) {
			b.consti("s", nil, 4, -1)
			b.node("n", "Reshape", []string{"x", "s"}, "T", atype(dtF32))
		}, "cannot reshape"},
		{"bad perm", func(b *tgraph) {
			b.consti("p", nil, 1, 1)
			b.node("n", "Transpose", []string{"x", "p"}, "T", atype(dtF32))
		}, "not a permutation"},
		{"squeeze non-1", func(b *tgraph) {
			b.node("n", "Squeeze", []string{"x"}, "T", atype(dtF32), "squeeze_dims", aints(-1))
		}, "cannot squeeze dimension -1 of [2,3]"},
		{"split indivisible", func(b *tgraph) {
			b.consti("a", []int{}, 1)
			b.node("n", "Split", []string{"a", "x"}, "T", atype(dtF32), "num_split", aint(2))
		}, "does not split into 2 equal parts"},
		{"splitv sum", func(b *tgraph) {
			b.consti("s", nil, 1, 1)
			b.consti("a", []int{}, 1)
			b.node("n", "SplitV", []string{"x", "s", "a"}, "T", atype(dtF32), "num_split", aint(2))
		}, "add up to 2"},
		{"negative pad", func(b *tgraph) {
			b.consti("p", []int{2, 2}, 0, 0, -1, 0)
			b.node("n", "Pad", []string{"x", "p"}, "T", atype(dtF32))
		}, "values must be ≥ 0"},
		{"reflect too wide", func(b *tgraph) {
			b.consti("p", []int{2, 2}, 0, 0, 3, 0)
			b.node("n", "MirrorPad", []string{"x", "p"}, "T", atype(dtF32), "mode", astr("REFLECT"))
		}, "reflect pads"},
		{"slice bounds", func(b *tgraph) {
			b.consti("b", nil, 1, 1)
			b.consti("s", nil, 2, -1)
			b.node("n", "Slice", []string{"x", "b", "s"}, "T", atype(dtF32))
		}, "out of bounds"},
		{"expand axis", func(b *tgraph) {
			b.consti("a", []int{}, 3)
			b.node("n", "ExpandDims", []string{"x", "a"}, "T", atype(dtF32))
		}, "axis 3 out of range for rank 3"},
		{"tile length", func(b *tgraph) {
			b.consti("m", nil, 2)
			b.node("n", "Tile", []string{"x", "m"}, "T", atype(dtF32))
		}, "multiples [2] has 1 values"},
		{"unpack num", func(b *tgraph) {
			b.node("n", "Unpack", []string{"x"}, "T", atype(dtF32), "num", aint(3), "axis", aint(0))
		}, "num=3"},
		{"reverse twice", func(b *tgraph) {
			b.consti("a", nil, 1, -1)
			b.node("n", "ReverseV2", []string{"x", "a"}, "T", atype(dtF32))
		}, "given twice"},
		{"broadcast", func(b *tgraph) {
			b.consti("s", nil, 4, 3)
			b.node("n", "BroadcastTo", []string{"x", "s"}, "T", atype(dtF32))
		}, "cannot broadcast"},
		{"pack shapes", func(b *tgraph) {
			b.input("y", dtF32, 3, 2)
			b.node("n", "Pack", []string{"x", "y"}, "T", atype(dtF32), "N", aint(2))
		}, "input 1 has shape [3,2], input 0 has [2,3]"},
	} {
		b := newTGraph(t)
		b.input("x", dtF32, 2, 3)
		tc.build(b)
		_, err := b.importGraph("n")
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		wantErr(t, err, `node "n"`, tc.want)
	}
}

// Every op a converter emits carries the node's name.
func TestArrayLoc(t *testing.T) {
	b := newTGraph(t)
	b.input("x", dtF32, 2, 3)
	b.node("u", "Unpack", []string{"x"}, "T", atype(dtF32), "num", aint(3), "axis", aint(1))
	f, err := b.importGraph("u:2")
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range f.Ops {
		if op.Opcode != ir.OpInput && op.Loc != "u" {
			t.Errorf("%s has loc %q", op.Opcode, op.Loc)
		}
	}
	out, err := evalFunc(f, map[string]*tensor.Tensor{"x:0": iota32(2, 3)})
	if err != nil {
		t.Fatal(err)
	}
	wantF32(t, out[0], []int{2}, 2, 5)
}
