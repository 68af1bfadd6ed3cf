package tfpb

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

// MaxTensorBytes bounds the decoded size of one tensor (4 GiB). A
// TensorProto's typed value fields may hold a single value that is repeated
// to fill the whole shape, so a few bytes of input can ask for any amount
// of memory; DecodeTensor refuses tensors larger than this, as well as those
// with more than tensor.MaxElements elements.
const MaxTensorBytes = 1 << 32

// MaxRank is the largest number of dimensions ShapeFromProto accepts (as in
// TensorFlow).
const MaxRank = 254

// DTypeFromProto maps a TensorFlow DataType to tfc's element type. Reference
// types (DT_FLOAT_REF, ...) map to their base type. The quantized integer
// types map to the integers that hold them (DT_QINT8 → i8, DT_QUINT8 → u8,
// DT_QINT16 → i16, DT_QUINT16 → u16, DT_QINT32 → i32; their meaning comes
// from the Dequantize that reads them). DT_INVALID, unknown values and
// types tfc has no tensors for (strings, complex numbers, 8-bit or smaller
// float types, resources, variants, uint64, int4, ...) are errors.
func DTypeFromProto(dt DataType) (tensor.DType, error) {
	base := dt
	if base > 100 {
		base -= 100
	}
	switch base {
	case DataType_DT_FLOAT:
		return tensor.Float32, nil
	case DataType_DT_HALF:
		return tensor.Float16, nil
	case DataType_DT_BFLOAT16:
		return tensor.BFloat16, nil
	case DataType_DT_DOUBLE:
		return tensor.Float64, nil
	case DataType_DT_INT8, DataType_DT_QINT8:
		return tensor.Int8, nil
	case DataType_DT_INT16, DataType_DT_QINT16:
		return tensor.Int16, nil
	case DataType_DT_INT32, DataType_DT_QINT32:
		return tensor.Int32, nil
	case DataType_DT_INT64:
		return tensor.Int64, nil
	case DataType_DT_UINT8, DataType_DT_QUINT8:
		return tensor.Uint8, nil
	case DataType_DT_UINT16, DataType_DT_QUINT16:
		return tensor.Uint16, nil
	case DataType_DT_UINT32:
		return tensor.Uint32, nil
	case DataType_DT_BOOL:
		return tensor.Bool, nil
	case DataType_DT_INVALID:
		return tensor.Invalid, errors.New("dtype is DT_INVALID (not set)")
	}
	if _, ok := DataType_name[int32(dt)]; !ok {
		return tensor.Invalid, fmt.Errorf("unknown TensorFlow dtype %d", int32(dt))
	}
	return tensor.Invalid, fmt.Errorf("TensorFlow dtype %v is not supported", dt)
}

// ShapeFromProto converts a TensorShapeProto. A nil shape is a scalar, as
// in TensorFlow. With unknown_rank set it returns (nil, false, nil). A
// dimension of -1 becomes tensor.Unknown; other negative dimensions, dims
// together with unknown_rank, more than MaxRank dimensions and known
// dimensions whose product exceeds tensor.MaxElements are errors.
func ShapeFromProto(sp *TensorShapeProto) (tensor.Shape, bool, error) {
	dims := sp.GetDim()
	if sp.GetUnknownRank() {
		if len(dims) > 0 {
			return nil, false, fmt.Errorf("shape has unknown_rank set but also %d dimensions", len(dims))
		}
		return nil, false, nil
	}
	if len(dims) > MaxRank {
		return nil, false, fmt.Errorf("shape has %d dimensions, more than %d", len(dims), MaxRank)
	}
	s := make(tensor.Shape, len(dims))
	n := 1 // product of the known dimensions
	for i, d := range dims {
		size := d.GetSize()
		switch {
		case size == -1:
			s[i] = tensor.Unknown
			continue
		case size < 0:
			return nil, false, fmt.Errorf("dimension %d of the shape is %d; only -1 (unknown) may be negative", i, size)
		case size > tensor.MaxElements:
			return nil, false, fmt.Errorf("dimension %d of the shape is %d, more than %d", i, size, int64(tensor.MaxElements))
		}
		s[i] = int(size)
		if s[i] != 0 && n > tensor.MaxElements/s[i] {
			return nil, false, fmt.Errorf("shape %v: %w (at most %d)", shapeString(dims), tensor.ErrShapeOverflow, int64(tensor.MaxElements))
		}
		n *= s[i]
	}
	return s, true, nil
}

