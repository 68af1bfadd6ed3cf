package tfpb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

func typeAttr(dt DataType) *AttrValue { return &AttrValue{Value: &AttrValue_Type{Type: dt}} }

func shapeProto(dims ...int64) *TensorShapeProto {
	sp := &TensorShapeProto{}
	for _, d := range dims {
		sp.Dim = append(sp.Dim, &TensorShapeProto_Dim{Size: d})
	}
	return sp
}

func f32Bytes(vs ...float32) []byte {
	b := make([]byte, 0, 4*len(vs))
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return b
}

// sampleGraph is a small graph using most kinds of fields: y = x·w + b.
func sampleGraph() *GraphDef {
	return &GraphDef{
		Versions: &VersionDef{Producer: 1882, MinConsumer: 12, BadConsumers: []int32{3}},
		Node: []*NodeDef{
			{Name: "x", Op: "Placeholder", Attr: map[string]*AttrValue{
				"dtype": typeAttr(DataType_DT_FLOAT),
				"shape": {Value: &AttrValue_Shape{Shape: shapeProto(-1, 3)}},
			}},
			{Name: "w", Op: "Const", Attr: map[string]*AttrValue{
				"dtype": typeAttr(DataType_DT_FLOAT),
				"value": {Value: &AttrValue_Tensor{Tensor: &TensorProto{
					Dtype:         DataType_DT_FLOAT,
					TensorShape:   shapeProto(3, 2),
					TensorContent: f32Bytes(1, 2, 3, 4, 5, 6),
				}}},
			}},
			{Name: "b", Op: "Const", Attr: map[string]*AttrValue{
				"dtype": typeAttr(DataType_DT_FLOAT),
				"value": {Value: &AttrValue_Tensor{Tensor: &TensorProto{
					Dtype:       DataType_DT_FLOAT,
					TensorShape: shapeProto(2),
					FloatVal:    []float32{0.5},
				}}},
			}},
			{Name: "mm", Op: "MatMul", Input: []string{"x", "w"}, Attr: map[string]*AttrValue{
				"T":           typeAttr(DataType_DT_FLOAT),
				"transpose_a": {Value: &AttrValue_B{B: false}},
				"transpose_b": {Value: &AttrValue_B{B: false}},
			}},
			{Name: "y", Op: "AddV2", Input: []string{"mm", "b:0", "^w"}, Device: "/device:CPU:0",
				Attr: map[string]*AttrValue{
					"T": typeAttr(DataType_DT_FLOAT),
					"_output_shapes": {Value: &AttrValue_List{List: &AttrValue_ListValue{
						Shape: []*TensorShapeProto{{UnknownRank: true}},
					}}},
					"strides": {Value: &AttrValue_List{List: &AttrValue_ListValue{I: []int64{1, 2, 2, 1}}}},
					"padding": {Value: &AttrValue_S{S: []byte("SAME")}},
					"alpha":   {Value: &AttrValue_F{F: 0.25}},
					"f":       {Value: &AttrValue_Func{Func: &NameAttrList{Name: "fn", Attr: map[string]*AttrValue{"T": typeAttr(DataType_DT_HALF)}}}},
				},
				ExperimentalDebugInfo: &NodeDef_ExperimentalDebugInfo{OriginalNodeNames: []string{"dense/add"}},
				ExperimentalType:      &FullTypeDef{TypeId: FullTypeId_TFT_PRODUCT, Args: []*FullTypeDef{{TypeId: FullTypeId_TFT_TENSOR}}},
			},
		},
		Library: &FunctionDefLibrary{
			Function: []*FunctionDef{{
				Signature: &OpDef{
					Name:      "fn",
					InputArg:  []*OpDef_ArgDef{{Name: "a", TypeAttr: "T"}},
					OutputArg: []*OpDef_ArgDef{{Name: "out", TypeAttr: "T"}},
					Attr:      []*OpDef_AttrDef{{Name: "T", Type: "type"}},
				},
				Attr:    map[string]*AttrValue{"_noinline": {Value: &AttrValue_B{B: true}}},
				NodeDef: []*NodeDef{{Name: "id", Op: "Identity", Input: []string{"a"}, Attr: map[string]*AttrValue{"T": {Value: &AttrValue_Placeholder{Placeholder: "T"}}}}},
				Ret:     map[string]string{"out": "id:output:0"},
				ArgAttr: map[uint32]*FunctionDef_ArgAttrs{0: {Attr: map[string]*AttrValue{"_user": {Value: &AttrValue_I{I: 7}}}}},
			}},
			Gradient: []*GradientDef{{FunctionName: "fn", GradientFunc: "fn_grad"}},
		},
	}
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustMarshal(t testing.TB, g *GraphDef) []byte {
	t.Helper()
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustText(t testing.TB, g *GraphDef) []byte {
	t.Helper()
	b, err := prototext.MarshalOptions{Multiline: true}.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	g := sampleGraph()
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"model.pb", mustMarshal(t, g)},
		{"model.pbtxt", mustText(t, g)},
		// Content decides over the name.
		{"text-named.pb", mustText(t, g)},
		{"binary-named.pbtxt", mustMarshal(t, g)},
		{"noext", mustText(t, g)},
		{"noext", mustMarshal(t, g)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadGraphDef(writeFile(t, tc.name, tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if !proto.Equal(got, g) {
				t.Errorf("round trip changed the graph:\n got %v\nwant %v", got, g)
			}
		})
	}
}

// TestTextAsTensorFlowWritesIt parses text as tf.io.write_graph(as_text=True)
// writes it: octal escapes, enum names, nested maps, comments.
func TestTextAsTensorFlowWritesIt(t *testing.T) {
	src := `# written by hand in TensorFlow's style
node {
  name: "c"
  op: "Const"
  attr {
    key: "dtype"
    value {
      type: DT_FLOAT
    }
  }
  attr {
    key: "value"
    value {
      tensor {
        dtype: DT_FLOAT
        tensor_shape {
          dim {
            size: 2
          }
        }
        tensor_content: "\000\000\200?\000\000\000@"
      }
    }
  }
}
node {
  name: "h"
  op: "Const"
  attr {
    key: "value"
    value {
      tensor {
        dtype: DT_HALF
        tensor_shape {
        }
        half_val: 15360
      }
    }
  }
}
versions {
  producer: 1882
}
`
	for _, name := range []string{"graph.pbtxt", "graph.pb"} {
		g, err := ParseGraphDef([]byte(src), name)
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Node) != 2 || g.GetVersions().GetProducer() != 1882 {
			t.Fatalf("%s: parsed %v", name, g)
		}
		c, err := DecodeTensor(g.Node[0].Attr["value"].GetTensor())
		if err != nil {
			t.Fatal(err)
		}
		if c.String() != "f32[2]" || c.F32[0] != 1 || c.F32[1] != 2 {
			t.Errorf("c = %v %v", c, c.F32)
		}
		h, err := DecodeTensor(g.Node[1].Attr["value"].GetTensor())
		if err != nil {
			t.Fatal(err)
		}
		if h.String() != "f16[]" || h.F32[0] != 1 {
			t.Errorf("h = %v %v", h, h.F32)
		}
	}
}

