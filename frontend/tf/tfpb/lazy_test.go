package tfpb

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// checkLazy parses data with ParseLazy and ParseGraphDef. Where ParseLazy
// takes data and every node decodes, the nodes must be ParseGraphDef's,
// with the names, ops and inputs ParseLazy and NodeInputs read, and the
// rest of the graph must be ParseGraphDef's; where a node does not
// decode, ParseGraphDef must refuse the data. It reports whether
// ParseLazy took data.
func checkLazy(t *testing.T, name string, data []byte) bool {
	t.Helper()
	lg, ok := ParseLazy(data, "model.pb")
	if !ok {
		return false
	}
	want, wantErr := ParseGraphDef(data, "model.pb")
	whole := proto.Clone(lg.Graph).(*GraphDef)
	for _, ln := range lg.Nodes {
		if ln.Offset < 0 || ln.Offset+len(ln.Enc) > len(lg.Data) || len(ln.Enc) > 0 && &lg.Data[ln.Offset] != &ln.Enc[0] {
			t.Fatalf("%s: node %q: Offset %d is not where its encoding lies in Data", name, ln.Name, ln.Offset)
		}
		nd, err := DecodeNode(ln.Enc)
		if err != nil {
			if ln.Plain {
				t.Fatalf("%s: node %q is plain, but does not decode: %v", name, ln.Name, err)
			}
			if wantErr == nil {
				t.Fatalf("%s: node %q does not decode (%v), but ParseGraphDef takes the graph", name, ln.Name, err)
			}
			return true
		}
		if ln.Plain {
			checkPlain(t, name, ln.Enc, nd)
		}
		var inputs []string
		NodeInputs(ln.Enc, func(in []byte) { inputs = append(inputs, string(in)) })
		if nd.GetName() != ln.Name || nd.GetOp() != ln.Op || !slices.Equal(nd.GetInput(), inputs) {
			t.Errorf("%s: node %q (%s) inputs %q read as %q (%s) inputs %q", name, nd.GetName(), nd.GetOp(), nd.GetInput(), ln.Name, ln.Op, inputs)
		}
		data := 0
		for _, in := range nd.GetInput() {
			if !strings.HasPrefix(in, "^") {
				data++
			}
		}
		if int(ln.DataInputs) != data {
			t.Errorf("%s: node %q: DataInputs %d, want %d (inputs %q)", name, ln.Name, ln.DataInputs, data, nd.GetInput())
		}
		whole.Node = append(whole.Node, nd)
	}
	if wantErr != nil {
		t.Fatalf("%s: every node decodes, but ParseGraphDef refuses the graph: %v", name, wantErr)
	}
	if !proto.Equal(whole, want) {
		t.Fatalf("%s: the lazily parsed graph differs from ParseGraphDef's", name)
	}
	return true
}

// TestLazyParse checks ParseLazy against ParseGraphDef on ordinary and
// unusual encodings.
func TestLazyParse(t *testing.T) {
	took := 0
	for name, data := range aliasCases(t) {
		if checkLazy(t, name, data) {
			took++
		}
	}
	if took == 0 {
		t.Error("ParseLazy took none of the graphs")
	}
	// Text, blank and nodeless data are left to ParseGraphDef, and so is
	// a node whose name is not UTF-8.
	f := func(num protowire.Number, v []byte) []byte {
		return protowire.AppendBytes(protowire.AppendTag(nil, num, protowire.BytesType), v)
	}
	for _, data := range []string{"node { name: \"x\" op: \"NoOp\" }", "\n\n\n\n\n\n\n\n\n\n\n\n", "", "\x22\x02\x08\x07", string(f(1, f(1, []byte("\xff"))))} {
		if _, ok := ParseLazy([]byte(data), "model.pb"); ok {
			t.Errorf("ParseLazy took %q", data)
		}
	}
}

// TestLazyUndecodableNode: a node whose attributes do not decode is
// taken by ParseLazy (it reads only names, ops and inputs), and refused by
// DecodeNode as by ParseGraphDef.
func TestLazyUndecodableNode(t *testing.T) {
	f := func(num protowire.Number, v []byte) []byte {
		return protowire.AppendBytes(protowire.AppendTag(nil, num, protowire.BytesType), v)
	}
	node := append(f(1, []byte("x")), f(2, []byte("Placeholder"))...)
	for name, attr := range map[string][]byte{
		"attr key not utf8":  f(5, f(1, []byte("\xff"))),
		"attr value broken":  f(5, f(2, []byte{0x0a, 0x05})),
		"packed list broken": f(5, f(2, f(1, f(3, []byte{0x80})))),
	} {
		data := f(1, append(slices.Clone(node), attr...))
		lg, ok := ParseLazy(data, "model.pb")
		if !ok {
			t.Errorf("%s: ParseLazy does not take it", name)
			continue
		}
		if _, err := DecodeNode(lg.Nodes[0].Enc); err == nil {
			t.Errorf("%s: DecodeNode decodes it", name)
		}
		if _, err := ParseGraphDef(data, "model.pb"); err == nil {
			t.Errorf("%s: ParseGraphDef takes it (the case is wrong)", name)
		}
	}
}

