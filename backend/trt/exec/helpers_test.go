package exec

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/tensor"
)

func f32(shape tensor.Shape, v ...float32) *tensor.Tensor { return tensor.FromF32(shape, v) }
func i32(shape tensor.Shape, v ...int32) *tensor.Tensor   { return tensor.FromI32(shape, v) }

// randF32 returns a float32 tensor of uniform values in [-2, 2).
func randF32(rng *rand.Rand, shape ...int) *tensor.Tensor {
	t := tensor.MustNew(tensor.Float32, shape)
	for i := range t.F32 {
		t.F32[i] = float32(rng.Float64()*4 - 2)
	}
	return t
}

// weightsOf encodes float32 values as kFLOAT weights.
func weightsOf(t *testing.T, v ...float32) trt.Weights {
	t.Helper()
	w, err := trt.WeightsFromTensor(tensor.FromF32(tensor.Shape{len(v)}, v))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func weightsOfTensor(t testing.TB, x *tensor.Tensor) trt.Weights {
	t.Helper()
	w, err := trt.WeightsFromTensor(x)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// must(t)(x, err) fails the test on err and returns x.
func must(t *testing.T) func(x *tensor.Tensor, err error) *tensor.Tensor {
	return func(x *tensor.Tensor, err error) *tensor.Tensor {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if err := x.Check(); err != nil {
			t.Fatal(err)
		}
		return x
	}
}

// expect checks a tensor's dtype, shape and data exactly (NaNs equal).
func expect(t *testing.T, got *tensor.Tensor, want *tensor.Tensor) {
	t.Helper()
	if got.DType != want.DType || !got.Shape.Equal(want.Shape) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if err := got.Check(); err != nil {
		t.Fatal(err)
	}
	for i := range got.Len() {
		a, b := got.Float64At(i), want.Float64At(i)
		if a != b && !(a != a && b != b) {
			t.Fatalf("got %v data %s, want %s (element %d)", got, data(got), data(want), i)
		}
	}
	// Integers and bools are compared exactly beyond float64's range too.
	if data(got) != data(want) && got.DType.Storage() != tensor.StoreF32 {
		t.Fatalf("got %s, want %s", data(got), data(want))
	}
}

// near checks float tensors agree within atol + rtol*|want|.
func near(t *testing.T, got, want *tensor.Tensor, rtol, atol float64) {
	t.Helper()
	if got.DType != want.DType || !got.Shape.Equal(want.Shape) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range got.Len() {
		a, b := got.Float64At(i), want.Float64At(i)
		if a == b || (a != a && b != b) {
			continue
		}
		if math.IsNaN(a) || math.IsNaN(b) || math.Abs(a-b) > atol+rtol*math.Abs(b) {
			t.Fatalf("element %d: got %v, want %v (of %v)", i, a, b, got)
		}
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

// runNet runs a recorded network that must be valid.
func runNet(t *testing.T, n *trt.Recorder, inputs map[string]*tensor.Tensor) []*tensor.Tensor {
	t.Helper()
	if err := n.Err(); err != nil {
		t.Fatalf("recording: %v", err)
	}
	outs, err := Run(n.Description(), inputs)
	if err != nil {
		t.Fatal(err)
	}
	return outs
}

// trtType is the TensorRT type of a tensor dtype.
func trtType(t *testing.T, dt tensor.DType) trt.DataType {
	t.Helper()
	d, err := trt.DataTypeOf(dt)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func dimsOf(s tensor.Shape) trt.Dims {
	d := make(trt.Dims, len(s))
	for i, v := range s {
		d[i] = int64(v)
	}
	return d
}

// oneLayer records a network of inputs xs (named x0, x1, ...) and one
// layer, runs it and returns the layer's outputs.
func oneLayer(t *testing.T, add func(n *trt.Recorder, in []trt.Tensor) trt.Layer, xs ...*tensor.Tensor) []*tensor.Tensor {
	t.Helper()
	n := trt.NewRecorder()
	var ins []trt.Tensor
	feed := make(map[string]*tensor.Tensor)
	for i, x := range xs {
		name := fmt.Sprintf("x%d", i)
		ins = append(ins, n.AddInput(name, trtType(t, x.DType), dimsOf(x.Shape)))
		feed[name] = x
	}
	l := add(n, ins)
	for i := range l.NbOutputs() {
		n.MarkOutput(l.Output(i))
	}
	return runNet(t, n, feed)
}
