package savedmodel_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	"github.com/tfc-dev/tfc/frontend/tf"
	"github.com/tfc-dev/tfc/frontend/tf/savedmodel"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
)

// copyDir copies a directory tree into a new temporary directory.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// editSavedModel rewrites dir/saved_model.pb with edit applied.
func editSavedModel(t *testing.T, dir string, edit func(mg *tfpb.MetaGraphDef)) {
	t.Helper()
	p := filepath.Join(dir, "saved_model.pb")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	sm := new(tfpb.SavedModel)
	if err := proto.Unmarshal(data, sm); err != nil {
		t.Fatal(err)
	}
	edit(sm.GetMetaGraphs()[0])
	if data, err = proto.Marshal(sm); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// editMeta rewrites a checkpoint's .meta with edit applied.
func editMeta(t *testing.T, p string, edit func(mg *tfpb.MetaGraphDef)) {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	mg := new(tfpb.MetaGraphDef)
	if err := proto.Unmarshal(data, mg); err != nil {
		t.Fatal(err)
	}
	edit(mg)
	if data, err = proto.Marshal(mg); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// nodes calls fn for every node of the graph and its functions.
func nodes(mg *tfpb.MetaGraphDef, fn func(n *tfpb.NodeDef)) {
	for _, n := range mg.GetGraphDef().GetNode() {
		fn(n)
	}
	for _, f := range mg.GetGraphDef().GetLibrary().GetFunction() {
		for _, n := range f.GetNodeDef() {
			fn(n)
		}
	}
}

func shape(dims ...int64) *tfpb.AttrValue {
	s := &tfpb.TensorShapeProto{}
	for _, d := range dims {
		s.Dim = append(s.Dim, &tfpb.TensorShapeProto_Dim{Size: d})
	}
	return &tfpb.AttrValue{Value: &tfpb.AttrValue_Shape{Shape: s}}
}

// freezeAll freezes, writes the graph and imports it (reading every
// weight), returning the first error.
func freezeAll(path string, opts savedmodel.Options) error {
	fr, err := savedmodel.Freeze(path, opts)
	if err != nil {
		return err
	}
	defer fr.Close()
	if err := fr.WriteBinary(io.Discard); err != nil {
		return err
	}
	var outs []string
	for _, o := range fr.Outputs {
		outs = append(outs, o.Name)
	}
	_, err = tf.Import(fr.Graph, tf.Options{Outputs: outs, UnknownDim: 1, Weights: fr.Weight})
	return err
}

// TestBadModels: each broken model gives a one-line error naming the
// file at fault and what is wrong.
func TestBadModels(t *testing.T) {
	module := filepath.Join(root, "module_two_sigs/model")
	tf1 := filepath.Join(root, "tf1_builder/model")
	ckpt := filepath.Join(root, "tf1_checkpoint/ckpt")
	cases := []struct {
		name   string
		src    string
		break_ func(t *testing.T, dir string) (path string)
		opts   savedmodel.Options
		file   string // the file the error starts with, relative to the copy
		want   string
	}{
		{"unknown signature", module, nil, savedmodel.Options{Signature: "predict"},
			"saved_model.pb", `no signature "predict" (available: "lookup", "second", "serving_default")`},
		{"unknown tags", tf1, nil, savedmodel.Options{Tags: []string{"gpu", "serve"}},
			"saved_model.pb", `no meta graph tagged "gpu,serve" (available tag sets: "serve", "train")`},
		{"missing shard", module, func(t *testing.T, d string) string {
			os.Remove(filepath.Join(d, "variables/variables.data-00000-of-00001"))
			return d
		}, savedmodel.Options{}, "variables/variables.data-00000-of-00001", "missing (variables.index names 1 shard)"},
		{"extra shard", module, func(t *testing.T, d string) string {
			os.WriteFile(filepath.Join(d, "variables/variables.data-00001-of-00002"), []byte("x"), 0o644)
			return d
		}, savedmodel.Options{}, "variables/variables.data-00001-of-00002", "unexpected data shard (variables.index names 1 shard)"},
		{"flipped byte in data", module, func(t *testing.T, d string) string {
			p := filepath.Join(d, "variables/variables.data-00000-of-00001")
			data, _ := os.ReadFile(p)
			data[10] ^= 0x40
			os.WriteFile(p, data, 0o644)
			return d
		}, savedmodel.Options{}, "variables/variables.data-00000-of-00001", "checksum mismatch"},
		{"truncated index", module, func(t *testing.T, d string) string {
			p := filepath.Join(d, "variables/variables.index")
			data, _ := os.ReadFile(p)
			os.WriteFile(p, data[:len(data)/2], 0o644)
			return d
		}, savedmodel.Options{}, "variables/variables.index", "bad table magic number"},
		{"no checkpoint entry", module, func(t *testing.T, d string) string {
			editSavedModel(t, d, func(mg *tfpb.MetaGraphDef) {
				nodes(mg, func(n *tfpb.NodeDef) {
					if n.GetName() == "RestoreV2/tensor_names" {
						n.GetAttr()["value"].GetTensor().StringVal[0] = []byte("w/.ATTRIBUTES/NOPE")
					}
				})
			})
			return d
		}, savedmodel.Options{}, "variables/variables.index", `no tensor "w/.ATTRIBUTES/NOPE" (the checkpoint key of variable "w")`},
		{"variable not restored", module, func(t *testing.T, d string) string {
			editSavedModel(t, d, func(mg *tfpb.MetaGraphDef) {
				for _, f := range mg.GetGraphDef().GetLibrary().GetFunction() {
					var keep []*tfpb.NodeDef
					for _, n := range f.GetNodeDef() {
						if n.GetOp() != "AssignVariableOp" || n.GetInput()[0] != "assignvariableop_w" {
							keep = append(keep, n)
						}
					}
					f.NodeDef = keep
					for _, n := range f.GetNodeDef() {
						var ins []string
						for _, in := range n.GetInput() {
							if in != "^AssignVariableOp" {
								ins = append(ins, in)
							}
						}
						n.Input = ins
					}
				}
			})
			return d
		}, savedmodel.Options{}, "saved_model.pb", `reads variable "w", but the saver's restore op "StatefulPartitionedCall_`},
		{"dtype mismatch", module, func(t *testing.T, d string) string {
			editSavedModel(t, d, func(mg *tfpb.MetaGraphDef) {
				nodes(mg, func(n *tfpb.NodeDef) {
					if n.GetName() == "w" {
						n.GetAttr()["dtype"] = &tfpb.AttrValue{Value: &tfpb.AttrValue_Type{Type: tfpb.DataType_DT_HALF}}
					}
				})
			})
			return d
		}, savedmodel.Options{}, "saved_model.pb", `variable "w" is of dtype DT_HALF in the graph (VarHandleOp), but its checkpoint tensor "w/.ATTRIBUTES/VARIABLE_VALUE" in`},
		{"shape mismatch", module, func(t *testing.T, d string) string {
			editSavedModel(t, d, func(mg *tfpb.MetaGraphDef) {
				nodes(mg, func(n *tfpb.NodeDef) {
					if n.GetName() == "w" {
						n.GetAttr()["shape"] = shape(6, 3)
					}
				})
			})
			return d
		}, savedmodel.Options{}, "saved_model.pb", `variable "w" is of shape [6,3] in the graph (VarHandleOp), but its checkpoint tensor "w/.ATTRIBUTES/VARIABLE_VALUE" in`},
		{"TF1 shape mismatch", tf1, func(t *testing.T, d string) string {
			editSavedModel(t, d, func(mg *tfpb.MetaGraphDef) {
				nodes(mg, func(n *tfpb.NodeDef) {
					if n.GetName() == "layer1/biases" {
						n.GetAttr()["shape"] = shape(9)
					}
				})
			})
			return d
		}, savedmodel.Options{}, "saved_model.pb", `variable "layer1/biases" is of shape [9] in the graph (VariableV2), but its checkpoint tensor "layer1/biases" in`},
		{"checkpoint without outputs", ckpt, func(t *testing.T, d string) string { return filepath.Join(d, "model") },
			savedmodel.Options{}, "model.meta", "the meta graph has no signatures; give the outputs"},
		{"checkpoint unknown output", ckpt, func(t *testing.T, d string) string { return filepath.Join(d, "model") },
			savedmodel.Options{Outputs: []string{"nope:0"}}, "model.meta", `no node named "nope"`},
		{"checkpoint without index", ckpt, func(t *testing.T, d string) string {
			os.Remove(filepath.Join(d, "model.index"))
			return filepath.Join(d, "model.meta")
		}, savedmodel.Options{Outputs: []string{"output:0"}}, "model.index", "missing (the checkpoint of"},
		{"checkpoint missing shard", ckpt, func(t *testing.T, d string) string {
			os.Remove(filepath.Join(d, "model.data-00001-of-00002"))
			return filepath.Join(d, "model")
		}, savedmodel.Options{Outputs: []string{"output:0"}}, "model.data-00001-of-00002", "missing (model.index names 2 shards)"},
		{"checkpoint dtype mismatch", ckpt, func(t *testing.T, d string) string {
			editMeta(t, filepath.Join(d, "model.meta"), func(mg *tfpb.MetaGraphDef) {
				nodes(mg, func(n *tfpb.NodeDef) {
					if n.GetName() == "layer2/w" {
						n.GetAttr()["dtype"] = &tfpb.AttrValue{Value: &tfpb.AttrValue_Type{Type: tfpb.DataType_DT_DOUBLE}}
					}
				})
			})
			return filepath.Join(d, "model")
		}, savedmodel.Options{Outputs: []string{"output:0"}}, "model.meta", `variable "layer2/w" is of dtype DT_DOUBLE in the graph (VarHandleOp)`},
		{"control flow", module, func(t *testing.T, d string) string {
			editSavedModel(t, d, func(mg *tfpb.MetaGraphDef) {
				nodes(mg, func(n *tfpb.NodeDef) {
					if n.GetOp() == "Tanh" {
						n.Op = "StatelessIf"
					}
				})
				ops := mg.GetMetaInfoDef().GetStrippedOpList()
				ops.Op = append(ops.Op, &tfpb.OpDef{Name: "StatelessIf", OutputArg: []*tfpb.OpDef_ArgDef{{Name: "y"}}})
			})
			return d
		}, savedmodel.Options{}, "saved_model.pb", `(StatelessIf) in function __inference_predict_`},
		{"not a SavedModel", module, func(t *testing.T, d string) string {
			os.WriteFile(filepath.Join(d, "saved_model.pb"), []byte("\xff\xff\xff garbage"), 0o644)
			return d
		}, savedmodel.Options{}, "saved_model.pb", "not a SavedModel"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := copyDir(t, c.src)
			path := dir
			if c.break_ != nil {
				path = c.break_(t, dir)
			}
			err := freezeAll(path, c.opts)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			file := filepath.Join(dir, c.file)
			if !strings.HasPrefix(msg, file+": ") {
				t.Errorf("error %q\ndoes not start with %s", msg, file)
			}
			if !strings.Contains(msg, c.want) {
				t.Errorf("error %q\ndoes not say %q", msg, c.want)
			}
			if c.name == "control flow" && !strings.HasSuffix(msg, "is needed by the outputs: control flow is not supported") {
				t.Errorf("error %q does not name control flow", msg)
			}
		})
	}
}

// TestOutputsOption freezes with outputs given by key and by tensor name.
func TestOutputsOption(t *testing.T) {
	path := filepath.Join(root, "module_two_sigs/model")
	fr, err := savedmodel.Freeze(path, savedmodel.Options{Outputs: []string{"z"}})
	if err != nil {
		t.Fatal(err)
	}
	defer fr.Close()
	if len(fr.Outputs) != 1 || fr.Outputs[0].Name != "z:0" {
		t.Fatalf("outputs %+v", fr.Outputs)
	}
	if h := fr.OpHistogram(); h["Split"] != 0 || h["Tanh"] != 1 {
		t.Errorf("outputs z only: histogram %v keeps the Split", h)
	}
	name := "StatefulPartitionedCall_1/StatefulPartitionedCall/StatefulPartitionedCall/Relu:0"
	fr2, err := savedmodel.Freeze(path, savedmodel.Options{Outputs: []string{name}})
	if err != nil {
		t.Fatal(err)
	}
	defer fr2.Close()
	if len(fr2.Outputs) != 1 || fr2.Outputs[0].Name != name || fr2.Variables != 2 {
		t.Fatalf("outputs %+v, %d variables", fr2.Outputs, fr2.Variables)
	}
	var buf bytes.Buffer
	if err := fr2.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(buf.String()), " ") // prototext randomizes spacing
	if !strings.Contains(text, `op: "Relu"`) || strings.Contains(text, `op: "Tanh"`) {
		t.Errorf("text graph:\n%s", buf.String())
	}
}

