package kernels

import (
	"math"
	"sync"
)

// Direct depthwise convolution (one input channel per group) in two
// spatial dimensions with horizontal stride 1 or 2 and finite weights,
// where the CPU has the AVX2 loop dwRows. Each input plane is copied
// once into a zero-padded plane (for horizontal stride 2, as its even
// and then its odd columns), so that every tap of every output reads
// consecutive elements, and all rows of an output plane are one call of
// the vector loop with the kernel's taps.
//
// The sums are those of conv's generic depthwise loop, bit for bit:
// float32, tap by tap in row-major order from +0, taps in the padding
// skipped, each product rounded before its add, the bias added last. A
// padding tap adds w*0 = ±0 (w finite), which leaves every sum that is
// not zero unchanged, and a zero sum is +0 either way: in round-to-
// nearest a sum starting from +0 is never -0 (-0 + -0 is the only sum
// that gives -0).

var dwBufs sync.Pool // *[]float32 padded planes

// useDepthwise2D reports whether depthwise2D handles a depthwise
// convolution with s spatial dimensions and parameters p of kernel w
// (whether w is finite is found once per p.Pack).
func useDepthwise2D(s int, p ConvParams, w []float32) bool {
	if !haveSgemmKernel || s != 2 || (p.Strides[1] != 1 && p.Strides[1] != 2) {
		return false
	}
	return p.Pack.allFinite(w)
}

// allFinite reports whether no element of w is infinite or NaN.
func allFinite(w []float32) bool {
	for _, v := range w {
		if math.IsInf(float64(v), 0) || v != v {
			return false
		}
	}
	return true
}

// depthwise2D computes the depthwise convolution of x ([N, C, H, W]) by w
// ([O, 1, KH, KW], O a multiple of C, finite) into out ([N, O, OH, OW]),
// adding b (or nothing when nil) and then applying epi (when not nil) to
// each output plane.
func depthwise2D(out, x, w, b []float32, N, C, O int, in, ks, outSp []int, p ConvParams, epi func([]float32)) {
	H, W := in[0], in[1]
	KH, KW := ks[0], ks[1]
	OH, OW := outSp[0], outSp[1]
	sy, sx := p.Strides[0], p.Strides[1]
	dy, dx := p.Dilations[0], p.Dilations[1]
	pt, pl := p.PadsBegin[0], p.PadsBegin[1]
	IS, KS, OS := H*W, KH*KW, OH*OW
	Og := O / C
	// The vector loop computes at least 4 columns: narrower outputs go
	// to a scratch plane OWv wide.
	OWv := max(OW, 4)
	// The padded plane: PH×PW, the input at (pt, pl), covering every
	// position a tap of an output in [0, OH)×[0, OWv) reads.
	PH := max(pt+H, (OH-1)*sy+(KH-1)*dy+1)
	PW := max(pl+W, (OWv-1)*sx+(KW-1)*dx+1)
	ld, planeLen := PW, PH*PW // row stride and size of the buffer
	if sx == 2 {
		ld = (PW + 1) / 2 // even columns, then odd ones, each PH×ld
		planeLen = 2 * PH * ld
	}
	// Tap offsets in the padded buffer at output (0, 0), in order.
	offs := make([]int, KS)
	for ky := range KH {
		for kx := range KW {
			c := kx * dx
			switch {
			case sx == 1:
				offs[ky*KW+kx] = ky*dy*PW + c
			case c%2 == 0:
				offs[ky*KW+kx] = ky*dy*ld + c/2
			default:
				offs[ky*KW+kx] = (PH+ky*dy)*ld + (c-1)/2
			}
		}
	}
	parallelFor(N*O, KS*OS, func(first, last int) {
		buf := getDwBuf(planeLen)
		defer dwBufs.Put(buf)
		padded := *buf
		clear(padded)
		var scratch []float32
		if OWv != OW {
			sb := getDwBuf(OH * OWv)
			defer dwBufs.Put(sb)
			scratch = *sb
		}
		prevPlane := -1
		for no := first; no < last; no++ {
			n, o := no/O, no%O
			plane := n*C + o/Og
			src := x[plane*IS : (plane+1)*IS]
			dst := out[no*OS : (no+1)*OS]
			wk := w[o*KS : (o+1)*KS]
			if plane != prevPlane {
				// The borders stay zero: only the input's positions
				// are written, the same ones for every plane.
				padPlane(padded, src, H, W, pt, pl, PH, PW, ld, sx)
				prevPlane = plane
			}
			if scratch == nil {
				dwRows(OH, OW, &dst[0], OW, &padded[0], sy*ld, &offs[0], &wk[0], KS)
			} else {
				dwRows(OH, OWv, &scratch[0], OWv, &padded[0], sy*ld, &offs[0], &wk[0], KS)
				for oy := range OH {
					copy(dst[oy*OW:(oy+1)*OW], scratch[oy*OWv:])
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

// padPlane writes the H×W plane src into the zero-bordered PH×PW plane at
// rows from pt and columns from pl: into padded directly (row stride ld
// = PW) for horizontal stride 1, else as its even columns (PH rows of
// stride ld) followed by its odd ones.
func padPlane(padded, src []float32, H, W, pt, pl, PH, PW, ld, sx int) {
	for y := range H {
		r := src[y*W : (y+1)*W]
		if sx == 1 {
			copy(padded[(pt+y)*ld+pl:], r)
			continue
		}
		// Padded column pl+j is even column (pl+j)/2 or odd column
		// (pl+j-1)/2; a and b are the halves r[0], r[2], ... and r[1],
		// r[3], ... land in.
		a := padded[(pt+y)*ld : (pt+y+1)*ld]
		b := padded[(PH+pt+y)*ld : (PH+pt+y+1)*ld]
		if pl%2 == 1 {
			a, b = b, a
		}
		a, b = a[pl/2:], b[(pl+1)/2:]
		for j := 0; j+1 < len(r); j += 2 {
			a[j/2] = r[j]
			b[j/2] = r[j+1]
		}
		if len(r)%2 == 1 {
			a[len(r)/2] = r[len(r)-1]
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
