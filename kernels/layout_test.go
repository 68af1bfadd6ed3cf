package kernels

import (
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

func TestTranspose(t *testing.T) {
	x := iota32(2, 3)
	got, err := Transpose(x, []int{1, 0})
	expect(t, got, err, f32([]int{3, 2}, 0, 3, 1, 4, 2, 5))
	x = iota32(2, 2, 2)
	got, err = Transpose(x, []int{2, 0, 1})
	expect(t, got, err, f32([]int{2, 2, 2}, 0, 2, 4, 6, 1, 3, 5, 7))
	got, err = Transpose(f32([]int{}, 7), []int{})
	expect(t, got, err, f32([]int{}, 7))
	if _, err := Transpose(x, []int{0, 0, 1}); err == nil {
		t.Fatal("bad perm accepted")
	}
}

func TestConcat(t *testing.T) {
	a, b := iota32(2, 1), iota32(2, 2)
	got, err := Concat(1, a, b)
	expect(t, got, err, f32([]int{2, 3}, 0, 0, 1, 1, 2, 3))
	got, err = Concat(0, b, b)
	expect(t, got, err, f32([]int{4, 2}, 0, 1, 2, 3, 0, 1, 2, 3))
	if _, err := Concat(0, a, b); err == nil {
		t.Fatal("mismatched shapes accepted")
	}
}

func TestSlice(t *testing.T) {
	x := iota32(3, 4)
	got, err := Slice(x, []int{1, 3}, []int{2, 2}, []int{1, -2})
	expect(t, got, err, f32([]int{2, 2}, 7, 5, 11, 9))
	got, err = Slice(x, []int{0, 0}, []int{0, 2}, []int{1, 1})
	expect(t, got, err, f32([]int{0, 2}))
	if _, err := Slice(x, []int{0, 3}, []int{1, 2}, []int{1, 1}); err == nil {
		t.Fatal("out of bounds slice accepted")
	}
}

func TestPad(t *testing.T) {
	x := f32([]int{3}, 1, 2, 3)
	for _, c := range []struct {
		mode PadMode
		b, e int
		want []float32
	}{
		{PadConstant, 2, 1, []float32{9, 9, 1, 2, 3, 9}},
		{PadReflect, 2, 2, []float32{3, 2, 1, 2, 3, 2, 1}},
		{PadSymmetric, 2, 3, []float32{2, 1, 1, 2, 3, 3, 2, 1}},
		{PadEdge, 1, 2, []float32{1, 1, 2, 3, 3, 3}},
	} {
		v := 0.0
		if c.mode == PadConstant {
			v = 9
		}
		got, err := Pad(x, c.mode, []int{c.b, c.e}, v)
		expect(t, got, err, f32([]int{len(c.want)}, c.want...))
	}
	y := iota32(2, 2)
	got, err := Pad(y, PadConstant, []int{1, 0, 0, 1}, -1)
	expect(t, got, err, f32([]int{3, 3}, -1, -1, -1, 0, 1, -1, 2, 3, -1))
	b := tensor.FromBool([]int{1}, []bool{false})
	got, err = Pad(b, PadConstant, []int{1, 0}, 1)
	expect(t, got, err, tensor.FromBool([]int{2}, []bool{true, false}))
}

func TestTileBroadcast(t *testing.T) {
	x := i32([]int{2}, 1, 2)
	got, err := Tile(x, []int{3})
	expect(t, got, err, i32([]int{6}, 1, 2, 1, 2, 1, 2))
	got, err = Broadcast(i32([]int{2, 1}, 1, 2), tensor.Shape{2, 2, 3})
	expect(t, got, err, i32([]int{2, 2, 3}, 1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2))
	if _, err := Broadcast(x, tensor.Shape{3}); err == nil {
		t.Fatal("bad broadcast accepted")
	}
}

func TestGather(t *testing.T) {
	x := iota32(2, 3)
	got, err := Gather(x, i32([]int{2}, 2, 0), 1, 0)
	expect(t, got, err, f32([]int{2, 2}, 2, 0, 5, 3))
	got, err = Gather(x, tensor.FromI64([]int{}, []int64{1}), 0, 0)
	expect(t, got, err, f32([]int{3}, 3, 4, 5))
	got, err = Gather(x, i32([]int{2, 1}, 2, 0), 1, 1)
	expect(t, got, err, f32([]int{2, 1}, 2, 3))
	if _, err := Gather(x, i32([]int{1}, 3), 1, 0); err == nil {
		t.Fatal("out of range index accepted")
	}
}

func TestReshape(t *testing.T) {
	got, err := Reshape(iota32(2, 3), tensor.Shape{3, 2})
	expect(t, got, err, iota32(3, 2))
	if _, err := Reshape(iota32(2, 3), tensor.Shape{4}); err == nil {
		t.Fatal("bad reshape accepted")
	}
}

func TestTransposeCoalesced(t *testing.T) {
	// Compare the blocked path against element-by-element indexing.
	for _, c := range []struct {
		shape []int
		perm  []int
	}{
		{[]int{1, 5, 7, 3}, []int{0, 3, 1, 2}},
		{[]int{2, 3, 40, 33}, []int{0, 2, 3, 1}},
		{[]int{2, 1, 3, 4}, []int{1, 3, 0, 2}},
		{[]int{70, 65}, []int{1, 0}},
		{[]int{3, 4, 5}, []int{2, 1, 0}},
		{[]int{2, 9, 4}, []int{0, 2, 1}},         // a batch of few-column matrices
		{[]int{1, 96, 96, 3}, []int{0, 3, 1, 2}}, // NHWC to NCHW, split over goroutines
	} {
		x := iota32(c.shape...)
		got, err := Transpose(x, c.perm)
		if err != nil {
			t.Fatal(err)
		}
		st := x.Shape.Strides()
		for i, v := range got.F32 {
			co := unravel(i, got.Shape)
			src := 0
			for k, p := range c.perm {
				src += co[k] * st[p]
			}
			if v != x.F32[src] {
				t.Fatalf("%v perm %v: element %v = %v, want %v", c.shape, c.perm, co, v, x.F32[src])
			}
		}
	}
}
