package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Single-precision GEMM: a cache-blocked, goroutine-parallel matrix product
// with a register-tiled micro-kernel, in the style of BLIS/GotoBLAS. The
// operands are packed into contiguous panels (which also makes transposed
// operands free), C is cut into mc×nc blocks that workers take in turn, and
// each block accumulates kc-deep slices of the product in float32.

const (
	gemmMR = 4   // micro-tile rows
	gemmNR = 4   // micro-tile columns
	gemmKC = 256 // depth of a packed slice
	gemmMC = 64  // rows of a block
	gemmNC = 512 // columns of a block
)

// matrix is a row-major float32 matrix view; trans means the logical
// matrix is the transpose of the stored one.
type matrix struct {
	data  []float32
	ld    int // row stride of the stored matrix
	trans bool
}

// at returns the logical element (i, j).
func (m matrix) at(i, j int) float32 {
	if m.trans {
		return m.data[j*m.ld+i]
	}
	return m.data[i*m.ld+j]
}

// sgemm computes C = A·B (accumulate=false) or C += A·B, with A m×k, B k×n
// and C m×n row-major with row stride ldc.
func sgemm(m, n, k int, a, b matrix, c []float32, ldc int, accumulate bool) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		if !accumulate {
			for i := range m {
				clear(c[i*ldc : i*ldc+n])
			}
		}
		return
	}
	mb := (m + gemmMC - 1) / gemmMC
	nb := (n + gemmNC - 1) / gemmNC
	blocks := mb * nb
	workers := min(runtime.GOMAXPROCS(0), blocks)
	// Small products: one worker, no goroutine.
	if 2*m*n*k < 1<<16 {
		workers = 1
	}
	var next atomic.Int64
	work := func() {
		ap := make([]float32, gemmMC*gemmKC)
		bp := make([]float32, gemmKC*gemmNC)
		for {
			blk := int(next.Add(1) - 1)
			if blk >= blocks {
				return
			}
			ic, jc := (blk/nb)*gemmMC, (blk%nb)*gemmNC
			mcb, ncb := min(gemmMC, m-ic), min(gemmNC, n-jc)
			for pc := 0; pc < k; pc += gemmKC {
				kcb := min(gemmKC, k-pc)
				packB(bp, b, pc, jc, kcb, ncb)
				packA(ap, a, ic, pc, mcb, kcb)
				acc := accumulate || pc > 0
				gemmBlock(mcb, ncb, kcb, ap, bp, c[ic*ldc+jc:], ldc, acc)
			}
		}
	}
	if workers <= 1 {
		work()
		return
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	wg.Wait()
}

// packA packs A[i0:i0+mc, p0:p0+kc] into panels of gemmMR rows, k-major
// (panel r holds, for each p, rows r*MR..r*MR+MR-1), zero-padding the last
// panel.
func packA(dst []float32, a matrix, i0, p0, mc, kc int) {
	o := 0
	for r := 0; r < mc; r += gemmMR {
		rows := min(gemmMR, mc-r)
		if !a.trans && rows == gemmMR {
			base := (i0+r)*a.ld + p0
			r0 := a.data[base : base+kc]
			r1 := a.data[base+a.ld : base+a.ld+kc]
			r2 := a.data[base+2*a.ld : base+2*a.ld+kc]
			r3 := a.data[base+3*a.ld : base+3*a.ld+kc]
			d := dst[o : o+4*kc]
			for p := range kc {
				q := d[4*p : 4*p+4 : 4*p+4]
				q[0], q[1], q[2], q[3] = r0[p], r1[p], r2[p], r3[p]
			}
			o += 4 * kc
			continue
		}
		for p := range kc {
			for i := range gemmMR {
				if i < rows {
					dst[o] = a.at(i0+r+i, p0+p)
				} else {
					dst[o] = 0
				}
				o++
			}
		}
	}
}

// packB packs B[p0:p0+kc, j0:j0+nc] into panels of gemmNR columns, k-major,
// zero-padding the last panel.
func packB(dst []float32, b matrix, p0, j0, kc, nc int) {
	o := 0
	for s := 0; s < nc; s += gemmNR {
		cols := min(gemmNR, nc-s)
		if !b.trans && cols == gemmNR {
			for p := range kc {
				base := (p0+p)*b.ld + j0 + s
				src := b.data[base : base+4 : base+4]
				q := dst[o : o+4 : o+4]
				q[0], q[1], q[2], q[3] = src[0], src[1], src[2], src[3]
				o += 4
			}
			continue
		}
		for p := range kc {
			for j := range gemmNR {
				if j < cols {
					dst[o] = b.at(p0+p, j0+s+j)
				} else {
					dst[o] = 0
				}
				o++
			}
		}
	}
}

// gemmBlock multiplies a packed mc×kc block of A by a packed kc×nc block
// of B into C.
func gemmBlock(mc, nc, kc int, ap, bp []float32, c []float32, ldc int, acc bool) {
	var tile [gemmMR * gemmNR]float32
	for s := 0; s < nc; s += gemmNR {
		bpan := bp[s*kc : s*kc+gemmNR*kc]
		cols := min(gemmNR, nc-s)
		for r := 0; r < mc; r += gemmMR {
			apan := ap[r*kc : r*kc+gemmMR*kc]
			rows := min(gemmMR, mc-r)
			if rows == gemmMR && cols == gemmNR {
				kernel4x4(apan, bpan, c[r*ldc+s:], ldc, acc)
				continue
			}
			clear(tile[:])
			kernel4x4(apan, bpan, tile[:], gemmNR, false)
			for i := range rows {
				row := c[(r+i)*ldc+s : (r+i)*ldc+s+cols]
				for j := range row {
					if acc {
						row[j] += tile[i*gemmNR+j]
					} else {
						row[j] = tile[i*gemmNR+j]
					}
				}
			}
		}
	}
}

// kernel4x4 computes the 4×4 tile C = (C if acc) + Apanel·Bpanel.
func kernel4x4(a, b []float32, c []float32, ldc int, acc bool) {
	var c00, c01, c02, c03 float32
	var c10, c11, c12, c13 float32
	var c20, c21, c22, c23 float32
	var c30, c31, c32, c33 float32
	for len(a) >= 4 && len(b) >= 4 {
		b0, b1, b2, b3 := b[0], b[1], b[2], b[3]
		a0 := a[0]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		a1 := a[1]
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		a2 := a[2]
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		a3 := a[3]
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
		a, b = a[4:], b[4:]
	}
	r0 := c[0:4:4]
	r1 := c[ldc : ldc+4 : ldc+4]
	r2 := c[2*ldc : 2*ldc+4 : 2*ldc+4]
	r3 := c[3*ldc : 3*ldc+4 : 3*ldc+4]
	if acc {
		c00 += r0[0]
		c01 += r0[1]
		c02 += r0[2]
		c03 += r0[3]
		c10 += r1[0]
		c11 += r1[1]
		c12 += r1[2]
		c13 += r1[3]
		c20 += r2[0]
		c21 += r2[1]
		c22 += r2[2]
		c23 += r2[3]
		c30 += r3[0]
		c31 += r3[1]
		c32 += r3[2]
		c33 += r3[3]
	}
	r0[0], r0[1], r0[2], r0[3] = c00, c01, c02, c03
	r1[0], r1[1], r1[2], r1[3] = c10, c11, c12, c13
	r2[0], r2[1], r2[2], r2[3] = c20, c21, c22, c23
	r3[0], r3[1], r3[2], r3[3] = c30, c31, c32, c33
}
