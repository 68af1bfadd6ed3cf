package trt

import (
	"fmt"
	"strconv"
)

// DataType is nvinfer1::DataType; the values are TensorRT's.
type DataType int32

// The data types tfc uses.
const (
	Float DataType = 0 // kFLOAT
	Half  DataType = 1 // kHALF
	Int8  DataType = 2 // kINT8
	Int32 DataType = 3 // kINT32
	Bool  DataType = 4 // kBOOL
	Uint8 DataType = 5 // kUINT8
	FP8   DataType = 6 // kFP8 (E4M3)
	BF16  DataType = 7 // kBF16
	Int64 DataType = 8 // kINT64
)

var dataTypeNames = map[DataType]string{
	Float: "kFLOAT", Half: "kHALF", Int8: "kINT8", Int32: "kINT32",
	Bool: "kBOOL", Uint8: "kUINT8", FP8: "kFP8", BF16: "kBF16", Int64: "kINT64",
}

func (t DataType) String() string {
	if s, ok := dataTypeNames[t]; ok {
		return s
	}
	return "DataType(" + strconv.Itoa(int(t)) + ")"
}

// Size is the size in bytes of one element.
func (t DataType) Size() int {
	switch t {
	case Float, Int32:
		return 4
	case Half, BF16:
		return 2
	case Int8, Uint8, Bool, FP8:
		return 1
	case Int64:
		return 8
	}
	return 0
}

// MaxDims is nvinfer1::Dims::MAX_DIMS.
const MaxDims = 8

// Dims is nvinfer1::Dims: the dimensions of a tensor, or per-axis
// parameters (strides, paddings). Its length is nbDims.
type Dims []int64

func (d Dims) String() string { return string(appendDims(nil, d)) }

// appendDims appends d.String() to b.
func appendDims(b []byte, d Dims) []byte {
	b = append(b, '[')
	for i, x := range d {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, x, 10)
	}
	return append(b, ']')
}

// Volume is the product of the dimensions (1 for no dimensions).
func (d Dims) Volume() int64 {
	n := int64(1)
	for _, x := range d {
		n *= x
	}
	return n
}

// Equal reports whether two Dims are identical.
func (d Dims) Equal(e Dims) bool {
	if len(d) != len(e) {
		return false
	}
	for i := range d {
		if d[i] != e[i] {
			return false
		}
	}
	return true
}

// Permutation is nvinfer1::Permutation: Order[i] is the input dimension
// that becomes output dimension i. Only the first nbDims entries matter;
// tfc keeps exactly that many.
type Permutation []int32

// Weights is nvinfer1::Weights: Count values of Type, little-endian in
// Values (Count × Type.Size() bytes). The zero Weights is TensorRT's empty
// weights {kFLOAT, nullptr, 0}.
type Weights struct {
	Type   DataType
	Count  int64
	Values []byte
}

// Empty reports whether w holds no values.
func (w Weights) Empty() bool { return w.Count == 0 }

// check verifies Values has Count elements of Type.
func (w Weights) check() error {
	if w.Count < 0 {
		return fmt.Errorf("negative weight count %d", w.Count)
	}
	if want := w.Count * int64(w.Type.Size()); int64(len(w.Values)) != want {
		return fmt.Errorf("weights of %d %v values hold %d bytes, want %d", w.Count, w.Type, len(w.Values), want)
	}
	return nil
}

// Tensor is a tensor of a network (nvinfer1::ITensor).
type Tensor interface {
	Name() string
	SetName(name string)
	Type() DataType
	Dimensions() Dims
}

// Layer is a layer of a network (nvinfer1::ILayer).
type Layer interface {
	Name() string
	SetName(name string)
	NbOutputs() int
	Output(i int) Tensor
}
