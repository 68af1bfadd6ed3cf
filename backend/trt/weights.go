package trt

import (
	"encoding/binary"
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

// DataTypeOf maps a tensor dtype to TensorRT's DataType: f32 → kFLOAT,
// f16 → kHALF, bf16 → kBF16, i8 → kINT8, u8 → kUINT8, i32 → kINT32,
// i64 → kINT64, bool → kBOOL. Other dtypes (f64, i16, u16, u32) have no
// TensorRT type.
func DataTypeOf(dt tensor.DType) (DataType, error) {
	switch dt {
	case tensor.Float32:
		return Float, nil
	case tensor.Float16:
		return Half, nil
	case tensor.BFloat16:
		return BF16, nil
	case tensor.Int8:
		return Int8, nil
	case tensor.Uint8:
		return Uint8, nil
	case tensor.Int32:
		return Int32, nil
	case tensor.Int64:
		return Int64, nil
	case tensor.Bool:
		return Bool, nil
	}
	return 0, fmt.Errorf("trt: dtype %v has no TensorRT data type", dt)
}

// TensorDType is the inverse of DataTypeOf.
func (t DataType) TensorDType() (tensor.DType, error) {
	switch t {
	case Float:
		return tensor.Float32, nil
	case Half:
		return tensor.Float16, nil
	case BF16:
		return tensor.BFloat16, nil
	case Int8:
		return tensor.Int8, nil
	case Uint8:
		return tensor.Uint8, nil
	case Int32:
		return tensor.Int32, nil
	case Int64:
		return tensor.Int64, nil
	case Bool:
		return tensor.Bool, nil
	}
	return tensor.Invalid, fmt.Errorf("trt: data type %v has no tensor dtype", t)
}

// WeightsFromTensor encodes a tensor's elements as Weights (little-endian,
// row-major): f32 → kFLOAT, f16 → kHALF (IEEE half bits, rounded to
// nearest even), bf16 → kBF16, i32 → kINT32, i64 → kINT64, bool → kBOOL
// (one byte, 0 or 1). Other dtypes are an error. The result does not
// alias t.
func WeightsFromTensor(t *tensor.Tensor) (Weights, error) {
	if t == nil {
		return Weights{}, fmt.Errorf("trt: nil tensor")
	}
	if err := t.Check(); err != nil {
		return Weights{}, fmt.Errorf("trt: %w", err)
	}
	var typ DataType
	switch t.DType {
	case tensor.Float32:
		typ = Float
	case tensor.Float16:
		typ = Half
	case tensor.BFloat16:
		typ = BF16
	case tensor.Int32:
		typ = Int32
	case tensor.Int64:
		typ = Int64
	case tensor.Bool:
		typ = Bool
	default:
		return Weights{}, fmt.Errorf("trt: cannot make weights of a %v tensor (TensorRT weights are f32, f16, bf16, i32, i64 or bool)", t.DType)
	}
	b, err := t.Encode(binary.LittleEndian)
	if err != nil {
		return Weights{}, fmt.Errorf("trt: %w", err)
	}
	return Weights{Type: typ, Count: int64(t.Len()), Values: b}, nil
}

// WeightsView is WeightsFromTensor without the copy where the tensor's
// storage already is the encoding (f32, i32 and i64 on little-endian
// machines): Values then alias t, which must not change while the weights
// are in use. tfc's IR constants never change once built, so the lowering
// uses this and a network shares its weights with the IR it came from.
func WeightsView(t *tensor.Tensor) (Weights, error) {
	if t != nil {
		if b, ok := t.LittleEndianView(); ok {
			if typ, err := DataTypeOf(t.DType); err == nil && (typ == Float || typ == Int32 || typ == Int64) {
				return Weights{Type: typ, Count: int64(t.Len()), Values: b}, nil
			}
		}
	}
	return WeightsFromTensor(t)
}

// Tensor decodes w as a tensor of the given dimensions (whose volume must
// be w.Count): kFLOAT → f32, kHALF → f16, kBF16 → bf16, kINT8 → i8,
// kUINT8 → u8, kINT32 → i32, kINT64 → i64, kBOOL → bool (nonzero is true).
func (w Weights) Tensor(dims Dims) (*tensor.Tensor, error) {
	if err := w.check(); err != nil {
		return nil, fmt.Errorf("trt: %w", err)
	}
	if v := dims.Volume(); v != w.Count {
		return nil, fmt.Errorf("trt: dimensions %v have volume %d, weights have %d values", dims, v, w.Count)
	}
	dt, err := w.Type.TensorDType()
	if err != nil {
		return nil, err
	}
	shape := make(tensor.Shape, len(dims))
	for i, d := range dims {
		if d < 0 || d > tensor.MaxElements {
			return nil, fmt.Errorf("trt: invalid dimensions %v", dims)
		}
		shape[i] = int(d)
	}
	t, err := tensor.Decode(dt, shape, w.Values, binary.LittleEndian)
	if err != nil {
		return nil, fmt.Errorf("trt: %w", err)
	}
	return t, nil
}
