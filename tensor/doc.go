// Package tensor defines the dense tensors that flow through tfc: the
// element types (DType), the dimensions (Shape), and Tensor, a shape plus a
// flat row-major (C order) slice of elements.
//
// Storage is deliberately few-typed so that kernels can work on plain Go
// slices without type switches in their inner loops:
//
//	Float32, Float16, BFloat16   -> F32 []float32 (values are exactly representable in the dtype)
//	Float64                      -> F64 []float64
//	Int8, Int16, Int32, Uint8, Uint16 -> I32 []int32 (values in the dtype's range)
//	Int64, Uint32                -> I64 []int64
//	Bool                         -> B []bool
//
// A Float16 tensor therefore holds float32 values that have been rounded to
// half precision (RoundToDType); arithmetic on it is done in float32 and
// rounded back after each operation, which is how tfc's interpreter computes
// half-precision graphs.
//
// Tensors are values: functions in this package never retain or mutate
// their arguments unless the doc comment says so.
package tensor