// shapeString formats raw proto dims (which may not fit a tensor.Shape).
func shapeString(dims []*TensorShapeProto_Dim) string {
	b := []byte{'['}
	for i, d := range dims {
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, "%d", d.GetSize())
	}
	return string(append(b, ']'))
}

// DecodeTensor converts a TensorProto, as found in a Const node's "value"
// attr, into a dense tensor. The dtype must be one DTypeFromProto accepts
// and the shape fully known. The elements come from tensor_content when it
// is not empty (little-endian, row-major, exactly elements×size bytes;
// bools as one byte each, non-zero is true); otherwise from the one typed
// field the dtype uses:
//
//	DT_FLOAT              float_val
//	DT_DOUBLE             double_val
//	DT_HALF, DT_BFLOAT16  half_val (the 16-bit patterns, one per int32)
//	DT_INT8, DT_INT16, DT_INT32, DT_UINT8, DT_UINT16  int_val
//	DT_INT64              int64_val
//	DT_UINT32             uint32_val
//	DT_BOOL               bool_val
//
// As in TensorFlow, a typed field with fewer values than the tensor has
// elements is filled up by repeating its last value, and an empty one gives
// zeros; int_val values are truncated to 8 or 16 bits for the narrow integer
// types as TensorFlow's static_cast does. More values than elements, values
// in another typed field than the dtype's, a tensor_content of the wrong
// length and tensors over MaxTensorBytes are errors.
func DecodeTensor(tp *TensorProto) (*tensor.Tensor, error) {
	if tp == nil {
		return nil, errors.New("no TensorProto")
	}
	dt, err := DTypeFromProto(tp.GetDtype())
	if err != nil {
		return nil, fmt.Errorf("tensor: %w", err)
	}
	what := tp.GetDtype().String() + " tensor"
	shape, known, err := ShapeFromProto(tp.GetTensorShape())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if !known {
		return nil, fmt.Errorf("%s: shape has unknown rank", what)
	}
	what += " of shape " + shape.String()
	if !shape.Known() {
		return nil, fmt.Errorf("%s: shape has an unknown (-1) dimension", what)
	}
	n, err := shape.NumElements()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if int64(n)*int64(dt.Size()) > MaxTensorBytes {
		return nil, fmt.Errorf("%s: %d bytes, more than the %d-byte limit", what, int64(n)*int64(dt.Size()), int64(MaxTensorBytes))
	}

	if content := tp.GetTensorContent(); len(content) > 0 {
		if want := n * dt.Size(); len(content) != want {
			return nil, fmt.Errorf("%s: tensor_content has %d bytes, want %d (%d elements of %d bytes)", what, len(content), want, n, dt.Size())
		}
		t, err := tensor.New(dt, shape)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		if err := decodeContent(t, content); err != nil {
			return nil, err
		}
		return t, nil
	}

	field := typedField(dt)
	vals := typedFields(tp)
	for _, f := range vals {
		if f.count > 0 && f.name != field {
			return nil, fmt.Errorf("%s: has %d values in %s, but this dtype keeps its values in %s", what, f.count, f.name, field)
		}
	}
	var m int
	for _, f := range vals {
		if f.name == field {
			m = f.count
		}
	}
	if m > n {
		return nil, fmt.Errorf("%s: %s has %d values, more than the %d elements of the shape", what, field, m, n)
	}
	t, err := tensor.New(dt, shape)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	switch dt {
	case tensor.Float32:
		splat(t.F32, tp.GetFloatVal(), func(v float32) float32 { return v })
	case tensor.Float16:
		splat(t.F32, tp.GetHalfVal(), func(v int32) float32 { return tensor.F16FromBits(uint16(v)) })
	case tensor.BFloat16:
		splat(t.F32, tp.GetHalfVal(), func(v int32) float32 { return tensor.BF16FromBits(uint16(v)) })
	case tensor.Float64:
		splat(t.F64, tp.GetDoubleVal(), func(v float64) float64 { return v })
	case tensor.Int8:
		splat(t.I32, tp.GetIntVal(), func(v int32) int32 { return int32(int8(v)) })
	case tensor.Int16:
		splat(t.I32, tp.GetIntVal(), func(v int32) int32 { return int32(int16(v)) })
	case tensor.Int32:
		splat(t.I32, tp.GetIntVal(), func(v int32) int32 { return v })
	case tensor.Uint8:
		splat(t.I32, tp.GetIntVal(), func(v int32) int32 { return int32(uint8(v)) })
	case tensor.Uint16:
		splat(t.I32, tp.GetIntVal(), func(v int32) int32 { return int32(uint16(v)) })
	case tensor.Int64:
		splat(t.I64, tp.GetInt64Val(), func(v int64) int64 { return v })
	case tensor.Uint32:
		splat(t.I64, tp.GetUint32Val(), func(v uint32) int64 { return int64(v) })
	case tensor.Bool:
		splat(t.B, tp.GetBoolVal(), func(v bool) bool { return v })
	default:
		return nil, fmt.Errorf("%s: dtype has no typed value field", what)
	}
	return t, nil
}

