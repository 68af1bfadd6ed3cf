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
// and round once to float32; sums accumulate in float32 (reductions
// pairwise, convolutions and matrix products in the GEMM's order), as
// TensorFlow does.
package kernels
