package kernels

import (
	"math/rand"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

func reportFlops(b *testing.B, flops float64) {
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func benchConv(b *testing.B, x, w []int, p ConvParams) {
	r := rand.New(rand.NewSource(1))
	xt, wt, bt := randTensor(r, x...), randTensor(r, w...), randTensor(r, w[0])
	out, err := Conv(xt, wt, bt, p)
	if err != nil {
		b.Fatal(err)
	}
	flops := 2 * float64(out.Len()) * float64(prod(w[1:]))
	b.ResetTimer()
	for range b.N {
		if _, err := Conv(xt, wt, bt, p); err != nil {
			b.Fatal(err)
		}
	}
	reportFlops(b, flops)
}

func conv2D(k, s, pad, groups int) ConvParams {
	return ConvParams{Strides: []int{s, s}, Dilations: []int{1, 1}, PadsBegin: []int{pad, pad}, PadsEnd: []int{pad, pad}, Groups: groups}
}

// BenchmarkConv3x3 is ResNet50's conv2_x 3x3 convolution.
func BenchmarkConv3x3(b *testing.B) {
	benchConv(b, []int{1, 64, 56, 56}, []int{64, 64, 3, 3}, conv2D(3, 1, 1, 1))
}

// BenchmarkConv1x1 is ResNet50's conv2_x 1x1 reduction (plain GEMM).
func BenchmarkConv1x1(b *testing.B) {
	benchConv(b, []int{1, 256, 56, 56}, []int{64, 256, 1, 1}, conv2D(1, 1, 0, 1))
}

// BenchmarkConv7x7s2 is ResNet50's first convolution.
func BenchmarkConv7x7s2(b *testing.B) {
	benchConv(b, []int{1, 3, 224, 224}, []int{64, 3, 7, 7}, conv2D(7, 2, 3, 1))
}

// BenchmarkConvDepthwise is a MobileNetV2-like depthwise 3x3 convolution.
func BenchmarkConvDepthwise(b *testing.B) {
	benchConv(b, []int{1, 144, 56, 56}, []int{144, 1, 3, 3}, conv2D(3, 1, 1, 144))
}

func BenchmarkMatMul512(b *testing.B) {
	r := rand.New(rand.NewSource(1))
	x, y := randTensor(r, 512, 512), randTensor(r, 512, 512)
	b.ResetTimer()
	for range b.N {
		if _, err := MatMul(x, y, false, false); err != nil {
			b.Fatal(err)
		}
	}
	reportFlops(b, 2*512*512*512)
}

func BenchmarkTransposeNHWCToNCHW(b *testing.B) {
	x := tensor.MustNew(tensor.Float32, tensor.Shape{1, 56, 56, 256})
	b.SetBytes(int64(4 * x.Len()))
	for range b.N {
		if _, err := Transpose(x, []int{0, 3, 1, 2}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddBias(b *testing.B) {
	x := tensor.MustNew(tensor.Float32, tensor.Shape{1, 256, 56, 56})
	y := tensor.MustNew(tensor.Float32, tensor.Shape{1, 256, 1, 1})
	b.SetBytes(int64(4 * x.Len()))
	for range b.N {
		if _, err := Binary(Add, x, y); err != nil {
			b.Fatal(err)
		}
	}
}
