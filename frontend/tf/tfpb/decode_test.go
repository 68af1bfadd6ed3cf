package tfpb

import (
	"encoding/binary"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

// values returns the storage slice of t as an untyped value for comparison.
func values(t *tensor.Tensor) any {
	switch t.DType.Storage() {
	case tensor.StoreF32:
		return t.F32
	case tensor.StoreF64:
		return t.F64
	case tensor.StoreI32:
		return t.I32
	case tensor.StoreI64:
		return t.I64
	case tensor.StoreBool:
		return t.B
	}
	return nil
}

type decodeCase struct {
	name  string
	tp    *TensorProto
	dtype tensor.DType
	shape tensor.Shape
	want  any
}

func le16(vs ...uint16) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint16(b, v)
	}
	return b
}

func le32(vs ...uint32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

func le64(vs ...uint64) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	return b
}

func tensorCase(name string, dt DataType, dims []int64, fill func(*TensorProto), want any, wantDT tensor.DType) decodeCase {
	tp := &TensorProto{Dtype: dt, TensorShape: shapeProto(dims...)}
	fill(tp)
	shape := tensor.Shape{}
	for _, d := range dims {
		shape = append(shape, int(d))
	}
	return decodeCase{name, tp, wantDT, shape, want}
}

func TestDecodeTensor(t *testing.T) {
	const (
		h1   = 0x3c00 // fp16 1.0
		hm2  = 0xc000 // fp16 -2.0
		hMin = 0x0001 // fp16 smallest subnormal, 2^-24
		b1   = 0x3f80 // bf16 1.0
		bPi  = 0x4049 // bf16 3.140625
	)
	neg1 := uint32(0xffffffff)
	cases := []decodeCase{
		// tensor_content, every dtype.
		tensorCase("f32 content", DataType_DT_FLOAT, []int64{2, 2}, func(tp *TensorProto) { tp.TensorContent = f32Bytes(1, -2, 0.5, float32(math.Inf(1))) },
			[]float32{1, -2, 0.5, float32(math.Inf(1))}, tensor.Float32),
		tensorCase("f16 content", DataType_DT_HALF, []int64{3}, func(tp *TensorProto) { tp.TensorContent = le16(h1, hm2, hMin) },
			[]float32{1, -2, float32(math.Ldexp(1, -24))}, tensor.Float16),
		tensorCase("bf16 content", DataType_DT_BFLOAT16, []int64{2}, func(tp *TensorProto) { tp.TensorContent = le16(b1, bPi) },
			[]float32{1, 3.140625}, tensor.BFloat16),
		tensorCase("f64 content", DataType_DT_DOUBLE, []int64{2}, func(tp *TensorProto) { tp.TensorContent = le64(math.Float64bits(0.1), math.Float64bits(-1e300)) },
			[]float64{0.1, -1e300}, tensor.Float64),
		tensorCase("i8 content", DataType_DT_INT8, []int64{3}, func(tp *TensorProto) { tp.TensorContent = []byte{0x7f, 0x80, 0xff} },
			[]int32{127, -128, -1}, tensor.Int8),
		tensorCase("u8 content", DataType_DT_UINT8, []int64{3}, func(tp *TensorProto) { tp.TensorContent = []byte{0x7f, 0x80, 0xff} },
			[]int32{127, 128, 255}, tensor.Uint8),
		tensorCase("i16 content", DataType_DT_INT16, []int64{2}, func(tp *TensorProto) { tp.TensorContent = le16(0x8000, 0x1234) },
			[]int32{-32768, 0x1234}, tensor.Int16),
		tensorCase("u16 content", DataType_DT_UINT16, []int64{2}, func(tp *TensorProto) { tp.TensorContent = le16(0x8000, 0xffff) },
			[]int32{32768, 65535}, tensor.Uint16),
		tensorCase("i32 content", DataType_DT_INT32, []int64{1, 2}, func(tp *TensorProto) { tp.TensorContent = le32(neg1, 1<<31) },
			[]int32{-1, math.MinInt32}, tensor.Int32),
		tensorCase("i64 content", DataType_DT_INT64, []int64{2}, func(tp *TensorProto) { tp.TensorContent = le64(math.MaxUint64, 1<<40) },
			[]int64{-1, 1 << 40}, tensor.Int64),
		tensorCase("u32 content", DataType_DT_UINT32, []int64{2}, func(tp *TensorProto) { tp.TensorContent = le32(neg1, 5) },
			[]int64{4294967295, 5}, tensor.Uint32),
		tensorCase("bool content", DataType_DT_BOOL, []int64{3}, func(tp *TensorProto) { tp.TensorContent = []byte{0, 1, 2} },
			[]bool{false, true, true}, tensor.Bool),
		tensorCase("f32 ref content", DataType_DT_FLOAT_REF, []int64{1}, func(tp *TensorProto) { tp.TensorContent = f32Bytes(3) },
			[]float32{3}, tensor.Float32),

		// Typed fields, every dtype, full length.
		tensorCase("f32 float_val", DataType_DT_FLOAT, []int64{3}, func(tp *TensorProto) { tp.FloatVal = []float32{1, 2, 3} },
			[]float32{1, 2, 3}, tensor.Float32),
		tensorCase("f16 half_val", DataType_DT_HALF, []int64{2}, func(tp *TensorProto) { tp.HalfVal = []int32{h1, hm2} },
			[]float32{1, -2}, tensor.Float16),
		tensorCase("bf16 half_val", DataType_DT_BFLOAT16, []int64{2}, func(tp *TensorProto) { tp.HalfVal = []int32{b1, bPi} },
			[]float32{1, 3.140625}, tensor.BFloat16),
		tensorCase("f64 double_val", DataType_DT_DOUBLE, []int64{2}, func(tp *TensorProto) { tp.DoubleVal = []float64{0.1, 2} },
			[]float64{0.1, 2}, tensor.Float64),
		tensorCase("i8 int_val", DataType_DT_INT8, []int64{3}, func(tp *TensorProto) { tp.IntVal = []int32{-128, 127, 255} },
			[]int32{-128, 127, -1}, tensor.Int8),
		tensorCase("u8 int_val", DataType_DT_UINT8, []int64{3}, func(tp *TensorProto) { tp.IntVal = []int32{0, 255, 256} },
			[]int32{0, 255, 0}, tensor.Uint8),
		tensorCase("i16 int_val", DataType_DT_INT16, []int64{2}, func(tp *TensorProto) { tp.IntVal = []int32{-32768, 32767} },
			[]int32{-32768, 32767}, tensor.Int16),
		tensorCase("u16 int_val", DataType_DT_UINT16, []int64{2}, func(tp *TensorProto) { tp.IntVal = []int32{65535, 1} },
			[]int32{65535, 1}, tensor.Uint16),
		tensorCase("i32 int_val", DataType_DT_INT32, []int64{2}, func(tp *TensorProto) { tp.IntVal = []int32{math.MinInt32, 7} },
			[]int32{math.MinInt32, 7}, tensor.Int32),
		tensorCase("i64 int64_val", DataType_DT_INT64, []int64{2}, func(tp *TensorProto) { tp.Int64Val = []int64{math.MinInt64, 7} },
			[]int64{math.MinInt64, 7}, tensor.Int64),
		tensorCase("u32 uint32_val", DataType_DT_UINT32, []int64{2}, func(tp *TensorProto) { tp.Uint32Val = []uint32{math.MaxUint32, 7} },
			[]int64{math.MaxUint32, 7}, tensor.Uint32),
		tensorCase("bool bool_val", DataType_DT_BOOL, []int64{2}, func(tp *TensorProto) { tp.BoolVal = []bool{true, false} },
			[]bool{true, false}, tensor.Bool),

		// Splat: the last value fills the rest; no values gives zeros.
		tensorCase("f32 splat one", DataType_DT_FLOAT, []int64{2, 2}, func(tp *TensorProto) { tp.FloatVal = []float32{7} },
			[]float32{7, 7, 7, 7}, tensor.Float32),
		tensorCase("f32 splat last", DataType_DT_FLOAT, []int64{4}, func(tp *TensorProto) { tp.FloatVal = []float32{1, 2} },
			[]float32{1, 2, 2, 2}, tensor.Float32),
		tensorCase("f16 splat", DataType_DT_HALF, []int64{3}, func(tp *TensorProto) { tp.HalfVal = []int32{hm2} },
			[]float32{-2, -2, -2}, tensor.Float16),
		tensorCase("bf16 splat", DataType_DT_BFLOAT16, []int64{2}, func(tp *TensorProto) { tp.HalfVal = []int32{bPi} },
			[]float32{3.140625, 3.140625}, tensor.BFloat16),
		tensorCase("i8 splat", DataType_DT_INT8, []int64{2}, func(tp *TensorProto) { tp.IntVal = []int32{-3} },
			[]int32{-3, -3}, tensor.Int8),
		tensorCase("i64 splat", DataType_DT_INT64, []int64{3}, func(tp *TensorProto) { tp.Int64Val = []int64{1, 9} },
			[]int64{1, 9, 9}, tensor.Int64),
		tensorCase("u32 splat", DataType_DT_UINT32, []int64{2}, func(tp *TensorProto) { tp.Uint32Val = []uint32{4} },
			[]int64{4, 4}, tensor.Uint32),
		tensorCase("bool splat", DataType_DT_BOOL, []int64{3}, func(tp *TensorProto) { tp.BoolVal = []bool{false, true} },
			[]bool{false, true, true}, tensor.Bool),
		tensorCase("f64 splat", DataType_DT_DOUBLE, []int64{2}, func(tp *TensorProto) { tp.DoubleVal = []float64{-1} },
			[]float64{-1, -1}, tensor.Float64),
		tensorCase("f32 zeros", DataType_DT_FLOAT, []int64{3}, func(tp *TensorProto) {},
			[]float32{0, 0, 0}, tensor.Float32),
		tensorCase("bool zeros", DataType_DT_BOOL, []int64{2}, func(tp *TensorProto) {},
			[]bool{false, false}, tensor.Bool),
		tensorCase("i32 empty tensor", DataType_DT_INT32, []int64{0, 5}, func(tp *TensorProto) {},
			[]int32{}, tensor.Int32),
		tensorCase("f32 scalar", DataType_DT_FLOAT, nil, func(tp *TensorProto) { tp.FloatVal = []float32{2.5} },
			[]float32{2.5}, tensor.Float32),
		// tensor_content wins over typed fields, as in TensorFlow.
		tensorCase("content over float_val", DataType_DT_FLOAT, []int64{1}, func(tp *TensorProto) { tp.TensorContent = f32Bytes(4); tp.FloatVal = []float32{9} },
			[]float32{4}, tensor.Float32),
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeTensor(tc.tp)
			if err != nil {
				t.Fatal(err)
			}
			if err := got.Check(); err != nil {
				t.Fatal(err)
			}
			if got.DType != tc.dtype || !got.Shape.Equal(tc.shape) {
				t.Errorf("got %v, want %v%v", got, tc.dtype, tc.shape)
			}
			if !reflect.DeepEqual(values(got), tc.want) {
				t.Errorf("values %v, want %v", values(got), tc.want)
			}
		})
	}

	// A missing tensor_shape is a scalar.
	got, err := DecodeTensor(&TensorProto{Dtype: DataType_DT_INT32, IntVal: []int32{3}})
	if err != nil || got.String() != "i32[]" || got.I32[0] != 3 {
		t.Errorf("no shape: %v %v", got, err)
	}
	// NaN bit patterns survive.
	got, err = DecodeTensor(&TensorProto{Dtype: DataType_DT_HALF, HalfVal: []int32{0x7e00}})
	if err != nil || !math.IsNaN(float64(got.F32[0])) {
		t.Errorf("f16 NaN: %v %v", got, err)
	}
}

