//go:build amd64

package kernels

// dwRows sets dst[r*ldd+i] = Σ_t w[t]*base[r*ldb+offs[t]+i] for r in
// [0, rows) and i in [0, n), n >= 4, summed in float32 over t in order
// from +0 with each product rounded before its add; rows, ntaps >= 1.
// See depthwise_amd64.s.
//
//go:noescape
func dwRows(rows, n int, dst *float32, ldd int, base *float32, ldb int, offs *int, w *float32, ntaps int)

// clampAVX and reluAVX are the vector loops of ClampF32 and ReluF32 over
// n elements, n a multiple of 8. See clamp_amd64.s.
//
//go:noescape
func clampAVX(dst, src *float32, n int, lo, hi float32)

//go:noescape
func reluAVX(dst, src *float32, n int)
