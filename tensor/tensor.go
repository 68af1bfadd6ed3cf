package tensor

import (
	"fmt"
	"math"

	"github.com/x448/float16"
)

// Tensor is a dense, row-major tensor. Exactly one of the storage slices is
// non-nil (the one DType.Storage names) and its length is Shape's element
// count.
type Tensor struct {
	DType DType
	Shape Shape

	F32 []float32
	F64 []float64
	I32 []int32
	I64 []int64
	B   []bool
}

// New returns a zero-filled tensor. It fails for unknown or negative
// dimensions, shapes over MaxElements, tensors over MaxBytes, and dtypes
// with no storage.
func New(dt DType, shape Shape) (*Tensor, error) {
	n, err := shape.NumElements()
	if err != nil {
		return nil, err
	}
	if err := CheckAlloc(dt, shape); err != nil {
		return nil, err
	}
	t := &Tensor{DType: dt, Shape: shape.Clone()}
	switch dt.Storage() {
	case StoreF32:
		t.F32 = newF32(n)
	case StoreF64:
		t.F64 = make([]float64, n)
	case StoreI32:
		t.I32 = make([]int32, n)
	case StoreI64:
		t.I64 = make([]int64, n)
	case StoreBool:
		t.B = make([]bool, n)
	default:
		return nil, fmt.Errorf("tensors of dtype %v are not supported", dt)
	}
	return t, nil
}

// MustNew is New for shapes and dtypes known to be valid; it panics on error.
func MustNew(dt DType, shape Shape) *Tensor {
	t, err := New(dt, shape)
	if err != nil {
		panic(err)
	}
	return t
}

// FromF32 wraps data (not copied) as a tensor of dtype Float32.
func FromF32(shape Shape, data []float32) *Tensor {
	return &Tensor{DType: Float32, Shape: shape, F32: data}
}

// FromI32 wraps data (not copied) as a tensor of dtype Int32.
func FromI32(shape Shape, data []int32) *Tensor {
	return &Tensor{DType: Int32, Shape: shape, I32: data}
}

// FromI64 wraps data (not copied) as a tensor of dtype Int64.
func FromI64(shape Shape, data []int64) *Tensor {
	return &Tensor{DType: Int64, Shape: shape, I64: data}
}

// FromBool wraps data (not copied) as a tensor of dtype Bool.
func FromBool(shape Shape, data []bool) *Tensor {
	return &Tensor{DType: Bool, Shape: shape, B: data}
}

// Scalar returns a one-element tensor of dt holding v: rounded for float
// types, truncated toward zero for integers, v != 0 for bool.
func Scalar(dt DType, v float64) *Tensor {
	t := MustNew(dt, Shape{})
	switch dt.Storage() {
	case StoreF32:
		t.F32[0] = float32(v)
		t.RoundToDType()
	case StoreF64:
		t.F64[0] = v
	case StoreI32:
		t.I32[0] = int32(v)
	case StoreI64:
		t.I64[0] = int64(v)
	case StoreBool:
		t.B[0] = v != 0
	}
	return t
}

// Len returns the number of elements held.
func (t *Tensor) Len() int {
	switch t.DType.Storage() {
	case StoreF32:
		return len(t.F32)
	case StoreF64:
		return len(t.F64)
	case StoreI32:
		return len(t.I32)
	case StoreI64:
		return len(t.I64)
	case StoreBool:
		return len(t.B)
	}
	return 0
}

// Check verifies the invariant: storage matches DType and its length
// matches Shape.
func (t *Tensor) Check() error {
	n, err := t.Shape.NumElements()
	if err != nil {
		return err
	}
	if t.DType.Storage() == NoStorage {
		return fmt.Errorf("tensors of dtype %v are not supported", t.DType)
	}
	if t.Len() != n {
		return fmt.Errorf("%v%v tensor holds %d elements, want %d", t.DType, t.Shape, t.Len(), n)
	}
	return nil
}

// Clone returns a deep copy.
func (t *Tensor) Clone() *Tensor {
	c := &Tensor{DType: t.DType, Shape: t.Shape.Clone()}
	if t.F32 != nil {
		c.F32 = append([]float32(nil), t.F32...)
	}
	if t.F64 != nil {
		c.F64 = append([]float64(nil), t.F64...)
	}
	if t.I32 != nil {
		c.I32 = append([]int32(nil), t.I32...)
	}
	if t.I64 != nil {
		c.I64 = append([]int64(nil), t.I64...)
	}
	if t.B != nil {
		c.B = append([]bool(nil), t.B...)
	}
	return c
}

