package tensor

import (
	"fmt"
	"math"
)

// DType is the element type of a tensor.
type DType uint8

// The element types tfc knows. The zero value is Invalid.
const (
	Invalid DType = iota
	Float32
	Float16
	BFloat16
	Float64
	Int8
	Int16
	Int32
	Int64
	Uint8
	Uint16
	Uint32
	Bool
)

var dtypeNames = [...]string{
	Invalid:  "invalid",
	Float32:  "f32",
	Float16:  "f16",
	BFloat16: "bf16",
	Float64:  "f64",
	Int8:     "i8",
	Int16:    "i16",
	Int32:    "i32",
	Int64:    "i64",
	Uint8:    "u8",
	Uint16:   "u16",
	Uint32:   "u32",
	Bool:     "bool",
}

// String returns the short name used in the IR text form: f32, f16, bf16,
// f64, i8, i16, i32, i64, u8, u16, u32, bool.
func (d DType) String() string {
	if int(d) < len(dtypeNames) {
		return dtypeNames[d]
	}
	return fmt.Sprintf("dtype(%d)", uint8(d))
}

// ParseDType is the inverse of DType.String. It returns Invalid and false
// for an unknown name.
func ParseDType(s string) (DType, bool) {
	for i, n := range dtypeNames {
		if n == s && i != int(Invalid) {
			return DType(i), true
		}
	}
	return Invalid, false
}

// Valid reports whether d is a known element type other than Invalid.
func (d DType) Valid() bool { return d > Invalid && d <= Bool }

// IsFloat reports whether d is a floating-point type.
func (d DType) IsFloat() bool {
	return d == Float32 || d == Float16 || d == BFloat16 || d == Float64
}

// IsInt reports whether d is a signed or unsigned integer type.
func (d DType) IsInt() bool { return d >= Int8 && d <= Uint32 }

// IntRange is the range of values an integer type holds; for Int64 and
// the types that are not integers, that of int64.
func (d DType) IntRange() (lo, hi int64) {
	switch d {
	case Int8:
		return math.MinInt8, math.MaxInt8
	case Int16:
		return math.MinInt16, math.MaxInt16
	case Int32:
		return math.MinInt32, math.MaxInt32
	case Uint8:
		return 0, math.MaxUint8
	case Uint16:
		return 0, math.MaxUint16
	case Uint32:
		return 0, math.MaxUint32
	}
	return math.MinInt64, math.MaxInt64
}

// Size is the number of bytes one element occupies in its natural encoding
// (as in a .npy file or a TensorProto's tensor_content).
func (d DType) Size() int {
	switch d {
	case Int8, Uint8, Bool:
		return 1
	case Float16, BFloat16, Int16, Uint16:
		return 2
	case Float32, Int32, Uint32:
		return 4
	case Float64, Int64:
		return 8
	}
	return 0
}

// Storage names the Go slice that holds elements of a dtype.
type Storage uint8

// The storage classes; see the package comment.
const (
	NoStorage Storage = iota
	StoreF32
	StoreF64
	StoreI32
	StoreI64
	StoreBool
)

// Storage returns which Tensor field holds elements of d.
func (d DType) Storage() Storage {
	switch d {
	case Float32, Float16, BFloat16:
		return StoreF32
	case Float64:
		return StoreF64
	case Int8, Int16, Int32, Uint8, Uint16:
		return StoreI32
	case Int64, Uint32:
		return StoreI64
	case Bool:
		return StoreBool
	}
	return NoStorage
}
