package kernels

import "math"

// ClampF32 sets dst[i] to max(lo, min(hi, src[i])) as math.Max and
// math.Min define them on float64 values, rounded to float32: NaN for a
// NaN element (unless an infinite bound decides), -0 below +0. dst and
// src have the same length and may be the same slice. Where the CPU has
// AVX2 and the bounds are finite, ordered, lo is not -0 and hi is not
// zero (so that no signed-zero tie arises), it runs as vector min, max
// and a NaN blend, which give the same values (any NaN for NaN).
func ClampF32(dst, src []float32, lo, hi float32) {
	dst = dst[:len(src)]
	i := 0
	if haveSgemmKernel && lo < hi && hi != 0 && math.Float32bits(lo) != 1<<31 &&
		!math.IsInf(float64(lo), 0) && !math.IsInf(float64(hi), 0) {
		if n := len(src) / 8 * 8; n > 0 {
			clampAVX(&dst[0], &src[0], n, lo, hi)
			if t := len(src) - 8; n < len(src) {
				// The tail as the last 8 elements: clamping is
				// idempotent, so elements done twice (in place) keep
				// their values.
				clampAVX(&dst[t], &src[t], 8, lo, hi)
			}
			return
		}
	}
	a, b := float64(lo), float64(hi)
	for ; i < len(src); i++ {
		dst[i] = float32(math.Max(a, math.Min(b, float64(src[i]))))
	}
}

// ReluF32 sets dst[i] to src[i] < 0 ? 0 : src[i] (NaN and -0 pass
// through). dst and src have the same length and may be the same slice.
func ReluF32(dst, src []float32) {
	dst = dst[:len(src)]
	i := 0
	if haveSgemmKernel {
		if n := len(src) / 8 * 8; n > 0 {
			reluAVX(&dst[0], &src[0], n)
			if t := len(src) - 8; n < len(src) {
				reluAVX(&dst[t], &src[t], 8) // idempotent, as above
			}
			return
		}
	}
	for ; i < len(src); i++ {
		v := src[i]
		if v < 0 {
			v = 0
		}
		dst[i] = v
	}
}
