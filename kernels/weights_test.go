package kernels

import (
	"math"
	"math/rand"
	"testing"
)

// rangeScalar is RangeF32's definition: one scan in order.
func rangeScalar(vals []float32) (lo, hi float32, special bool) {
	lo, hi = float32(math.Inf(1)), float32(math.Inf(-1))
	for _, v := range vals {
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
		special = special || math.IsNaN(float64(v)) || math.IsInf(float64(v), 0)
	}
	return lo, hi, special
}

func TestRangeF32(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	negZero := math.Float32frombits(1 << 31)
	for _, n := range []int{0, 1, 7, 8, 15, 16, 17, 31, 64, 1000, 4099} {
		for trial := range 12 {
			vals := make([]float32, n)
			for i := range vals {
				vals[i] = float32(rng.NormFloat64())
			}
			if n > 0 {
				switch trial {
				case 1:
					vals[rng.Intn(n)] = nan
				case 2:
					vals[rng.Intn(n)] = -inf
				case 3:
					for i := range vals {
						vals[i] = nan
					}
				case 4, 5, 6:
					// Signed zeros at the extremes: the first met wins.
					for i := range vals {
						vals[i] = float32(math.Abs(float64(vals[i])))
						if trial == 5 {
							vals[i] = -vals[i]
						}
					}
					for range 3 {
						k := rng.Intn(n)
						vals[k] = 0
						if rng.Intn(2) == 0 {
							vals[k] = negZero
						}
					}
				case 7:
					for i := range vals {
						vals[i] = 0
						if rng.Intn(2) == 0 {
							vals[i] = negZero
						}
					}
				case 8:
					vals[n-1] = inf // in the scalar tail, or the last lane
				case 9:
					vals[rng.Intn(n)] = math.Float32frombits(0x7f800001) // signalling NaN
				}
			}
			lo, hi, sp := RangeF32(vals)
			wlo, whi, wsp := rangeScalar(vals)
			if math.Float32bits(lo) != math.Float32bits(wlo) || math.Float32bits(hi) != math.Float32bits(whi) || sp != wsp {
				t.Errorf("n=%d trial %d: RangeF32 = %v %v %v (bits %#x %#x), the scan gives %v %v %v (%#x %#x)",
					n, trial, lo, hi, sp, math.Float32bits(lo), math.Float32bits(hi), wlo, whi, wsp, math.Float32bits(wlo), math.Float32bits(whi))
			}
		}
	}
}

func TestScaleRowsF32(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	specials := []float32{float32(math.NaN()), float32(math.Inf(-1)), math.Float32frombits(1 << 31),
		math.Float32frombits(1), math.MaxFloat32, math.SmallestNonzeroFloat32 * 3}
	for _, per := range []int{1, 3, 8, 9, 13, 64, 73} {
		rows := 5
		src := make([]float32, rows*per)
		for i := range src {
			src[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.Intn(20)-10)))
			if rng.Intn(10) == 0 {
				src[i] = specials[rng.Intn(len(specials))]
			}
		}
		s := []float64{rng.NormFloat64(), 1e-30, 3e38, -0.5, math.Inf(1)}
		want := make([]float32, len(src))
		for r := range rows {
			for i := range per {
				want[r*per+i] = float32(float64(src[r*per+i]) * s[r])
			}
		}
		got := make([]float32, len(src))
		ScaleRowsF32(got, src, per, s)
		ScaleRowsF32(src, src, per, s) // in place
		for i := range want {
			w := math.Float32bits(want[i]) // NaNs too: the same conversions, the same payloads
			if math.Float32bits(got[i]) != w || math.Float32bits(src[i]) != w {
				t.Errorf("per=%d [%d]: got %v and %v in place, want %v", per, i, got[i], src[i], want[i])
			}
		}
	}
}
