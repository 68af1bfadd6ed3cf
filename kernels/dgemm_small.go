package kernels

import "sync"

// The float64-accumulating small GEMM (dgemmSmall) through the AVX2+FMA
// micro-kernel dgemmKernel4x12, where the CPU has it. The results are
// bit for bit those of dgemmSmall's plain loops: every element of C is
// one float64 sum over k in order, starting at +0, plus C's old value
// when accumulating, rounded once to float32; a fused multiply-add of
// two float32 values rounds exactly as a float64 multiply and add do,
// since their product is exact in float64.

var dgemmBufs sync.Pool // *[]float64 packed A panels

// dgemmTiled is dgemmSmall (same arguments and results) for CPUs with
// the micro-kernel and n ≥ 1: A is packed into float64 panels of 4 rows
// (zero rows pad the last), B is read in place (or, when stored
// transposed, copied once into row-major order) in 12-column stripes,
// and partial tiles go through a scratch tile. Each 12-column stripe of
// B stays in cache while every row panel of A passes over it.
func dgemmTiled(m, n, k int, a, b matrix, c []float32, ldc int, accumulate bool) {
	abuf := getF64Buf(dgemmPanelsLen(m, k))
	defer dgemmBufs.Put(abuf)
	packDgemmA(*abuf, m, k, a)
	dgemmTiledPacked(m, n, k, *abuf, b, c, ldc, accumulate)
}

// useDgemmTiled reports whether sgemm of an m×k by k×n product (m, n, k ≥
// 1) goes through dgemmTiled.
func useDgemmTiled(m, n, k int) bool {
	return haveSgemmKernel && n >= 8 && 2*m*n*k < gemm64Flops
}

// useSgemmPacked reports whether sgemm of an m×k by k×n product (m, n, k
// ≥ 1) goes through sgemmPacked.
func useSgemmPacked(m, n, k int) bool {
	return haveSgemmKernel && 2*m*n*k >= gemm64Flops
}

// dgemmPanelsLen is the length of A's packed float64 panels.
func dgemmPanelsLen(m, k int) int { return (m + 3) / 4 * 4 * k }

// packDgemmA packs the m×k matrix a into ap (dgemmPanelsLen(m, k)
// values): panels of 4 rows, each k×4 (ap[i0*k + p*4 + r] = a[i0+r, p]),
// zero rows padding the last.
func packDgemmA(ap []float64, m, k int, a matrix) {
	const mr = 4
	mp := (m + mr - 1) / mr * mr
	for i0 := 0; i0 < mp; i0 += mr {
		panel := ap[i0*k : (i0+mr)*k]
		for r := range mr {
			i := i0 + r
			switch {
			case i >= m:
				for p := range k {
					panel[p*mr+r] = 0
				}
			case a.trans:
				for p := range k {
					panel[p*mr+r] = float64(a.data[p*a.ld+i])
				}
			default:
				row := a.data[i*a.ld : i*a.ld+k]
				for p, v := range row {
					panel[p*mr+r] = float64(v)
				}
			}
		}
	}
}

// dgemmTiledPacked is dgemmTiled with A already packed by packDgemmA.
func dgemmTiledPacked(m, n, k int, ap []float64, b matrix, c []float32, ldc int, accumulate bool) {
	const nr = 12
	bd, ldb := b.data, b.ld
	if b.trans {
		bt := getGemmBuf(k * n)
		defer gemmBufs.Put(bt)
		transposeMatrix(*bt, b.data, n, k, b.ld)
		bd, ldb = *bt, n
	}
	// Stripes of 12 columns, split over goroutines when the product is
	// worth it (about 2^18 flops: the cost passed is a stripe's flops/8).
	stripes := (n + nr - 1) / nr
	parallelFor(stripes, 2*m*nr*k/8, func(s0, s1 int) {
		dgemmStripes(m, n, k, ap, bd, ldb, c, ldc, accumulate, s0*nr, min(n, s1*nr))
	})
}

// dgemmStripes is dgemmTiledPacked's loop over the columns [j0, j1) of C
// (j0 a multiple of 12), B row-major (row stride ldb).
func dgemmStripes(m, n, k int, ap []float64, bd []float32, ldb int, c []float32, ldc int, accumulate bool, j0, j1 int) {
	const mr, nr = 4, 12
	var tile [mr * nr]float32
	var bpad *[]float32
	for ; j0 < j1; j0 += nr {
		w := min(nr, n-j0)
		bp, bld := bd[j0:], ldb
		if w < nr {
			// The last, partial stripe: a zero-padded copy, so the
			// kernel reads no element past B.
			if bpad == nil {
				bpad = getGemmBuf(k * nr)
				defer gemmBufs.Put(bpad)
			}
			pad := *bpad
			for p := range k {
				row := pad[p*nr : (p+1)*nr]
				copy(row, bd[p*ldb+j0:p*ldb+j0+w])
				clear(row[w:])
			}
			bp, bld = pad, nr
		}
		for i0 := 0; i0 < m; i0 += mr {
			h := min(mr, m-i0)
			if h == mr && w == nr {
				dgemmKernel4x12(k, &ap[i0*k], &bp[0], bld, &c[i0*ldc+j0], ldc, accumulate)
				continue
			}
			if accumulate {
				for r := range h {
					copy(tile[r*nr:r*nr+w], c[(i0+r)*ldc+j0:])
				}
			}
			dgemmKernel4x12(k, &ap[i0*k], &bp[0], bld, &tile[0], nr, accumulate)
			for r := range h {
				copy(c[(i0+r)*ldc+j0:(i0+r)*ldc+j0+w], tile[r*nr:r*nr+w])
			}
		}
	}
}

func getF64Buf(n int) *[]float64 {
	if p, ok := dgemmBufs.Get().(*[]float64); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	s := make([]float64, n)
	return &s
}