// TestOtherForms freezes a text-format SavedModel, a text .meta and a
// Saver directory (its "checkpoint" state file naming the prefix).
func TestOtherForms(t *testing.T) {
	text := copyDir(t, filepath.Join(root, "module_two_sigs/model"))
	data, _ := os.ReadFile(filepath.Join(text, "saved_model.pb"))
	sm := new(tfpb.SavedModel)
	if err := proto.Unmarshal(data, sm); err != nil {
		t.Fatal(err)
	}
	txt, _ := prototext.Marshal(sm)
	os.Remove(filepath.Join(text, "saved_model.pb"))
	os.WriteFile(filepath.Join(text, "saved_model.pbtxt"), txt, 0o644)

	ckpt := copyDir(t, filepath.Join(root, "tf1_checkpoint/ckpt"))
	os.WriteFile(filepath.Join(ckpt, "checkpoint"), []byte("model_checkpoint_path: \"model\"\nall_model_checkpoint_paths: \"model\"\n"), 0o644)
	textMeta := copyDir(t, filepath.Join(root, "tf1_checkpoint/ckpt"))
	data, _ = os.ReadFile(filepath.Join(textMeta, "model.meta"))
	mg := new(tfpb.MetaGraphDef)
	if err := proto.Unmarshal(data, mg); err != nil {
		t.Fatal(err)
	}
	txt, _ = prototext.Marshal(mg)
	os.WriteFile(filepath.Join(textMeta, "model.meta"), txt, 0o644)

	// An op unknown to the meta graph only matters if the outputs need it.
	unknownOp := copyDir(t, filepath.Join(root, "module_two_sigs/model"))
	editSavedModel(t, unknownOp, func(mg *tfpb.MetaGraphDef) {
		nodes(mg, func(n *tfpb.NodeDef) {
			if n.GetOp() == "Tanh" {
				n.Op = "NoSuchOp"
			}
		})
	})
	if err := freezeAll(unknownOp, savedmodel.Options{}); err == nil || !strings.Contains(err.Error(), `op NoSuchOp is not in the meta graph's stripped_op_list, so its output "y" cannot be numbered`) {
		t.Errorf("unknown op needed by output z: err %v", err)
	}

	for _, tc := range []struct {
		path string
		opts savedmodel.Options
	}{
		{unknownOp, savedmodel.Options{Outputs: []string{"y"}}},
		{text, savedmodel.Options{Signature: "second"}},
		{filepath.Join(text, "saved_model.pbtxt"), savedmodel.Options{}},
		{ckpt, savedmodel.Options{Outputs: []string{"output:0"}}},
		{filepath.Join(textMeta, "model"), savedmodel.Options{Outputs: []string{"output:0"}}},
	} {
		if err := freezeAll(tc.path, tc.opts); err != nil {
			t.Errorf("%s: %v", tc.path, err)
		}
	}
}
