package kernels

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

// iota32 returns a float32 tensor holding 0, 1, 2, ... .
func iota32(shape ...int) *tensor.Tensor {
	t := tensor.MustNew(tensor.Float32, shape)
	for i := range t.F32 {
		t.F32[i] = float32(i)
	}
	return t
}

func i32(shape []int, v ...int32) *tensor.Tensor   { return tensor.FromI32(shape, v) }
func f32(shape []int, v ...float32) *tensor.Tensor { return tensor.FromF32(shape, v) }

// expect checks a tensor's dtype, shape and data.
func expect(t *testing.T, got *tensor.Tensor, err error, want *tensor.Tensor) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if got.DType != want.DType || !got.Shape.Equal(want.Shape) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if err := got.Check(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(data(got), data(want)) {
		t.Fatalf("got %v data %v, want %v", got, data(got), data(want))
	}
}

func data(t *tensor.Tensor) string {
	switch t.DType.Storage() {
	case tensor.StoreF32:
		return fmt.Sprint(t.F32)
	case tensor.StoreI32:
		return fmt.Sprint(t.I32)
	case tensor.StoreI64:
		return fmt.Sprint(t.I64)
	case tensor.StoreBool:
		return fmt.Sprint(t.B)
	}
	return fmt.Sprint(t.F64)
}
