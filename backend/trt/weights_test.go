package trt

import (
	"math"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

func TestWeightsRoundTrip(t *testing.T) {
	f16 := tensor.FromF32(tensor.Shape{2, 2}, []float32{1, -2.5, 65504, float32(math.Inf(-1))})
	f16.DType = tensor.Float16
	bf16 := tensor.FromF32(tensor.Shape{2}, []float32{1.5, -3})
	bf16.DType = tensor.BFloat16
	cases := []struct {
		t     *tensor.Tensor
		typ   DataType
		bytes int
	}{
		{tensor.FromF32(tensor.Shape{2, 3}, []float32{0, 1, -1.5, 3.25, float32(math.MaxFloat32), 1e-40}), Float, 24},
		{f16, Half, 8},
		{bf16, BF16, 4},
		{tensor.FromI32(tensor.Shape{3}, []int32{-1, 0, math.MaxInt32}), Int32, 12},
		{tensor.FromI64(tensor.Shape{1, 2}, []int64{math.MinInt64, 7}), Int64, 16},
		{tensor.FromBool(tensor.Shape{3}, []bool{true, false, true}), Bool, 3},
		{tensor.FromF32(tensor.Shape{}, []float32{42}), Float, 4},
	}
	for _, c := range cases {
		w, err := WeightsFromTensor(c.t)
		if err != nil {
			t.Fatalf("%v: %v", c.t, err)
		}
		if w.Type != c.typ || len(w.Values) != c.bytes || w.Count != int64(c.t.Len()) {
			t.Fatalf("%v: weights %v count %d bytes %d", c.t, w.Type, w.Count, len(w.Values))
		}
		dims := make(Dims, len(c.t.Shape))
		for i, d := range c.t.Shape {
			dims[i] = int64(d)
		}
		back, err := w.Tensor(dims)
		if err != nil {
			t.Fatalf("%v: %v", c.t, err)
		}
		if back.DType != c.t.DType || !back.Shape.Equal(c.t.Shape) {
			t.Fatalf("%v: decoded %v", c.t, back)
		}
		for i := 0; i < c.t.Len(); i++ {
			if a, b := back.Float64At(i), c.t.Float64At(i); a != b && !(math.IsNaN(a) && math.IsNaN(b)) {
				t.Errorf("%v: element %d = %v, want %v", c.t, i, a, b)
			}
		}
		if c.typ == Int64 && back.I64[0] != math.MinInt64 {
			t.Errorf("int64 %d", back.I64[0])
		}
	}
	// Half bits are IEEE: 1.0 = 0x3c00.
	w, _ := WeightsFromTensor(f16)
	if w.Values[0] != 0x00 || w.Values[1] != 0x3c {
		t.Errorf("f16 1.0 encoded as % x", w.Values[:2])
	}
}

func TestWeightsErrors(t *testing.T) {
	f64 := &tensor.Tensor{DType: tensor.Float64, Shape: tensor.Shape{1}, F64: []float64{1}}
	if _, err := WeightsFromTensor(f64); err == nil {
		t.Error("f64 tensor: no error")
	}
	if _, err := WeightsFromTensor(tensor.FromF32(tensor.Shape{2}, []float32{1})); err == nil {
		t.Error("inconsistent tensor: no error")
	}
	w := Weights{Type: Float, Count: 2, Values: make([]byte, 8)}
	if _, err := w.Tensor(Dims{3}); err == nil {
		t.Error("volume mismatch: no error")
	}
	if _, err := (Weights{Type: Float, Count: 2, Values: make([]byte, 7)}).Tensor(Dims{2}); err == nil {
		t.Error("short values: no error")
	}
	for _, dt := range []tensor.DType{tensor.Float32, tensor.Float16, tensor.BFloat16, tensor.Int8, tensor.Uint8, tensor.Int32, tensor.Int64, tensor.Bool} {
		tt, err := DataTypeOf(dt)
		if err != nil {
			t.Fatal(err)
		}
		back, err := tt.TensorDType()
		if err != nil || back != dt {
			t.Errorf("%v -> %v -> %v, %v", dt, tt, back, err)
		}
	}
	for _, dt := range []tensor.DType{tensor.Float64, tensor.Int16, tensor.Uint16, tensor.Uint32, tensor.Invalid} {
		if _, err := DataTypeOf(dt); err == nil {
			t.Errorf("%v: no error", dt)
		}
	}
	if _, err := DataType(99).TensorDType(); err == nil {
		t.Error("DataType(99): no error")
	}
}
