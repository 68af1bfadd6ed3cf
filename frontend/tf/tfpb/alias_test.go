package tfpb

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unsafe"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// bigConst is a Const node of n float32s held in tensor_content.
func bigConst(name string, n int) *NodeDef {
	vals := make([]float32, n)
	for i := range vals {
		vals[i] = float32(i) * 0.25
	}
	return &NodeDef{Name: name, Op: "Const", Attr: map[string]*AttrValue{
		"dtype": typeAttr(DataType_DT_FLOAT),
		"value": {Value: &AttrValue_Tensor{Tensor: &TensorProto{
			Dtype:         DataType_DT_FLOAT,
			TensorShape:   shapeProto(int64(n)),
			TensorContent: f32Bytes(vals...),
		}}},
	}}
}

// field appends one length-delimited field.
func field(b []byte, num protowire.Number, v []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

// aliasCases are binary GraphDefs, ordinary and unusually encoded, with
// large tensor contents.
func aliasCases(t testing.TB) map[string][]byte {
	g := sampleGraph()
	g.Node = append(g.Node, bigConst("big1", 4096), bigConst("big2", 2048))
	g.Node = append([]*NodeDef{bigConst("big0", 1500)}, g.Node...)
	plain := mustMarshal(t, g)

	node := mustMarshal(t, &GraphDef{Node: []*NodeDef{bigConst("big", 2000)}})
	nodeBody, _ := protowire.ConsumeBytes(node[1:])
	content := f32Bytes(make([]float32, 1200)...)
	tensor := func(fields ...[]byte) []byte { return bytes.Join(fields, nil) }
	dtype := protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), uint64(DataType_DT_FLOAT))
	shape := field(nil, 2, mustMarshalMsg(t, shapeProto(1200)))
	cont := field(nil, 4, content)
	attr := func(key string, tp []byte, extra ...[]byte) []byte {
		av := field(nil, attrValueTensor, tp)
		for _, e := range extra {
			av = append(av, e...)
		}
		entry := field(field(nil, mapEntryKey, []byte(key)), mapEntryValue, av)
		return field(nil, nodeDefAttr, entry)
	}
	nodeWith := func(attrs ...[]byte) []byte {
		b := field(nil, 1, []byte("n"))
		b = field(b, 2, []byte("Const"))
		for _, a := range attrs {
			b = append(b, a...)
		}
		return field(nil, graphDefNode, b)
	}
	versions := field(nil, 4, mustMarshalMsg(t, &VersionDef{Producer: 7}))
	return map[string][]byte{
		"plain":            plain,
		"one node":         node,
		"content first":    nodeWith(attr("value", tensor(cont, dtype, shape))),
		"content twice":    nodeWith(attr("value", tensor(dtype, cont, shape, cont))),
		"key twice":        nodeWith(attr("value", tensor(dtype, shape, cont)), attr("value", tensor(dtype, shape, cont))),
		"key then small":   nodeWith(attr("value", tensor(dtype, shape, cont)), attr("value", tensor(dtype))),
		"attr extra field": nodeWith(attr("value", tensor(dtype, shape, cont), protowire.AppendVarint(protowire.AppendTag(nil, 3, protowire.VarintType), 5))),
		"unknown in tensor": nodeWith(attr("value", tensor(dtype, shape, cont,
			protowire.AppendVarint(protowire.AppendTag(nil, 99, protowire.VarintType), 1)))),
		"two big attrs":     nodeWith(attr("a", tensor(dtype, shape, cont)), attr("b", tensor(dtype, shape, cont))),
		"versions between":  append(append(append([]byte{}, versions...), node...), versions...),
		"node split":        append(append([]byte{}, node...), field(nil, graphDefNode, field(nil, 1, []byte("other")))...),
		"bad key utf8":      nodeWith(attr("\xff", tensor(dtype, shape, cont))),
		"truncated":         node[:len(node)-10],
		"truncated in node": append(field(nil, graphDefNode, nodeBody[:len(nodeBody)-3]), versions...),
	}
}

func mustMarshalMsg(t testing.TB, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkAliased decodes data with unmarshalAliased and proto.Unmarshal:
// both must fail or give equal messages; it returns the number of
// tensor contents that alias data.
func checkAliased(t *testing.T, name string, data []byte) int {
	t.Helper()
	want := new(GraphDef)
	werr := proto.Unmarshal(data, want)
	got, err := unmarshalAliased(data)
	if (err != nil) != (werr != nil) {
		t.Fatalf("%s: error %v, proto.Unmarshal's %v", name, err, werr)
	}
	if err != nil {
		if err.Error() != werr.Error() {
			t.Errorf("%s: error %q, proto.Unmarshal's %q", name, err, werr)
		}
		return 0
	}
	if !proto.Equal(got, want) {
		t.Fatalf("%s: the aliased decoding differs from proto.Unmarshal's", name)
	}
	aliased := 0
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(data)))
	for _, n := range got.Node {
		for _, a := range n.Attr {
			c := a.GetTensor().GetTensorContent()
			if len(c) == 0 {
				continue
			}
			p := uintptr(unsafe.Pointer(unsafe.SliceData(c)))
			if p >= lo && p < lo+uintptr(len(data)) {
				aliased++
			} else if len(c) >= aliasMinBytes {
				t.Logf("%s: node %s: a %d-byte tensor_content is a copy", name, n.Name, len(c))
			}
		}
	}
	return aliased
}

// TestAliasedDecoding checks that the aliasing decoder gives what
// proto.Unmarshal gives on ordinary and unusual encodings, and aliases
// the large tensor contents of ordinary ones.
func TestAliasedDecoding(t *testing.T) {
	wantAliased := map[string]int{
		"plain": 3, "one node": 1, "content first": 1, "unknown in tensor": 1,
		"two big attrs": 2, "versions between": 1, "node split": 1,
	}
	for name, data := range aliasCases(t) {
		if got := checkAliased(t, name, data); got != wantAliased[name] {
			t.Errorf("%s: %d tensor contents aliased, want %d", name, got, wantAliased[name])
		}
	}
}

// TestAliasedProjectGraphs decodes the project's TensorFlow-written
// GraphDefs both ways.
func TestAliasedProjectGraphs(t *testing.T) {
	paths, _ := filepath.Glob("../../../testdata/models/*/model.pb")
	if len(paths) == 0 {
		t.Skip("no graphs under testdata")
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		n := checkAliased(t, p, data)
		t.Logf("%s: %d tensor contents aliased", p, n)
		if n == 0 {
			t.Errorf("%s: no tensor content aliased", p)
		}
	}
}

// FuzzAliasedDecoding: on any bytes, the aliasing decoder agrees with
// proto.Unmarshal.
func FuzzAliasedDecoding(f *testing.F) {
	for _, data := range aliasCases(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkAliased(t, "fuzz", data) })
}
