package trt

import (
	"bytes"
	"strings"
	"testing"
)

// instance records relu(x) reduced over axis 1 and reshaped by shape: the
// network at batch n.
func instance(t *testing.T, n int64, reshape Dims) *Description {
	t.Helper()
	r := NewRecorder()
	x := r.AddInput("x", Float, Dims{n, 4})
	a := r.AddActivation(x, Activation{Type: ActivationRelu})
	a.SetName("relu")
	red := r.AddReduce(a.Output(0), Reduce{Operation: ReduceSum, ReduceAxes: 2, KeepDimensions: true})
	red.SetName("sum")
	out := red.Output(0)
	if reshape != nil {
		s := r.AddShuffle(out, Shuffle{ReshapeDimensions: reshape})
		s.SetName("reshape")
		out = s.Output(0)
	}
	out.SetName("y")
	r.MarkOutput(out)
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return r.Description()
}

func TestDynamicNetwork(t *testing.T) {
	prof := []Profile{{{Input: "x", Min: Dims{1, 4}, Opt: Dims{2, 4}, Max: Dims{8, 4}}}}
	d, err := Generalize(instance(t, 2, nil), instance(t, 8, nil), prof)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Dynamic() {
		t.Fatal("not dynamic")
	}
	if err := Validate(d); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Print(&b, d); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`input %0 "x" kFLOAT [-1,4]`,
		`profile 0 "x" min [1,4] opt [2,4] max [8,4]`,
		`-> %2 "y" [-1,1] kFLOAT`,
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("printed network lacks %q:\n%s", want, b.String())
		}
	}
	inst, err := Specialize(d, map[string]Dims{"x": {5, 4}})
	if err != nil {
		t.Fatal(err)
	}
	if got := inst.Outputs[0].Dims; !got.Equal(Dims{5, 1}) || inst.Outputs[0].Name != "y" || inst.Layers[1].Name != "sum" {
		t.Errorf("instance at batch 5: output %q %v, layer %q", inst.Outputs[0].Name, got, inst.Layers[1].Name)
	}
	if k, err := ProfileFor(d, map[string]Dims{"x": {8, 4}}); err != nil || k != 0 {
		t.Errorf("ProfileFor(8) = %d, %v", k, err)
	}
	if _, err := ProfileFor(d, map[string]Dims{"x": {9, 4}}); err == nil || !strings.Contains(err.Error(), "x[9,4] are outside every optimization profile") {
		t.Errorf("ProfileFor(9) = %v", err)
	}
	if _, err := Specialize(d, map[string]Dims{"x": {5, 3}}); err == nil {
		t.Error("Specialize accepted a fixed dimension changed")
	}
}

func TestDynamicNetworkErrors(t *testing.T) {
	base := func() *Description {
		d, err := Generalize(instance(t, 2, nil), instance(t, 8, nil), nil)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, c := range []struct {
		name  string
		edit  func(d *Description)
		wants string
	}{
		{"no profile", func(d *Description) {}, "dynamic inputs but no optimization profile"},
		{"fixed dim", func(d *Description) {
			d.Profiles = []Profile{{{Input: "x", Min: Dims{1, 3}, Opt: Dims{2, 4}, Max: Dims{8, 4}}}}
		}, `profile 0: input "x": dimension 1 is fixed at 4`},
		{"order", func(d *Description) {
			d.Profiles = []Profile{{{Input: "x", Min: Dims{4, 4}, Opt: Dims{2, 4}, Max: Dims{8, 4}}}}
		}, `profile 0: input "x": dimension 0 has min 4, opt 2, max 8`},
		{"unknown input", func(d *Description) {
			d.Profiles = []Profile{{{Input: "z", Min: Dims{1, 4}, Opt: Dims{2, 4}, Max: Dims{8, 4}}}}
		}, `profile 0: "z" is not a dynamic input`},
		{"empty batch", func(d *Description) {
			d.Profiles = []Profile{{{Input: "x", Min: Dims{0, 4}, Opt: Dims{2, 4}, Max: Dims{8, 4}}}}
		}, ""},
	} {
		d := base()
		c.edit(d)
		err := Validate(d)
		if c.wants == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.wants) {
			t.Errorf("%s: Validate = %v, want %q", c.name, err, c.wants)
		}
	}
	// A parameter that holds the batch cannot be generalized.
	if _, err := Generalize(instance(t, 2, Dims{2}), instance(t, 8, Dims{8}), nil); err == nil ||
		!strings.Contains(err.Error(), `layer 2 "reshape" (Shuffle): its parameters depend on the dynamic sizes`) {
		t.Errorf("Generalize of batch-dependent reshapes: %v", err)
	}
	// Static networks have no profiles.
	d := instance(t, 2, nil)
	d.Profiles = []Profile{{}}
	if err := Validate(d); err == nil || !strings.Contains(err.Error(), "no dynamic input has optimization profiles") {
		t.Errorf("static network with a profile: %v", err)
	}
}

// TestRecordDynamicErrors: an input with a -1 dimension that profile 0
// does not give, and no profile at all, are errors.
func TestRecordDynamicErrors(t *testing.T) {
	build := func(n Network) error {
		x := n.AddInput("x", Float, Dims{-1, 4})
		n.MarkOutput(n.AddActivation(x, Activation{Type: ActivationRelu}).Output(0))
		return nil
	}
	if _, err := RecordDynamic(build, nil); err == nil || !strings.Contains(err.Error(), "needs an optimization profile") {
		t.Errorf("no profile: %v", err)
	}
	p := []Profile{{{Input: "y", Min: Dims{1, 4}, Opt: Dims{2, 4}, Max: Dims{8, 4}}}}
	if _, err := RecordDynamic(build, p); err == nil || !strings.Contains(err.Error(), `input "x" has dimensions [-1,4], but profile 0 gives it no shapes of rank 2`) {
		t.Errorf("input without shapes: %v", err)
	}
	p[0][0].Input = "x"
	d, err := RecordDynamic(build, p)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Inputs[0].Dims.Equal(Dims{-1, 4}) || !d.Outputs[0].Dims.Equal(Dims{-1, 4}) || len(d.Profiles) != 1 {
		t.Errorf("recorded %v → %v, %d profiles", d.Inputs[0].Dims, d.Outputs[0].Dims, len(d.Profiles))
	}
}
