package kernels

import (
	"math/rand"

	"testing"
)

func naiveGemm(m, n, k int, a, b matrix) []float32 {
	c := make([]float32, m*n)
	for i := range m {
		for j := range n {
			var s float32
			for p := range k {
				s += a.at(i, p) * b.at(p, j)
			}
			c[i*n+j] = s
		}
	}
	return c
}

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64())
	}
	return s
}

func TestSgemm(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for it := range 60 {
		m, n, k := 1+r.Intn(150), 1+r.Intn(700), 1+r.Intn(600)
		if it%3 == 0 {
			m, n, k = 1+r.Intn(9), 1+r.Intn(9), 1+r.Intn(9)
		}
		ta, tb := r.Intn(2) == 1, r.Intn(2) == 1
		pad := 0
		if it%2 == 1 {
			pad = 3 // row strides larger than the rows
		}
		a := matrix{data: randSlice(r, (m+pad)*(k+pad)), ld: k + pad, trans: ta}
		if ta {
			a.ld = m + pad
		}
		b := matrix{data: randSlice(r, (k+pad)*(n+pad)), ld: n + pad, trans: tb}
		if tb {
			b.ld = k + pad
		}
		want := naiveGemm(m, n, k, a, b)
		got := make([]float32, m*n)
		sgemm(m, n, k, a, b, got, n, false)
		for i := range got {
			if d := got[i] - want[i]; d > 1e-3 || d < -1e-3 {
				t.Fatalf("m=%d n=%d k=%d ta=%v tb=%v: element %d: got %v want %v", m, n, k, ta, tb, i, got[i], want[i])
			}
		}
	}
}
