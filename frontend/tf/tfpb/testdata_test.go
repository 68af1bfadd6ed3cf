package tfpb

import (
	"path/filepath"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// unknownFields lists the messages within m that hold fields this package
// does not declare.
func unknownFields(m protoreflect.Message, path string, out *[]string) {
	if len(m.GetUnknown()) > 0 {
		*out = append(*out, path)
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		p := path + "." + string(fd.Name())
		switch {
		case fd.IsMap():
			if fd.MapValue().Message() != nil {
				v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
					unknownFields(mv.Message(), p+"["+k.String()+"]", out)
					return true
				})
			}
		case fd.IsList():
			if fd.Message() != nil {
				for i := range v.List().Len() {
					unknownFields(v.List().Get(i).Message(), p, out)
				}
			}
		case fd.Message() != nil:
			unknownFields(v.Message(), p, out)
		}
		return true
	})
}

// TestProjectGraphs reads the GraphDefs TensorFlow wrote for the project's
// test cases (testdata/models, testdata/bad) when they are present: every
// field must be one this package declares, and every Const must decode.
func TestProjectGraphs(t *testing.T) {
	var paths []string
	for _, pat := range []string{"../../../testdata/models/*/model.pb", "../../../testdata/bad/*.pb", "../../../testdata/bad/*.pbtxt"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	if len(paths) == 0 {
		t.Skip("no graphs under testdata")
	}
	for _, p := range paths {
		g, err := ReadGraphDef(p)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if len(g.Node) == 0 {
			t.Errorf("%s: no nodes", p)
		}
		var unk []string
		unknownFields(g.ProtoReflect(), "GraphDef", &unk)
		if len(unk) > 0 {
			t.Errorf("%s: fields not declared in tfpb at %v", p, unk)
		}
		consts := 0
		for _, n := range g.Node {
			if n.Op != "Const" {
				continue
			}
			tp := n.Attr["value"].GetTensor()
			if tp.GetDtype() == DataType_DT_STRING {
				continue
			}
			consts++
			tt, err := DecodeTensor(tp)
			if err != nil {
				t.Errorf("%s: Const %s: %v", p, n.Name, err)
				continue
			}
			if err := tt.Check(); err != nil {
				t.Errorf("%s: Const %s: %v", p, n.Name, err)
			}
		}
		t.Logf("%s: %d nodes, %d constants", p, len(g.Node), consts)
	}
}
