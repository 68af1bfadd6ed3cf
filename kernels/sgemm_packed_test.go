package kernels

import (
	"math"
	"math/rand"
	"testing"
)

// checkSgemmPacked compares sgemmPacked with a float64 triple loop, to
// 1e-5 relative to Σ|a||b| (+|c| when accumulating) per element.
func checkSgemmPacked(t *testing.T, r *rand.Rand, m, n, k int, ta, tb bool, pad int, accumulate bool) {
	t.Helper()
	a := matrix{data: randSlice(r, (m+pad)*(k+pad)), ld: k + pad, trans: ta}
	if ta {
		a.ld = m + pad
	}
	b := matrix{data: randSlice(r, (k+pad)*(n+pad)), ld: n + pad, trans: tb}
	if tb {
		b.ld = k + pad
	}
	ldc := n + pad
	c := randSlice(r, m*ldc)
	c0 := append([]float32(nil), c...)
	sgemmPacked(m, n, k, a, b, c, ldc, accumulate)
	for i := range m {
		for j := range ldc {
			got := c[i*ldc+j]
			if j >= n {
				if got != c0[i*ldc+j] {
					t.Fatalf("m=%d n=%d k=%d: wrote past row end at (%d,%d)", m, n, k, i, j)
				}
				continue
			}
			var s, mag float64
			for p := range k {
				x := float64(a.at(i, p)) * float64(b.at(p, j))
				s += x
				mag += math.Abs(x)
			}
			if accumulate {
				s += float64(c0[i*ldc+j])
				mag += math.Abs(float64(c0[i*ldc+j]))
			}
			if d := math.Abs(float64(got) - s); d > 1e-5*mag+1e-30 {
				t.Fatalf("m=%d n=%d k=%d ta=%v tb=%v pad=%d acc=%v: C(%d,%d) = %v, want %v (|diff| %g, Σ|ab| %g)",
					m, n, k, ta, tb, pad, accumulate, i, j, got, s, d, mag)
			}
		}
	}
}

func TestSgemmPacked(t *testing.T) {
	if !haveSgemmKernel {
		t.Skip("no SGEMM micro-kernel on this CPU")
	}
	r := rand.New(rand.NewSource(7))
	for it := range 400 {
		m, n, k := 1+r.Intn(70), 1+r.Intn(70), 1+r.Intn(70)
		checkSgemmPacked(t, r, m, n, k, r.Intn(2) == 1, r.Intn(2) == 1, r.Intn(2)*3, it%2 == 1)
	}
	// Block boundaries: k around gemmKC, m around gemmMC, n around the
	// per-worker split and gemmNC.
	for _, s := range [][3]int{
		{64, 3136, 576}, {2048, 49, 512}, {gemmMC + 1, 33, gemmKC + 1},
		{2*gemmMC - 1, 17, 2 * gemmKC}, {7, gemmNC + 20, 3}, {13, 2*gemmNC + 5, 9},
		{250, 300, 700}, {1, 1000, 300}, {1000, 1, 300},
	} {
		for _, ta := range []bool{false, true} {
			checkSgemmPacked(t, r, s[0], s[1], s[2], ta, !ta, 1, ta)
		}
	}
}
