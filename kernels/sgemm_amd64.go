//go:build amd64

package kernels

import "golang.org/x/sys/cpu"

// haveSgemmKernel reports whether the packed SGEMM's assembly
// micro-kernel (AVX2 + FMA) can run on this CPU.
var haveSgemmKernel = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// haveSgemm512 reports whether the AVX-512 micro-kernel can run (AVX-512F
// with the operating system saving its registers).
var haveSgemm512 = haveSgemmKernel && cpu.X86.HasAVX512F

// sgemmKernel6x16 sets the 6×16 tile of C at c (row stride ldc floats) to
// (load ? C : 0) + Ã·B̃, where Ã is a kc×6 packed panel of A (a[p*6+i])
// and B̃ a kc×16 packed panel of B (b[p*16+j]); kc >= 1.
//
//go:noescape
func sgemmKernel6x16(kc int, a, b, c *float32, ldc int, load bool)

// sgemmKernel12x32 is sgemmKernel6x16 for a 12×32 tile (kc×12 and kc×32
// panels) in AVX-512 registers; the same sums, bit for bit. See
// sgemm512_amd64.s.
//
//go:noescape
func sgemmKernel12x32(kc int, a, b, c *float32, ldc int, load bool)

// dgemmKernel4x12 sets the 4×12 tile of C at c (row stride ldc floats) to
// the float32 rounding of Ã·B (+ C when load), summed in float64, where Ã
// is a kc×4 packed float64 panel (a[p*4+i]) and B the kc×12 float32 block
// at b with row stride ldb floats; kc >= 1. See dgemm_amd64.s.
//
//go:noescape
func dgemmKernel4x12(kc int, a *float64, b *float32, ldb int, c *float32, ldc int, load bool)
