package exec

import (
	"math/rand/v2"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

func TestConvolutionPaddingModes(t *testing.T) {
	// 1-D: x = [1,2,3], kernel (1,10), bias 100.
	x := f32(tensor.Shape{1, 1, 3}, 1, 2, 3)
	p := trt.Convolution{NbOutputMaps: 1, KernelSize: trt.Dims{2}, Kernel: weightsOf(t, 1, 10), Bias: weightsOf(t, 100),
		PrePadding: trt.Dims{1}, PostPadding: trt.Dims{0}}
	// Explicit pre-padding 1: [0,1,2,3] -> 0+10, 1+20, 2+30, plus 100.
	expect(t, must(t)(convolution(x, p)), f32(tensor.Shape{1, 1, 3}, 110, 121, 132))
	// The same as a 2-D network layer (TensorRT convolutions are 2-D or
	// 3-D) of height 1.
	p2 := p
	p2.KernelSize, p2.PrePadding, p2.PostPadding = trt.Dims{1, 2}, trt.Dims{0, 1}, trt.Dims{0, 0}
	outs := oneLayer(t, func(n *trt.Recorder, in []trt.Tensor) trt.Layer { return n.AddConvolutionNd(in[0], p2) },
		f32(tensor.Shape{1, 1, 1, 3}, 1, 2, 3))
	expect(t, outs[0], f32(tensor.Shape{1, 1, 1, 3}, 110, 121, 132))
	// kSAME_UPPER overrides the padding: P = floor((3-1)/1)*1 + 2 - 3 = 1,
	// B = 0, A = 1: [1,2,3,0] -> 21, 32, 3, plus 100.
	p.PaddingMode = trt.PaddingSameUpper
	expect(t, must(t)(convolution(x, p)), f32(tensor.Shape{1, 1, 3}, 121, 132, 103))
	// kSAME_LOWER puts the odd padding first: A = 0, B = 1.
	p.PaddingMode = trt.PaddingSameLower
	expect(t, must(t)(convolution(x, p)), f32(tensor.Shape{1, 1, 3}, 110, 121, 132))
	// x = [1,2,3,4], stride 2, post-padding 1: M = 5, (M-DK)/S = 1.5.
	// kEXPLICIT_ROUND_DOWN: 2 outputs, windows (1,2) and (3,4).
	// kEXPLICIT_ROUND_UP: 3 outputs, the last window (pad, past) reads 0.
	x = f32(tensor.Shape{1, 1, 4}, 1, 2, 3, 4)
	p = trt.Convolution{NbOutputMaps: 1, KernelSize: trt.Dims{2}, Kernel: weightsOf(t, 1, 10), Bias: weightsOf(t, 100),
		Stride: trt.Dims{2}, PostPadding: trt.Dims{1}}
	expect(t, must(t)(convolution(x, p)), f32(tensor.Shape{1, 1, 2}, 121, 143))
	p.PaddingMode = trt.PaddingExplicitRoundUp
	expect(t, must(t)(convolution(x, p)), f32(tensor.Shape{1, 1, 3}, 121, 143, 100))
}

func TestConvolutionWeightLayout(t *testing.T) {
	// KCRS: w[k][c] = (1,2 | 3,4) for a 1x1 kernel, x channels (1, 10):
	// out k0 = 1*1 + 2*10 = 21, k1 = 3*1 + 4*10 = 43 (a CKRS reading
	// would give 31 and 42).
	x := f32(tensor.Shape{1, 2, 1}, 1, 10)
	p := trt.Convolution{NbOutputMaps: 2, KernelSize: trt.Dims{1}, Kernel: weightsOf(t, 1, 2, 3, 4)}
	expect(t, must(t)(convolution(x, p)), f32(tensor.Shape{1, 2, 1}, 21, 43))
	// Two groups: one input channel per output map, w = (5 | 7).
	p = trt.Convolution{NbOutputMaps: 2, KernelSize: trt.Dims{1}, Kernel: weightsOf(t, 5, 7), NbGroups: 2}
	expect(t, must(t)(convolution(x, p)), f32(tensor.Shape{1, 2, 1}, 5, 70))
	// Deconvolution is CKRS: w[c][k] = (1,2 | 3,4): out k0 = 1*1 + 3*10,
	// k1 = 2*1 + 4*10.
	d := trt.Deconvolution{NbOutputMaps: 2, KernelSize: trt.Dims{1}, Kernel: weightsOf(t, 1, 2, 3, 4)}
	expect(t, must(t)(deconvolution(x, d, nil, false)), f32(tensor.Shape{1, 2, 1}, 31, 42))
	// The same kernel as a tensor (input 1) is [C, K/g, k] = [2, 2, 1].
	d = trt.Deconvolution{NbOutputMaps: 2, KernelSize: trt.Dims{1}}
	expect(t, must(t)(deconvolution(x, d, f32(tensor.Shape{2, 2, 1}, 1, 2, 3, 4), false)), f32(tensor.Shape{1, 2, 1}, 31, 42))
	if _, err := deconvolution(x, d, f32(tensor.Shape{1, 4, 1}, 1, 2, 3, 4), false); err == nil {
		t.Error("deconvolution kernel input [1,4,1] accepted for 2 input channels and 2 output maps")
	}
}

func TestConvolutionBatchDimensions(t *testing.T) {
	// TensorRT convolves the last len(KernelSize)+1 dimensions: an input
	// without a batch dimension, or with two, gives the same planes as
	// each [1, C, H, W] slice alone.
	rng := rand.New(rand.NewPCG(13, 14))
	x := randF32(rng, 2, 3, 4, 5, 6)
	w := randF32(rng, 2, 4, 3, 3)
	p := trt.Convolution{NbOutputMaps: 2, KernelSize: trt.Dims{3, 3}, Kernel: weightsOfTensor(t, w), Bias: weightsOf(t, 1, -1),
		PrePadding: trt.Dims{1, 0}, PostPadding: trt.Dims{1, 2}, Stride: trt.Dims{2, 1}, Dilation: trt.Dims{1, 2}}
	got := must(t)(convolution(x, p))
	if want := (tensor.Shape{2, 3, 2, 3, 4}); !got.Shape.Equal(want) {
		t.Fatalf("shape %v, want %v", got.Shape, want)
	}
	plane := 4 * 5 * 6
	outPlane := 2 * 3 * 4
	for s := range 6 {
		xs := f32(tensor.Shape{4, 5, 6}, x.F32[s*plane:(s+1)*plane]...)
		ys := must(t)(convolution(xs, p))
		expect(t, ys, f32(tensor.Shape{2, 3, 4}, got.F32[s*outPlane:(s+1)*outPlane]...))
	}
}

func TestDeconvolution(t *testing.T) {
	// x = [1,2], kernel (1,10), stride 2: the full output has
	// (2-1)*2 + 2 = 4 positions, [1,10,2,20]; pre-padding 1 crops the
	// first.
	x := f32(tensor.Shape{1, 1, 2}, 1, 2)
	p := trt.Deconvolution{NbOutputMaps: 1, KernelSize: trt.Dims{1, 2}, Kernel: weightsOf(t, 1, 10), Stride: trt.Dims{1, 2}, PrePadding: trt.Dims{0, 1}}
	outs := oneLayer(t, func(n *trt.Recorder, in []trt.Tensor) trt.Layer { return n.AddDeconvolutionNd(in[0], p) },
		f32(tensor.Shape{1, 1, 1, 2}, 1, 2))
	expect(t, outs[0], f32(tensor.Shape{1, 1, 1, 3}, 10, 2, 20))
	// Kernel (1,10,100), stride 2: full output [1,10,102,20,200].
	// kSAME_UPPER: P = max(3-2, 0) = 1 cropped at the end (B = 0, A = 1),
	// kSAME_LOWER at the start; O = min(I*S, (I-1)*S + DK) = 4.
	p = trt.Deconvolution{NbOutputMaps: 1, KernelSize: trt.Dims{3}, Kernel: weightsOf(t, 1, 10, 100), Stride: trt.Dims{2}, PaddingMode: trt.PaddingSameUpper}
	expect(t, must(t)(deconvolution(x, p, nil, false)), f32(tensor.Shape{1, 1, 4}, 1, 10, 102, 20))
	p.PaddingMode = trt.PaddingSameLower
	expect(t, must(t)(deconvolution(x, p, nil, false)), f32(tensor.Shape{1, 1, 4}, 10, 102, 20, 200))
	p = trt.Deconvolution{NbOutputMaps: 1, KernelSize: trt.Dims{2}, Kernel: weightsOf(t, 1, 10), PrePadding: trt.Dims{-1}}
	if _, err := deconvolution(x, p, nil, false); err == nil {
		t.Error("negative deconvolution padding accepted")
	}
}

func TestPoolingRoundUpAndCounts(t *testing.T) {
	// x = [1,2,3,4], window 2, stride 2, pre-padding 1, kEXPLICIT_ROUND_UP:
	// M = 5, ceil(3/2) + 1 = 3 windows over input positions (-1,0),
	// (1,2), (3,4); position -1 is padding, 4 is past the padded input.
	x := f32(tensor.Shape{1, 1, 4}, 1, 2, 3, 4)
	p := trt.Pooling{Type: trt.PoolingMax, WindowSize: trt.Dims{1, 2}, Stride: trt.Dims{1, 2}, PrePadding: trt.Dims{0, 1},
		PaddingMode: trt.PaddingExplicitRoundUp, AverageCountExcludesPadding: true}
	outs := oneLayer(t, func(n *trt.Recorder, in []trt.Tensor) trt.Layer { return n.AddPoolingNd(in[0], p) },
		f32(tensor.Shape{1, 1, 1, 4}, 1, 2, 3, 4))
	expect(t, outs[0], f32(tensor.Shape{1, 1, 1, 3}, 1, 3, 4))
	p.WindowSize, p.Stride, p.PrePadding = trt.Dims{2}, trt.Dims{2}, trt.Dims{1}
	expect(t, must(t)(pooling(x, p)), f32(tensor.Shape{1, 1, 3}, 1, 3, 4))
	// Averages over the positions inside the input: 1/1, 5/2, 4/1.
	p.Type = trt.PoolingAverage
	expect(t, must(t)(pooling(x, p)), f32(tensor.Shape{1, 1, 3}, 1, 2.5, 4))
	// Counting the padding too: the first window overlaps the padded
	// input in 2 positions, the last in 1: 1/2, 5/2, 4/1.
	p.AverageCountExcludesPadding = false
	expect(t, must(t)(pooling(x, p)), f32(tensor.Shape{1, 1, 3}, 0.5, 2.5, 4))
	// kMAX_AVERAGE_BLEND, blend 0.25: 0.75*max + 0.25*avg.
	p.Type, p.BlendFactor, p.AverageCountExcludesPadding = trt.PoolingMaxAverageBlend, 0.25, true
	expect(t, must(t)(pooling(x, p)), f32(tensor.Shape{1, 1, 3}, 1, 2.875, 4))
	// kSAME_UPPER on [1..5], window 2, stride 2: O = 3, P = 4 + 2 - 5 = 1
	// after the input; the last window (5, pad) averages 5/1 or 5/2.
	x = f32(tensor.Shape{1, 1, 5}, 1, 2, 3, 4, 5)
	p = trt.Pooling{Type: trt.PoolingAverage, WindowSize: trt.Dims{2}, Stride: trt.Dims{2}, PaddingMode: trt.PaddingSameUpper, AverageCountExcludesPadding: true}
	expect(t, must(t)(pooling(x, p)), f32(tensor.Shape{1, 1, 3}, 1.5, 3.5, 5))
	p.AverageCountExcludesPadding = false
	expect(t, must(t)(pooling(x, p)), f32(tensor.Shape{1, 1, 3}, 1.5, 3.5, 2.5))
}

func TestPoolRefMatchesKernel(t *testing.T) {
	// The per-element reference agrees with the kernel on the cases the
	// kernel computes.
	rng := rand.New(rand.NewPCG(15, 16))
	for range 60 {
		s := 1 + rng.IntN(3)
		shape := tensor.Shape{1 + rng.IntN(2), 1 + rng.IntN(3)}
		var k, st, pre, post []int
		for range s {
			kk := 1 + rng.IntN(3)
			pa, pb := rng.IntN(kk), rng.IntN(kk)
			n := kk + rng.IntN(4) - pa - pb
			shape = append(shape, max(n, 1))
			k, st, pre, post = append(k, kk), append(st, 1+rng.IntN(2)), append(pre, pa), append(post, pb)
		}
		x := randF32(rng, shape...)
		for _, typ := range []trt.PoolingType{trt.PoolingMax, trt.PoolingAverage} {
			for _, excl := range []bool{false, true} {
				p := trt.Pooling{Type: typ, WindowSize: dimsOf(k), Stride: dimsOf(st), PrePadding: dimsOf(pre), PostPadding: dimsOf(post), AverageCountExcludesPadding: excl}
				sp, err := spatial(p.WindowSize, p.Stride, p.PrePadding, p.PostPadding, nil)
				if err != nil {
					t.Fatal(err)
				}
				b, e, out, err := forwardPadding(p.PaddingMode, []int(x.Shape[2:]), sp)
				if err != nil {
					continue // window larger than the padded input
				}
				got := must(t)(poolRef(x, p, sp, b, e, out))
				kind := kernels.PoolMax
				if typ == trt.PoolingAverage {
					kind = kernels.PoolAvg
				}
				want := must(t)(kernels.Pool(x, kernels.PoolParams{Kind: kind, Window: k, Strides: st, PadsBegin: pre, PadsEnd: post,
					CountIncludePad: typ == trt.PoolingAverage && !excl}))
				near(t, got, want, 1e-6, 1e-6)
			}
		}
	}
}
