//go:build !amd64

package kernels

func dwRows(rows, n int, dst *float32, ldd int, base *float32, ldb int, offs *int, w *float32, ntaps int) {
	panic("kernels: dwRows without assembly")
}

func clampAVX(dst, src *float32, n int, lo, hi float32) { panic("kernels: clampAVX without assembly") }

func reluAVX(dst, src *float32, n int) { panic("kernels: reluAVX without assembly") }
