//go:build !amd64

package kernels

const haveAVX2 = false

func rangeAVX(p *float32, n int, lo, hi *[8]float32) bool {
	panic("kernels: rangeAVX without assembly")
}

func scaleAVX(dst, src *float32, n int, f float64) { panic("kernels: scaleAVX without assembly") }

func transpose8AVX(dst *float32, ldd int, src *float32, offs *[8]int, n int) {
	panic("kernels: transpose8AVX without assembly")
}
