package kernels

import (
	"runtime"
	"sync"
)

// Packed, cache-blocked SGEMM (the GotoBLAS/BLIS scheme) around an
// assembly micro-kernel, used for large float32 products where the CPU
// has one (haveSgemmKernel: AVX2 + FMA on amd64); elsewhere sgemm uses
// gonum. For each KC-deep slice of k, a KC×NC block of B is packed into
// 16-column panels and, for each MC-row block of A, that block is packed
// into 6-row panels; the micro-kernel then computes 6×16 tiles of C from
// one A panel (in L2) and one B panel (in L1), accumulating in float32
// registers (k-order sums, one per element, fused multiply-adds).
// Packing zero-pads partial panels, so edge tiles run the same kernel
// into a scratch tile that is copied into C. Work is split over
// GOMAXPROCS goroutines by ranges of columns of C (or of rows, when C is
// taller than it is wide), each packing its own blocks.
const (
	gemmKC = 256  // depth of a packed block
	gemmMC = 120  // rows of a packed A block (a multiple of every kernel's rows)
	gemmNC = 4096 // columns of a packed B block (a multiple of every kernel's columns)

	gemmMaxTile = 12 * 32 // the largest kernel tile
)

// gemmKernel is a micro-kernel of the packed SGEMM: fn sets the mr×nr
// tile of C at c (row stride ldc floats) to (load ? C : 0) + Ã·B̃, Ã a
// kc×mr packed panel of A (a[p*mr+i]) and B̃ a kc×nr packed panel of B
// (b[p*nr+j]), kc >= 1; each element one fused multiply-add chain over p
// in order from +0, C added last, so that every kernel gives the same
// bits.
type gemmKernel struct {
	mr, nr int
	fn     func(kc int, a, b, c *float32, ldc int, load bool)
}

var (
	gemmAVX2   = gemmKernel{mr: 6, nr: 16, fn: sgemmKernel6x16}
	gemmAVX512 = gemmKernel{mr: 12, nr: 32, fn: sgemmKernel12x32}

	// gemmK is the kernel of sgemmPacked: AVX-512 where the CPU has it
	// (32 vector registers: a tile of 12×32 floats in 24 of them),
	// else AVX2.
	gemmK = gemmAVX2
)

func init() {
	if haveSgemm512 {
		gemmK = gemmAVX512
	}
}

var gemmBufs sync.Pool // *[]float32 packing buffers

func getGemmBuf(n int) *[]float32 {
	if p, ok := gemmBufs.Get().(*[]float32); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	s := make([]float32, n)
	return &s
}

// sgemmPacked is sgemm (same arguments and semantics) through the packed
// kernel; k >= 1.
func sgemmPacked(m, n, k int, a, b matrix, c []float32, ldc int, accumulate bool) {
	sgemmPackedWith(gemmK, m, n, k, a, b, c, ldc, accumulate)
}

// sgemmPackedWith is sgemmPacked through the micro-kernel kern.
func sgemmPackedWith(kern gemmKernel, m, n, k int, a, b matrix, c []float32, ldc int, accumulate bool) {
	sgemmPackedA(kern, m, n, k, a, nil, b, c, ldc, accumulate)
}

// packedALen is the length of A (m×k) packed whole for kern by packAll.
func packedALen(kern gemmKernel, m, k int) int { return (m + kern.mr - 1) / kern.mr * kern.mr * k }

// packAll packs all of A (m×k) for kern into dst (packedALen values):
// for each gemmKC-deep slice pc of k, the panels packA makes of all m
// rows, at dst[pc*mp:] (mp = m rounded up to kern.mr).
func packAll(kern gemmKernel, dst []float32, a matrix, m, k int) {
	mp := (m + kern.mr - 1) / kern.mr * kern.mr
	for pc := 0; pc < k; pc += gemmKC {
		packA(dst[pc*mp:], a, kern.mr, 0, m, pc, min(gemmKC, k-pc))
	}
}

// sgemmPackedA is sgemmPackedWith with A already packed by packAll when ap
// is not nil (a is then not read).
func sgemmPackedA(kern gemmKernel, m, n, k int, a matrix, ap []float32, b matrix, c []float32, ldc int, accumulate bool) {
	if ap != nil {
		a = matrix{packed: ap}
	}
	gemmMR, gemmNR := kern.mr, kern.nr
	workers := min(runtime.GOMAXPROCS(0), max(1, 2*m*n*k/(1<<21)))
	if n >= m {
		tiles := (n + gemmNR - 1) / gemmNR
		workers = min(workers, tiles)
		if workers <= 1 {
			sgemmRange(kern, a, b, k, c, ldc, accumulate, 0, m, 0, n)
			return
		}
		var wg sync.WaitGroup
		for w := range workers {
			j0 := min(n, w*tiles/workers*gemmNR)
			j1 := min(n, (w+1)*tiles/workers*gemmNR)
			wg.Go(func() { sgemmRange(kern, a, b, k, c, ldc, accumulate, 0, m, j0, j1) })
		}
		wg.Wait()
		return
	}
	tiles := (m + gemmMR - 1) / gemmMR
	workers = min(workers, tiles)
	if workers <= 1 {
		sgemmRange(kern, a, b, k, c, ldc, accumulate, 0, m, 0, n)
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		i0 := min(m, w*tiles/workers*gemmMR)
		i1 := min(m, (w+1)*tiles/workers*gemmMR)
		wg.Go(func() { sgemmRange(kern, a, b, k, c, ldc, accumulate, i0, i1, 0, n) })
	}
	wg.Wait()
}

