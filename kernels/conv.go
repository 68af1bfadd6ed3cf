package kernels

import (
	"fmt"
	"sync"

	"github.com/tfc-dev/tfc/tensor"
)

// ConvParams are the attributes of Conv and ConvTranspose, one value per
// spatial dimension in each slice.
type ConvParams struct {
	Strides, Dilations []int // ≥ 1
	PadsBegin, PadsEnd []int // ≥ 0 for Conv; any sign for ConvTranspose
	Groups             int   // ≥ 1

	// Epilogue, when not nil, is applied by Conv to each output plane
	// (one image and channel) after the bias and before rounding to a
	// 16-bit float type, while the plane is in cache: a fused
	// activation. It may run concurrently on different planes.
	Epilogue func(plane []float32)

	// Pack, when not nil, caches what Conv derives from the kernel on
	// every call; set it only for a kernel that stays the same between
	// calls (a network's weights).
	Pack *ConvPack

	// Out, when it has exactly the result's number of elements and the
	// result is float32, is the result's storage: Conv sets every
	// element of it instead of allocating. It must not overlap the
	// operands.
	Out []float32
}

// ConvPack holds what Conv derives from one kernel tensor that does not
// change between calls: the float64 panels of its small GEMMs (packed
// once instead of on every call, which costs as much as the products
// on small images). The zero value is empty: the first Conv with it
// fills it. It is safe for concurrent use.
type ConvPack struct {
	once    sync.Once
	g, m, k int
	panels  [][]float64 // per group

	finiteOnce sync.Once
	finiteLen  int
	finite     bool // every weight is finite (depthwise2D's condition)

	sOnce   sync.Once
	sg, sm  int
	sk      int
	sPanels [][]float32 // per group: packed whole for the packed SGEMM
}

// sgemmPanels returns the g groups of w (each m×k, row-major) packed
// whole for the packed SGEMM's kernel, packing them on the first call.
func (c *ConvPack) sgemmPanels(w []float32, g, m, k int) [][]float32 {
	c.sOnce.Do(func() {
		c.sg, c.sm, c.sk = g, m, k
		c.sPanels = make([][]float32, g)
		for G := range g {
			c.sPanels[G] = make([]float32, packedALen(gemmK, m, k))
			packAll(gemmK, c.sPanels[G], matrix{data: w[G*m*k : (G+1)*m*k], ld: k}, m, k)
		}
	})
	if c.sg != g || c.sm != m || c.sk != k {
		return nil // used with another kernel shape: not cached
	}
	return c.sPanels
}

// allFinite reports whether every element of w is finite, scanning it
// only on the first call with c (nil: on every call).
func (c *ConvPack) allFinite(w []float32) bool {
	if c == nil {
		return allFinite(w)
	}
	c.finiteOnce.Do(func() { c.finiteLen, c.finite = len(w), allFinite(w) })
	if c.finiteLen != len(w) {
		return allFinite(w) // used with another kernel: not cached
	}
	return c.finite
}

// dgemmPanels returns the packed panels of the g groups of w (each m×k,
// row-major), packing them on the first call.
func (c *ConvPack) dgemmPanels(w []float32, g, m, k int) [][]float64 {
	c.once.Do(func() {
		c.g, c.m, c.k = g, m, k
		c.panels = make([][]float64, g)
		for G := range g {
			c.panels[G] = make([]float64, dgemmPanelsLen(m, k))
			packDgemmA(c.panels[G], m, k, matrix{data: w[G*m*k : (G+1)*m*k], ld: k})
		}
	})
	if c.g != g || c.m != m || c.k != k {
		return nil // used with another kernel shape: not cached
	}
	return c.panels
}

func (p ConvParams) check(s int) error {
	if len(p.Strides) != s || len(p.Dilations) != s || len(p.PadsBegin) != s || len(p.PadsEnd) != s {
		return fmt.Errorf("strides %v, dilations %v, pads %v/%v: want %d values each", p.Strides, p.Dilations, p.PadsBegin, p.PadsEnd, s)
	}
	for j := range s {
		if p.Strides[j] < 1 || p.Dilations[j] < 1 {
			return fmt.Errorf("strides %v, dilations %v: values must be ≥ 1", p.Strides, p.Dilations)
		}
	}
	if p.Groups < 1 {
		return fmt.Errorf("groups=%d, want ≥ 1", p.Groups)
	}
	return nil
}

