package tf

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// stridedSliceGraph builds x → StridedSlice(begin, end, strides) with the
// given masks (begin_mask, end_mask, ellipsis_mask, new_axis_mask,
// shrink_axis_mask).
func stridedSliceGraph(t *testing.T, shape []int, begin, end, strides []int, masks [5]int) *tgraph {
	b := newTGraph(t)
	b.input("x", dtF32, shape...)
	b.consti("b", nil, begin...)
	b.consti("e", nil, end...)
	b.consti("s", nil, strides...)
	b.node("ss", "StridedSlice", []string{"x", "b", "e", "s"}, "T", atype(dtF32), "Index", atype(dtI32),
		"begin_mask", aint(masks[0]), "end_mask", aint(masks[1]), "ellipsis_mask", aint(masks[2]),
		"new_axis_mask", aint(masks[3]), "shrink_axis_mask", aint(masks[4]))
	return b
}

// The examples of TensorFlow's tf.strided_slice documentation.
func TestStridedSliceDocExamples(t *testing.T) {
	tv := []float32{1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6}
	x := tensor.FromF32(tensor.Shape{3, 2, 3}, tv)
	for _, tc := range []struct {
		begin, end, strides []int
		shape               []int
		want                []float32
	}{
		{[]int{1, 0, 0}, []int{2, 1, 3}, []int{1, 1, 1}, []int{1, 1, 3}, []float32{3, 3, 3}},
		{[]int{1, 0, 0}, []int{2, 2, 3}, []int{1, 1, 1}, []int{1, 2, 3}, []float32{3, 3, 3, 4, 4, 4}},
		{[]int{1, -1, 0}, []int{2, -3, 3}, []int{1, -1, 1}, []int{1, 2, 3}, []float32{4, 4, 4, 3, 3, 3}},
	} {
		b := stridedSliceGraph(t, []int{3, 2, 3}, tc.begin, tc.end, tc.strides, [5]int{})
		got := b.run(map[string]*tensor.Tensor{"x:0": x}, "ss")[0]
		wantF32(t, got, tc.shape, tc.want...)
	}

	// Shapes from the StridedSlice op documentation.
	for _, tc := range []struct {
		name                string
		in                  []int
		begin, end, strides []int
		masks               [5]int
		want                []int
	}{
		{"foo[5:,:,:3]", []int{7, 8, 9}, []int{5, 0, 0}, []int{0, 0, 3}, []int{1, 1, 1}, [5]int{6, 3, 0, 0, 0}, []int{2, 8, 3}},
		{"foo[3:5,...,4:5]", []int{10, 3, 3, 10}, []int{3, 0, 4}, []int{5, 0, 5}, []int{1, 1, 1}, [5]int{0, 0, 2, 0, 0}, []int{2, 3, 3, 1}},
		{"foo[3:5,4]", []int{10, 8}, []int{3, 4}, []int{5, 5}, []int{1, 1}, [5]int{0, 0, 0, 0, 2}, []int{2}},
		{"foo[1,2:4,None,...,:-3:-1,:]", []int{5, 5, 5, 5, 5, 5}, []int{1, 2, 0, 0, 0, 0}, []int{2, 4, 0, 0, -3, 0}, []int{1, 1, 1, 1, -1, 1},
			[5]int{48, 32, 8, 4, 1}, []int{2, 1, 5, 5, 2, 5}},
	} {
		spec, err := resolveStridedSlice(tc.in, tc.begin, tc.end, tc.strides, tc.masks[0], tc.masks[1], tc.masks[2], tc.masks[3], tc.masks[4])
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !spec.final.Equal(tc.want) {
			t.Errorf("%s on %v: shape %v, want %v", tc.name, tc.in, spec.final, tc.want)
		}
	}
}