// sgemmRange computes rows [i0, i1) × columns [j0, j1) of C.
func sgemmRange(kern gemmKernel, a, b matrix, k int, c []float32, ldc int, accumulate bool, i0, i1, j0, j1 int) {
	if i0 >= i1 || j0 >= j1 {
		return
	}
	gemmMR, gemmNR := kern.mr, kern.nr
	ncMax := min(gemmNC, (j1-j0+gemmNR-1)/gemmNR*gemmNR)
	mcMax := min(gemmMC, (i1-i0+gemmMR-1)/gemmMR*gemmMR)
	kcMax := min(gemmKC, k)
	pb := getGemmBuf(kcMax * ncMax)
	defer gemmBufs.Put(pb)
	bufB := *pb
	var bufA []float32
	mp := 0 // the rows of A packed whole, rounded up to gemmMR
	if a.packed == nil {
		pa := getGemmBuf(mcMax * kcMax)
		defer gemmBufs.Put(pa)
		bufA = *pa
	} else {
		mp = len(a.packed) / k
	}
	var tile [gemmMaxTile]float32
	for jc := j0; jc < j1; jc += gemmNC {
		nc := min(gemmNC, j1-jc)
		for pc := 0; pc < k; pc += gemmKC {
			kc := min(gemmKC, k-pc)
			load := accumulate || pc > 0
			packB(bufB, b, gemmNR, pc, kc, jc, nc)
			for ic := i0; ic < i1; ic += gemmMC {
				mc := min(gemmMC, i1-ic)
				blockA := bufA
				if a.packed == nil {
					packA(bufA, a, gemmMR, ic, mc, pc, kc)
				} else {
					blockA = a.packed[pc*mp+ic*kc:]
				}
				for jr := 0; jr < nc; jr += gemmNR {
					nr := min(gemmNR, nc-jr)
					bp := &bufB[jr*kc]
					for ir := 0; ir < mc; ir += gemmMR {
						mr := min(gemmMR, mc-ir)
						ap := &blockA[ir*kc]
						off := (ic+ir)*ldc + jc + jr
						if mr == gemmMR && nr == gemmNR {
							_ = c[off+(gemmMR-1)*ldc+gemmNR-1]
							kern.fn(kc, ap, bp, &c[off], ldc, load)
							continue
						}
						kern.fn(kc, ap, bp, &tile[0], gemmNR, false)
						for i := range mr {
							row := c[off+i*ldc:][:nr]
							t := tile[i*gemmNR:][:nr]
							if load {
								for j, v := range t {
									row[j] += v
								}
							} else {
								copy(row, t)
							}
						}
					}
				}
			}
		}
	}
}

// packA packs rows [ic, ic+mc) × columns [pc, pc+kc) of A into gemmMR-row
// panels: panel r holds dst[r*kc*gemmMR + p*gemmMR + i] = A(ic+r*gemmMR+i,
// pc+p), zero past row ic+mc.
func packA(dst []float32, a matrix, gemmMR, ic, mc, pc, kc int) {
	for ir := 0; ir < mc; ir += gemmMR {
		mr := min(gemmMR, mc-ir)
		d := dst[ir*kc : (ir+gemmMR)*kc]
		if a.trans {
			// A stored k×m: the panel's rows are contiguous per p.
			for p := range kc {
				src := a.data[(pc+p)*a.ld+ic+ir:][:mr]
				dp := d[p*gemmMR : p*gemmMR+gemmMR]
				copy(dp, src)
				clear(dp[mr:])
			}
			continue
		}
		if mr == 6 && gemmMR == 6 {
			r0 := a.data[(ic+ir)*a.ld+pc:][:kc]
			r1 := a.data[(ic+ir+1)*a.ld+pc:][:kc]
			r2 := a.data[(ic+ir+2)*a.ld+pc:][:kc]
			r3 := a.data[(ic+ir+3)*a.ld+pc:][:kc]
			r4 := a.data[(ic+ir+4)*a.ld+pc:][:kc]
			r5 := a.data[(ic+ir+5)*a.ld+pc:][:kc]
			for p := range kc {
				dp := d[p*gemmMR : p*gemmMR+gemmMR]
				dp[0], dp[1], dp[2] = r0[p], r1[p], r2[p]
				dp[3], dp[4], dp[5] = r3[p], r4[p], r5[p]
			}
			continue
		}
		clear(d)
		for i := range mr {
			src := a.data[(ic+ir+i)*a.ld+pc:][:kc]
			for p, v := range src {
				d[p*gemmMR+i] = v
			}
		}
	}
}

// packB packs rows [pc, pc+kc) × columns [jc, jc+nc) of B into gemmNR-
// column panels: panel r holds dst[r*kc*gemmNR + p*gemmNR + j] =
// B(pc+p, jc+r*gemmNR+j), zero past column jc+nc.
func packB(dst []float32, b matrix, gemmNR, pc, kc, jc, nc int) {
	for jr := 0; jr < nc; jr += gemmNR {
		nr := min(gemmNR, nc-jr)
		d := dst[jr*kc : (jr+gemmNR)*kc]
		if b.gather != nil {
			for p := range kc {
				dp := d[p*gemmNR : p*gemmNR+gemmNR]
				b.gather(pc+p, jc+jr, dp[:nr])
				clear(dp[nr:])
			}
			continue
		}
		if !b.trans {
			for p := range kc {
				src := b.data[(pc+p)*b.ld+jc+jr:][:nr]
				dp := d[p*gemmNR : p*gemmNR+gemmNR]
				copy(dp, src)
				clear(dp[nr:])
			}
			continue
		}
		// B stored n×k: gather each column of the panel.
		if nr < gemmNR {
			clear(d)
		}
		for j := range nr {
			src := b.data[(jc+jr+j)*b.ld+pc:][:kc]
			for p, v := range src {
				d[p*gemmNR+j] = v
			}
		}
	}
}
