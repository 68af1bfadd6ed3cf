package kernels

import (
	"math"
	"math/rand"
	"testing"
)

// TestClampReluBits checks ClampF32 and ReluF32 against their scalar
// definitions bit for bit (any NaN for NaN), on long slices (the vector
// loops and the scalar tails) with signed zeros, infinities and NaN, for
// bounds of every kind.
func TestClampReluBits(t *testing.T) {
	r := rand.New(rand.NewSource(9))
	nz := float32(math.Copysign(0, -1))
	inf := float32(math.Inf(1))
	nan := float32(math.NaN())
	special := []float32{0, nz, 1, -1, 6, -6, inf, -inf, nan, 1e-45}
	src := make([]float32, 203)
	for i := range src {
		src[i] = float32(r.NormFloat64() * 4)
		if r.Intn(4) == 0 {
			src[i] = special[r.Intn(len(special))]
		}
	}
	same := func(g, w float32) bool { return math.Float32bits(g) == math.Float32bits(w) || (g != g && w != w) }
	got := make([]float32, len(src))
	for _, lo := range special {
		for _, hi := range special {
			ClampF32(got, src, lo, hi)
			for i, v := range src {
				want := float32(math.Max(float64(lo), math.Min(float64(hi), float64(v))))
				if !same(got[i], want) {
					t.Fatalf("ClampF32 [%v, %v] of %v = %v, want %v", lo, hi, v, got[i], want)
				}
			}
		}
	}
	ReluF32(got, src)
	for i, v := range src {
		want := v
		if v < 0 {
			want = 0
		}
		if !same(got[i], want) {
			t.Fatalf("ReluF32 of %v = %v, want %v", v, got[i], want)
		}
	}
	// In place.
	cp := append([]float32(nil), src...)
	ClampF32(cp, cp, 0, 6)
	ClampF32(got, src, 0, 6)
	for i := range cp {
		if !same(cp[i], got[i]) {
			t.Fatalf("in place: element %d: %v, want %v", i, cp[i], got[i])
		}
	}
}