// convCheck checks what Conv and ConvTranspose share; o is the number of
// output channels, known once the caller has checked the kernel.
func convCheck(x, w, b *tensor.Tensor, p ConvParams) (s int, err error) {
	if err := checkTensor("input", x); err != nil {
		return 0, err
	}
	if err := checkTensor("kernel", w); err != nil {
		return 0, err
	}
	ts := []*tensor.Tensor{x, w}
	if b != nil {
		if err := checkTensor("bias", b); err != nil {
			return 0, err
		}
		ts = append(ts, b)
	}
	if err := sameDType(ts...); err != nil {
		return 0, err
	}
	if err := checkDType("input", x, floatTypes...); err != nil {
		return 0, err
	}
	if len(x.Shape) < 3 {
		return 0, fmt.Errorf("input %v: want rank ≥ 3 (N, C, spatial...)", x.Shape)
	}
	if len(w.Shape) != len(x.Shape) {
		return 0, fmt.Errorf("kernel %v: want rank %d like the input", w.Shape, len(x.Shape))
	}
	for _, d := range w.Shape {
		if d < 1 {
			return 0, fmt.Errorf("kernel %v has an empty dimension", w.Shape)
		}
	}
	s = len(x.Shape) - 2
	return s, p.check(s)
}

func checkBias(b *tensor.Tensor, o int) error {
	if b != nil && (len(b.Shape) != 1 || b.Shape[0] != o) {
		return fmt.Errorf("bias %v: want [%d]", b.Shape, o)
	}
	return nil
}

// tapMaps returns, for spatial dimension j of an input (or, for conv
// transpose, output) of sizes dims and each kernel tap k along j, the map
// from output (input) position o to the element offset, within one plane,
// of position o*stride + k*dilation - padBegin, or -1 where that is
// outside [0, dims[j]).
func tapMaps(dims, kernel, n []int, p ConvParams) [][][]int {
	s := len(dims)
	stride := 1
	maps := make([][][]int, s)
	for j := s - 1; j >= 0; j-- {
		maps[j] = make([][]int, kernel[j])
		for k := range kernel[j] {
			m := make([]int, n[j])
			for o := range m {
				i := o*p.Strides[j] + k*p.Dilations[j] - p.PadsBegin[j]
				if i < 0 || i >= dims[j] {
					m[o] = -1
				} else {
					m[o] = i * stride
				}
			}
			maps[j][k] = m
		}
		stride *= dims[j]
	}
	return maps
}

// forTaps calls fn for every kernel tap t (row-major over kernel), with
// maps set to the tap's per-dimension maps.
func forTaps(tm [][][]int, kernel []int, maps [][]int, fn func(t int)) {
	s := len(kernel)
	tap := make([]int, s)
	for t := 0; ; t++ {
		for j := range s {
			maps[j] = tm[j][tap[j]]
		}
		fn(t)
		j := s - 1
		for ; j >= 0; j-- {
			tap[j]++
			if tap[j] < kernel[j] {
				break
			}
			tap[j] = 0
		}
		if j < 0 {
			return
		}
	}
}

// forRows walks the index space whose dimensions are len(maps[k]) row by
// row (all dimensions but the last), calling fn with the row's offset in
// that space and the sum of the outer maps' entries; rows with a negative
// outer entry are skipped.
func forRows(maps [][]int, fn func(o, base int)) {
	r := len(maps)
	n := len(maps[r-1])
	rows := 1
	for _, m := range maps[:r-1] {
		rows *= len(m)
	}
	if rows == 0 || n == 0 {
		return
	}
	idx := make([]int, r-1)
	for row := range rows {
		base, ok := 0, true
		for k, i := range idx {
			m := maps[k][i]
			if m < 0 {
				ok = false
				break
			}
			base += m
		}
		if ok {
			fn(row*n, base)
		}
		for k := r - 2; k >= 0; k-- {
			idx[k]++
			if idx[k] < len(maps[k]) {
				break
			}
			idx[k] = 0
		}
	}
}

