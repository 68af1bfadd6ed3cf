package tfpb

import (
	"errors"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/tfc-dev/tfc/tensor"
)

// fuzzMaxElements keeps fuzzed tensors small: a few bytes of TensorProto
// can ask for gigabytes through the splat rule, which is legal but slow.
const fuzzMaxElements = 1 << 16

// smallTensor reports whether tp's shape has at most fuzzMaxElements
// elements (unknown or negative dimensions count as small: they fail fast).
func smallTensor(tp *TensorProto) bool {
	n := int64(1)
	for _, d := range tp.GetTensorShape().GetDim() {
		s := d.GetSize()
		if s <= 0 {
			return true
		}
		if s > fuzzMaxElements || n*s > fuzzMaxElements {
			return false
		}
		n *= s
	}
	return true
}

func FuzzParseGraphDef(f *testing.F) {
	g := sampleGraph()
	f.Add(mustMarshal(f, g), false)
	f.Add(mustText(f, g), true)
	f.Add(mustText(f, g), false)
	f.Add(mustMarshal(f, g), true)
	f.Fuzz(fuzzParseGraphDef)
}

func fuzzParseGraphDef(t *testing.T, data []byte, textName bool) {
	name := "fuzz.pb"
	if textName {
		name = "fuzz.pbtxt"
	}
	g, err := ParseGraphDef(data, name)
	if err != nil {
		msg := err.Error()
		if g != nil {
			t.Fatalf("graph and error %q", msg)
		}
		if !strings.HasPrefix(msg, name+": ") || strings.ContainsAny(msg, "\r\n") {
			t.Fatalf("error not one line starting with the name: %q", msg)
		}
		if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrNotGraphDef) {
			t.Fatalf("error %q is neither ErrEmpty nor ErrNotGraphDef", msg)
		}
		return
	}
	if g == nil {
		t.Fatal("nil graph without error")
	}
	for _, n := range g.GetNode() {
		for _, a := range n.GetAttr() {
			if tp := a.GetTensor(); tp != nil && smallTensor(tp) {
				checkDecode(t, tp)
			}
		}
	}
	if len(g.GetNode()) > 0 {
		b, err := proto.Marshal(g)
		if err != nil {
			t.Fatalf("re-encoding a parsed graph: %v", err)
		}
		g2, err := ParseGraphDef(b, "again.pb")
		if err != nil {
			t.Fatalf("re-parsing a re-encoded graph: %v", err)
		}
		if len(g2.GetNode()) != len(g.GetNode()) {
			t.Fatalf("re-parsed %d nodes, want %d", len(g2.GetNode()), len(g.GetNode()))
		}
	}
}

// checkDecode runs DecodeTensor and checks the invariants of its result.
func checkDecode(t *testing.T, tp *TensorProto) {
	tt, err := DecodeTensor(tp)
	if err != nil {
		if tt != nil {
			t.Fatalf("tensor and error %v", err)
		}
		if msg := err.Error(); msg == "" || strings.ContainsAny(msg, "\r\n") {
			t.Fatalf("bad error message %q", msg)
		}
		return
	}
	if err := tt.Check(); err != nil {
		t.Fatalf("decoded tensor fails Check: %v", err)
	}
	want, err := DTypeFromProto(tp.GetDtype())
	if err != nil || tt.DType != want {
		t.Fatalf("decoded dtype %v, DTypeFromProto says %v, %v", tt.DType, want, err)
	}
	shape, known, err := ShapeFromProto(tp.GetTensorShape())
	if err != nil || !known || !shape.Equal(tt.Shape) {
		t.Fatalf("decoded shape %v, ShapeFromProto says %v, %v, %v", tt.Shape, shape, known, err)
	}
	if r, ok := intRanges[tt.DType]; ok {
		for _, v := range tt.I32 {
			if v < r[0] || v > r[1] {
				t.Fatalf("%v element %d out of range", tt.DType, v)
			}
		}
	}
	if tt.DType == tensor.Uint32 {
		for _, v := range tt.I64 {
			if v < 0 || v > 1<<32-1 {
				t.Fatalf("u32 element %d out of range", v)
			}
		}
	}
}

// intRanges are the value ranges of the narrow integer dtypes.
var intRanges = map[tensor.DType][2]int32{
	tensor.Int8: {-128, 127}, tensor.Int16: {-32768, 32767},
	tensor.Uint8: {0, 255}, tensor.Uint16: {0, 65535},
}

func FuzzDecodeTensor(f *testing.F) {
	for _, tp := range []*TensorProto{
		{Dtype: DataType_DT_FLOAT, TensorShape: shapeProto(2), TensorContent: f32Bytes(1, 2)},
		{Dtype: DataType_DT_HALF, TensorShape: shapeProto(3), HalfVal: []int32{0x3c00}},
		{Dtype: DataType_DT_INT8, TensorShape: shapeProto(2), IntVal: []int32{-1, 300}},
	} {
		b, err := proto.Marshal(tp)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tp := new(TensorProto)
		if err := proto.Unmarshal(data, tp); err != nil {
			return
		}
		if !smallTensor(tp) {
			return
		}
		checkDecode(t, tp)
	})
}
