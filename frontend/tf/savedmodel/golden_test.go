package savedmodel_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/tfc-dev/tfc/frontend/tf"
	"github.com/tfc-dev/tfc/frontend/tf/savedmodel"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
)

var large = flag.Bool("large", false, "also check testdata/large/resnet50_savedmodel (make it with testdata/gen/generate.sh --resnet50-savedmodel)")

const root = "../../../testdata/savedmodels"

// smCase is a case of testdata/savedmodels: an internal/golden case plus
// the model, the signature and TensorFlow's frozen op histogram.
type smCase struct {
	*golden.Case
	ModelRel    string         `json:"model"`
	Signature   string         `json:"signature"`
	TFFrozenOps map[string]int `json:"tf_frozen_ops"`
}

func (c *smCase) model() string { return filepath.Join(c.Dir, c.ModelRel) }

func loadCases(t *testing.T, dirs ...string) []*smCase {
	t.Helper()
	var out []*smCase
	for _, d := range dirs {
		files, err := filepath.Glob(filepath.Join(d, "*", "*", "case.json"))
		if err != nil {
			t.Fatal(err)
		}
		more, _ := filepath.Glob(filepath.Join(d, "*", "case.json"))
		for _, f := range append(files, more...) {
			gc, err := golden.Load(filepath.Dir(f))
			if err != nil {
				t.Fatal(err)
			}
			c := &smCase{Case: gc}
			data, _ := os.ReadFile(f)
			if err := json.Unmarshal(data, c); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			c.Case = gc
			if c.Kind != "savedmodel" { // testdata/large also holds frozen-graph cases
				continue
			}
			out = append(out, c)
		}
	}
	return out
}

// ignoredOps are left out of the histogram comparison: TensorFlow's
// frozen graph keeps the Identity nodes of every function's returns and
// the NoOps that carried control dependencies; tfc drops control edges
// (and so the NoOps) and keeps only the Identity nodes on data paths, plus
// one per output named by the signature key.
var ignoredOps = map[string]bool{"Identity": true, "NoOp": true}

func histogram(h map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range h {
		if !ignoredOps[k] {
			out[k] = v
		}
	}
	return out
}

// TestTFModels freezes every SavedModel and checkpoint case of
// testdata/savedmodels, checks the frozen graph's inputs, outputs and op
// histogram against TensorFlow's, runs it with the interpreter and compares
// with TensorFlow's outputs. The frozen graph is also written in binary
// and text form and read back.
func TestTFModels(t *testing.T) {
	dirs := []string{root}
	if *large {
		dirs = append(dirs, "../../../testdata/large")
	}
	cases := loadCases(t, dirs...)
	if len(cases) < 6 {
		t.Fatalf("found %d cases under %s, want at least 6", len(cases), root)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			opts := savedmodel.Options{Signature: c.Signature, Warn: func(s string) { t.Log(s) }}
			if c.Signature == "" {
				opts.Outputs = c.OutputNames()
			}
			fr, err := savedmodel.Freeze(c.model(), opts)
			if err != nil {
				t.Fatal(err)
			}
			defer fr.Close()
			var ins, outs []string
			for _, in := range fr.Inputs {
				ins = append(ins, in.Name)
			}
			for _, o := range fr.Outputs {
				outs = append(outs, o.Name)
			}
			var wantIns []string
			for _, in := range c.Inputs {
				wantIns = append(wantIns, in.Name)
			}
			if !slices.Equal(ins, wantIns) || !slices.Equal(outs, c.OutputNames()) {
				t.Errorf("frozen graph has inputs %q and outputs %q; TF case %q and %q", ins, outs, wantIns, c.OutputNames())
			}
			got, want := histogram(fr.OpHistogram()), histogram(c.TFFrozenOps)
			if !maps.Equal(got, want) {
				t.Errorf("op histogram (without %v)\n tfc %v\n TF  %v", slices.Sorted(maps.Keys(ignoredOps)), got, want)
			}
			for _, n := range fr.Graph.GetNode() {
				if n.GetDevice() != "" || len(n.GetInput()) > 0 && strings.HasPrefix(n.GetInput()[len(n.GetInput())-1], "^") {
					t.Errorf("node %q keeps a device or control input", n.GetName())
				}
				for k := range n.GetAttr() {
					if strings.HasPrefix(k, "_") {
						t.Errorf("node %q keeps attribute %s", n.GetName(), k)
					}
				}
			}

			// In memory, weights read straight into the IR.
			f, err := tf.Import(fr.Graph, tf.Options{Name: "m", Outputs: outs, InputShapes: c.InputShapes(), Weights: fr.Weight})
			if err != nil {
				t.Fatal(err)
			}
			runAndCompare(t, c, f)

			// Written and read back: binary and text equal the materialized graph.
			full, err := fr.Materialize()
			if err != nil {
				t.Fatal(err)
			}
			var bin, text bytes.Buffer
			if err := fr.WriteBinary(&bin); err != nil {
				t.Fatal(err)
			}
			if want, _ := (proto.MarshalOptions{Deterministic: true}).Marshal(full); !bytes.Equal(bin.Bytes(), want) {
				t.Errorf("WriteBinary differs from proto.Marshal of the materialized graph (%d vs %d bytes)", bin.Len(), len(want))
			}
			if err := fr.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			for _, data := range [][]byte{bin.Bytes(), text.Bytes()} {
				g, err := tfpb.ParseGraphDef(data, "frozen")
				if err != nil {
					t.Fatal(err)
				}
				if !proto.Equal(g, full) {
					t.Fatalf("frozen graph read back (%d bytes) differs from the materialized one", len(data))
				}
			}
			f2, err := tf.Import(full, tf.Options{Name: "m", Outputs: outs, InputShapes: c.InputShapes()})
			if err != nil {
				t.Fatal(err)
			}
			runAndCompare(t, c, f2)
		})
	}
}

