//go:build tensorrt || tensorrt_rtx

package tensorrt

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/passes"
	tfctensor "github.com/tfc-dev/tfc/tensor"
)

// TestDynamicEngine builds a real engine with an optimization profile: a
// SavedModel with an unknown batch, kept symbolic, lowered to a network
// with input [-1,12,12,3].
func TestDynamicEngine(t *testing.T) {
	needLibrary(t)
	f, err := tfc.Load("../../testdata/savedmodels/keras_cnn/model", tfc.LoadOptions{Symbolic: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := passes.Run(f, passes.Options{}); err != nil {
		t.Fatal(err)
	}
	p := ir.Profile{"image:0": {Min: tfctensor.Shape{1, 12, 12, 3}, Opt: tfctensor.Shape{4, 12, 12, 3}, Max: tfctensor.Shape{16, 12, 12, 3}}}
	d, err := tfc.Lower(f, p, p)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := OptimizeDescription(d, testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) == 0 {
		t.Fatal("empty plan")
	}
	s := NewSidecar(d)
	if len(s.Profiles) != 2 || s.Profiles[1].Profile != 1 || s.Profiles[0].Input != "image:0" || s.Profiles[0].Max[0] != 16 {
		t.Errorf("sidecar profiles %+v", s.Profiles)
	}
	// A profile TensorRT rejects (max below min) is the builder's error.
	d.Profiles[1][0].Min = trt.Dims{3, 12, 12, 3}
	d.Profiles[1][0].Max = trt.Dims{1, 12, 12, 3}
	if _, err := OptimizeDescription(d, testOptions(t)); err == nil || !strings.Contains(err.Error(), "tensorrt") {
		t.Errorf("bad profile: %v", err)
	}
}

// TestProfileFor checks how a dynamic engine picks the optimization
// profile for a run: the first whose ranges hold every input's shape;
// shapes outside all of them are an error naming the shapes and ranges.
func TestProfileFor(t *testing.T) {
	e := &Engine{
		io: []ioTensor{
			{TensorInfo: TensorInfo{Name: "x:0", Type: trt.Float, Shape: []int64{-1, 4, -1}}, input: true},
			{TensorInfo: TensorInfo{Name: "y:0", Type: trt.Float, Shape: []int64{-1, 4}}},
		},
		profiles: []ProfileInfo{
			{Profile: 0, Input: "x:0", Min: []int64{1, 4, 8}, Opt: []int64{1, 4, 8}, Max: []int64{1, 4, 8}},
			{Profile: 1, Input: "x:0", Min: []int64{2, 4, 1}, Opt: []int64{8, 4, 16}, Max: []int64{32, 4, 64}},
		},
	}
	if !e.Dynamic() {
		t.Fatal("an engine with a -1 input dimension is not Dynamic")
	}
	for _, tc := range []struct {
		shape []int64
		want  int
	}{
		{[]int64{1, 4, 8}, 0},
		{[]int64{2, 4, 8}, 1},
		{[]int64{32, 4, 1}, 1},
		{[]int64{32, 4, 64}, 1},
	} {
		k, err := e.profileFor(map[string][]int64{"x:0": tc.shape})
		if err != nil || k != tc.want {
			t.Errorf("shape %v: profile %d, %v; want %d", tc.shape, k, err, tc.want)
		}
	}
	for _, shape := range [][]int64{{1, 4, 9}, {33, 4, 8}, {2, 4, 0}, {2, 4}} {
		_, err := e.profileFor(map[string][]int64{"x:0": shape})
		if err == nil || !strings.Contains(err.Error(), "outside every optimization profile of the engine") ||
			!strings.Contains(err.Error(), "profile 1 x:0 min [2,4,1] max [32,4,64]") {
			t.Errorf("shape %v: %v", shape, err)
		}
	}
	if !shapeFits([]int64{3, 4, 5}, []int64{-1, 4, -1}) || shapeFits([]int64{3, 5, 5}, []int64{-1, 4, -1}) ||
		shapeFits([]int64{3, 4}, []int64{-1, 4, -1}) || shapeFits([]int64{-1, 4, 5}, []int64{-1, 4, -1}) {
		t.Error("shapeFits")
	}
}

// TestDynamicModelEngines builds real engines with optimization profiles
// for the shipped models with dynamic inputs (testdata/dynamic, TensorFlow's
// graphs with unknown dimensions): MobileNetV2 with a dynamic batch, with
// one profile and with two, the encoder with dynamic batch and sequence
// length (shape tensors), resnet_small with a dynamic batch, and the Keras
// model of shape idioms from the wild with dynamic batch and sequence
// length (keras_cnn: TestDynamicEngine).
func TestDynamicModelEngines(t *testing.T) {
	needLibrary(t)
	mnv2 := func(n int) tfctensor.Shape { return tfctensor.Shape{n, 96, 96, 3} }
	enc := func(n, s int) tfctensor.Shape { return tfctensor.Shape{n, s, 64} }
	rs := func(n int) tfctensor.Shape { return tfctensor.Shape{n, 64, 64, 3} }
	for _, m := range []struct {
		name     string
		model    string
		profiles []ir.Profile
	}{
		{"mobilenetv2/1", "mobilenetv2_dynamic_b1", []ir.Profile{{"x:0": {Min: mnv2(1), Opt: mnv2(4), Max: mnv2(16)}}}},
		{"mobilenetv2/2", "mobilenetv2_dynamic_b1", []ir.Profile{
			{"x:0": {Min: mnv2(1), Opt: mnv2(1), Max: mnv2(1)}},
			{"x:0": {Min: mnv2(2), Opt: mnv2(8), Max: mnv2(32)}}}},
		{"encoder", "encoder_dynamic_b1_s8", []ir.Profile{{"x:0": {Min: enc(1, 8), Opt: enc(4, 16), Max: enc(8, 32)}}}},
		{"resnet_small", "resnet_small_dynamic_b1", []ir.Profile{{"x:0": {Min: rs(1), Opt: rs(4), Max: rs(16)}}}},
		{"keras_wild", "keras_wild_dynamic_b1_s4", []ir.Profile{{"x:0": {Min: tfctensor.Shape{1, 4, 16}, Opt: tfctensor.Shape{3, 7, 16}, Max: tfctensor.Shape{5, 12, 16}}}}},
	} {
		t.Run(m.name, func(t *testing.T) {
			f, err := tfc.Load("../../testdata/dynamic/"+m.model+"/model.pb", tfc.LoadOptions{Symbolic: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := passes.Run(f, passes.Options{}); err != nil {
				t.Fatal(err)
			}
			d, err := tfc.Lower(f, m.profiles...)
			if err != nil {
				t.Fatal(err)
			}
			if !d.Dynamic() || len(d.Profiles) != len(m.profiles) {
				t.Fatalf("network: dynamic %v, %d profiles", d.Dynamic(), len(d.Profiles))
			}
			plan, err := OptimizeDescription(d, testOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			s := NewSidecar(d)
			last := m.profiles[len(m.profiles)-1]["x:0"].Max
			if len(s.Profiles) != len(m.profiles) || s.Inputs[0].Shape[0] != -1 || int(s.Profiles[len(s.Profiles)-1].Max[0]) != last[0] {
				t.Errorf("sidecar: inputs %+v, profiles %+v", s.Inputs, s.Profiles)
			}
			t.Logf("%d profiles: %d-byte plan", len(m.profiles), len(plan))
		})
	}
}

// TestDynamicOpEngines builds a real engine for each dynamic op graph of
// testdata/dynamic (dynop_*: one model.pb fed at several shapes), with one
// profile from the smallest to the largest of its shapes, as
// TestDynamicOpCases (package tfc) checks them against TensorFlow on the
// CPU: the shape tensors and the layers that read them (Shuffle, Slice,
// Fill, Resize, kWRAP slices from the end) must build in TensorRT itself.
// TensorRT-RTX has no INonZeroLayer: a graph with a Where must be refused
// with AddNonZero's message there.
func TestDynamicOpEngines(t *testing.T) {
	needLibrary(t)
	dirs, err := filepath.Glob("../../testdata/dynamic/dynop_*")
	if err != nil {
		t.Fatal(err)
	}
	type graph struct {
		dir     string
		profile ir.Profile
	}
	var graphs []*graph
	byModel := map[[32]byte]*graph{}
	for _, dir := range dirs {
		c, err := golden.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		pb, err := os.ReadFile(c.Model())
		if err != nil {
			t.Fatal(err)
		}
		g := byModel[sha256.Sum256(pb)]
		if g == nil {
			g = &graph{dir: dir, profile: ir.Profile{}}
			byModel[sha256.Sum256(pb)] = g
			graphs = append(graphs, g)
		}
		for _, in := range c.Inputs {
			s := tfctensor.Shape(in.Shape)
			r, ok := g.profile[in.Name]
			if !ok {
				g.profile[in.Name] = ir.ShapeRange{Min: s.Clone(), Opt: s.Clone(), Max: s.Clone()}
				continue
			}
			for i, d := range s {
				r.Min[i], r.Max[i] = min(r.Min[i], d), max(r.Max[i], d)
			}
		}
	}
	for _, g := range graphs {
		name := regexp.MustCompile(`(_[0-9]+(x[0-9]+)*)+$`).ReplaceAllString(filepath.Base(g.dir), "")
		t.Run(name, func(t *testing.T) {
			f, err := tfc.Load(filepath.Join(g.dir, "model.pb"), tfc.LoadOptions{Symbolic: true, Profiles: []ir.Profile{g.profile}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := passes.Run(f, passes.Options{}); err != nil {
				t.Fatal(err)
			}
			d, err := tfc.Lower(f, g.profile)
			if err != nil {
				t.Fatal(err)
			}
			_, err = OptimizeDescription(d, testOptions(t))
			if isRTX && slices.ContainsFunc(d.Layers, func(l *trt.LayerDesc) bool { return l.Type == trt.LayerNonZero }) {
				// A Where: INonZeroLayer, which TensorRT-RTX cannot build.
				if err == nil || !strings.Contains(err.Error(), "TensorRT-RTX has no implementation of INonZeroLayer") {
					t.Fatalf("TensorRT-RTX build: %v, want AddNonZero's refusal", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
