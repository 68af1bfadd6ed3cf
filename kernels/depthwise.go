package kernels

import "sync"

// Direct depthwise convolution (one input channel per group) in two
// spatial dimensions with horizontal stride 1 or 2, where the CPU has the
// AVX2 row loop dwRow. Each output row is one vector loop over the
// output columns whose taps all lie inside the input row, running the
// taps of the kernel rows that lie inside the input, plus scalar loops
// for the columns at the edges. Horizontal stride 2 reads the input's
// even and odd columns, split once per plane, so that every tap again
// reads consecutive elements. The sums are those of conv's generic
// depthwise loop, bit for bit: float32, tap by tap in row-major order
// from +0, taps in the padding skipped, each product rounded before its
// add, the bias added last.

var dwBufs sync.Pool // *[]float32 split planes

// useDepthwise2D reports whether depthwise2D handles a depthwise
// convolution with s spatial dimensions and parameters p.
func useDepthwise2D(s int, p ConvParams) bool {
	return haveSgemmKernel && s == 2 && (p.Strides[1] == 1 || p.Strides[1] == 2)
}

// depthwise2D computes the depthwise convolution of x ([N, C, H, W]) by w
// ([O, 1, KH, KW], O a multiple of C) into out ([N, O, OH, OW]), adding b
// (or nothing when nil) and then applying epi (when not nil) to each
// output plane.
func depthwise2D(out, x, w, b []float32, N, C, O int, in, ks, outSp []int, p ConvParams, epi func([]float32)) {
	H, W := in[0], in[1]
	KH, KW := ks[0], ks[1]
	OH, OW := outSp[0], outSp[1]
	sy, sx := p.Strides[0], p.Strides[1]
	dy, dx := p.Dilations[0], p.Dilations[1]
	pt, pl := p.PadsBegin[0], p.PadsBegin[1]
	IS, KS, OS := H*W, KH*KW, OH*OW
	Og := O / C
	// Output columns [lo, hi) read only inside the input row.
	lo := min(OW, (pl+sx-1)/sx)
	hi := lo
	if num := W - 1 + pl - (KW-1)*dx; num >= 0 {
		hi = max(lo, min(OW, num/sx+1))
	}
	// Output rows [ylo, yhi) read only inside the input.
	ylo := min(OH, (pt+sy-1)/sy)
	yhi := ylo
	if num := H - 1 + pt - (KH-1)*dy; num >= 0 {
		yhi = max(ylo, min(OH, num/sy+1))
	}
	wide := hi-lo >= 4 // else every column is an edge column
	// Rows of the input (or of its even and odd columns, split into one
	// buffer with one row stride) are ld apart.
	ld := W
	if sx == 2 {
		ld = (W + 1) / 2
	}
	parallelFor(N*O, KS*OS, func(first, last int) {
		offs := make([]int, KS)
		wt := make([]float32, KS)
		var split []float32
		if sx == 2 {
			buf := getDwBuf(2 * H * ld)
			defer dwBufs.Put(buf)
			split = *buf
		}
		// taps lists the taps of output row oy whose kernel rows lie
		// inside the input, in order, with their offsets in base at
		// output column lo, and returns their number.
		taps := func(wk []float32, oy int) int {
			nt := 0
			for ky := range KH {
				iy := oy*sy + ky*dy - pt
				if iy < 0 || iy >= H {
					continue
				}
				for kx := range KW {
					c := lo*sx + kx*dx - pl
					switch {
					case sx == 1:
						offs[nt] = iy*W + c
					case c%2 == 0:
						offs[nt] = iy*ld + c/2
					default:
						offs[nt] = (H+iy)*ld + (c-1)/2
					}
					wt[nt] = wk[ky*KW+kx]
					nt++
				}
			}
			return nt
		}
		prevPlane := -1
		for no := first; no < last; no++ {
			n, o := no/O, no%O
			plane := n*C + o/Og
			src := x[plane*IS : (plane+1)*IS]
			dst := out[no*OS : (no+1)*OS]
			wk := w[o*KS : (o+1)*KS]
			base := src
			if sx == 2 {
				if plane != prevPlane {
					splitColumns(split, src, H, W, ld)
					prevPlane = plane
				}
				base = split
			}
			// The vector loop: interior rows in one call, edge rows
			// one by one with the taps of their rows inside.
			if wide && yhi > ylo {
				nt := taps(wk, ylo)
				dwRows(yhi-ylo, hi-lo, &dst[ylo*OW+lo], OW, &base[0], sy*ld, &offs[0], &wt[0], nt)
			}
			for oy := range OH {
				row := dst[oy*OW : (oy+1)*OW]
				if oy < ylo || oy >= yhi {
					if nt := taps(wk, oy); nt == 0 {
						clear(row)
						continue
					} else if wide {
						dwRows(1, hi-lo, &row[lo], OW, &base[0], ld, &offs[0], &wt[0], nt)
					}
				}
				// The edge columns (all of them when the row is narrow).
				l, h := lo, hi
				if !wide {
					l, h = OW, OW
				}
				for ox := range l {
					row[ox] = dwColumn(src, wk, H, W, KH, KW, oy*sy-pt, ox*sx-pl, dy, dx)
				}
				for ox := h; ox < OW; ox++ {
					row[ox] = dwColumn(src, wk, H, W, KH, KW, oy*sy-pt, ox*sx-pl, dy, dx)
				}
			}
			if b != nil {
				bv := b[o]
				for i := range dst {
					dst[i] += bv
				}
			}
			if epi != nil {
				epi(dst)
			}
		}
	})
}

// dwColumn is one output element of depthwise2D before the bias: the
// taps of kernel wk (KH×KW) at input rows y0 + ky*dy and columns x0 +
// kx*dx of the H×W plane src, those outside skipped.
func dwColumn(src, wk []float32, H, W, KH, KW, y0, x0, dy, dx int) float32 {
	var acc float32
	for ky := range KH {
		iy := y0 + ky*dy
		if iy < 0 || iy >= H {
			continue
		}
		xr := src[iy*W : (iy+1)*W]
		for kx, wv := range wk[ky*KW : (ky+1)*KW] {
			if ix := x0 + kx*dx; ix >= 0 && ix < W {
				acc += float32(wv * xr[ix])
			}
		}
	}
	return acc
}

// splitColumns writes the even columns of the H×W plane src, then its odd
// columns, into dst as two H-row planes of row stride ld ≥ ceil(W/2).
func splitColumns(dst, src []float32, H, W, ld int) {
	We, Wo := (W+1)/2, W/2
	for y := range H {
		r := src[y*W : (y+1)*W]
		e, o := dst[y*ld:y*ld+We], dst[(H+y)*ld:(H+y)*ld+Wo]
		for j := range o {
			e[j] = r[2*j]
			o[j] = r[2*j+1]
		}
		if We > Wo {
			e[We-1] = r[W-1]
		}
	}
}

func getDwBuf(n int) *[]float32 {
	if p, ok := dwBufs.Get().(*[]float32); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	s := make([]float32, n)
	return &s
}
