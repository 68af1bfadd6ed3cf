package tensor

import (
	"encoding/binary"
	"fmt"
	"math"
	"runtime"
	"sync"
	"unsafe"
)

// The natural byte encoding of tensor elements, shared by every format
// tfc reads or writes (TensorProto.tensor_content, .npy, TensorRT weights,
// checkpoint bundles): each element in DType.Size() bytes, row-major,
// IEEE bits for floats (f16 and bf16 as their 16-bit patterns), two's
// complement for integers, one byte 0/1 for bool.

// DecodeInto fills t's storage from b, which must hold exactly t.Len()
// elements of t.DType in the given byte order. Bools decode nonzero as
// true.
func DecodeInto(t *Tensor, b []byte, order binary.ByteOrder) error {
	size := t.DType.Size()
	if size == 0 || t.DType.Storage() == NoStorage {
		return fmt.Errorf("cannot decode elements of dtype %v", t.DType)
	}
	if want := t.Len() * size; len(b) != want {
		return fmt.Errorf("%d bytes for %d %v elements, want %d", len(b), t.Len(), t.DType, want)
	}
	if native(order) && rawCopy(t, b, false) {
		return nil
	}
	switch t.DType {
	case Float32:
		for i := range t.F32 {
			t.F32[i] = math.Float32frombits(order.Uint32(b[4*i:]))
		}
	case Float16:
		for i := range t.F32 {
			t.F32[i] = F16FromBits(order.Uint16(b[2*i:]))
		}
	case BFloat16:
		for i := range t.F32 {
			t.F32[i] = BF16FromBits(order.Uint16(b[2*i:]))
		}
	case Float64:
		for i := range t.F64 {
			t.F64[i] = math.Float64frombits(order.Uint64(b[8*i:]))
		}
	case Int8:
		for i := range t.I32 {
			t.I32[i] = int32(int8(b[i]))
		}
	case Uint8:
		for i := range t.I32 {
			t.I32[i] = int32(b[i])
		}
	case Int16:
		for i := range t.I32 {
			t.I32[i] = int32(int16(order.Uint16(b[2*i:])))
		}
	case Uint16:
		for i := range t.I32 {
			t.I32[i] = int32(order.Uint16(b[2*i:]))
		}
	case Int32:
		for i := range t.I32 {
			t.I32[i] = int32(order.Uint32(b[4*i:]))
		}
	case Uint32:
		for i := range t.I64 {
			t.I64[i] = int64(order.Uint32(b[4*i:]))
		}
	case Int64:
		for i := range t.I64 {
			t.I64[i] = int64(order.Uint64(b[8*i:]))
		}
	case Bool:
		for i := range t.B {
			t.B[i] = b[i] != 0
		}
	}
	return nil
}

// Decode makes a tensor of dtype dt and shape from b (see DecodeInto).
func Decode(dt DType, shape Shape, b []byte, order binary.ByteOrder) (*Tensor, error) {
	t, err := New(dt, shape)
	if err != nil {
		return nil, err
	}
	if err := DecodeInto(t, b, order); err != nil {
		return nil, err
	}
	return t, nil
}

// Encode returns t's elements in the natural encoding and the given byte
// order. Values that do not fit the dtype (a 300 in a u8 tensor) are an
// error, not silently truncated; f16 and bf16 values are rounded to
// nearest even.
func (t *Tensor) Encode(order binary.ByteOrder) ([]byte, error) {
	if err := t.Check(); err != nil {
		return nil, err
	}
	size := t.DType.Size()
	b := make([]byte, t.Len()*size)
	intRange := func(lo, hi int64) error {
		for i := range t.Len() {
			if v := t.Int64At(i); v < lo || v > hi {
				return fmt.Errorf("element %d = %d does not fit %v", i, v, t.DType)
			}
		}
		return nil
	}
	if native(order) && rawCopy(t, b, true) {
		return b, nil
	}
	var err error
	switch t.DType {
	case Float32:
		for i, v := range t.F32 {
			order.PutUint32(b[4*i:], math.Float32bits(v))
		}
	case Float16:
		for i, v := range t.F32 {
			order.PutUint16(b[2*i:], F16Bits(v))
		}
	case BFloat16:
		for i, v := range t.F32 {
			order.PutUint16(b[2*i:], BF16Bits(v))
		}
	case Float64:
		for i, v := range t.F64 {
			order.PutUint64(b[8*i:], math.Float64bits(v))
		}
	case Int8:
		if err = intRange(math.MinInt8, math.MaxInt8); err == nil {
			for i, v := range t.I32 {
				b[i] = byte(int8(v))
			}
		}
	case Uint8:
		if err = intRange(0, math.MaxUint8); err == nil {
			for i, v := range t.I32 {
				b[i] = byte(v)
			}
		}
	case Int16:
		if err = intRange(math.MinInt16, math.MaxInt16); err == nil {
			for i, v := range t.I32 {
				order.PutUint16(b[2*i:], uint16(int16(v)))
			}
		}
	case Uint16:
		if err = intRange(0, math.MaxUint16); err == nil {
			for i, v := range t.I32 {
				order.PutUint16(b[2*i:], uint16(v))
			}
		}
	case Int32:
		for i, v := range t.I32 {
			order.PutUint32(b[4*i:], uint32(v))
		}
	case Uint32:
		if err = intRange(0, math.MaxUint32); err == nil {
			for i, v := range t.I64 {
				order.PutUint32(b[4*i:], uint32(v))
			}
		}
	case Int64:
		for i, v := range t.I64 {
			order.PutUint64(b[8*i:], uint64(v))
		}
	case Bool:
		for i, v := range t.B {
			if v {
				b[i] = 1
			}
		}
	}
	if err != nil {
		return nil, err
	}
	return b, nil
}

