package passes

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// specials are the inputs where an inexact identity shows: signed zeros,
// infinities, NaN, and ordinary values around the bounds used below.
var specials = []float32{
	float32(math.Copysign(0, -1)), 0, float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)),
	-7, -1.5, -1, -0.5, 0.25, 0.5, 1, 2.5, 3, 6, 9,
}

// sameBits runs two functions on x (the specials, as f32 or f16) and
// requires bit-identical outputs (any NaN matching any NaN).
func sameBits(t *testing.T, what string, before, after *ir.Func) {
	t.Helper()
	in := map[string]*tensor.Tensor{}
	for _, op := range before.Inputs() {
		typ := op.Result().Type
		x := tensor.MustNew(typ.DType, typ.Shape)
		copy(x.F32, specials)
		x.RoundToDType()
		in[op.Str("name")] = x
	}
	ra, err := interp.Run(before, in)
	if err != nil {
		t.Fatalf("%s: before: %v", what, err)
	}
	rb, err := interp.Run(after, in)
	if err != nil {
		t.Fatalf("%s: after: %v", what, err)
	}
	for i := range ra {
		for j, a := range ra[i].F32 {
			b := rb[i].F32[j]
			if math.Float32bits(a) != math.Float32bits(b) && !(a != a && b != b) {
				t.Errorf("%s: output %d, input %v: before %v (%#x), after %v (%#x)\nafter:\n%s",
					what, i, specials[j], a, math.Float32bits(a), b, math.Float32bits(b), after)
				return
			}
		}
	}
}

func simplifyAndCompare(t *testing.T, what, src string) *ir.Func {
	t.Helper()
	before := tfirOrFatal(t, src)
	after := tfirOrFatal(t, src)
	if _, err := simplify(after, &Config{}); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := ir.Verify(after); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	sameBits(t, what, before, after)
	return after
}

// Every exact identity, checked on signed zeros, infinities and NaN.
func TestSimplifyExactOnSpecialValues(t *testing.T) {
	for _, dt := range []string{"f32", "f16"} {
		for _, body := range []string{
			"%2 = const {value=dense<[-0]>} : DT[]\n  %3 = add(%0, %2) : DT[16]\n  %4 = add(%2, %3) : DT[16]",
			"%2 = const {value=dense<[0]>} : DT[]\n  %3 = sub(%0, %2) : DT[16]\n  %4 = exp(%3) : DT[16]",
			"%2 = const {value=dense<[1]>} : DT[]\n  %3 = mul(%0, %2) : DT[16]\n  %4 = div(%3, %2) : DT[16]",
			"%2 = neg(%0) : DT[16]\n  %3 = neg(%2) : DT[16]\n  %4 = neg(%3) : DT[16]",
			// not identities, which must stay: x + (+0), x - (-0), 0 - x
			"%2 = add(%0, %1) : DT[16]\n  %3 = add(%1, %2) : DT[16]\n  %4 = neg(%3) : DT[16]",
			"%2 = const {value=dense<[-0]>} : DT[]\n  %3 = sub(%0, %2) : DT[16]\n  %4 = neg(%3) : DT[16]",
			"%2 = sub(%1, %0) : DT[16]\n  %3 = neg(%0) : DT[16]\n  %4 = sub(%2, %3) : DT[16]",
			"%2 = relu(%0) : DT[16]\n  %3 = relu(%2) : DT[16]\n  %4 = clamp(%3) {min=0, max=6} : DT[16]",
			"%2 = cast(%0) {to=DT} : DT[16]\n  %3 = reshape(%2) {shape=[4,4]} : DT[4,4]\n  %4 = reshape(%3) {shape=[16]} : DT[16]",
		} {
			src := fmt.Sprintf("func @f {\n  %%0 = input {name=\"x:0\"} : DT[16]\n  %%1 = const {value=dense<[0]>} : DT[]\n  %s\n  return \"y:0\" = %%4\n}\n", body)
			src = strings.ReplaceAll(src, "DT", dt)
			simplifyAndCompare(t, dt+": "+body, src)
		}
	}
}

// relu/clamp chains merge to a single op that computes the same bits for
// every pair of bounds drawn from a set with both zeros, overlapping,
// nested, touching and disjoint ranges.
func TestSimplifyClampChains(t *testing.T) {
	type rng struct {
		relu   bool
		lo, hi float64
	}
	negZero := math.Copysign(0, -1)
	ranges := []rng{{relu: true}}
	for _, lo := range []float64{math.Inf(-1), -1, negZero, 0, 0.1, 0.5, 3} {
		for _, hi := range []float64{negZero, 0, 1, 2.7, 3, 6, math.Inf(1)} {
			if lo <= hi {
				ranges = append(ranges, rng{lo: lo, hi: hi})
			}
		}
	}
	op := func(r rng, dt, arg, res string) string {
		if r.relu {
			return fmt.Sprintf("%s = relu(%s) : %s[16]", res, arg, dt)
		}
		return fmt.Sprintf("%s = clamp(%s) {min=%s, max=%s} : %s[16]", res, arg, fmtBound(r.lo), fmtBound(r.hi), dt)
	}
	merged := 0
	for _, dt := range []string{"f32", "f16"} {
		for _, in := range ranges {
			for _, out := range ranges {
				src := fmt.Sprintf("func @f {\n  %%0 = input {name=\"x:0\"} : %s[16]\n  %s\n  %s\n  return \"y:0\" = %%2\n}\n",
					dt, op(in, dt, "%0", "%1"), op(out, dt, "%1", "%2"))
				after := simplifyAndCompare(t, src, src)
				if len(after.Ops) == 2 {
					merged++
				}
			}
		}
	}
	if merged == 0 {
		t.Error("no chain merged")
	}
}

func fmtBound(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case v == 0 && math.Signbit(v):
		return "-0"
	}
	return fmt.Sprint(v)
}