// Reshape returns a tensor sharing t's data with a new shape of the same
// element count.
func (t *Tensor) Reshape(s Shape) (*Tensor, error) {
	n, err := s.NumElements()
	if err != nil {
		return nil, err
	}
	if n != t.Len() {
		return nil, fmt.Errorf("cannot reshape %v to %v", t.Shape, s)
	}
	c := *t
	c.Shape = s.Clone()
	return &c, nil
}

// Float64At returns element i converted to float64 (bools as 0/1).
func (t *Tensor) Float64At(i int) float64 {
	switch t.DType.Storage() {
	case StoreF32:
		return float64(t.F32[i])
	case StoreF64:
		return t.F64[i]
	case StoreI32:
		return float64(t.I32[i])
	case StoreI64:
		return float64(t.I64[i])
	case StoreBool:
		if t.B[i] {
			return 1
		}
	}
	return 0
}

// Int64At returns element i converted to int64 (floats truncated toward zero, bools as 0/1).
func (t *Tensor) Int64At(i int) int64 {
	switch t.DType.Storage() {
	case StoreI32:
		return int64(t.I32[i])
	case StoreI64:
		return t.I64[i]
	case StoreF32:
		return int64(t.F32[i])
	case StoreF64:
		return int64(t.F64[i])
	case StoreBool:
		if t.B[i] {
			return 1
		}
	}
	return 0
}

// Ints returns all elements of an integer tensor as ints (for shape-like
// tensors: axes, perms, sizes).
func (t *Tensor) Ints() ([]int, error) {
	if !t.DType.IsInt() {
		return nil, fmt.Errorf("want an integer tensor, have %v", t.DType)
	}
	out := make([]int, t.Len())
	for i := range out {
		out[i] = int(t.Int64At(i))
	}
	return out, nil
}

// RoundF16 rounds a float32 to the nearest float16 value (ties to even),
// returned as float32: ±inf beyond the largest half (65504, with values
// from 65520 up rounding to inf), multiples of 2^-24 below the smallest
// normal half (2^-14), NaN and infinities unchanged. It works on the bits
// (the same results as converting through float16, several times faster).
func RoundF16(v float32) float32 {
	b := math.Float32bits(v)
	a := b &^ 0x80000000 // magnitude
	switch {
	case a >= 0x7f800000: // inf, NaN
		return v
	case a >= 0x477ff000: // ≥ 65520: beyond the largest half after rounding
		return math.Float32frombits(b&0x80000000 | 0x7f800000)
	case a >= 0x38800000: // normal half: keep 10 of the 23 fraction bits
		b += 0xfff + (b>>13)&1
		return math.Float32frombits(b &^ 0x1fff)
	}
	// Subnormal half (or zero): a multiple of 2^-24, exact in float32.
	return float32(math.RoundToEven(float64(v)*0x1p24) * 0x1p-24)
}

// F16Bits returns the IEEE half-precision bits of v (rounded, ties to even).
func F16Bits(v float32) uint16 { return uint16(float16.Fromfloat32(v)) }

// F16FromBits decodes IEEE half-precision bits.
func F16FromBits(b uint16) float32 { return float16.Frombits(b).Float32() }

// RoundBF16 rounds a float32 to the nearest bfloat16 value (ties to even), as float32.
func RoundBF16(v float32) float32 { return BF16FromBits(BF16Bits(v)) }

// BF16Bits returns the bfloat16 bits of v, rounded to nearest even; NaN stays NaN.
func BF16Bits(v float32) uint16 {
	b := math.Float32bits(v)
	if v != v {
		return uint16(b>>16) | 0x40
	}
	b += 0x7fff + (b>>16)&1
	return uint16(b >> 16)
}

// BF16FromBits decodes bfloat16 bits.
func BF16FromBits(b uint16) float32 { return math.Float32frombits(uint32(b) << 16) }

// RoundToDType rounds every float element in place to the precision of t's
// dtype (a no-op except for Float16 and BFloat16).
func (t *Tensor) RoundToDType() {
	switch t.DType {
	case Float16:
		for i, v := range t.F32 {
			t.F32[i] = RoundF16(v)
		}
	case BFloat16:
		for i, v := range t.F32 {
			t.F32[i] = RoundBF16(v)
		}
	}
}

// String summarises a tensor without its data: f32[1,3].
func (t *Tensor) String() string { return t.DType.String() + t.Shape.String() }