func runAndCompare(t *testing.T, c *smCase, f *ir.Func) {
	t.Helper()
	if err := ir.Verify(f); err != nil {
		t.Fatal(err)
	}
	in, err := c.ReadInputs()
	if err != nil {
		t.Fatal(err)
	}
	want, err := c.ReadOutputs()
	if err != nil {
		t.Fatal(err)
	}
	got, err := interp.Run(f, in)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		rtol, atol := c.Tolerance(i)
		d, err := golden.Compare(got[i], want[i], rtol, atol)
		if err != nil {
			t.Fatalf("output %s: %v", c.Outputs[i].Name, err)
		}
		if d.Bad > 0 {
			t.Errorf("output %s: %d of %d elements differ from TensorFlow (max abs err %.3g)", c.Outputs[i].Name, d.Bad, want[i].Len(), d.MaxAbs)
		}
	}
}

// TestSignatures checks the signature listing and default selection.
func TestSignatures(t *testing.T) {
	for _, tc := range []struct {
		path, tags string
		want       []string
	}{
		{"module_two_sigs/model", "", []string{"lookup", "second", "serving_default"}},
		{"keras_cnn/model", "serve", []string{"serve", "serving_default"}},
		{"tf1_builder/model", "", []string{"logits", "serving_default"}},
		{"tf1_builder/model", "train", nil},
		{"tf1_checkpoint/ckpt/model", "", nil},
	} {
		var tags []string
		if tc.tags != "" {
			tags = strings.Split(tc.tags, ",")
		}
		m, err := savedmodel.Open(filepath.Join(root, tc.path), tags)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Signatures(); !slices.Equal(got, tc.want) {
			t.Errorf("%s [%s]: signatures %q, want %q", tc.path, tc.tags, got, tc.want)
		}
	}
}

// TestDetect checks which paths are SavedModels or checkpoints.
func TestDetect(t *testing.T) {
	for path, want := range map[string]savedmodel.Kind{
		"keras_cnn/model":                      savedmodel.SavedModelDir,
		"keras_cnn/model/saved_model.pb":       savedmodel.SavedModelDir,
		"keras_cnn":                            savedmodel.NotModel,
		"tf1_checkpoint/ckpt/model":            savedmodel.Checkpoint,
		"tf1_checkpoint/ckpt/model.meta":       savedmodel.Checkpoint,
		"tf1_checkpoint/ckpt/model.index":      savedmodel.Checkpoint,
		"tf1_checkpoint/default/input_0.npy":   savedmodel.NotModel,
		"../models/mobilenetv2/model.pb":       savedmodel.NotModel,
		"keras_cnn/model/variables/variables":  savedmodel.NotModel,
		"tf1_checkpoint/ckpt/no-such-prefix":   savedmodel.NotModel,
		"keras_cnn/serving_default/case.json":  savedmodel.NotModel,
		"tf1_checkpoint/ckpt/model.data-00000": savedmodel.NotModel,
	} {
		if got := savedmodel.Detect(filepath.Join(root, path)); got != want {
			t.Errorf("Detect(%s) = %v, want %v", path, got, want)
		}
	}
}

func ExampleFreeze() {
	fr, err := savedmodel.Freeze("../../../testdata/savedmodels/module_two_sigs/model", savedmodel.Options{Signature: "second"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer fr.Close()
	for _, in := range fr.Inputs {
		fmt.Println("input", in.Key, in.Name, in.DType)
	}
	for _, o := range fr.Outputs {
		fmt.Println("output", o.Key, o.Name, o.DType)
	}
	fmt.Println(fr.Variables, "variables,", fr.WeightBytes, "bytes of weights")
	// Output:
	// input a a:0 DT_FLOAT
	// input c c:0 DT_FLOAT
	// output s s:0 DT_FLOAT
	// output t t:0 DT_FLOAT
	// 3 variables, 120 bytes of weights
}