func TestStridedSliceErrors(t *testing.T) {
	for _, tc := range []struct {
		name                string
		in                  []int
		begin, end, strides []int
		masks               [5]int
		want                string
	}{
		{"two ellipses", []int{2, 3}, []int{0, 0}, []int{0, 0}, []int{1, 1}, [5]int{0, 0, 3, 0, 0}, "more than one ellipsis"},
		{"zero stride", []int{2, 3}, []int{0, 0}, []int{1, 1}, []int{1, 0}, [5]int{}, "strides[1] must be non-zero"},
		{"shrink out of range", []int{2, 3}, []int{0, 3}, []int{1, 4}, []int{1, 1}, [5]int{0, 0, 0, 0, 2}, "out of bounds"},
		{"shrink negative stride", []int{2, 3}, []int{0, 1}, []int{1, 2}, []int{1, -1}, [5]int{0, 0, 0, 0, 2}, "only stride 1"},
		{"too many indices", []int{2}, []int{0, 0}, []int{1, 1}, []int{1, 1}, [5]int{}, "input has only 1 dims"},
		{"lengths", []int{2}, []int{0, 0}, []int{1}, []int{1}, [5]int{}, "equal lengths"},
	} {
		b := stridedSliceGraph(t, tc.in, tc.begin, tc.end, tc.strides, tc.masks)
		_, err := b.importGraph("ss")
		wantErr(t, err, `node "ss" (StridedSlice)`, tc.want)
	}
}

// pyIndices lists the indices Python's slice(start, stop, step) takes from
// a sequence of length n (nil bounds: omitted), following CPython's
// PySlice_AdjustIndices.
func pyIndices(start, stop *int, step, n int) []int {
	adjust := func(p *int, def int) int {
		if p == nil {
			return def
		}
		v := *p
		if v < 0 {
			v += n
			if v < 0 {
				if step < 0 {
					return -1
				}
				return 0
			}
		} else if v >= n {
			if step < 0 {
				return n - 1
			}
			return n
		}
		return v
	}
	var b, e int
	if step > 0 {
		b, e = adjust(start, 0), adjust(stop, n)
	} else {
		b, e = adjust(start, n-1), adjust(stop, -1)
	}
	var idx []int
	for i := b; (step > 0 && i < e) || (step < 0 && i > e); i += step {
		idx = append(idx, i)
	}
	return idx
}

// TestStridedSliceRandom compares random range slices (with masks, negative
// and out-of-range bounds, negative strides and single indices) with
// Python's slicing rules, which TensorFlow's follow.
func TestStridedSliceRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 300 {
		rank := 1 + rng.IntN(3)
		shape := make([]int, rank)
		for i := range shape {
			shape[i] = rng.IntN(5) // 0..4, so empty dimensions occur
		}
		begin, end, strides := make([]int, rank), make([]int, rank), make([]int, rank)
		var bm, em, sm int
		perDim := make([][]int, rank)
		for i, d := range shape {
			begin[i], end[i] = rng.IntN(13)-6, rng.IntN(13)-6
			strides[i] = rng.IntN(3) + 1
			if rng.IntN(2) == 0 {
				strides[i] = -strides[i]
			}
			var bp, ep *int
			if rng.IntN(4) == 0 {
				bm |= 1 << i
			} else {
				bp = &begin[i]
			}
			if rng.IntN(4) == 0 {
				em |= 1 << i
			} else {
				ep = &end[i]
			}
			if d > 0 && rng.IntN(5) == 0 {
				// A single index in range.
				begin[i] = rng.IntN(2*d) - d
				strides[i] = 1
				sm |= 1 << i
				k := begin[i]
				if k < 0 {
					k += d
				}
				perDim[i] = []int{k}
				bm &^= 1 << i
				continue
			}
			perDim[i] = pyIndices(bp, ep, strides[i], d)
		}
		name := fmt.Sprintf("#%d shape %v begin %v end %v strides %v masks b%b e%b s%b", iter, shape, begin, end, strides, bm, em, sm)
		b := stridedSliceGraph(t, shape, begin, end, strides, [5]int{bm, em, 0, 0, sm})
		x := iota32(shape...)
		got := b.run(map[string]*tensor.Tensor{"x:0": x}, "ss")[0]

		var wantShape []int
		for i := range shape {
			if sm&(1<<i) == 0 {
				wantShape = append(wantShape, len(perDim[i]))
			}
		}
		if !got.Shape.Equal(wantShape) {
			t.Fatalf("%s: shape %v, want %v", name, got.Shape, wantShape)
		}
		// Enumerate the selected elements in row-major order.
		strideOf := tensor.Shape(shape).Strides()
		var want []float32
		var walk func(dim, off int)
		walk = func(dim, off int) {
			if dim == rank {
				want = append(want, x.F32[off])
				return
			}
			for _, k := range perDim[dim] {
				walk(dim+1, off+k*strideOf[dim])
			}
		}
		walk(0, 0)
		if fmt.Sprint(got.F32) != fmt.Sprint(want) {
			t.Fatalf("%s: got %v, want %v", name, got.F32, want)
		}
	}
}