// TestWireFormat decodes bytes assembled field by field with TensorFlow's
// field numbers, independently of the generated code.
func TestWireFormat(t *testing.T) {
	var shape []byte
	shape = protowire.AppendTag(shape, 2, protowire.BytesType) // dim
	shape = protowire.AppendBytes(shape, protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), 3))
	var tp []byte
	tp = protowire.AppendTag(tp, 1, protowire.VarintType) // dtype
	tp = protowire.AppendVarint(tp, 22)                   // DT_UINT32
	tp = protowire.AppendTag(tp, 2, protowire.BytesType)  // tensor_shape
	tp = protowire.AppendBytes(tp, shape)
	tp = protowire.AppendTag(tp, 16, protowire.BytesType) // uint32_val, packed
	tp = protowire.AppendBytes(tp, protowire.AppendVarint(protowire.AppendVarint(nil, 7), 4000000000))
	tp = protowire.AppendTag(tp, 18, protowire.BytesType) // float8_val
	tp = protowire.AppendBytes(tp, nil)
	var attr []byte // map entry: key 1, value 2
	attr = protowire.AppendTag(attr, 1, protowire.BytesType)
	attr = protowire.AppendString(attr, "value")
	attr = protowire.AppendTag(attr, 2, protowire.BytesType)
	attr = protowire.AppendBytes(attr, protowire.AppendBytes(protowire.AppendTag(nil, 8, protowire.BytesType), tp))
	var node []byte
	node = protowire.AppendTag(node, 1, protowire.BytesType)
	node = protowire.AppendString(node, "k")
	node = protowire.AppendTag(node, 2, protowire.BytesType)
	node = protowire.AppendString(node, "Const")
	node = protowire.AppendTag(node, 5, protowire.BytesType)
	node = protowire.AppendBytes(node, attr)
	node = protowire.AppendTag(node, 99, protowire.VarintType) // unknown to TensorFlow and tfc
	node = protowire.AppendVarint(node, 5)
	var g []byte
	g = protowire.AppendTag(g, 1, protowire.BytesType)
	g = protowire.AppendBytes(g, node)
	g = protowire.AppendTag(g, 4, protowire.BytesType) // versions
	g = protowire.AppendBytes(g, protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), 1882))

	gd, err := ParseGraphDef(g, "wire.pb")
	if err != nil {
		t.Fatal(err)
	}
	if gd.GetVersions().GetProducer() != 1882 || len(gd.Node) != 1 || gd.Node[0].Op != "Const" {
		t.Fatalf("parsed %v", gd)
	}
	if len(gd.Node[0].ProtoReflect().GetUnknown()) == 0 {
		t.Error("unknown field 99 of the node was dropped")
	}
	if b := mustMarshal(t, gd); !bytes.Contains(b, protowire.AppendVarint(protowire.AppendTag(nil, 99, protowire.VarintType), 5)) {
		t.Error("unknown field 99 is not written back")
	}
	tt, err := DecodeTensor(gd.Node[0].Attr["value"].GetTensor())
	if err != nil {
		t.Fatal(err)
	}
	if tt.String() != "u32[3]" || tt.I64[0] != 7 || tt.I64[1] != 4000000000 || tt.I64[2] != 4000000000 {
		t.Errorf("tensor = %v %v", tt, tt.I64)
	}
}

