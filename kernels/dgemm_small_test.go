package kernels

import (
	"math"
	"math/rand"
	"testing"
)

// TestDgemmTiledBits checks that the micro-kernel path of dgemmSmall gives
// exactly the bits of its plain loops (NaN for NaN), over shapes with
// partial tiles, transposed and strided operands, accumulation, and
// operands with infinities, NaNs and signed zeros.
func TestDgemmTiledBits(t *testing.T) {
	if !haveSgemmKernel {
		t.Skip("no AVX2+FMA micro-kernel on this CPU")
	}
	r := rand.New(rand.NewSource(7))
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), 1e-45, 3e38}
	for it := range 300 {
		m, n, k := 1+r.Intn(30), 1+r.Intn(60), 1+r.Intn(50)
		if it%25 == 0 { // stripes split over goroutines
			m, n, k = 40+r.Intn(40), 200+r.Intn(400), 30+r.Intn(60)
		}
		ta, tb, acc := r.Intn(2) == 1, r.Intn(2) == 1, r.Intn(2) == 1
		pad := r.Intn(3)
		fill := func(s []float32) {
			for i := range s {
				s[i] = float32(r.NormFloat64())
				if it%4 == 0 && r.Intn(20) == 0 {
					s[i] = special[r.Intn(len(special))]
				}
			}
		}
		a := matrix{data: make([]float32, (m+pad)*(k+pad)), ld: k + pad, trans: ta}
		if ta {
			a.ld = m + pad
		}
		b := matrix{data: make([]float32, (k+pad)*(n+pad)), ld: n + pad, trans: tb}
		if tb {
			b.ld = k + pad
		}
		fill(a.data)
		fill(b.data)
		ldc := n + pad
		c0 := make([]float32, m*ldc)
		fill(c0)
		want := append([]float32(nil), c0...)
		got := append([]float32(nil), c0...)
		dgemmLoops(m, n, k, a, b, want, ldc, acc)
		dgemmTiled(m, n, k, a, b, got, ldc, acc)
		for i := range got {
			g, w := got[i], want[i]
			if math.Float32bits(g) != math.Float32bits(w) && !(g != g && w != w) {
				t.Fatalf("m=%d n=%d k=%d ta=%v tb=%v acc=%v: element %d: got %v (%#x) want %v (%#x)",
					m, n, k, ta, tb, acc, i, g, math.Float32bits(g), w, math.Float32bits(w))
			}
		}
	}
}
