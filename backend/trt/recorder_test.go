package trt

import (
	"strings"
	"testing"
)

func f32Weights(n int64) Weights {
	return Weights{Type: Float, Count: n, Values: make([]byte, 4*n)}
}

func TestRecorderSmoke(t *testing.T) {
	n := NewRecorder()
	x := n.AddInput("x", Float, Dims{1, 3, 224, 224})
	conv := n.AddConvolutionNd(x, Convolution{
		NbOutputMaps: 64, KernelSize: Dims{7, 7}, Kernel: f32Weights(64 * 3 * 49), Bias: f32Weights(64),
		Stride: Dims{2, 2}, PrePadding: Dims{3, 3}, PostPadding: Dims{3, 3},
	})
	conv.SetName("conv1/Conv2D")
	y := conv.Output(0)
	if got := y.Dimensions(); !got.Equal(Dims{1, 64, 112, 112}) {
		t.Fatalf("conv dims %v", got)
	}
	if y.Name() != "(Unnamed Layer* 0) [Convolution]_output" {
		t.Errorf("output name %q", y.Name())
	}
	relu := n.AddActivation(y, Activation{Type: ActivationRelu}).Output(0)
	pool := n.AddPoolingNd(relu, Pooling{Type: PoolingMax, WindowSize: Dims{3, 3}, Stride: Dims{2, 2}, PrePadding: Dims{1, 1}, PostPadding: Dims{1, 1}}).Output(0)
	if got := pool.Dimensions(); !got.Equal(Dims{1, 64, 56, 56}) {
		t.Fatalf("pool dims %v", got)
	}
	red := n.AddReduce(pool, Reduce{Operation: ReduceAvg, ReduceAxes: 0b1100, KeepDimensions: false}).Output(0)
	if got := red.Dimensions(); !got.Equal(Dims{1, 64}) {
		t.Fatalf("reduce dims %v", got)
	}
	sh := n.AddShuffle(red, Shuffle{ReshapeDimensions: Dims{0, -1, 1}, ZeroIsPlaceholder: true}).Output(0)
	if got := sh.Dimensions(); !got.Equal(Dims{1, 64, 1}) {
		t.Fatalf("shuffle dims %v", got)
	}
	if err := n.Err(); err != nil {
		t.Fatal(err)
	}
	n.MarkOutput(sh)
	// A bad layer records an error naming it.
	n.AddSoftMax(sh, 0b11)
	if err := n.Err(); err == nil || !strings.Contains(err.Error(), "layer 5") || !strings.Contains(err.Error(), "SoftMax") {
		t.Fatalf("err = %v", err)
	}
}

func TestValidateSmoke(t *testing.T) {
	n := NewRecorder()
	x := n.AddInput("x", Float, Dims{1, 3, 8, 8})
	y := n.AddActivation(x, Activation{Type: ActivationRelu}).Output(0)
	n.MarkOutput(y)
	if err := Validate(n.Description()); err != nil {
		t.Fatal(err)
	}
	n.AddSoftMax(y, 0b11)
	err := Validate(n.Description())
	if err == nil || !strings.Contains(err.Error(), "exactly one bit") || !strings.Contains(err.Error(), "dead") {
		t.Fatalf("err = %v", err)
	}
}

func TestRecorderNames(t *testing.T) {
	n := NewRecorder()
	x := n.AddInput("x", Float, Dims{2, 3})
	l := n.AddUnary(x, UnaryExp)
	if l.Name() != "(Unnamed Layer* 0) [Unary]" || l.Output(0).Name() != "(Unnamed Layer* 0) [Unary]_output" {
		t.Errorf("names %q, %q", l.Name(), l.Output(0).Name())
	}
	l.SetName("exp")
	l.Output(0).SetName("e")
	d := n.Description()
	if d.Layers[0].Name != "exp" || d.Layers[0].Outputs[0].Name != "e" {
		t.Errorf("SetName not recorded: %q %q", d.Layers[0].Name, d.Layers[0].Outputs[0].Name)
	}
	mm := n.AddMatrixMultiply(x, MatrixNone, x, MatrixTranspose)
	if mm.Name() != "(Unnamed Layer* 1) [Matrix Multiply]" {
		t.Errorf("matmul name %q", mm.Name())
	}
	tk := n.AddTopK(x, TopK{K: 1, ReduceAxes: 2})
	if tk.NbOutputs() != 2 || tk.Output(1).Name() != "(Unnamed Layer* 2) [TopK]_output_1" || tk.Output(2) != nil || tk.Output(-1) != nil {
		t.Errorf("topk outputs %d %q", tk.NbOutputs(), tk.Output(1).Name())
	}
	if got := n.AddSoftMax(x, 1).Name(); got != "(Unnamed Layer* 3) [Softmax]" {
		t.Errorf("softmax name %q", got)
	}
	if n.Err() != nil {
		t.Fatal(n.Err())
	}
	// Dimensions returns a copy.
	dims := x.Dimensions()
	dims[0] = 99
	if x.Dimensions()[0] != 2 {
		t.Error("Dimensions aliases the record")
	}
	if TensorDescOf(x) != d.Inputs[0] || LayerDescOf(l) != d.Layers[0] || TensorDescOf(nil) != nil {
		t.Error("TensorDescOf/LayerDescOf")
	}
}

