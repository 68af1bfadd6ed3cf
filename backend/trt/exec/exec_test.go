package exec

import (
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/tensor"
)

func TestRunChain(t *testing.T) {
	// relu(x) * 2 - 1 through a Constant and two ElementWise layers,
	// with one intermediate also marked as an output.
	n := trt.NewRecorder()
	x := n.AddInput("x", trt.Float, trt.Dims{1, 4})
	r := n.AddActivation(x, trt.Activation{Type: trt.ActivationRelu}).Output(0)
	two := n.AddConstant(trt.Dims{1, 1}, weightsOf(t, 2)).Output(0)
	one := n.AddConstant(trt.Dims{1, 1}, weightsOf(t, 1)).Output(0)
	m := n.AddElementWise(r, two, trt.ElementWiseProd).Output(0)
	y := n.AddElementWise(m, one, trt.ElementWiseSub).Output(0)
	n.MarkOutput(y)
	n.MarkOutput(r)
	outs := runNet(t, n, map[string]*tensor.Tensor{"x": f32(tensor.Shape{1, 4}, -1, 0, 0.5, 3)})
	expect(t, outs[0], f32(tensor.Shape{1, 4}, -1, -1, 0, 5))
	expect(t, outs[1], f32(tensor.Shape{1, 4}, 0, 0, 0.5, 3))
}

func TestRunFreesIntermediates(t *testing.T) {
	n := trt.NewRecorder()
	x := n.AddInput("x", trt.Float, trt.Dims{4})
	one := n.AddConstant(trt.Dims{1}, weightsOf(t, 1)).Output(0)
	v := x
	var mid trt.Tensor
	for i := range 200 {
		v = n.AddElementWise(v, one, trt.ElementWiseSum).Output(0)
		if i == 50 {
			mid = v
		}
	}
	n.MarkOutput(v)
	n.MarkOutput(mid)
	peak := 0
	liveHook = func(k int) { peak = max(peak, k) }
	defer func() { liveHook = nil }()
	outs := runNet(t, n, map[string]*tensor.Tensor{"x": f32(tensor.Shape{4}, 0, 1, 2, 3)})
	expect(t, outs[0], f32(tensor.Shape{4}, 200, 201, 202, 203))
	expect(t, outs[1], f32(tensor.Shape{4}, 51, 52, 53, 54))
	// The constant, the current value and the output mid.
	if peak > 3 {
		t.Errorf("%d tensors live at once, want ≤ 3", peak)
	}
}

func TestRunInputChecks(t *testing.T) {
	n := trt.NewRecorder()
	x := n.AddInput("x", trt.Float, trt.Dims{2})
	n.MarkOutput(n.AddIdentity(x).Output(0))
	d := n.Description()
	good := f32(tensor.Shape{2}, 1, 2)
	for _, tc := range []struct {
		name   string
		inputs map[string]*tensor.Tensor
		want   string
	}{
		{"missing", map[string]*tensor.Tensor{}, `input "x"`},
		{"dims", map[string]*tensor.Tensor{"x": f32(tensor.Shape{1, 2}, 1, 2)}, "expected f32[2]"},
		{"dtype", map[string]*tensor.Tensor{"x": i32(tensor.Shape{2}, 1, 2)}, "expected f32[2]"},
		{"extra", map[string]*tensor.Tensor{"x": good, "y": good}, `unknown inputs "y"`},
		{"inconsistent", map[string]*tensor.Tensor{"x": f32(tensor.Shape{2}, 1)}, "holds 1 elements"},
	} {
		if _, err := Run(d, tc.inputs); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tc.name, err, tc.want)
		}
	}
	outs, err := Run(d, map[string]*tensor.Tensor{"x": good})
	if err != nil {
		t.Fatal(err)
	}
	outs[0].F32[0] = 9
	if good.F32[0] != 1 {
		t.Error("the output shares storage with the input")
	}
}

func TestRunErrorNamesLayer(t *testing.T) {
	// Integer division by zero is only found at run time.
	n := trt.NewRecorder()
	a := n.AddInput("a", trt.Int32, trt.Dims{2})
	b := n.AddInput("b", trt.Int32, trt.Dims{2})
	l := n.AddElementWise(a, b, trt.ElementWiseDiv)
	l.SetName("div/node")
	n.MarkOutput(l.Output(0))
	_, err := Run(n.Description(), map[string]*tensor.Tensor{"a": i32(tensor.Shape{2}, 1, 2), "b": i32(tensor.Shape{2}, 1, 0)})
	if err == nil || !strings.Contains(err.Error(), `layer 0 "div/node" (ElementWise)`) || !strings.Contains(err.Error(), "division by zero") {
		t.Fatalf("err = %v", err)
	}
}

