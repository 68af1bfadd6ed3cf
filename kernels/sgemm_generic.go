//go:build !amd64

package kernels

// haveSgemmKernel is false off amd64: sgemm uses gonum there.
const haveSgemmKernel = false

const haveSgemm512 = false

func sgemmKernel6x16(kc int, a, b, c *float32, ldc int, load bool) {
	panic("kernels: sgemmKernel6x16 without assembly")
}

func sgemmKernel12x32(kc int, a, b, c *float32, ldc int, load bool) {
	panic("kernels: sgemmKernel12x32 without assembly")
}

func dgemmKernel4x12(kc int, a *float64, b *float32, ldb int, c *float32, ldc int, load bool) {
	panic("kernels: dgemmKernel4x12 without assembly")
}