func TestRecorderDefaults(t *testing.T) {
	n := NewRecorder()
	x := n.AddInput("x", Float, Dims{1, 2, 5, 5})
	conv := n.AddConvolutionNd(x, Convolution{NbOutputMaps: 2, KernelSize: Dims{3, 3}, Kernel: zeros(36)})
	pool := n.AddPoolingNd(x, Pooling{WindowSize: Dims{2, 2}})
	sh := n.AddShuffle(x, Shuffle{ReshapeDimensions: Dims{2, 25}})
	sl := n.AddSlice(x, Slice{Start: Dims{0, 0, 0, 0}, Size: Dims{1, 1, 1, 1}})
	tk := n.AddTopK(x, TopK{K: 1, ReduceAxes: 8})
	if err := n.Err(); err != nil {
		t.Fatal(err)
	}
	c := LayerDescOf(conv).Params.(Convolution)
	if !c.Stride.Equal(Dims{1, 1}) || !c.PrePadding.Equal(Dims{0, 0}) || !c.PostPadding.Equal(Dims{0, 0}) || !c.Dilation.Equal(Dims{1, 1}) || c.NbGroups != 1 {
		t.Errorf("conv defaults %+v", c)
	}
	p := LayerDescOf(pool).Params.(Pooling)
	if !p.Stride.Equal(Dims{1, 1}) || !p.PrePadding.Equal(Dims{0, 0}) {
		t.Errorf("pool defaults %+v", p)
	}
	s := LayerDescOf(sh).Params.(Shuffle)
	if permText(s.FirstTranspose) != "[0,1,2,3]" || permText(s.SecondTranspose) != "[0,1]" {
		t.Errorf("shuffle defaults %+v", s)
	}
	if got := LayerDescOf(sl).Params.(Slice).Stride; !got.Equal(Dims{1, 1, 1, 1}) {
		t.Errorf("slice stride %v", got)
	}
	if got := LayerDescOf(tk).Params.(TopK).IndicesType; got != Int32 {
		t.Errorf("topk indices %v", got)
	}
	// The caller's slices are not aliased by the record.
	k := Dims{3, 3}
	l := n.AddConvolutionNd(x, Convolution{NbOutputMaps: 2, KernelSize: k, Kernel: zeros(36)})
	k[0] = 5
	if LayerDescOf(l).Params.(Convolution).KernelSize[0] != 3 {
		t.Error("KernelSize aliased")
	}
	perm, shape := Permutation{1, 0}, Dims{2, 25}
	l = n.AddShuffle(x, Shuffle{ReshapeDimensions: shape, SecondTranspose: perm})
	perm[0], shape[0] = 7, 7
	if sp := LayerDescOf(l).Params.(Shuffle); sp.SecondTranspose[0] != 1 || sp.ReshapeDimensions[0] != 2 {
		t.Error("Shuffle parameters aliased")
	}
}

func TestRecorderNetworkErrors(t *testing.T) {
	n := NewRecorder()
	x := n.AddInput("x", Float, Dims{2})
	n.MarkOutput(x)
	if err := n.Err(); err == nil || !strings.Contains(err.Error(), `MarkOutput: tensor "x" is a network input`) {
		t.Errorf("mark input: %v", err)
	}
	n = NewRecorder()
	n.AddInput("x", Float, Dims{2})
	n.AddInput("x", Float, Dims{-1})
	n.AddInput("", Float, Dims{1, 1, 1, 1, 1, 1, 1, 1, 1})
	n.AddInput("t", DataType(77), Dims{1})
	y := n.AddIdentity(NewRecorder().AddInput("other", Float, nil)).Output(0)
	n.MarkOutput(y)
	n.MarkOutput(y)
	n.MarkOutput(NewRecorder().AddInput("o", Float, nil))
	n.MarkOutput(nil)
	var msgs []string
	for _, e := range n.Errs() {
		msgs = append(msgs, e.Error())
	}
	all := strings.Join(msgs, "\n")
	for _, w := range []string{
		`input "x": duplicate input name`,
		`input "x": dimensions [-1] have a negative value`,
		"input 2: empty name",
		`rank 9 > MaxDims 8`,
		`input "t": unknown type DataType(77)`,
		`input 0 "other" does not belong to this network`,
		`is already an output`,
		`MarkOutput: tensor "o" does not belong to this network`,
		`MarkOutput: tensor <nil> does not belong`,
	} {
		if !strings.Contains(all, w) {
			t.Errorf("errors\n%s\nwant %q", all, w)
		}
	}
	if n.Err().Error() != msgs[0] {
		t.Error("Err is not the first error")
	}
}

