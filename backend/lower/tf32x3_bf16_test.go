package lower

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/backend/trt/exec"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// splitNetworkBF16 runs the layers of the bfloat16 split (splitRun under
// Options.TF32x3Split = SplitBF16) on xs with the reference executor
// (strict FP32) and returns the three parts.
func splitNetworkBF16(t *testing.T, xs []float32) (hi, mid, lo []float32) {
	t.Helper()
	f, err := ir.Parse("split", []byte("func @f {\n  %0 = input {name=\"x:0\"} : f32[4]\n  return \"y\" = %0\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	rec := trt.NewRecorder()
	l := newLowerer(f, rec)
	l.opts = Options{TF32x3: true, TF32x3Split: SplitBF16}
	in := rec.AddInput("x", trt.Float, trt.Dims{int64(len(xs))})
	p := l.splitRun(f.Ops[0], "split", in)
	if len(p.net) != 3 || p.mags[1] != -8 || p.mags[2] != -16 {
		t.Fatalf("bf16 split: %d parts, bounds %v", len(p.net), p.mags)
	}
	for i, name := range []string{"hi", "mid", "lo"} {
		p.net[i].SetName(name)
		rec.MarkOutput(p.net[i])
	}
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
	return out[0].F32, out[1].F32, out[2].F32
}

// checkSplitBF16 checks one element of the bfloat16 split (tf32x3.go):
// hi is x (clamped to bfloat16's largest) rounded to bfloat16, x = hi +
// mid + lo exactly, hi and mid bfloat16 values; for |x| ≥ 2^-110 lo has
// at most 8 significant bits, |mid| ≤ 2^-8 |x| and |lo| ≤ 2^-16 |x|
// (2^-7 and 2^-15 above bfloat16's largest); below, the bounds are at
// least bfloat16's subnormal step 2^-133 and half of it; every
// part is a TF32 value for |x| ≥ 2^-113, and moves by at most 2^-137
// when rounded to TF32 below.
func checkSplitBF16(t *testing.T, x, hi, mid, lo float32) bool {
	t.Helper()
	ax := math.Abs(float64(x))
	c := float32(math.Max(-bf16Max, math.Min(bf16Max, float64(x))))
	if hi != tensor.RoundBF16(c) || mid != tensor.RoundBF16(mid) {
		t.Errorf("split(%x): hi %x (want %x) or mid %x not a bfloat16 value", x, hi, tensor.RoundBF16(c), mid)
		return false
	}
	if float64(hi)+float64(mid)+float64(lo) != float64(x) || mid+lo != x-hi || hi+(mid+lo) != x {
		t.Errorf("split(%x) = %x + %x + %x, not x", x, hi, mid, lo)
		return false
	}
	for _, p := range []float32{hi, mid, lo} {
		if ax >= 0x1p-113 && !tensor.IsTF32(p) || math.Abs(float64(tensor.RoundTF32(p))-float64(p)) > 0x1p-137 {
			t.Errorf("split(%x): part %x is not a TF32 value", x, p)
			return false
		}
	}
	if ax < 0x1p-110 {
		if math.Abs(float64(mid)) > max(0x1p-8*ax, 0x1p-133) || math.Abs(float64(lo)) > max(0x1p-16*ax, 0x1p-134) {
			t.Errorf("split(%x): mid %x or lo %x above its bound", x, mid, lo)
			return false
		}
		return true
	}
	bm, bl := 0x1p-8, 0x1p-16
	if ax > bf16Max {
		bm, bl = 0x1p-7, 0x1p-15
	}
	if n := significantBits(lo); n > 8 || math.Abs(float64(mid)) > bm*ax || math.Abs(float64(lo)) > bl*ax {
		t.Errorf("split(%x): mid %x or lo %x (%d bits) above its bound", x, mid, lo, n)
		return false
	}
	return true
}

// TestSplitTensorBF16 checks the bfloat16 split on every float32 of the
// binades [1, 2) (the split commutes with scaling by powers of two while
// nothing under- or overflows), [2^-110, 2^-109), [2^-114, 2^-113) and
// [2^-126, 2^-125) (where the last parts reach
// bfloat16's subnormals and TF32's least step), every float32 subnormal,
// the floats above bfloat16's largest, edge
// values and random ones of every magnitude and sign, infinities and NaN.
func TestSplitTensorBF16(t *testing.T) {
	check := func(name string, xs []float32) {
		checkElements(t, name, xs, func(t *testing.T) func(i int) bool {
			hi, mid, lo := splitNetworkBF16(t, xs)
			return func(i int) bool { return checkSplitBF16(t, xs[i], hi[i], mid[i], lo[i]) }
		})
	}
	check("binade", binade(127))
	check("binade 2^-110", binade(127-110))
	check("binade 2^-114", binade(127-114))
	check("binade 2^-126", binade(1))
	check("subnormals", binade(0)) // 0 and every positive float32 subnormal
	top := binade(254)[0x7f0000:]  // from 0x1.fep127 to float32's largest
	check("above bfloat16's largest", top)
	edge := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 0x1p-149, 65504, 65520, 1 + 0x1p-8, 1 + 0x1p-9, 1 + 3*0x1p-9,
		1 + 0x1p-8 + 0x1p-17, 1 - 0x1p-24, bf16Max, -bf16Max, math.MaxFloat32, -math.MaxFloat32}
	r := rand.New(rand.NewPCG(1, 23))
	for range 1 << 16 {
		edge = append(edge, math.Float32frombits(r.Uint32()&^0x7f800000|uint32(r.IntN(255))<<23))
	}
	check("edge and random", edge)

	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	hi, mid, lo := splitNetworkBF16(t, []float32{inf, -inf, nan})
	if hi[0] != bf16Max || mid[0] != bf16Max || lo[0] != inf || hi[1] != -bf16Max || mid[1] != -bf16Max || lo[1] != -inf {
		t.Errorf("split(±inf) = %v + %v + %v, %v + %v + %v, want ±b + ±b + ±inf", hi[0], mid[0], lo[0], hi[1], mid[1], lo[1])
	}
	if lo[2] == lo[2] {
		t.Errorf("split(NaN) = %v + %v + %v, want a NaN lo", hi[2], mid[2], lo[2])
	}
}

// TestTF32x3DynamicGroupedConv lowers a grouped convolution whose batch
// and spatial sizes are symbolic under TF32x3 (both splits): the view of
// the concatenated parts back to [N, n·C, H, W] comes from a shape tensor,
// and at sizes inside the profile the reference executor with TF32
// rounding matches the interpreter at float32-sized tolerances.
func TestTF32x3DynamicGroupedConv(t *testing.T) {
	var w []string
	for i := range 4 * 2 * 9 {
		w = append(w, strconv.FormatFloat(float64(i%7)*0.37-1.1, 'g', -1, 32))
	}
	src := `func @f {
  %0 = input {name="x:0"} : f32[N,4,H,W]
  %1 = const {value=dense<[` + strings.Join(w, ", ") + `]>} : f32[4,2,3,3]
  %2 = conv(%0, %1) {strides=[1,1], dilations=[1,1], pads=[1,1,1,1], groups=2} : f32[N,4,H,W]
  return "y:0" = %2
}`
	f, err := ir.Parse("dyn", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p := ir.Profile{"x:0": {Min: tensor.Shape{1, 4, 3, 3}, Opt: tensor.Shape{2, 4, 5, 6}, Max: tensor.Shape{3, 4, 8, 8}}}
	for _, split := range []string{SplitF16, SplitBF16} {
		d, err := LowerDynamicWith(f, []ir.Profile{p}, Options{TF32x3: true, TF32x3Split: split})
		if err != nil {
			t.Fatalf("%s: %v", split, err)
		}
		prog, err := exec.PrepareConfig(d, exec.Config{TF32: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []tensor.Shape{{1, 4, 3, 3}, {2, 4, 5, 7}, {3, 4, 8, 4}} {
			x := tensor.MustNew(tensor.Float32, s)
			for i := range x.F32 {
				x.F32[i] = float32(i%13)*0.213 - 1.3
			}
			in := map[string]*tensor.Tensor{"x:0": x}
			want, err := interp.Run(f, in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := prog.Run(in)
			if err != nil {
				t.Fatalf("%s %v: %v", split, s, err)
			}
			if !got[0].Shape.Equal(want[0].Shape) {
				t.Fatalf("%s %v: shape %v, want %v", split, s, got[0].Shape, want[0].Shape)
			}
			for i, v := range want[0].F32 {
				if d := math.Abs(float64(got[0].F32[i] - v)); d > 1e-5*(1+math.Abs(float64(v))) {
					t.Errorf("%s %v: element %d = %v, want %v", split, s, i, got[0].F32[i], v)
					break
				}
			}
		}
	}
}