// TestLazyProjectGraphs parses the project's TensorFlow-written GraphDefs
// both ways.
func TestLazyProjectGraphs(t *testing.T) {
	var paths []string
	for _, dir := range []string{"models", "cases", "control", "dynamic"} {
		p, _ := filepath.Glob(filepath.Join("../../../testdata", dir, "*", "model.pb"))
		paths = append(paths, p...)
	}
	if len(paths) == 0 {
		t.Skip("no graphs under testdata")
	}
	nodes, plain := 0, 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if lg, ok := ParseLazy(data, p); ok {
			for _, n := range lg.Nodes {
				nodes++
				if n.Plain {
					plain++
				}
			}
		}
		if !checkLazy(t, p, data) {
			g, err := ParseGraphDef(data, p)
			if err != nil || len(g.GetLibrary().GetFunction()) == 0 {
				t.Errorf("%s: ParseLazy did not take it (a graph without functions)", p)
			}
		}
	}
	// Most of TensorFlow's nodes are plain (a scalar Const's float_val
	// is not).
	if plain < nodes/2 {
		t.Errorf("%d of %d nodes are plain", plain, nodes)
	}
	t.Logf("%d of %d nodes are plain", plain, nodes)
}

// TestLazyFieldNumbers checks the NodeDef field numbers ParseLazy reads.
func TestLazyFieldNumbers(t *testing.T) {
	fields := (&NodeDef{}).ProtoReflect().Descriptor().Fields()
	for num, name := range map[protoreflect.FieldNumber]protoreflect.Name{
		nodeDefName: "name", nodeDefOp: "op", nodeDefInput: "input", nodeDefDevice: "device", nodeDefAttr: "attr",
	} {
		if fd := fields.ByNumber(num); fd == nil || fd.Name() != name {
			t.Errorf("NodeDef field %d is not %s", num, name)
		}
	}
	for _, c := range []struct {
		m    proto.Message
		nums map[protoreflect.FieldNumber]protoreflect.Name
	}{
		{&AttrValue{}, map[protoreflect.FieldNumber]protoreflect.Name{
			attrValueList: "list", attrValueS: "s", attrValueI: "i", attrValueF: "f", attrValueB: "b",
			attrValueType: "type", attrValueShape: "shape", attrValueTensor: "tensor"}},
		{&AttrValue_ListValue{}, map[protoreflect.FieldNumber]protoreflect.Name{
			listValueS: "s", listValueI: "i", listValueF: "f", listValueB: "b", listValueType: "type", listValueShape: "shape"}},
		{&TensorShapeProto{}, map[protoreflect.FieldNumber]protoreflect.Name{shapeDim: "dim", shapeUnknown: "unknown_rank"}},
		{&TensorShapeProto_Dim{}, map[protoreflect.FieldNumber]protoreflect.Name{dimSize: "size", dimName: "name"}},
		{&TensorProto{}, map[protoreflect.FieldNumber]protoreflect.Name{
			tensorDtype: "dtype", tensorShape: "tensor_shape", tensorVersion: "version_number", tensorProtoContent: "tensor_content"}},
	} {
		fs := c.m.ProtoReflect().Descriptor().Fields()
		for num, name := range c.nums {
			if fd := fs.ByNumber(num); fd == nil || fd.Name() != name {
				t.Errorf("%T field %d is not %s", c.m, num, name)
			}
		}
	}
}

// FuzzLazyParse: on any bytes, ParseLazy agrees with ParseGraphDef.
func FuzzLazyParse(f *testing.F) {
	for _, data := range aliasCases(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkLazy(t, "fuzz", data) })
}

