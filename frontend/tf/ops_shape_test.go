package tf

import (
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/tensor"
)

func TestShapeN(t *testing.T) {
	b := newTGraph(t)
	b.input("x", dtF32, 2, 3)
	b.input("y", dtF32, 4)
	b.node("s", "ShapeN", []string{"x", "y"}, "T", atype(dtF32), "N", aint(2), "out_type", atype(dtI64))
	b.node("r", "Rank", []string{"x"}, "T", atype(dtF32))
	b.node("z", "Size", []string{"x"}, "T", atype(dtF32), "out_type", atype(dtI64))
	got := b.run(map[string]*tensor.Tensor{"x:0": iota32(2, 3), "y:0": iota32(4)}, "s:0", "s:1", "r", "z")
	wantInts(t, got[0], tensor.Int64, []int{2}, 2, 3)
	wantInts(t, got[1], tensor.Int64, []int{1}, 4)
	wantInts(t, got[2], tensor.Int32, []int{}, 2)
	wantInts(t, got[3], tensor.Int64, []int{}, 6)
}

func rangeGraph(t *testing.T, dt tfpb.DataType, start, limit, delta float32) *tgraph {
	b := newTGraph(t)
	for _, c := range []struct {
		name string
		v    float32
	}{{"start", start}, {"limit", limit}, {"delta", delta}} {
		if dt == dtF32 {
			b.constf(c.name, []int{}, c.v)
		} else {
			b.consti(c.name, []int{}, int(c.v))
		}
	}
	b.node("r", "Range", []string{"start", "limit", "delta"}, "Tidx", atype(dt))
	return b
}

// Range follows TensorFlow's kernel: the length from the formula of its
// dtype, the values accumulated in that dtype.
func TestRange(t *testing.T) {
	for _, tc := range []struct {
		start, limit, delta int
	}{{0, 10, 3}, {10, 0, -3}, {-5, 5, 1}, {3, 3, 1}, {0, 1, 5}} {
		got := rangeGraph(t, dtI32, float32(tc.start), float32(tc.limit), float32(tc.delta)).run(nil, "r")[0]
		var want []int
		for v := tc.start; (tc.delta > 0 && v < tc.limit) || (tc.delta < 0 && v > tc.limit); v += tc.delta {
			want = append(want, v)
		}
		wantInts(t, got, tensor.Int32, []int{len(want)}, want...)
	}

	// Float: 0.1 accumulated 30 times in float32.
	got := rangeGraph(t, dtF32, 0, 3, 0.1).run(nil, "r")[0]
	var want []float32
	for v := float32(0); len(want) < 30; v = float32(v + 0.1) {
		want = append(want, v)
	}
	// ceil(|3 - 0| / 0.1) in float32 is 30 (3/0.1f rounds to 30).
	wantF32(t, got, []int{30}, want...)

	_, err := rangeGraph(t, dtI32, 0, 10, 0).importGraph("r")
	wantErr(t, err, `node "r" (Range)`, "delta is 0")
	_, err = rangeGraph(t, dtI32, 10, 0, 1).importGraph("r")
	wantErr(t, err, "start 10 > limit 0")
}

// A float Range whose limit is computed from a symbolic shape is an
// integer range converted to float when start and delta are integral;
// otherwise an error naming the input.
func TestRangeFloatDynamicLimit(t *testing.T) {
	for _, tc := range []struct {
		start, delta float32
		want         string // the range's type, or an error fragment
	}{
		{0, 1, "f32[N]"},
		{0, 2, "f32[ceil(N/2)]"},
		{0.5, 1, "input 0 (start:0) is 0.5; want an integral value"},
		{0, 0.25, "input 2 (delta:0) is 0.25; want an integral value"},
	} {
		b := newTGraph(t)
		b.input("x", dtF32, -1, 3)
		b.node("s", "Shape", []string{"x"}, "T", atype(dtF32), "out_type", atype(dtI32))
		b.consti("i0", nil, 0)
		b.consti("i1", nil, 1)
		b.node("n", "StridedSlice", []string{"s", "i0", "i1", "i1"}, "T", atype(dtI32), "Index", atype(dtI32),
			"begin_mask", aint(0), "end_mask", aint(0), "ellipsis_mask", aint(0), "new_axis_mask", aint(0), "shrink_axis_mask", aint(1))
		b.node("limit", "Cast", []string{"n"}, "SrcT", atype(dtI32), "DstT", atype(dtF32))
		b.constf("start", []int{}, tc.start)
		b.constf("delta", []int{}, tc.delta)
		b.node("r", "Range", []string{"start", "limit", "delta"}, "Tidx", atype(dtF32))
		f, err := Import(b.g, Options{Outputs: []string{"r"}, Symbolic: true})
		if strings.Contains(tc.want, "input") {
			wantErr(t, err, tc.want)
			continue
		}
		if err != nil {
			t.Errorf("start %v delta %v: %v", tc.start, tc.delta, err)
			continue
		}
		if got := f.Outputs[0].Value.Type.String(); got != tc.want {
			t.Errorf("start %v delta %v: type %s, want %s", tc.start, tc.delta, got, tc.want)
		}
	}
}

// Options.Symbols names an input's symbols; an invalid name is an error.
func TestInputSymbols(t *testing.T) {
	b := newTGraph(t)
	b.input("x", dtF32, -1, -1, 4)
	b.node("r", "Relu", []string{"x"}, "T", atype(dtF32))
	f, err := Import(b.g, Options{Outputs: []string{"r"}, Symbolic: true, Symbols: map[string][]string{"x:0": {"", "T"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Inputs()[0].Result().Type.String(); got != "f32[N,T,4]" {
		t.Errorf("input type %s, want f32[N,T,4]", got)
	}
	_, err = Import(b.g, Options{Outputs: []string{"r"}, Symbolic: true, Symbols: map[string][]string{"x": {"9"}}})
	wantErr(t, err, `input x:0: dimension 0: "9" is not a valid symbol name`)
}