// native reports whether order is the machine's byte order, so that
// elements stored as Go values already have the encoded layout.
func native(order binary.ByteOrder) bool {
	var probe [2]byte
	binary.NativeEndian.PutUint16(probe[:], 1)
	return order.Uint16(probe[:]) == 1
}

// rawCopy copies between b and the storage of the dtypes whose Go
// representation is their encoding (f32, f64, i32, i64) in the native
// byte order: one memmove instead of a loop, which matters for hundreds
// of megabytes of weights. It reports whether it handled the dtype.
func rawCopy(t *Tensor, b []byte, toBytes bool) bool {
	var raw []byte
	switch t.DType {
	case Float32:
		raw = asBytes(t.F32)
	case Float64:
		raw = asBytes(t.F64)
	case Int32:
		raw = asBytes(t.I32)
	case Int64:
		raw = asBytes(t.I64)
	default:
		return false
	}
	if toBytes {
		parallelCopy(b, raw)
	} else {
		parallelCopy(raw, b)
	}
	return true
}

// parallelCopyMin is the size from which parallelCopy splits the copy.
const parallelCopyMin = 1 << 20

// parallelCopy is copy(dst, src) for slices of one length, split over
// the cores when large: a model's weights are copied out of a mapped
// file, and the page faults of reading it and of first writing dst run
// side by side.
func parallelCopy(dst, src []byte) {
	parts := min(runtime.GOMAXPROCS(0), len(src)/parallelCopyMin)
	if parts < 2 {
		copy(dst, src)
		return
	}
	var wg sync.WaitGroup
	for p := range parts - 1 {
		lo, hi := p*len(src)/parts, (p+1)*len(src)/parts
		wg.Go(func() { copy(dst[lo:hi], src[lo:hi]) })
	}
	lo := (parts - 1) * len(src) / parts
	copy(dst[lo:], src[lo:])
	wg.Wait()
}

// asBytes views a slice of fixed-size numbers as its bytes.
func asBytes[T float32 | float64 | int32 | int64](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(s[0])))
}

// LittleEndianView returns t's elements in their little-endian encoding
// without copying, when t's storage already has that layout: f32, f64,
// i32 and i64 tensors on a little-endian machine. The bytes alias t, so
// t must not change while they are in use. ok is false for other dtypes
// and machines (use Encode).
func (t *Tensor) LittleEndianView() (b []byte, ok bool) {
	if !native(binary.LittleEndian) || t.Check() != nil {
		return nil, false
	}
	switch t.DType {
	case Float32:
		return asBytes(t.F32), true
	case Float64:
		return asBytes(t.F64), true
	case Int32:
		return asBytes(t.I32), true
	case Int64:
		return asBytes(t.I64), true
	}
	return nil, false
}

// ViewLittleEndian is the inverse of LittleEndianView: a Float32 tensor
// whose storage aliases b (little-endian float32s), without copying, on a
// little-endian machine when b is 4-byte aligned. The caller must not
// change b while the tensor is in use, nor the tensor at all. ok is false
// when no view is possible (use Decode).
func ViewLittleEndian(shape Shape, b []byte) (t *Tensor, ok bool) {
	n, err := shape.NumElements()
	if err != nil || n == 0 || len(b) != 4*n || !native(binary.LittleEndian) ||
		uintptr(unsafe.Pointer(&b[0]))%4 != 0 {
		return nil, false
	}
	return &Tensor{DType: Float32, Shape: shape.Clone(), F32: unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), n)}, true
}