// span describes a tap map of the last spatial dimension: positions
// [lo, hi) are inside, reading offsets first, first+step, ... .
type span struct{ lo, hi, first, step int }

// mapSpans returns the span of each of a dimension's tap maps (whose
// inside positions are always one arithmetic run).
func mapSpans(maps [][]int) []span {
	sp := make([]span, len(maps))
	for k, m := range maps {
		lo, hi := 0, len(m)
		for lo < hi && m[lo] < 0 {
			lo++
		}
		for hi > lo && m[hi-1] < 0 {
			hi--
		}
		sp[k] = span{lo: lo, hi: hi}
		if lo < hi {
			sp[k].first = m[lo]
		}
		if hi-lo > 1 {
			sp[k].step = m[lo+1] - m[lo]
		}
	}
	return sp
}

// newOut returns a zero tensor of type dt and the given shape, or, when
// out has its number of elements and dt is float32, a tensor over out
// (its contents left as they are: the caller sets every element).
func newOut(dt tensor.DType, shape tensor.Shape, out []float32) (*tensor.Tensor, error) {
	if out != nil && dt == tensor.Float32 {
		if n, err := shape.NumElements(); err == nil && n == len(out) {
			return &tensor.Tensor{DType: dt, Shape: shape, F32: out}, nil
		}
	}
	return tensor.New(dt, shape)
}