func TestDecodeTensorErrors(t *testing.T) {
	big := int64(1) << 21
	for _, tc := range []struct {
		name string
		tp   *TensorProto
		want string
	}{
		{"nil", nil, "no TensorProto"},
		{"invalid dtype", &TensorProto{}, "tensor: dtype is DT_INVALID (not set)"},
		{"unknown dtype", &TensorProto{Dtype: 77}, "tensor: unknown TensorFlow dtype 77"},
		{"negative dtype", &TensorProto{Dtype: -5}, "tensor: unknown TensorFlow dtype -5"},
		{"string", &TensorProto{Dtype: DataType_DT_STRING, StringVal: [][]byte{[]byte("a")}}, "tensor: TensorFlow dtype DT_STRING is not supported"},
		{"complex64", &TensorProto{Dtype: DataType_DT_COMPLEX64}, "tensor: TensorFlow dtype DT_COMPLEX64 is not supported"},
		{"complex128", &TensorProto{Dtype: DataType_DT_COMPLEX128}, "tensor: TensorFlow dtype DT_COMPLEX128 is not supported"},
		{"resource", &TensorProto{Dtype: DataType_DT_RESOURCE}, "tensor: TensorFlow dtype DT_RESOURCE is not supported"},
		{"variant", &TensorProto{Dtype: DataType_DT_VARIANT}, "tensor: TensorFlow dtype DT_VARIANT is not supported"},
		{"uint64", &TensorProto{Dtype: DataType_DT_UINT64}, "tensor: TensorFlow dtype DT_UINT64 is not supported"},
		{"float8", &TensorProto{Dtype: DataType_DT_FLOAT8_E4M3FN}, "tensor: TensorFlow dtype DT_FLOAT8_E4M3FN is not supported"},
		{"int4", &TensorProto{Dtype: DataType_DT_INT4}, "tensor: TensorFlow dtype DT_INT4 is not supported"},
		{"string ref", &TensorProto{Dtype: DataType_DT_STRING_REF}, "tensor: TensorFlow dtype DT_STRING_REF is not supported"},
		{"more values", &TensorProto{Dtype: DataType_DT_FLOAT, TensorShape: shapeProto(2), FloatVal: []float32{1, 2, 3}},
			"DT_FLOAT tensor of shape [2]: float_val has 3 values, more than the 2 elements of the shape"},
		{"values for empty", &TensorProto{Dtype: DataType_DT_INT32, TensorShape: shapeProto(0), IntVal: []int32{1}},
			"DT_INT32 tensor of shape [0]: int_val has 1 values, more than the 0 elements of the shape"},
		{"content short", &TensorProto{Dtype: DataType_DT_FLOAT, TensorShape: shapeProto(2), TensorContent: f32Bytes(1)},
			"DT_FLOAT tensor of shape [2]: tensor_content has 4 bytes, want 8 (2 elements of 4 bytes)"},
		{"content long", &TensorProto{Dtype: DataType_DT_HALF, TensorShape: shapeProto(1), TensorContent: []byte{1, 2, 3}},
			"DT_HALF tensor of shape [1]: tensor_content has 3 bytes, want 2 (1 elements of 2 bytes)"},
		{"content for empty", &TensorProto{Dtype: DataType_DT_BOOL, TensorShape: shapeProto(0), TensorContent: []byte{1}},
			"DT_BOOL tensor of shape [0]: tensor_content has 1 bytes, want 0"},
		{"unknown dim", &TensorProto{Dtype: DataType_DT_FLOAT, TensorShape: shapeProto(2, -1)},
			"DT_FLOAT tensor of shape [2,?]: shape has an unknown (-1) dimension"},
		{"negative dim", &TensorProto{Dtype: DataType_DT_FLOAT, TensorShape: shapeProto(-5)},
			"DT_FLOAT tensor: dimension 0 of the shape is -5; only -1 (unknown) may be negative"},
		{"unknown rank", &TensorProto{Dtype: DataType_DT_FLOAT, TensorShape: &TensorShapeProto{UnknownRank: true}},
			"DT_FLOAT tensor: shape has unknown rank"},
		{"too many elements", &TensorProto{Dtype: DataType_DT_FLOAT, TensorShape: shapeProto(big, big)},
			"DT_FLOAT tensor: shape [2097152,2097152]: shape has too many elements"},
		{"huge dim", &TensorProto{Dtype: DataType_DT_FLOAT, TensorShape: shapeProto(0, math.MaxInt64)},
			"DT_FLOAT tensor: dimension 1 of the shape is 9223372036854775807, more than 1099511627776"},
		{"too many bytes", &TensorProto{Dtype: DataType_DT_DOUBLE, TensorShape: shapeProto(1<<29, 2), DoubleVal: []float64{1}},
			"DT_DOUBLE tensor of shape [536870912,2]: 8589934592 bytes, more than the 4294967296-byte limit"},
		{"wrong field", &TensorProto{Dtype: DataType_DT_FLOAT, TensorShape: shapeProto(1), IntVal: []int32{1}},
			"DT_FLOAT tensor of shape [1]: has 1 values in int_val, but this dtype keeps its values in float_val"},
		{"wrong field u32", &TensorProto{Dtype: DataType_DT_UINT32, TensorShape: shapeProto(1), IntVal: []int32{1}},
			"DT_UINT32 tensor of shape [1]: has 1 values in int_val, but this dtype keeps its values in uint32_val"},
		{"wrong field f16", &TensorProto{Dtype: DataType_DT_HALF, TensorShape: shapeProto(1), FloatVal: []float32{1}},
			"DT_HALF tensor of shape [1]: has 1 values in float_val, but this dtype keeps its values in half_val"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeTensor(tc.tp)
			if err == nil {
				t.Fatalf("no error; got %v", got)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q, want %q", err, tc.want)
			}
		})
	}
}

