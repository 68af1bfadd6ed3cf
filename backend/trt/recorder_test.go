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