func TestParseErrors(t *testing.T) {
	bin := mustMarshal(t, sampleGraph())
	for _, tc := range []struct {
		name, data string
		want       string
		is         error
	}{
		{"model.pb", "", "model.pb: empty file", ErrEmpty},
		{"model.pbtxt", "", "model.pbtxt: empty file", ErrEmpty},
		{"model.pbtxt", "  # nothing\n\n", "model.pbtxt: empty file (only whitespace and comments)", ErrEmpty},
		{"model.pb", "\xff\xff\xff\xff", "model.pb: not a TensorFlow GraphDef (binary parse: proto: cannot parse invalid wire-format data)", ErrNotGraphDef},
		{"model.pbtxt", "node { name: \"a\" op: }\n", "model.pbtxt: not a TensorFlow GraphDef (text parse: ", ErrNotGraphDef},
		{"model.pb", "node {\n  nme: \"a\"\n}\n", "model.pb: not a TensorFlow GraphDef (text parse: proto: (line 2:3): unknown field: nme)", ErrNotGraphDef},
		{"model.pbtxt", "saved_model_schema_version: 1\n", "model.pbtxt: not a TensorFlow GraphDef (text parse: ", ErrNotGraphDef},
		// A SavedModel-like message: field 1 varint, field 2 message.
		{"saved_model.pb", "\x08\x01\x12\x02\x0a\x00", "saved_model.pb: not a TensorFlow GraphDef (binary parse: no nodes", ErrNotGraphDef},
		{"model.pb", string(bin[:len(bin)-1]), "model.pb: not a TensorFlow GraphDef (binary parse: ", ErrNotGraphDef},
		{"model.pbtxt", string(bin[:len(bin)/2]), "model.pbtxt: not a TensorFlow GraphDef (binary parse: ", ErrNotGraphDef},
		{"model.pb", "hello world", "model.pb: not a TensorFlow GraphDef (", ErrNotGraphDef},
	} {
		_, err := ParseGraphDef([]byte(tc.data), tc.name)
		if err == nil {
			t.Errorf("%s %q: no error", tc.name, tc.data)
			continue
		}
		if !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s %q: error %q, want %q...", tc.name, tc.data, err, tc.want)
		}
		if !errors.Is(err, tc.is) {
			t.Errorf("%s %q: error %q is not %v", tc.name, tc.data, err, tc.is)
		}
	}

	_, err := ReadGraphDef(filepath.Join(t.TempDir(), "missing.pb"))
	if err == nil || !strings.HasSuffix(err.Error(), "missing.pb: no such file or directory") || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	dir := t.TempDir()
	if _, err := ReadGraphDef(dir); err == nil || !strings.HasPrefix(err.Error(), dir+": ") {
		t.Errorf("directory: %v", err)
	}
}