func TestDTypeFromProto(t *testing.T) {
	for dt, want := range map[DataType]tensor.DType{
		DataType_DT_FLOAT: tensor.Float32, DataType_DT_HALF: tensor.Float16, DataType_DT_BFLOAT16: tensor.BFloat16,
		DataType_DT_DOUBLE: tensor.Float64, DataType_DT_INT8: tensor.Int8, DataType_DT_INT16: tensor.Int16,
		DataType_DT_INT32: tensor.Int32, DataType_DT_INT64: tensor.Int64, DataType_DT_UINT8: tensor.Uint8,
		DataType_DT_UINT16: tensor.Uint16, DataType_DT_UINT32: tensor.Uint32, DataType_DT_BOOL: tensor.Bool,
		DataType_DT_FLOAT_REF: tensor.Float32, DataType_DT_HALF_REF: tensor.Float16, DataType_DT_INT32_REF: tensor.Int32,
		DataType_DT_UINT32_REF: tensor.Uint32, DataType_DT_BOOL_REF: tensor.Bool, DataType_DT_BFLOAT16_REF: tensor.BFloat16,
	} {
		got, err := DTypeFromProto(dt)
		if err != nil || got != want {
			t.Errorf("DTypeFromProto(%v) = %v, %v; want %v", dt, got, err, want)
		}
	}
	// Every other declared value is an error.
	for num, name := range DataType_name {
		dt := DataType(num)
		base := dt
		if base > 100 {
			base -= 100
		}
		if _, err := DTypeFromProto(dt); (err == nil) != (typedField(mustDType(base)) != "") {
			t.Errorf("DTypeFromProto(%s): err %v", name, err)
		}
	}
	for _, dt := range []DataType{100, 134, 200, -1, 1 << 30} {
		if _, err := DTypeFromProto(dt); err == nil || !strings.Contains(err.Error(), "unknown TensorFlow dtype") {
			t.Errorf("DTypeFromProto(%d): %v", dt, err)
		}
	}
}