func prod(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

// Conv is the N-D grouped cross-correlation of the IR's conv op, channels
// first:
//
//	x: [N, C, i...], w: [O, C/g, k...], b: [O] or nil
//	r[n, o, y] = b[o] + Σ_{c<C/g} Σ_k x[n, G*C/g + c, y*s + k*d - p0] * w[o, c, k]
//
// with G = o / (O/g) and x zero outside its bounds; r is [N, O, o...] with
// o_j = floor((i_j + p0_j + p1_j - d_j*(k_j-1) - 1) / s_j) + 1 ≥ 1.
//
// Depthwise convolutions (one input channel per group) run as direct
// loops; others as im2col (skipped for 1x1 stride-1 unpadded kernels)
// followed by one SGEMM per image and group.
func Conv(x, w, b *tensor.Tensor, p ConvParams) (*tensor.Tensor, error) {
	r, err := conv(x, w, b, p)
	if err != nil {
		return nil, fmt.Errorf("conv: %v", err)
	}
	return r, nil
}

func conv(x, w, b *tensor.Tensor, p ConvParams) (*tensor.Tensor, error) {
	s, err := convCheck(x, w, b, p)
	if err != nil {
		return nil, err
	}
	N, C, O, g := x.Shape[0], x.Shape[1], w.Shape[0], p.Groups
	if C%g != 0 || O%g != 0 {
		return nil, fmt.Errorf("groups=%d does not divide input channels %d and output channels %d", g, C, O)
	}
	if w.Shape[1]*g != C {
		return nil, fmt.Errorf("kernel %v has %d input channels per group, input has %d channels in %d groups", w.Shape, w.Shape[1], C, g)
	}
	if err := checkBias(b, O); err != nil {
		return nil, err
	}
	in, ks := []int(x.Shape[2:]), []int(w.Shape[2:])
	outSp := make([]int, s)
	pointwise := true
	for j := range s {
		if p.PadsBegin[j] < 0 || p.PadsEnd[j] < 0 {
			return nil, fmt.Errorf("pads %v/%v: values must be ≥ 0", p.PadsBegin, p.PadsEnd)
		}
		eff := p.Dilations[j]*(ks[j]-1) + 1
		span := in[j] + p.PadsBegin[j] + p.PadsEnd[j] - eff
		if span < 0 {
			return nil, fmt.Errorf("spatial dimension %d: padded input %d is smaller than the dilated kernel %d", j, in[j]+p.PadsBegin[j]+p.PadsEnd[j], eff)
		}
		outSp[j] = span/p.Strides[j] + 1
		pointwise = pointwise && ks[j] == 1 && p.Strides[j] == 1 && p.PadsBegin[j] == 0 && p.PadsEnd[j] == 0
	}
	out, err := newOut(x.DType, append(tensor.Shape{N, O}, outSp...), p.Out)
	if err != nil {
		return nil, err
	}
	Cg, Og := C/g, O/g
	IS, KS, OS := prod(in), prod(ks), prod(outSp)
	if out.Len() == 0 {
		return out, nil
	}
	direct := Cg == 1 && useDepthwise2D(s, p, w.F32)
	var tm [][][]int // the tap maps, for the loops that read them
	if !direct && (Cg == 1 || !pointwise) {
		tm = tapMaps(in, ks, outSp, p)
	}
	switch {
	case direct:
		var bias []float32
		if b != nil {
			bias = b.F32
		}
		depthwise2D(out.F32, x.F32, w.F32, bias, N, C, O, in, ks, outSp, p, p.Epilogue)
		return finish(out), nil
	case Cg == 1:
		clear(out.F32) // the taps accumulate into it
		depthwiseTaps(out.F32, x.F32, w.F32, N, C, O, tm, ks, IS, OS)
	default:
		rows := Cg * KS
		// Two-dimensional products for the packed SGEMM read the
		// input through the tap maps as they pack it (gather2D)
		// instead of from an im2col copy.
		gathered := !pointwise && s == 2 && useSgemmPacked(Og, OS, rows)
		var col []float32
		if !pointwise && !gathered {
			// Every element is written by im2col.
			cb := getGemmBuf(rows * OS)
			defer gemmBufs.Put(cb)
			col = *cb
		}
		var panels [][]float64
		var sPanels [][]float32
		switch {
		case p.Pack == nil:
		case useDgemmTiled(Og, OS, rows):
			panels = p.Pack.dgemmPanels(w.F32, g, Og, rows)
		case useSgemmPacked(Og, OS, rows):
			sPanels = p.Pack.sgemmPanels(w.F32, g, Og, rows)
		}
		for n := range N {
			for G := range g {
				xg := x.F32[(n*C+G*Cg)*IS : (n*C+(G+1)*Cg)*IS]
				bm := matrix{data: xg, ld: IS}
				switch {
				case gathered:
					bm = matrix{gather: gather2D(xg, tm, ks, IS, outSp[1])}
				case !pointwise:
					im2col(col, xg, tm, ks, IS, OS, Cg)
					bm = matrix{data: col, ld: OS}
				}
				if panels != nil {
					dgemmTiledPacked(Og, OS, rows, panels[G], bm, out.F32[(n*O+G*Og)*OS:], OS, false)
					continue
				}
				if sPanels != nil {
					sgemmPackedA(gemmK, Og, OS, rows, matrix{}, sPanels[G], bm, out.F32[(n*O+G*Og)*OS:], OS, false)
					continue
				}
				am := matrix{data: w.F32[G*Og*rows : (G+1)*Og*rows], ld: rows}
				if gathered {
					sgemmPacked(Og, OS, rows, am, bm, out.F32[(n*O+G*Og)*OS:], OS, false)
					continue
				}
				sgemm(Og, OS, rows, am, bm, out.F32[(n*O+G*Og)*OS:], OS, false)
			}
		}
	}
	if p.Epilogue == nil {
		addBias(out, b)
		return finish(out), nil
	}
	// The bias and the epilogue in one pass per plane.
	for i := 0; i < len(out.F32); i += OS {
		plane := out.F32[i : i+OS]
		if b != nil {
			v := b.F32[i/OS%O]
			for j := range plane {
				plane[j] += v
			}
		}
		p.Epilogue(plane)
	}
	return finish(out), nil
}

// depthwiseTaps is the depthwise case of conv (one input channel per
// group, O a multiple of C) for any number of spatial dimensions: out
// ([N, O, o...], zero) += x ([N, C, i...]) convolved by w ([O, 1, k...]),
// tap by tap over rows of the output, through the tap maps tm.
func depthwiseTaps(out, x, w []float32, N, C, O int, tm [][][]int, ks []int, IS, OS int) {
	s := len(ks)
	KS, Og := prod(ks), O/C
	spans := mapSpans(tm[s-1])
	parallelFor(N*O, KS*OS, func(lo, hi int) {
		maps := make([][]int, s)
		for no := lo; no < hi; no++ {
			n, o := no/O, no%O
			c := o / Og
			dst := out[no*OS : (no+1)*OS]
			src := x[(n*C+c)*IS : (n*C+c+1)*IS]
			wk := w[o*KS : (o+1)*KS]
			forTaps(tm, ks, maps, func(t int) {
				wv := wk[t]
				sp := spans[t%ks[s-1]]
				if sp.lo >= sp.hi {
					return
				}
				forRows(maps, func(o, base int) {
					d := dst[o+sp.lo : o+sp.hi]
					x := src[base+sp.first:]
					if sp.step == 1 {
						x = x[:len(d)]
						for i := range d {
							d[i] += wv * x[i]
						}
						return
					}
					for i, j := 0, 0; i < len(d); i, j = i+1, j+sp.step {
						d[i] += wv * x[j]
					}
				})
			})
		}
	})
}

// im2col fills col ([Cg*KS, OS]) with, for each input channel c and kernel
// tap t, the input values each output position reads through that tap.
func im2col(col, xg []float32, tm [][][]int, ks []int, IS, OS, Cg int) {
	if len(ks) == 2 {
		// Two dimensions: by runs of output rows (gather2D).
		g := gather2D(xg, tm, ks, IS, len(tm[1][0]))
		parallelFor(Cg*ks[0]*ks[1], OS, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				g(r, 0, col[r*OS:(r+1)*OS])
			}
		})
		return
	}
	im2colTaps(col, xg, tm, ks, IS, OS, Cg)
}

