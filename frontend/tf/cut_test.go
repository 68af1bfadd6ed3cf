package tf

import (
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// iteratorGraph is what a tf.data pipeline leaves in a frozen graph: an
// IteratorGetNext (unsupported) feeding a preprocessing Mul, then Relu.
func iteratorGraph(t *testing.T) *tgraph {
	b := newTGraph(t)
	b.node("it", "IteratorV2", nil)
	shapes := &tfpb.AttrValue_ListValue{Shape: []*tfpb.TensorShapeProto{shapeProto([]int{-1, 3}), shapeProto([]int{-1})}}
	types := &tfpb.AttrValue_ListValue{Type: []tfpb.DataType{tfpb.DataType_DT_FLOAT, tfpb.DataType_DT_INT64}}
	b.node("IteratorGetNext", "IteratorGetNext", []string{"it"},
		"output_types", &tfpb.AttrValue{Value: &tfpb.AttrValue_List{List: types}},
		"output_shapes", &tfpb.AttrValue{Value: &tfpb.AttrValue_List{List: shapes}})
	b.constf("two", []int{}, 2)
	b.node("scaled", "Mul", []string{"IteratorGetNext", "two"}, "T", atype(tfpb.DataType_DT_FLOAT))
	b.node("out", "Relu", []string{"scaled"}, "T", atype(tfpb.DataType_DT_FLOAT))
	return b
}

func TestCutAtIteratorOutput(t *testing.T) {
	b := iteratorGraph(t)
	_, err := Import(b.g, Options{Outputs: []string{"out:0"}})
	if err == nil || !strings.Contains(err.Error(), "IteratorGetNext") {
		t.Fatalf("without a cut: err = %v, want the unsupported IteratorGetNext", err)
	}
	f, err := Import(b.g, Options{Outputs: []string{"out:0"}, InputShapes: map[string]tensor.Shape{"IteratorGetNext:0": {2, 3}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := ir.Verify(f); err != nil {
		t.Fatal(err)
	}
	ins := f.Inputs()
	if len(ins) != 1 || ins[0].Str("name") != "IteratorGetNext:0" || ins[0].Results[0].Type.String() != "f32[2,3]" {
		t.Fatalf("inputs = %v", ins)
	}
	x := tensor.MustNew(tensor.Float32, []int{2, 3})
	copy(x.F32, []float32{-1, 0.5, 2, 3, -4, 0})
	out, err := evalFunc(f, map[string]*tensor.Tensor{"IteratorGetNext:0": x})
	if err != nil {
		t.Fatal(err)
	}
	wantF32(t, out[0], []int{2, 3}, 0, 1, 4, 6, 0, 0)

	// Cutting in the middle of the graph: the Mul is skipped.
	f, err = Import(b.g, Options{Outputs: []string{"out"}, InputShapes: map[string]tensor.Shape{"scaled": {4}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(opcodes(f), ","); got != "relu" {
		t.Fatalf("ops after cutting at scaled: %s", got)
	}
}

func TestCutErrors(t *testing.T) {
	b := iteratorGraph(t)
	b.input("x", tfpb.DataType_DT_FLOAT, 1, -1)
	b.node("y", "Relu", []string{"x"}, "T", atype(tfpb.DataType_DT_FLOAT))
	for _, tc := range []struct {
		shapes  map[string]tensor.Shape
		outputs []string
		want    string
	}{
		{map[string]tensor.Shape{"nosuch:0": {1}}, []string{"y"}, `the graph has no node named "nosuch"`},
		{map[string]tensor.Shape{"IteratorGetNxt:0": {1, 3}}, []string{"out"}, `close matches: "IteratorGetNext"`},
		{map[string]tensor.Shape{"IteratorGetNext:0": {2, 4}}, []string{"out"}, "dimension 1 is fixed at 3"},
		{map[string]tensor.Shape{"IteratorGetNext:0": {6}}, []string{"out"}, "has rank 1"},
		{map[string]tensor.Shape{"IteratorGetNext:2": {2}}, []string{"out"}, "has 2 outputs"},
		{map[string]tensor.Shape{"x:0": {2, 5}}, []string{"y"}, "dimension 0 is fixed at 1"},
		{map[string]tensor.Shape{"x:0": {1, 5, 1}}, []string{"y"}, "has rank 3"},
		{nil, []string{"yy:0"}, `output "yy:0": the graph has no node named "yy"; close matches: "y"`},
	} {
		_, err := Import(b.g, Options{Outputs: tc.outputs, InputShapes: tc.shapes})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.shapes, err, tc.want)
		}
	}
	// The placeholder's unknown dimension may be set.
	if _, err := Import(b.g, Options{Outputs: []string{"y"}, InputShapes: map[string]tensor.Shape{"x:0": {1, 5}}}); err != nil {
		t.Fatal(err)
	}
}

func TestCloseMatches(t *testing.T) {
	names := []string{"input_1", "input_2", "model/dense/MatMul", "model/dense/BiasAdd", "Identity"}
	for _, tc := range []struct {
		name string
		want string
	}{
		{"input1", "input_1,input_2"},
		{"MatMul", "model/dense/MatMul"},
		{"dense/MatMul", "model/dense/MatMul"},
		{"zzz", ""},
	} {
		if got := strings.Join(CloseMatches(tc.name, names, 5), ","); got != tc.want {
			t.Errorf("CloseMatches(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