// mustDType is DTypeFromProto without the error (Invalid for unsupported).
func mustDType(dt DataType) tensor.DType {
	d, _ := DTypeFromProto(dt)
	return d
}

func TestShapeFromProto(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sp    *TensorShapeProto
		want  tensor.Shape
		known bool
		err   string
	}{
		{"nil is scalar", nil, tensor.Shape{}, true, ""},
		{"scalar", &TensorShapeProto{}, tensor.Shape{}, true, ""},
		{"dims", shapeProto(1, 224, 224, 3), tensor.Shape{1, 224, 224, 3}, true, ""},
		{"unknown dims", shapeProto(-1, 3, -1), tensor.Shape{tensor.Unknown, 3, tensor.Unknown}, true, ""},
		{"zero", shapeProto(0, 1<<40), tensor.Shape{0, 1 << 40}, true, ""},
		{"unknown rank", &TensorShapeProto{UnknownRank: true}, nil, false, ""},
		{"unknown rank with dims", &TensorShapeProto{UnknownRank: true, Dim: shapeProto(2).Dim}, nil, false, "shape has unknown_rank set but also 1 dimensions"},
		{"negative", shapeProto(3, -2), nil, false, "dimension 1 of the shape is -2; only -1 (unknown) may be negative"},
		{"overflow", shapeProto(-1, 1<<20, 1<<21), nil, false, "shape [-1,1048576,2097152]: shape has too many elements"},
		{"rank", shapeProto(make([]int64, MaxRank+1)...), nil, false, "shape has 255 dimensions, more than 254"},
	} {
		got, known, err := ShapeFromProto(tc.sp)
		if tc.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil || known != tc.known || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, %v, %v; want %v, %v", tc.name, got, known, err, tc.want, tc.known)
		}
	}
}
