//go:build !linux

package tensor

// newF32 returns zeroed storage for n float32s (the huge-page hint of
// Linux has no counterpart here).
func newF32(n int) []float32 { return make([]float32, n) }
