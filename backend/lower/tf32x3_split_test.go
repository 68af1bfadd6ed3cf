package lower

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/backend/trt/exec"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// splitNetwork runs splitTensor's layers on xs with the reference
// executor (strict FP32: the split itself is ElementWise arithmetic) and
// returns hi and lo.
func splitNetwork(t *testing.T, xs []float32) (hi, lo []float32) {
	t.Helper()
	f, err := ir.Parse("split", []byte("func @f {\n  %0 = input {name=\"x:0\"} : f32[4]\n  return \"y\" = %0\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	rec := trt.NewRecorder()
	l := newLowerer(f, rec)
	l.opts.TF32x3 = true
	in := rec.AddInput("x", trt.Float, trt.Dims{int64(len(xs))})
	h, w := l.splitTensor(f.Ops[0], "split", in)
	h.SetName("hi")
	w.SetName("lo")
	rec.MarkOutput(h)
	rec.MarkOutput(w)
	if err := rec.Err(); err != nil {
		t.Fatal(err)
	}
	d := rec.Description()
	if err := trt.Validate(d); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Run(d, map[string]*tensor.Tensor{"x": tensor.FromF32(tensor.Shape{len(xs)}, xs)})
	if err != nil {
		t.Fatal(err)
	}
	return out[0].F32, out[1].F32
}

// significantBits is the number of bits from the highest to the lowest
// set bit of a finite float32's significand (0 for zero).
func significantBits(x float32) int {
	b := math.Float32bits(x)
	m := b & 0x7fffff
	if b&0x7f800000 != 0 {
		m |= 0x800000 // the implicit bit of a normal number
	}
	if m == 0 {
		return 0
	}
	return 32 - bits.LeadingZeros32(m) - bits.TrailingZeros32(m)
}

// checkSplit checks one element of the split: hi + lo == x exactly, hi
// with at most 11 significant bits, a TF32 value for a normal x (a
// subnormal x's hi may hold bits below TF32's least step, 2^-136, so
// rounding it moves it by at most 2^-137), and the same for the split a
// GPU computes when it contracts t - x into a fused multiply-add.
func checkSplit(t *testing.T, x, hi, lo float32) bool {
	t.Helper()
	if float64(hi)+float64(lo) != float64(x) || hi+lo != x {
		t.Errorf("split(%x): hi %x + lo %x != x", x, hi, lo)
		return false
	}
	if n := significantBits(hi); n > 11 {
		t.Errorf("split(%x): hi %x has %d significant bits", x, hi, n)
		return false
	}
	normal := math.Abs(float64(x)) >= 0x1p-126
	if normal && !tensor.IsTF32(hi) {
		t.Errorf("split(%x): hi %x of a normal x is not a TF32 value", x, hi)
		return false
	}
	if d := math.Abs(float64(tensor.RoundTF32(hi)) - float64(hi)); d > 0x1p-137 {
		t.Errorf("split(%x): hi %x moves by %g when rounded to TF32", x, hi, d)
		return false
	}
	// Contracted: fl(t - x) = 8192x exactly, hi = t - 8192x.
	p := float32(x * 8193)
	fh := p - float32(8192*x)
	if fh+(x-fh) != x || float64(x-fh) != float64(x)-float64(fh) || significantBits(fh) > 11 || normal && !tensor.IsTF32(fh) {
		t.Errorf("contracted split(%x): hi %x lo %x", x, fh, x-fh)
		return false
	}
	return true
}

// TestSplitTensor checks Veltkamp's splitting as splitTensor builds it
// (tf32x3.go) on every float32 of the binade [1, 2) (the split commutes
// with scaling by powers of two while nothing under- or overflows), every
// subnormal, edge values and random ones of every magnitude and sign.
func TestSplitTensor(t *testing.T) {
	check := func(name string, xs []float32) {
		t.Run(name, func(t *testing.T) {
			hi, lo := splitNetwork(t, xs)
			bad := 0
			for i, x := range xs {
				if !checkSplit(t, x, hi[i], lo[i]) {
					if bad++; bad == 10 {
						t.Fatal("too many errors")
					}
				}
			}
		})
	}
	binade := make([]float32, 1<<23)
	for m := range binade {
		binade[m] = math.Float32frombits(0x3f800000 | uint32(m))
	}
	check("binade", binade)
	sub := make([]float32, 1<<23) // 0 and every positive subnormal
	for m := range sub {
		sub[m] = math.Float32frombits(uint32(m))
	}
	check("subnormals", sub)
	edge := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 0x1p-126, -0x1p-126, 0x1p-149, -0x1p-149,
		0x1.fffffep-127, 1 + 0x1p-23, 2 - 0x1p-23, -(2 - 0x1p-23), 1 + 0x1p-11, 1 + 0x1p-12, 1 + 3*0x1p-12,
		0x1.fffffep113, 0x1p114, -0x1p114}
	r := rand.New(rand.NewPCG(1, 22))
	for range 1 << 16 {
		edge = append(edge, math.Float32frombits(r.Uint32()&^0x7f800000|uint32(r.IntN(242))<<23)) // exponents up to 2^114
	}
	check("edge and random", edge)

	// Beyond 2^114 (f32 max / 8193 ≈ 2^115): hi is ±2^114, lo the exact rest.
	big := []float32{0x1.000002p114, 0x1p120, -0x1.234566p127, math.MaxFloat32, -math.MaxFloat32}
	hi, lo := splitNetwork(t, big)
	for i, x := range big {
		if math.Abs(float64(hi[i])) != 0x1p114 || float64(hi[i])+float64(lo[i]) != float64(x) || hi[i]+lo[i] != x {
			t.Errorf("split(%x) = %x + %x, want ±2^114 and the exact rest", x, hi[i], lo[i])
		}
	}
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	hi, lo = splitNetwork(t, []float32{inf, -inf, nan})
	if hi[0] != 0x1p114 || lo[0] != inf || hi[1] != -0x1p114 || lo[1] != -inf {
		t.Errorf("split(±inf) = %v + %v, %v + %v, want ±2^114 + ±inf", hi[0], lo[0], hi[1], lo[1])
	}
	if hi[2] == hi[2] || lo[2] == lo[2] {
		t.Errorf("split(NaN) = %v + %v, want NaN", hi[2], lo[2])
	}
}

// TestSplitWeights checks the host split of weights: hi is x rounded to
// TF32 (truncated where that would overflow), lo the exact rest.
func TestSplitWeights(t *testing.T) {
	xs := []float32{0, 1, -1 - 0x1p-11 - 0x1p-20, 0x1p-149, 0x1.fffffep-127, 3.14159265, math.MaxFloat32, -math.MaxFloat32,
		float32(math.Inf(-1)), float32(math.NaN())}
	hi, lo := splitWeights(tensor.FromF32(tensor.Shape{len(xs)}, xs))
	for i, x := range xs {
		h, l := hi.F32[i], lo.F32[i]
		if x != x {
			if h == h || l != 0 {
				t.Errorf("split(NaN) = %v + %v", h, l)
			}
			continue
		}
		if !tensor.IsTF32(h) || h+l != x || float64(h)+float64(l) != float64(x) || math.IsInf(float64(h), 0) != math.IsInf(float64(x), 0) {
			t.Errorf("split(%x) = %x + %x", x, h, l)
		}
		if want := tensor.RoundTF32(x); !math.IsInf(float64(want), 0) && h != want {
			t.Errorf("split(%x): hi %x, want %x (rounded to nearest)", x, h, want)
		}
	}
}
