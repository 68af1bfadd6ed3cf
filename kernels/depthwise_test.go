package kernels

import (
	"math"
	"math/rand"
	"sync/atomic"
	"testing"
)

// TestDepthwise2DBits checks that the direct depthwise kernel gives
// exactly the bits of the generic tap-by-tap loop plus the bias (NaN for
// NaN), over kernel sizes, strides, dilations, paddings (down to outputs
// of one column), channel multipliers, special input values and signed
// zeros (which padded sums must not change), and that its epilogue sees
// every output plane once.
func TestDepthwise2DBits(t *testing.T) {
	if !haveSgemmKernel {
		t.Skip("no AVX2 row loop on this CPU")
	}
	r := rand.New(rand.NewSource(3))
	special := []float32{float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), 1e-45, 3e38}
	for it := range 400 {
		N, C, mult := 1+r.Intn(2), 1+r.Intn(3), 1+r.Intn(2)
		O := C * mult
		KH, KW := 1+r.Intn(5), 1+r.Intn(5)
		p := ConvParams{
			Strides:   []int{1 + r.Intn(3), 1 + r.Intn(2)},
			Dilations: []int{1 + r.Intn(2), 1 + r.Intn(2)},
			PadsBegin: []int{r.Intn(4), r.Intn(4)},
			PadsEnd:   []int{r.Intn(4), r.Intn(4)},
			Groups:    C,
		}
		H, W := 1+r.Intn(12), 1+r.Intn(45)
		in, ks := []int{H, W}, []int{KH, KW}
		outSp := make([]int, 2)
		ok := true
		for j := range 2 {
			span := in[j] + p.PadsBegin[j] + p.PadsEnd[j] - p.Dilations[j]*(ks[j]-1) - 1
			if span < 0 {
				ok = false
				break
			}
			outSp[j] = span/p.Strides[j] + 1
		}
		if !ok {
			continue
		}
		fill := func(n int) []float32 {
			s := make([]float32, n)
			for i := range s {
				s[i] = float32(r.NormFloat64())
				if it%5 == 0 && r.Intn(30) == 0 {
					s[i] = special[r.Intn(len(special))]
				}
			}
			return s
		}
		x, w := fill(N*C*H*W), fill(O*KH*KW)
		for i, v := range w { // finite weights (else Conv uses the generic loop)
			if math.IsInf(float64(v), 0) || v != v {
				w[i] = float32(math.Copysign(0, -1))
			}
		}
		if r.Intn(4) == 0 { // zeros, whose signs the padded sums may lose
			for i := range x {
				if r.Intn(2) == 0 {
					x[i] = float32(math.Copysign(0, float64(r.Intn(2)*2-1)))
				}
			}
		}
		var b []float32
		if r.Intn(3) > 0 {
			b = fill(O)
		}
		OS := outSp[0] * outSp[1]
		want := make([]float32, N*O*OS)
		depthwiseTaps(want, x, w, N, C, O, tapMaps(in, ks, outSp, p), ks, H*W, OS)
		if b != nil {
			for i := range want {
				want[i] += b[i/OS%O]
			}
		}
		got := make([]float32, len(want))
		var planes atomic.Int64
		depthwise2D(got, x, w, b, N, C, O, in, ks, outSp, p, func(plane []float32) {
			if len(plane) != OS {
				t.Errorf("epilogue saw a plane of %d elements, want %d", len(plane), OS)
			}
			planes.Add(1)
		})
		if planes.Load() != int64(N*O) {
			t.Fatalf("epilogue ran on %d planes, want %d", planes.Load(), N*O)
		}
		for i := range got {
			g, w := got[i], want[i]
			if math.Float32bits(g) != math.Float32bits(w) && !(g != g && w != w) {
				t.Fatalf("x [%d %d %d %d], k %dx%d, %+v: element %d: got %v want %v", N, C, H, W, KH, KW, p, i, g, w)
			}
		}
	}
}

// TestConvPackBits checks that Conv with a ConvPack, on its first call
// (packing) and later ones (cached panels), gives the bits of Conv
// without one.
func TestConvPackBits(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	for range 40 {
		g := 1 + r.Intn(3)
		C, O := g*(1+r.Intn(6)), g*(1+r.Intn(9))
		k := 1 + r.Intn(3)
		x := randTensor(r, 1, C, 4+r.Intn(10), 4+r.Intn(10))
		w := randTensor(r, O, C/g, k, k)
		b := randTensor(r, O)
		p := ConvParams{Strides: []int{1, 1}, Dilations: []int{1, 1}, PadsBegin: []int{0, 1}, PadsEnd: []int{1, 0}, Groups: g}
		want, err := Conv(x, w, b, p)
		if err != nil {
			t.Fatal(err)
		}
		p.Pack = new(ConvPack)
		for call := range 2 {
			got, err := Conv(x, w, b, p)
			if err != nil {
				t.Fatal(err)
			}
			for i := range got.F32 {
				if math.Float32bits(got.F32[i]) != math.Float32bits(want.F32[i]) {
					t.Fatalf("call %d, x %v w %v groups %d: element %d: got %v want %v", call, x.Shape, w.Shape, g, i, got.F32[i], want.F32[i])
				}
			}
		}
	}
}
