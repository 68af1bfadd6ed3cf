// Package kernels holds tfc's CPU kernels: the tensor operations of the
// IR, on *tensor.Tensor values, shared by the reference interpreter
// (package interp) and the reference executor for TensorRT networks. The
// package does not depend on package ir; parameters are plain Go values.
//
// Element types: f32, and f16/bf16 computed in float32 with every result
// rounded to the dtype; i32 and i64 with wrapping arithmetic; bool. Data
// movement kernels accept every dtype that has storage. Runtime failures
// (integer division by zero, an index out of range, an unsupported dtype,
// mismatched shapes) are errors, never panics.
//
// Numerics: transcendental functions use the Go math library in float64
// and round once to float32. Sums accumulate in float32, as TensorFlow's
// do: reductions pairwise, depthwise convolutions and pools tap by tap,
// and large convolutions and matrix products in the GEMM (one FMA chain
// per element with the AVX2 kernel; interleaved SSE partial sums in
// gonum's). Small GEMMs (under 2^22 flops, i.e. every op-sized test
// case) accumulate in float64 and round once: correctly rounded results
// halve the expected distance to TensorFlow's own rounding errors, which
// is what tolerances of rtol 1e-5 / atol 1e-6 can see.
//
// # Performance
//
// Convolutions run as im2col (skipped for 1x1 stride-1 kernels) plus one
// float32 GEMM per image and group; depthwise convolutions (one input
// channel per group) as direct loops over kernel taps; conv_transpose as
// a GEMM plus col2im. Work is spread over runtime.GOMAXPROCS goroutines:
// by the GEMM, and by the kernels over channels or planes. Hot loops use
// precomputed per-dimension offset maps and contiguous rows rather than
// N-D index arithmetic.
//
// On amd64 CPUs with AVX2 and FMA (detected at run time with
// golang.org/x/sys/cpu), large GEMMs use tfc's own packed, cache-blocked
// SGEMM (gemm_packed.go): operand blocks are packed into contiguous
// panels and a 6x16 AVX2+FMA micro-kernel in Go assembly
// (sgemm_amd64.s) holds the tile of C in 12 YMM registers, with columns
// (or rows) of C split over the goroutines. Elsewhere the GEMM is gonum's
// blas32 Sgemm (gonum.org/v1/gonum), called in its A·Bᵀ form, whose inner
// loop is an SSE dot product; sgemm copies operands into that form when
// the product is large. History: tfc first had a pure-Go SGEMM with a 4x4
// register-tiled micro-kernel (commit 07a025f); gonum was about twice as
// fast (512³: 9.5 vs 4.7 GFLOP/s in gonum's default A·B form, ~24 GFLOP/s
// in the A·Bᵀ form) because Go does not vectorise and the 16 float
// registers of amd64 cannot hold a 4x4 tile of accumulators, so the
// pure-Go kernel spills. The assembly kernel reaches about 3-6x gonum on
// conv- and matmul-sized products on this project's 2-core machine
// (ResNet50 batch 1: ~480 → ~150 ms). The small float64-accumulating
// GEMMs use a 4x12 AVX2+FMA micro-kernel too (dgemm_small.go: float32
// operands widened on load, the same bits as the plain loops, about 10x
// their speed on 1x1 convolutions of MobileNetV2's sizes). Benchmarks:
// go test -bench . ./kernels (GFLOP/s reported).
package kernels