// im2colTaps is im2col for any number of spatial dimensions, tap by tap.
func im2colTaps(col, xg []float32, tm [][][]int, ks []int, IS, OS, Cg int) {
	KS := prod(ks)
	parallelFor(Cg, KS*OS, func(lo, hi int) {
		maps := make([][]int, len(ks))
		for c := lo; c < hi; c++ {
			src := xg[c*IS : (c+1)*IS]
			forTaps(tm, ks, maps, func(t int) {
				r := c*KS + t
				takeFill(col[r*OS:(r+1)*OS], src, maps, 0)
			})
		}
	})
}

// gather2D returns the gather (see matrix) of the im2col matrix of a
// two-dimensional convolution, without it: row c*KS + t, column j is
// what output position j (ow columns a row) reads through tap t from
// input channel c of xg (IS elements each), 0 in the padding.
func gather2D(xg []float32, tm [][][]int, ks []int, IS, ow int) func(p, j0 int, dst []float32) {
	KS, kw := ks[0]*ks[1], ks[1]
	return func(p, j0 int, dst []float32) {
		c, t := p/KS, p%KS
		my, mx := tm[0][t/kw], tm[1][t%kw]
		src := xg[c*IS : (c+1)*IS]
		oy, ox := j0/ow, j0%ow
		for len(dst) > 0 {
			// The rest of output row oy.
			n := min(len(dst), ow-ox)
			seg := dst[:n]
			if y := my[oy]; y < 0 {
				clear(seg)
			} else {
				row, m := src[y:], mx[ox:ox+n]
				// Positions inside the input are one run of m (the
				// padding only at its ends).
				switch a, z := m[0], m[n-1]; {
				case a >= 0 && z-a == n-1: // stride 1, no padding
					copy(seg, row[a:a+n])
				case a >= 0 && z >= 0:
					for k, xo := range m {
						seg[k] = row[xo]
					}
				default:
					for k, xo := range m {
						v := float32(0)
						if xo >= 0 {
							v = row[xo]
						}
						seg[k] = v
					}
				}
			}
			dst = dst[n:]
			ox, oy = 0, oy+1
		}
	}
}

