package kernels

import (
	"math"
	"math/rand"
	"sort"
	"testing"
)

// TestRoundE4M3 checks RoundE4M3 against the 127 non-negative finite E4M3
// values (decoded from their codes): the nearest one, ties to the even
// code, saturating at 448.
func TestRoundE4M3(t *testing.T) {
	type val struct {
		v    float64
		code int
	}
	var vals []val
	for code := 0; code < 0x7f; code++ { // 0x7f is NaN
		e, m := code>>3, code&7
		v := float64(m) / 8 * 0x1p-6 // subnormal
		if e > 0 {
			v = (1 + float64(m)/8) * math.Ldexp(1, e-7)
		}
		vals = append(vals, val{v, code})
	}
	sort.Slice(vals, func(i, j int) bool { return vals[i].v < vals[j].v })
	ref := func(x float64) float64 {
		if x >= 448 {
			return 448
		}
		i := sort.Search(len(vals), func(i int) bool { return vals[i].v >= x })
		if vals[i].v == x || i == 0 {
			return vals[i].v
		}
		lo, hi := vals[i-1], vals[i]
		switch {
		case x-lo.v < hi.v-x:
			return lo.v
		case x-lo.v > hi.v-x:
			return hi.v
		case lo.code%2 == 0:
			return lo.v
		}
		return hi.v
	}
	rng := rand.New(rand.NewSource(1))
	check := func(x float32) {
		got, want := RoundE4M3(x), float32(math.Copysign(ref(math.Abs(float64(x))), float64(x)))
		if got != want {
			t.Fatalf("RoundE4M3(%v) = %v, want %v", x, got, want)
		}
	}
	for _, v := range vals { // every value, and the midpoints around it
		check(float32(v.v))
		check(-float32(v.v))
	}
	for i := 1; i < len(vals); i++ {
		check(float32((vals[i-1].v + vals[i].v) / 2))
	}
	for range 200000 {
		check(float32(math.Ldexp(rng.Float64(), rng.Intn(22)-12)) * float32(1-2*rng.Intn(2)))
	}
	check(1e6)
	if v := RoundE4M3(float32(math.NaN())); v == v {
		t.Error("NaN not kept")
	}
}