// A shape computation on a placeholder's static shape (Shape, StridedSlice
// with shrink, Pack, Reshape) resolves during import.
func TestShapeSubgraph(t *testing.T) {
	b := newTGraph(t)
	b.input("x", dtF32, 2, 3, 4)
	b.node("shape", "Shape", []string{"x"}, "T", atype(dtF32), "out_type", atype(dtI32))
	b.consti("b", nil, 0)
	b.consti("e", nil, 1)
	b.consti("s", nil, 1)
	b.node("batch", "StridedSlice", []string{"shape", "b", "e", "s"}, "T", atype(dtI32), "Index", atype(dtI32),
		"shrink_axis_mask", aint(1))
	b.consti("m1", []int{}, -1)
	b.node("target", "Pack", []string{"batch", "m1"}, "T", atype(dtI32), "N", aint(2), "axis", aint(0))
	b.node("r", "Reshape", []string{"x", "target"}, "T", atype(dtF32), "Tshape", atype(dtI32))
	x := iota32(2, 3, 4)
	got := b.run(map[string]*tensor.Tensor{"x:0": x}, "r", "target")
	wantF32(t, got[0], []int{2, 12}, x.F32...)
	wantInts(t, got[1], tensor.Int32, []int{2}, 2, -1)

	// A target shape that depends on the input's values cannot be resolved.
	b = newTGraph(t)
	b.input("x", dtF32, 2, 3)
	b.input("shp", dtI32, 2)
	b.node("r", "Reshape", []string{"x", "shp"}, "T", atype(dtF32), "Tshape", atype(dtI32))
	_, err := b.importGraph("r")
	wantErr(t, err, `node "r" (Reshape)`, "must be a constant", `input "shp:0"`)
}

// TestStridedSliceSymbolic: StridedSlice of a value with symbolic
// dimensions becomes dynamic_slice, its start counted from the end where
// TensorFlow's begin is, its size following the dimension where the range
// runs to (an offset before) the end; a size that grows with the
// dimension at another stride is an error naming the dimension.
func TestStridedSliceSymbolic(t *testing.T) {
	for _, tc := range []struct {
		name                string
		begin, end, strides []int
		masks               [5]int
		want                string // the dynamic_slice's attributes and type, or an error fragment
	}{
		{"x[:, 0]", []int{0, 0}, []int{0, 1}, []int{1, 1}, [5]int{1, 1, 0, 0, 2}, "start=[0 0 0] stride=[1 1 1] f32[N,1,4]"},
		{"x[:, -1]", []int{0, -1}, []int{0, 0}, []int{1, 1}, [5]int{1, 1, 0, 0, 2}, "start=[0 -1 0] stride=[1 1 1] f32[N,1,4]"},
		{"x[:, 1:-1]", []int{0, 1}, []int{0, -1}, []int{1, 1}, [5]int{1, 1, 0, 0, 0}, "start=[0 1 0] stride=[1 1 1] f32[N,S-2,4]"},
		{"x[:, ::-1]", []int{0, 0}, []int{0, 0}, []int{1, -1}, [5]int{3, 3, 0, 0, 0}, "start=[0 -1 0] stride=[1 -1 1] f32[N,S,4]"},
		{"x[:, -3:]", []int{0, -3}, []int{0, 0}, []int{1, 1}, [5]int{1, 3, 0, 0, 0}, "start=[0 -3 0] stride=[1 1 1] f32[N,3,4]"},
		{"x[:, ::2]", []int{0, 0}, []int{0, 0}, []int{1, 2}, [5]int{3, 3, 0, 0, 0}, "dimension 1 (S) has a size that grows with it at stride 2"},
	} {
		b := stridedSliceGraph(t, []int{-1, -1, 4}, tc.begin, tc.end, tc.strides, tc.masks)
		f, err := Import(b.g, Options{Outputs: []string{"ss"}, Symbolic: true})
		if strings.Contains(tc.want, "dimension") {
			wantErr(t, err, tc.want)
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		got := ""
		for _, op := range f.Ops {
			if op.Opcode == ir.OpDynamicSlice {
				got = fmt.Sprintf("start=%v stride=%v %v", op.Ints("start"), op.Ints("stride"), op.Result().Type)
			}
		}
		if got != tc.want {
			t.Errorf("%s: dynamic_slice %q, want %q", tc.name, got, tc.want)
		}
	}
}