// addBias adds b[o] to every element of channel o of out ([N, O, ...]).
func addBias(out, b *tensor.Tensor) {
	if b == nil {
		return
	}
	N, O := out.Shape[0], out.Shape[1]
	S := prod(out.Shape[2:])
	for n := range N {
		for o := range O {
			v := b.F32[o]
			d := out.F32[(n*O+o)*S : (n*O+o+1)*S]
			for i := range d {
				d[i] += v
			}
		}
	}
}

// ConvTranspose is the IR's conv_transpose, the transpose of Conv:
//
//	x: [N, C, i...], w: [C, O/g, k...], b: [O] or nil
//	r: [N, O, o...], o_j = (i_j - 1)*s_j + d_j*(k_j - 1) + 1 - p0_j - p1_j ≥ 1
//
// Every x[n, c, y] * w[c, o', k] is added to position y*s + k*d - p0 of
// output channel G*O/g + o' (c in group G); positions outside the output
// are dropped, and negative pads add positions only the bias reaches. It
// runs as one SGEMM (Wᵀ·X) per image and group followed by col2im.
func ConvTranspose(x, w, b *tensor.Tensor, p ConvParams) (*tensor.Tensor, error) {
	r, err := convTranspose(x, w, b, p)
	if err != nil {
		return nil, fmt.Errorf("conv_transpose: %v", err)
	}
	return r, nil
}

func convTranspose(x, w, b *tensor.Tensor, p ConvParams) (*tensor.Tensor, error) {
	s, err := convCheck(x, w, b, p)
	if err != nil {
		return nil, err
	}
	N, C, g := x.Shape[0], x.Shape[1], p.Groups
	if w.Shape[0] != C {
		return nil, fmt.Errorf("kernel %v has %d input channels, input has %d", w.Shape, w.Shape[0], C)
	}
	if C%g != 0 {
		return nil, fmt.Errorf("groups=%d does not divide input channels %d", g, C)
	}
	Og := w.Shape[1]
	O := Og * g
	if err := checkBias(b, O); err != nil {
		return nil, err
	}
	in, ks := []int(x.Shape[2:]), []int(w.Shape[2:])
	outSp := make([]int, s)
	for j := range s {
		outSp[j] = (in[j]-1)*p.Strides[j] + p.Dilations[j]*(ks[j]-1) + 1 - p.PadsBegin[j] - p.PadsEnd[j]
		if outSp[j] < 1 {
			return nil, fmt.Errorf("spatial dimension %d: output size %d < 1", j, outSp[j])
		}
	}
	out, err := tensor.New(x.DType, append(tensor.Shape{N, O}, outSp...))
	if err != nil {
		return nil, err
	}
	Cg := C / g
	IS, KS, OS := prod(in), prod(ks), prod(outSp)
	if out.Len() == 0 {
		addBias(out, b)
		return out, nil
	}
	// Maps from input position y to output offset for each tap: the
	// same arithmetic as Conv's with the roles of input and output
	// swapped.
	tm := tapMaps(outSp, ks, in, p)
	rows := Og * KS
	cols := make([]float32, rows*IS)
	for n := range N {
		for G := range g {
			xg := x.F32[(n*C+G*Cg)*IS : (n*C+(G+1)*Cg)*IS]
			wg := w.F32[G*Cg*rows : (G+1)*Cg*rows]
			sgemm(rows, IS, Cg, matrix{data: wg, ld: rows, trans: true}, matrix{data: xg, ld: IS}, cols, IS, false)
			parallelFor(Og, KS*IS, func(lo, hi int) {
				maps := make([][]int, s)
				for o := lo; o < hi; o++ {
					dst := out.F32[(n*O+G*Og+o)*OS : (n*O+G*Og+o+1)*OS]
					forTaps(tm, ks, maps, func(t int) {
						src := cols[(o*KS+t)*IS : (o*KS+t+1)*IS]
						last := maps[s-1]
						forRows(maps, func(i, base int) {
							sr := src[i : i+len(last)]
							for q, m := range last {
								if m >= 0 {
									dst[base+m] += sr[q]
								}
							}
						})
					})
				}
			})
		}
	}
	addBias(out, b)
	return finish(out), nil
}
