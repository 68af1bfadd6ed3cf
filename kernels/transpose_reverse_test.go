package kernels

import (
	"reflect"
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
		// Tiles of 8×8 (the AVX2 kernel) with rows and columns left over.
		{tensor.Shape{3, 3, 19, 37}, []int{3, 2, 0, 1}},
		{tensor.Shape{7, 7, 3, 64}, []int{3, 2, 0, 1}},
		{tensor.Shape{45, 67}, []int{1, 0}},
		{tensor.Shape{2, 33, 70}, []int{0, 2, 1}},
	} {
		x := tensor.MustNew(tensor.Float32, tc.shape)
		for i := range x.F32 {
			x.F32[i] = float32(i)
		}
		y, err := Transpose(x, tc.perm)
		if err != nil {
			t.Fatal(err)
		}
		// int32s take the same path as bits.
		xi := tensor.MustNew(tensor.Int32, tc.shape)
		for i := range xi.I32 {
			xi.I32[i] = int32(i)
		}
		yi, err := Transpose(xi, tc.perm)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range yi.I32 {
			if float32(v) != y.F32[i] {
				t.Fatalf("%v perm %v: int32 element %d = %d, float32 %v", tc.shape, tc.perm, i, v, y.F32[i])
			}
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

// TransposeInPlace gives Transpose's result, in the operand's storage,
// for every path (the [A,B,C] → [C,B,A] one, batched 2-D, general) and
// float dtypes stored as float32; other dtypes get new storage.
func TestTransposeInPlace(t *testing.T) {
	var scratch []float32
	for _, tc := range []struct {
		dt    tensor.DType
		shape tensor.Shape
		perm  []int
	}{
		{tensor.Float32, tensor.Shape{3, 3, 8, 16}, []int{3, 2, 0, 1}}, // HWIO → OIHW
		{tensor.Float32, tensor.Shape{2, 3, 40, 33}, []int{0, 2, 3, 1}},
		{tensor.Float32, tensor.Shape{2, 1, 3, 4}, []int{1, 3, 0, 2}},
		{tensor.Float32, tensor.Shape{70, 65}, []int{1, 0}},
		{tensor.Float16, tensor.Shape{3, 4, 5}, []int{2, 1, 0}},
		{tensor.Float32, tensor.Shape{5, 1}, []int{0, 1}},
		{tensor.Float32, tensor.Shape{0, 3}, []int{1, 0}},
		{tensor.Int32, tensor.Shape{3, 4, 5}, []int{2, 1, 0}},
	} {
		x := tensor.MustNew(tc.dt, tc.shape)
		for i := range x.Len() {
			switch tc.dt.Storage() {
			case tensor.StoreF32:
				x.F32[i] = float32(i)
			case tensor.StoreI32:
				x.I32[i] = int32(i)
			}
		}
		want, err := Transpose(x, tc.perm)
		if err != nil {
			t.Fatal(err)
		}
		storage := x.F32
		got, s, err := TransposeInPlace(x, tc.perm, scratch)
		if err != nil {
			t.Fatal(err)
		}
		scratch = s
		if got.DType != tc.dt || !got.Shape.Equal(want.Shape) || !reflect.DeepEqual(got.F32, want.F32) || !reflect.DeepEqual(got.I32, want.I32) {
			t.Errorf("%v %v perm %v: got %v, want %v", tc.dt, tc.shape, tc.perm, got, want)
		}
		if tc.dt.Storage() == tensor.StoreF32 && len(storage) > 0 && &got.F32[0] != &storage[0] {
			t.Errorf("%v %v perm %v: not in the operand's storage", tc.dt, tc.shape, tc.perm)
		}
	}
	if _, _, err := TransposeInPlace(tensor.MustNew(tensor.Float32, tensor.Shape{2, 3}), []int{0, 0}, nil); err == nil {
		t.Error("a bad perm is not an error")
	}
}