// checkPlain checks that the attributes read from a plain node's
// encoding are those of nd, the NodeDef the protobuf module decodes.
func checkPlain(t *testing.T, name string, enc []byte, nd *NodeDef) {
	t.Helper()
	for key, want := range nd.GetAttr() {
		val, ok := NodeAttr(enc, key)
		if !ok {
			t.Errorf("%s: node %q: NodeAttr does not find %q", name, nd.GetName(), key)
			continue
		}
		got, err := DecodeAttr(val)
		if err != nil || !proto.Equal(got, want) {
			t.Errorf("%s: node %q: attr %q decodes to %v (%v), want %v", name, nd.GetName(), key, got, err, want)
		}
		typ, okT := AttrType(val)
		b, okB := AttrBool(val)
		i, okI := AttrInt(val)
		tp, okTensor := AttrTensor(val)
		v, isT := want.GetValue().(*AttrValue_Type)
		if okT != isT || isT && typ != v.Type {
			t.Errorf("%s: node %q: attr %q: AttrType %v %v, want %v", name, nd.GetName(), key, typ, okT, want)
		}
		vb, isB := want.GetValue().(*AttrValue_B)
		if okB != isB || isB && b != vb.B {
			t.Errorf("%s: node %q: attr %q: AttrBool %v %v, want %v", name, nd.GetName(), key, b, okB, want)
		}
		vi, isI := want.GetValue().(*AttrValue_I)
		if okI != isI || isI && i != vi.I {
			t.Errorf("%s: node %q: attr %q: AttrInt %v %v, want %v", name, nd.GetName(), key, i, okI, want)
		}
		vt, isTensor := want.GetValue().(*AttrValue_Tensor)
		if okTensor != isTensor || isTensor && !proto.Equal(tp, vt.Tensor) {
			t.Errorf("%s: node %q: attr %q: AttrTensor %v %v, want %v", name, nd.GetName(), key, tp, okTensor, want)
		}
		content, okContent := AttrTensorContent(val)
		if okContent != isTensor || isTensor && !bytes.Equal(content, vt.Tensor.GetTensorContent()) {
			t.Errorf("%s: node %q: attr %q: AttrTensorContent %q %v, want %v", name, nd.GetName(), key, content, okContent, want)
		}
	}
	if _, ok := NodeAttr(enc, "no such attribute"); ok {
		t.Errorf("%s: node %q: NodeAttr finds an attribute it does not have", name, nd.GetName())
	}
}

// TestPlainNodes: plainNode takes the nodes of ordinary graphs, and refuses
// encodings that do not decode or that it does not read.
func TestPlainNodes(t *testing.T) {
	f := func(num protowire.Number, v []byte) []byte {
		return protowire.AppendBytes(protowire.AppendTag(nil, num, protowire.BytesType), v)
	}
	varint := func(num protowire.Number, v uint64) []byte {
		return protowire.AppendVarint(protowire.AppendTag(nil, num, protowire.VarintType), v)
	}
	cat := func(bs ...[]byte) []byte { return slices.Concat(bs...) }
	entry := func(key string, val []byte) []byte { return f(5, cat(f(1, []byte(key)), f(2, val))) }
	shape := f(7, cat(f(2, varint(1, 3)), f(2, cat(varint(1, 4), f(2, []byte("w"))))))
	tensor := f(8, cat(varint(1, 1), f(2, f(2, varint(1, 2))), f(4, []byte("12345678")), f(2, f(2, varint(1, 1)))))
	plain := map[string][]byte{
		"empty":        nil,
		"header":       cat(f(1, []byte("x")), f(2, []byte("Op")), f(3, []byte("y:1")), f(4, []byte("/cpu:0"))),
		"scalars":      cat(entry("T", varint(6, 1)), entry("b", varint(5, 1)), entry("i", varint(3, 1<<40)), entry("s", f(2, []byte("\xff")))),
		"shape":        entry("shape", shape),
		"tensor":       entry("value", tensor),
		"list":         entry("l", f(1, cat(f(3, []byte{1, 2, 0x80, 1}), varint(3, 7), f(4, make([]byte, 8)), f(2, []byte("a")), shape))),
		"repeated key": cat(entry("T", varint(6, 1)), entry("T", varint(6, 3))),
	}
	for name, b := range plain {
		if !plainNode(b) {
			t.Errorf("%s: not plain", name)
			continue
		}
		nd := new(NodeDef)
		if err := proto.Unmarshal(b, nd); err != nil {
			t.Fatalf("%s: plain, but does not decode: %v", name, err)
		}
		checkPlain(t, name, b, nd)
	}
	for name, b := range map[string][]byte{
		"name not utf8":      f(1, []byte("\xff")),
		"name a varint":      varint(1, 3),
		"unknown field":      f(9, nil),
		"debug info":         f(6, nil),
		"attr key not utf8":  f(5, f(1, []byte("\xff"))),
		"attr without value": f(5, f(1, []byte("k"))),
		"value of 2 fields":  entry("k", cat(varint(6, 1), varint(3, 1))),
		"empty value":        entry("k", nil),
		"func":               entry("k", f(10, nil)),
		"float_val":          entry("k", f(8, f(5, make([]byte, 4)))),
		"cut packed list":    entry("k", f(1, f(3, []byte{0x80}))),
		"dim name not utf8":  entry("k", f(7, f(2, f(2, []byte("\xff"))))),
		"cut varint":         []byte{0x28, 0x80},
	} {
		if plainNode(b) {
			t.Errorf("%s: plain", name)
		}
	}
}

// FuzzPlainNode: a plain node decodes, to the attributes read from its
// encoding.
func FuzzPlainNode(f *testing.F) {
	for _, data := range aliasCases(f) {
		if lg, ok := ParseLazy(data, "model.pb"); ok {
			for _, n := range lg.Nodes {
				f.Add(n.Enc)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !plainNode(b) {
			return
		}
		nd := new(NodeDef)
		if err := proto.Unmarshal(b, nd); err != nil {
			t.Fatalf("plainNode takes %q, proto.Unmarshal: %v", b, err)
		}
		checkPlain(t, "fuzz", b, nd)
	})
}
