//go:build amd64

package kernels

import "golang.org/x/sys/cpu"

// haveAVX2 reports whether the AVX2 loops of weights_amd64.s can run.
var haveAVX2 = cpu.X86.HasAVX2

// rangeAVX scans p[0:n], n a positive multiple of 8, in eight lanes
// (lane k holds the elements at k mod 8): lo[k] and hi[k] are its
// smallest and largest non-NaN value (+Inf and -Inf when none), and it
// reports whether any element has all exponent bits set.
//
//go:noescape
func rangeAVX(p *float32, n int, lo, hi *[8]float32) (special bool)

// scaleAVX sets dst[i] = float32(float64(src[i]) * f) for i in [0, n), n
// a positive multiple of 8; dst may be src.
//
//go:noescape
func scaleAVX(dst, src *float32, n int, f float64)

// transpose8AVX transposes the 8×n block whose row k is
// src[offs[k]:offs[k]+n] into the n×8 block at dst (row stride ldd
// elements), n a positive multiple of 8: dst[j*ldd+k] = src[offs[k]+j].
//
//go:noescape
func transpose8AVX(dst *float32, ldd int, src *float32, offs *[8]int, n int)