func TestRunChecksRecordedOutputs(t *testing.T) {
	// A description whose recorded output dimensions disagree with what
	// the layer computes (as a wrong shape rule would produce).
	in := &trt.TensorDesc{ID: 0, Name: "x", Type: trt.Float, Dims: trt.Dims{2, 3}}
	l := &trt.LayerDesc{ID: 0, Name: "t", Type: trt.LayerShuffle, Inputs: []*trt.TensorDesc{in},
		Params: trt.Shuffle{FirstTranspose: trt.Permutation{1, 0}}}
	out := &trt.TensorDesc{ID: 1, Name: "y", Type: trt.Float, Dims: trt.Dims{2, 3}, Producer: l}
	l.Outputs = []*trt.TensorDesc{out}
	d := &trt.Description{Inputs: []*trt.TensorDesc{in}, Outputs: []*trt.TensorDesc{out}, Layers: []*trt.LayerDesc{l}}
	_, err := Run(d, map[string]*tensor.Tensor{"x": tensor.MustNew(tensor.Float32, tensor.Shape{2, 3})})
	if err == nil || !strings.Contains(err.Error(), `layer 0 "t" (Shuffle): output 0 (tensor "y") is f32[3,2], the description says f32[2,3]`) {
		t.Fatalf("err = %v", err)
	}
	// Reading a tensor no earlier layer produced.
	ghost := &trt.TensorDesc{ID: 7, Name: "ghost", Type: trt.Float, Dims: trt.Dims{2, 3}}
	l.Inputs[0] = ghost
	_, err = Run(d, map[string]*tensor.Tensor{"x": tensor.MustNew(tensor.Float32, tensor.Shape{2, 3})})
	if err == nil || !strings.Contains(err.Error(), `input 0 (tensor "ghost") has not been computed`) {
		t.Fatalf("err = %v", err)
	}
}

func TestRunHalf(t *testing.T) {
	// kHALF tensors hold half-precision values: 1/3 is rounded to the
	// nearest half, 0x3555 = 0.333251953125.
	n := trt.NewRecorder()
	x := n.AddInput("x", trt.Half, trt.Dims{1})
	three := n.AddConstant(trt.Dims{1}, weightsOfTensor(t, &tensor.Tensor{DType: tensor.Float16, Shape: tensor.Shape{1}, F32: []float32{3}})).Output(0)
	n.MarkOutput(n.AddElementWise(x, three, trt.ElementWiseDiv).Output(0))
	outs := runNet(t, n, map[string]*tensor.Tensor{"x": {DType: tensor.Float16, Shape: tensor.Shape{1}, F32: []float32{1}}})
	expect(t, outs[0], &tensor.Tensor{DType: tensor.Float16, Shape: tensor.Shape{1}, F32: []float32{tensor.F16FromBits(0x3555)}})
}

func TestDTypes(t *testing.T) {
	for _, tc := range []struct {
		in   trt.DataType
		want tensor.DType
	}{{trt.Float, tensor.Float32}, {trt.Half, tensor.Float16}, {trt.BF16, tensor.BFloat16}, {trt.Int32, tensor.Int32}, {trt.Int64, tensor.Int64}, {trt.Bool, tensor.Bool}, {trt.Int8, tensor.Int8}} {
		if got, err := DType(tc.in); got != tc.want || err != nil {
			t.Errorf("DType(%v) = %v, %v", tc.in, got, err)
		}
	}
	for _, bad := range []trt.DataType{trt.Uint8, trt.DataType(99)} {
		if _, err := DType(bad); err == nil {
			t.Errorf("DType(%v) accepted", bad)
		}
	}
}

// TestQuantizeDequantize: IQuantizeLayer rounds x/scale to nearest even
// and clamps to [-128, 127]; IDequantizeLayer multiplies back; per channel
// along the axis.
func TestQuantizeDequantize(t *testing.T) {
	x := tensor.FromF32(tensor.Shape{2, 4}, []float32{0.25, 0.75, -0.25, 100, 1, -1, 3.5, -200})
	s := tensor.FromF32(tensor.Shape{2}, []float32{0.5, 1})
	q, err := quantize(x, s, trt.Quantize{Axis: 0, ToType: trt.Int8})
	if err != nil {
		t.Fatal(err)
	}
	want := []int32{0, 2, 0, 127, 1, -1, 4, -128}
	for i, v := range q.I32 {
		if v != want[i] || q.DType != tensor.Int8 {
			t.Fatalf("quantize: got %v %v, want %v", q.DType, q.I32, want)
		}
	}
	y, err := dequantize(q, s, trt.Dequantize{Axis: 0, ToType: trt.Half})
	if err != nil {
		t.Fatal(err)
	}
	wantY := []float32{0, 1, 0, 63.5, 1, -1, 4, -128}
	for i, v := range y.F32 {
		if v != wantY[i] || y.DType != tensor.Float16 {
			t.Fatalf("dequantize: got %v %v, want %v", y.DType, y.F32, wantY)
		}
	}
	// kFP8: E4M3 values of x/scale, saturated at ±448.
	q8, err := quantize(x, s, trt.Quantize{Axis: 0, ToType: trt.FP8})
	if err != nil {
		t.Fatal(err)
	}
	want8 := []float32{0.5, 1.5, -0.5, 192, 1, -1, 3.5, -192} // 200 is a tie between 192 and 208
	for i, v := range q8.F32 {
		if v != want8[i] || q8.DType != tensor.Float32 {
			t.Fatalf("quantize kFP8: got %v %v, want %v", q8.DType, q8.F32, want8)
		}
	}
	if _, err := quantize(x, tensor.FromF32(tensor.Shape{}, []float32{0}), trt.Quantize{ToType: trt.Int8}); err == nil {
		t.Error("a zero scale was accepted")
	}
}

// TestKernelsComplete checks that every layer kind has a kernel, and that
// every kernel belongs to a kind.
func TestKernelsComplete(t *testing.T) {
	kinds := map[trt.LayerType]bool{}
	for _, p := range trt.LayerKinds() {
		kinds[p.Kind()] = true
		if layerKernels[p.Kind()] == nil {
			t.Errorf("%T (%v): no kernel", p, p.Kind())
		}
	}
	for k := range layerKernels {
		if !kinds[k] {
			t.Errorf("kernel for %v, which is not in trt.LayerKinds", k)
		}
	}
}