// TestTruncated cuts a binary GraphDef at every byte inside its last node:
// each cut leaves a length prefix pointing past the end.
func TestTruncated(t *testing.T) {
	g := sampleGraph()
	full := mustMarshal(t, g)
	last := mustMarshal(t, &GraphDef{Node: g.Node[len(g.Node)-1:]})
	start := bytes.LastIndex(full, last)
	if start < 0 {
		t.Fatal("last node not found in the encoding")
	}
	for cut := start + 1; cut < start+len(last); cut++ {
		for _, name := range []string{"m.pb", "m.pbtxt"} {
			if _, err := ParseGraphDef(full[:cut], name); err == nil {
				t.Fatalf("%s cut at %d of %d: no error", name, cut, len(full))
			} else if !strings.HasPrefix(err.Error(), name+": not a TensorFlow GraphDef (binary parse: ") {
				t.Fatalf("%s cut at %d: %v", name, cut, err)
			}
		}
	}
}

// TestRandomBytes: random data is rejected, and never makes the parser
// panic.
func TestRandomBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	rejected := 0
	for i := range 2000 {
		b := make([]byte, 1+r.IntN(200))
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		g, err := ParseGraphDef(b, "random.pb")
		if err == nil {
			if len(g.Node) == 0 {
				t.Errorf("random input %d parsed as an empty GraphDef", i)
			}
			continue
		}
		rejected++
		if !strings.HasPrefix(err.Error(), "random.pb: ") || strings.Contains(err.Error(), "\n") {
			t.Errorf("error %q", err)
		}
	}
	if rejected < 1900 {
		t.Errorf("only %d of 2000 random inputs rejected", rejected)
	}
}

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		data string
		text bool
	}{
		{"node {", true},
		{"  \n# c\n\tversions{producer: 1}", true},
		{"library <", true},
		{"version: 3", true},
		{"node_1 :", true},
		{"node", false},
		{"node name", false},
		{"1node {", false},
		{"\n\x05\n\x01a", false},
		{"", false},
		{"# only comment", false},
	} {
		if got := looksLikeText([]byte(tc.data)); got != tc.text {
			t.Errorf("looksLikeText(%q) = %v", tc.data, got)
		}
	}
}
