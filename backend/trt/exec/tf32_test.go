package exec

import (
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/tensor"
)

// TestConfigTF32: under Config.TF32 the float32 operands of Convolution,
// Deconvolution, MatrixMultiply and Einsum layers, kernel weights
// included, are rounded to TF32 before the products; biases and other
// layers are not.
func TestConfigTF32(t *testing.T) {
	const a = 1 + 0x1p-12 // 1 in TF32 (below the half step 2^-11)
	one := func(v float32) *tensor.Tensor { return f32(tensor.Shape{1, 1, 1, 1}, v) }
	conv := trt.Convolution{NbOutputMaps: 1, KernelSize: trt.Dims{1, 1}, Kernel: weightsOf(t, a), Bias: weightsOf(t, 0x1p-12)}
	for _, c := range []struct {
		name         string
		add          func(n *trt.Recorder, in []trt.Tensor) trt.Layer
		xs           []*tensor.Tensor
		strict, tf32 float32
	}{
		{"MatrixMultiply", func(n *trt.Recorder, in []trt.Tensor) trt.Layer {
			return n.AddMatrixMultiply(in[0], trt.MatrixNone, in[1], trt.MatrixNone)
		}, []*tensor.Tensor{f32(tensor.Shape{1, 1}, a), f32(tensor.Shape{1, 1}, 3)}, 3 * a, 3},
		{"Einsum", func(n *trt.Recorder, in []trt.Tensor) trt.Layer {
			return n.AddEinsum(in, "ij,jk->ik")
		}, []*tensor.Tensor{f32(tensor.Shape{1, 1}, 3), f32(tensor.Shape{1, 1}, a)}, 3 * a, 3},
		{"Convolution", func(n *trt.Recorder, in []trt.Tensor) trt.Layer {
			return n.AddConvolutionNd(in[0], conv)
		}, []*tensor.Tensor{one(3)}, 3*a + 0x1p-12, 3 + 0x1p-12},
		{"Convolution input", func(n *trt.Recorder, in []trt.Tensor) trt.Layer {
			p := conv
			p.Kernel, p.Bias = weightsOf(t, 3), trt.Weights{}
			return n.AddConvolutionNd(in[0], p)
		}, []*tensor.Tensor{one(a)}, 3 * a, 3},
		{"Deconvolution", func(n *trt.Recorder, in []trt.Tensor) trt.Layer {
			return n.AddDeconvolutionNd(in[0], trt.Deconvolution(conv))
		}, []*tensor.Tensor{one(3)}, 3*a + 0x1p-12, 3 + 0x1p-12},
		{"ElementWise", func(n *trt.Recorder, in []trt.Tensor) trt.Layer {
			return n.AddElementWise(in[0], in[1], trt.ElementWiseProd)
		}, []*tensor.Tensor{f32(tensor.Shape{1}, a), f32(tensor.Shape{1}, 3)}, 3 * a, 3 * a},
	} {
		n := trt.NewRecorder()
		var ins []trt.Tensor
		feed := map[string]*tensor.Tensor{}
		for i, x := range c.xs {
			name := string(rune('a' + i))
			ins = append(ins, n.AddInput(name, trt.Float, dimsOf(x.Shape)))
			feed[name] = x
		}
		n.MarkOutput(c.add(n, ins).Output(0))
		if err := n.Err(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, tf32 := range []bool{false, true} {
			p, err := PrepareConfig(n.Description(), Config{TF32: tf32})
			if err != nil {
				t.Fatal(err)
			}
			out, err := p.Run(feed)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			want := map[bool]float32{false: c.strict, true: c.tf32}[tf32]
			if got := out[0].F32[0]; got != want {
				t.Errorf("%s, TF32 %v: got %x, want %x", c.name, tf32, got, want)
			}
		}
	}
}