// splat converts src into dst, repeating src's last value to fill dst
// (TensorFlow's rule for short typed value fields). An empty src leaves dst
// as it is (zeros). len(src) <= len(dst).
func splat[S, D any](dst []D, src []S, conv func(S) D) {
	if len(src) == 0 {
		return
	}
	for i, v := range src {
		dst[i] = conv(v)
	}
	last := dst[len(src)-1]
	for i := len(src); i < len(dst); i++ {
		dst[i] = last
	}
}

// typedField names the TensorProto field holding values of dt.
func typedField(dt tensor.DType) string {
	switch dt {
	case tensor.Float32:
		return "float_val"
	case tensor.Float16, tensor.BFloat16:
		return "half_val"
	case tensor.Float64:
		return "double_val"
	case tensor.Int8, tensor.Int16, tensor.Int32, tensor.Uint8, tensor.Uint16:
		return "int_val"
	case tensor.Int64:
		return "int64_val"
	case tensor.Uint32:
		return "uint32_val"
	case tensor.Bool:
		return "bool_val"
	}
	return ""
}

type fieldCount struct {
	name  string
	count int
}

// typedFields lists TensorProto's typed value fields with their lengths.
func typedFields(tp *TensorProto) []fieldCount {
	return []fieldCount{
		{"half_val", len(tp.GetHalfVal())},
		{"float_val", len(tp.GetFloatVal())},
		{"double_val", len(tp.GetDoubleVal())},
		{"int_val", len(tp.GetIntVal())},
		{"string_val", len(tp.GetStringVal())},
		{"scomplex_val", len(tp.GetScomplexVal())},
		{"int64_val", len(tp.GetInt64Val())},
		{"bool_val", len(tp.GetBoolVal())},
		{"dcomplex_val", len(tp.GetDcomplexVal())},
		{"resource_handle_val", len(tp.GetResourceHandleVal())},
		{"variant_val", len(tp.GetVariantVal())},
		{"uint32_val", len(tp.GetUint32Val())},
		{"uint64_val", len(tp.GetUint64Val())},
		{"float8_val", len(tp.GetFloat8Val())},
	}
}

// decodeContent fills t from little-endian raw bytes; len(b) is already
// checked to be t's element count times the dtype's size.
func decodeContent(t *tensor.Tensor, b []byte) error {
	return tensor.DecodeInto(t, b, binary.LittleEndian)
}
