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

// TestSgemmKernelsAgree: the AVX-512 and AVX2 micro-kernels give the same
// bits (one fused multiply-add chain per element in k order).
func TestSgemmKernelsAgree(t *testing.T) {
	if !haveSgemm512 {
		t.Skip("no AVX-512 on this CPU")
	}
	r := rand.New(rand.NewSource(8))
	shapes := [][3]int{{64, 3136, 576}, {2048, 49, 512}, {gemmMC + 5, 45, gemmKC + 3}, {13, gemmNC + 40, 7}}
	for range 100 {
		shapes = append(shapes, [3]int{1 + r.Intn(90), 1 + r.Intn(90), 1 + r.Intn(300)})
	}
	for i, s := range shapes {
		m, n, k := s[0], s[1], s[2]
		ta, tb, acc := i%2 == 1, i%3 == 1, i%4 == 1
		a := matrix{data: randSlice(r, m*k), ld: k, trans: ta}
		if ta {
			a.ld = m
		}
		b := matrix{data: randSlice(r, k*n), ld: n, trans: tb}
		if tb {
			b.ld = k
		}
		c0 := randSlice(r, m*n)
		c1, c2 := append([]float32(nil), c0...), append([]float32(nil), c0...)
		sgemmPackedWith(gemmAVX2, m, n, k, a, b, c1, n, acc)
		sgemmPackedWith(gemmAVX512, m, n, k, a, b, c2, n, acc)
		for j := range c1 {
			if math.Float32bits(c1[j]) != math.Float32bits(c2[j]) {
				t.Fatalf("m=%d n=%d k=%d ta=%v tb=%v acc=%v: element %d: AVX2 %v, AVX-512 %v", m, n, k, ta, tb, acc, j, c1[j], c2[j])
			}
		}
	}
}

// BenchmarkSgemmKernels compares the micro-kernels on a ResNet50-sized
// product (a 3×3 convolution at 28×28, 128 channels).
func BenchmarkSgemmKernels(b *testing.B) {
	r := rand.New(rand.NewSource(9))
	m, n, k := 128, 784, 1152
	a, bm := matrix{data: randSlice(r, m*k), ld: k}, matrix{data: randSlice(r, k*n), ld: n}
	c := make([]float32, m*n)
	for _, kern := range []struct {
		name string
		k    gemmKernel
		ok   bool
	}{{"avx2", gemmAVX2, haveSgemmKernel}, {"avx512", gemmAVX512, haveSgemm512}} {
		b.Run(kern.name, func(b *testing.B) {
			if !kern.ok {
				b.Skip("not on this CPU")
			}
			b.SetBytes(int64(2 * m * n * k)) // flops, shown as MB/s
			for b.Loop() {
				sgemmPackedWith(kern.k, m, n, k, a, bm, c, n, false)
			}
		})
	}
}
