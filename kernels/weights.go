package kernels

import "math"

// Passes over a model's float32 weights as a whole (ResNet50 has 25M of
// them): their range, for printing, and per-row scaling, for folding a
// batch norm into the layer before it. Where the CPU has AVX2 they run
// eight elements at a time; the results are those of the scalar loops,
// bit for bit.

// RangeF32 returns the smallest and the largest non-NaN value of vals, as
// a scan in order that replaces lo only by a smaller and hi only by a
// larger value would find them (so of -0 and +0 the one met first), +Inf
// and -Inf when there are none, and special, which is true exactly when
// some value is NaN or infinite (all exponent bits set).
func RangeF32(vals []float32) (lo, hi float32, special bool) {
	lo, hi = float32(math.Inf(1)), float32(math.Inf(-1))
	i := 0
	if haveAVX2 && len(vals) >= 16 {
		// Eight lanes, each a scan of its own elements; their minima
		// compare equal only where the values are equal, so only a
		// signed zero can make the lane order matter (below).
		n := len(vals) / 8 * 8
		var los, his [8]float32
		special = rangeAVX(&vals[0], n, &los, &his)
		for k := range los {
			lo, hi = min32(lo, los[k]), max32(hi, his[k]) // nms.go: a kept on ties
		}
		i = n
	}
	for _, v := range vals[i:] {
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
		special = special || math.Float32bits(v)&0x7f800000 == 0x7f800000
	}
	if i > 0 && (lo == 0 || hi == 0) {
		// A zero extreme is the first zero in order, -0 or +0.
		for _, v := range vals {
			if v == 0 {
				if lo == 0 {
					lo = v
				}
				if hi == 0 {
					hi = v
				}
				break
			}
		}
	}
	return lo, hi, special
}

// ScaleRowsF32 sets dst[r*per+i] = float32(float64(src[r*per+i]) * s[r])
// for the len(s) rows of per elements each; dst and src hold
// len(s)*per elements and may be the same slice.
func ScaleRowsF32(dst, src []float32, per int, s []float64) {
	dst, src = dst[:len(s)*per], src[:len(s)*per]
	for r, f := range s {
		d, x := dst[r*per:(r+1)*per], src[r*per:(r+1)*per]
		i := 0
		if haveAVX2 && per >= 8 {
			i = per / 8 * 8
			scaleAVX(&d[0], &x[0], i, f)
		}
		for ; i < per; i++ {
			d[i] = float32(float64(x[i]) * f)
		}
	}
}