// Every Add method survives zero parameters, nil and foreign inputs, and
// absurd values without panicking, and still returns usable outputs.
func TestRecorderNoPanic(t *testing.T) {
	n := NewRecorder()
	x := n.AddInput("x", Float, Dims{1, 2, 3, 4})
	s := n.AddInput("s", Int32, Dims{})
	for _, a := range []Tensor{x, s, nil, NewRecorder().AddInput("f", Half, Dims{3})} {
		ls := []Layer{
			n.AddConvolutionNd(a, Convolution{}),
			n.AddConvolutionNd(a, Convolution{NbOutputMaps: -1, KernelSize: Dims{0, -3, 9, 9, 9, 9, 9, 9, 9}, NbGroups: -2, Stride: Dims{}, Dilation: Dims{-1}}),
			n.AddDeconvolutionNd(a, Deconvolution{KernelSize: Dims{1, 1}, Stride: Dims{0, 0}}),
			n.AddActivation(a, Activation{Type: -1}),
			n.AddPoolingNd(a, Pooling{WindowSize: Dims{5, 5, 5}, Stride: Dims{0}}),
			n.AddElementWise(a, x, 77),
			n.AddUnary(a, -5),
			n.AddReduce(a, Reduce{ReduceAxes: 1 << 31}),
			n.AddSoftMax(a, 1<<31),
			n.AddTopK(a, TopK{K: -1, ReduceAxes: 1 << 31}),
			n.AddShuffle(a, Shuffle{FirstTranspose: Permutation{9, -1}, ReshapeDimensions: Dims{-2, 0, 0, -1, -1}, ZeroIsPlaceholder: true, SecondTranspose: Permutation{}}),
			n.AddShuffle(a, Shuffle{ReshapeDimensions: Dims{0, -1}}),
			n.AddSlice(a, Slice{Start: Dims{1 << 62}, Size: Dims{-1}, Stride: Dims{1 << 62}, Fill: x}),
			n.AddConcatenation([]Tensor{a, nil, x}, -1),
			n.AddConcatenation(nil, 0),
			n.AddGather(a, a, Gather{Axis: 9, NbElementWiseDims: -1, Mode: GatherND}),
			n.AddGather(a, s, Gather{Axis: -1, Mode: 9}),
			n.AddMatrixMultiply(a, 9, nil, MatrixVector),
			n.AddEinsum([]Tensor{a, a}, "..."),
			n.AddEinsum([]Tensor{a}, "a...b...->"),
			n.AddEinsum(nil, ""),
			n.AddResize(a, Resize{ResizeMode: 9, OutputDimensions: Dims{-1, 2, 3, 4}}),
			n.AddConstant(Dims{-1}, Weights{Type: 99, Count: -1}),
			n.AddIdentity(a),
			n.AddCast(a, -1),
			n.AddSelect(a, nil, x),
			n.AddScaleNd(a, Scale{Mode: 9, ChannelAxis: 99, Shift: zeros(1)}),
			n.AddNormalization(a, nil, x, Normalization{Axes: 1 << 31, NbGroups: 7}),
			n.AddPaddingNd(a, nil, Dims{1}),
			n.AddFill(Fill{Dimensions: Dims{-1}, Operation: 9, ToType: Bool}),
			n.AddShape(a),
		}
		for _, l := range ls {
			if l == nil || l.NbOutputs() == 0 {
				t.Fatalf("layer without outputs")
			}
			for i := 0; i < l.NbOutputs(); i++ {
				if l.Output(i).Dimensions() == nil {
					t.Errorf("%s: nil dims", l.Name())
				}
				n.AddIdentity(l.Output(i))
			}
		}
	}
	if n.Err() == nil {
		t.Fatal("no errors recorded")
	}
	_ = Validate(n.Description())
	var b strings.Builder
	if err := Print(&b, n.Description()); err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if err := PrintJSON(&b, n.Description()); err != nil {
		t.Fatal(err)
	}
}
