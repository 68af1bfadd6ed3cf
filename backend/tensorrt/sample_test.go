package tensorrt

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
)

func f32Weights(vals ...float32) trt.Weights {
	b := make([]byte, 4*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return trt.Weights{Type: trt.Float, Count: int64(len(vals)), Values: b}
}

func ramp(n int) trt.Weights {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(i%7-3) / 10
	}
	return f32Weights(v...)
}

// tinyNetwork is input → convolution → ReLU → output.
func tinyNetwork(net trt.Network) error {
	x := net.AddInput("x", trt.Float, trt.Dims{1, 3, 8, 8})
	conv := net.AddConvolutionNd(x, trt.Convolution{NbOutputMaps: 4, KernelSize: trt.Dims{3, 3},
		Kernel: ramp(4 * 3 * 9), Bias: ramp(4), PrePadding: trt.Dims{1, 1}, PostPadding: trt.Dims{1, 1}})
	conv.SetName("conv")
	relu := net.AddActivation(conv.Output(0), trt.Activation{Type: trt.ActivationRelu})
	relu.SetName("relu")
	relu.Output(0).SetName("y")
	net.MarkOutput(relu.Output(0))
	return net.Err()
}

// richNetwork uses most layer kinds tfc lowers to.
func richNetwork(net trt.Network) error {
	x := net.AddInput("image", trt.Float, trt.Dims{1, 3, 16, 16})
	conv := net.AddConvolutionNd(x, trt.Convolution{NbOutputMaps: 8, KernelSize: trt.Dims{3, 3}, Kernel: ramp(8 * 3 * 9),
		Bias: ramp(8), Stride: trt.Dims{2, 2}, PrePadding: trt.Dims{1, 1}, PostPadding: trt.Dims{1, 1}})
	conv.SetName("conv1")
	act := net.AddActivation(conv.Output(0), trt.Activation{Type: trt.ActivationLeakyRelu, Alpha: 0.1})
	pool := net.AddPoolingNd(act.Output(0), trt.Pooling{Type: trt.PoolingAverage, WindowSize: trt.Dims{2, 2},
		Stride: trt.Dims{2, 2}, AverageCountExcludesPadding: true})
	pad := net.AddPaddingNd(pool.Output(0), trt.Dims{1, 1}, trt.Dims{0, 0})
	sl := net.AddSlice(pad.Output(0), trt.Slice{Start: trt.Dims{0, 0, 1, 1}, Size: trt.Dims{1, 8, 4, 4}, Stride: trt.Dims{1, 1, 1, 1}})
	red := net.AddReduce(sl.Output(0), trt.Reduce{Operation: trt.ReduceAvg, ReduceAxes: 1<<2 | 1<<3, KeepDimensions: true})
	sub := net.AddElementWise(sl.Output(0), red.Output(0), trt.ElementWiseSub)
	un := net.AddUnary(sub.Output(0), trt.UnaryAbs)
	sh := net.AddShuffle(un.Output(0), trt.Shuffle{FirstTranspose: trt.Permutation{0, 2, 3, 1}, ReshapeDimensions: trt.Dims{1, 128}})
	w := net.AddConstant(trt.Dims{128, 10}, ramp(1280))
	mm := net.AddMatrixMultiply(sh.Output(0), trt.MatrixNone, w.Output(0), trt.MatrixNone)
	mm.SetName("fc")
	sm := net.AddSoftMax(mm.Output(0), 1<<1)
	sm.Output(0).SetName("prob")
	net.MarkOutput(sm.Output(0))
	cat := net.AddConcatenation([]trt.Tensor{mm.Output(0), sm.Output(0)}, 1)
	cast := net.AddCast(cat.Output(0), trt.Half)
	id := net.AddIdentity(cast.Output(0))
	id.Output(0).SetName("both")
	net.MarkOutput(id.Output(0))
	return net.Err()
}

// TestBuildReplays replays a recorded network into a Recorder: the
// printed networks are identical.
func TestBuildReplays(t *testing.T) {
	for name, f := range map[string]func(trt.Network) error{"tiny": tinyNetwork, "rich": richNetwork} {
		r := trt.NewRecorder()
		if err := f(r); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		r2 := trt.NewRecorder()
		if err := Build(r2, r.Description()); err != nil {
			t.Fatalf("%s: Build: %v", name, err)
		}
		var a, b bytes.Buffer
		if err := trt.Print(&a, r.Description()); err != nil {
			t.Fatal(err)
		}
		if err := trt.Print(&b, r2.Description()); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("%s: replayed network differs:\n%s\nwant:\n%s", name, b.String(), a.String())
		}
	}
}
