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
// executor (strict FP32: the split itself is ElementWise layers and
// casts) and returns hi and lo.
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

// checkSplit checks one element of the split (tf32x3.go): within
// float16's range hi is x rounded to float16 (11 significant bits, a TF32
// value) and hi + lo == x exactly, with |lo| ≤ 2^-11 |x| at and above
// 2^-14 and |lo| ≤ 2^-25 below; above 65504, hi is ±65504 and lo the
// float32 difference.
func checkSplit(t *testing.T, x, hi, lo float32) bool {
	t.Helper()
	ax := math.Abs(float64(x))
	if ax > 65504 {
		if float64(hi) != math.Copysign(65504, float64(x)) || lo != x-hi {
			t.Errorf("split(%x) = %x + %x, want ±65504 and the rest", x, hi, lo)
			return false
		}
		return true
	}
	if float64(hi)+float64(lo) != float64(x) || hi+lo != x {
		t.Errorf("split(%x): hi %x + lo %x != x", x, hi, lo)
		return false
	}
	if hi != tensor.RoundF16(x) || !tensor.IsTF32(hi) || significantBits(hi) > 11 {
		t.Errorf("split(%x): hi %x is not x rounded to float16, a TF32 value", x, hi)
		return false
	}
	bound := 0x1p-25
	if ax >= 0x1p-14 {
		bound = 0x1p-11 * ax
	}
	if math.Abs(float64(lo)) > bound {
		t.Errorf("split(%x): lo %x above %g", x, lo, bound)
		return false
	}
	return true
}

// binade returns the 2^23 float32 values of biased exponent exp, in order
// (exp 0: zero and the subnormals).
func binade(exp uint32) []float32 {
	xs := make([]float32, 1<<23)
	for m := range xs {
		xs[m] = math.Float32frombits(exp<<23 | uint32(m))
	}
	return xs
}

// checkElements runs, as subtest name, the check that prepare returns
// for the elements of xs (prepare runs the network once), and stops after
// ten failures.
func checkElements(t *testing.T, name string, xs []float32, prepare func(t *testing.T) func(i int) bool) {
	t.Run(name, func(t *testing.T) {
		ok := prepare(t)
		bad := 0
		for i := range xs {
			if !ok(i) {
				if bad++; bad == 10 {
					t.Fatal("too many errors")
				}
			}
		}
	})
}

// TestSplitTensor checks the float16 split as splitTensor builds it
// (tf32x3.go) on every float32 of the binade [1, 2) (the split commutes
// with scaling by powers of two inside float16's normal range), of the
// binade [2^-15, 2^-14) (float16 subnormals), every float32 subnormal,
// edge values and random ones of every magnitude and sign.
func TestSplitTensor(t *testing.T) {
	check := func(name string, xs []float32) {
		checkElements(t, name, xs, func(t *testing.T) func(i int) bool {
			hi, lo := splitNetwork(t, xs)
			return func(i int) bool { return checkSplit(t, xs[i], hi[i], lo[i]) }
		})
	}
	check("binade", binade(127))
	check("float16 subnormals", binade(127-15))
	check("subnormals", binade(0)) // 0 and every positive float32 subnormal
	edge := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 0x1p-14, -0x1p-14, 0x1p-24, 0x1p-25, 0x1.000002p-25, 0x1p-149,
		1 + 0x1p-23, 2 - 0x1p-23, 1 + 0x1p-11, 1 + 0x1p-12, 1 + 3*0x1p-12, 65504, -65504, 65519.996, 65520, 65536, 0x1p20,
		-0x1.234566p127, math.MaxFloat32, -math.MaxFloat32}
	r := rand.New(rand.NewPCG(1, 22))
	for range 1 << 16 {
		edge = append(edge, math.Float32frombits(r.Uint32()&^0x7f800000|uint32(r.IntN(255))<<23))
	}
	check("edge and random", edge)

	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	hi, lo := splitNetwork(t, []float32{inf, -inf, nan})
	if hi[0] != 65504 || lo[0] != inf || hi[1] != -65504 || lo[1] != -inf {
		t.Errorf("split(±inf) = %v + %v, %v + %v, want ±65504 + ±inf", hi[0], lo[0], hi[1], lo[1])
	}
	if lo[2] == lo[2] {
		t.Errorf("split(NaN) = %v + %v, want a NaN lo", hi[2], lo[2])
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
