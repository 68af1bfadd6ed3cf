package trt

import (
	"errors"
	"strings"
	"testing"
)

// handBuilt is a valid two-layer network built without the Recorder:
// x [1,4] -> Activation kRELU -> Reduce kSUM over dim 1 -> y [1].
func handBuilt() (*Description, *LayerDesc, *LayerDesc) {
	x := &TensorDesc{ID: 0, Name: "x", Type: Float, Dims: Dims{1, 4}}
	relu := &LayerDesc{ID: 0, Name: "relu", Type: LayerActivation, Inputs: []*TensorDesc{x}, Params: Activation{Type: ActivationRelu}}
	r := &TensorDesc{ID: 1, Name: "r", Type: Float, Dims: Dims{1, 4}, Producer: relu}
	relu.Outputs = []*TensorDesc{r}
	sum := &LayerDesc{ID: 1, Name: "sum", Type: LayerReduce, Inputs: []*TensorDesc{r}, Params: Reduce{Operation: ReduceSum, ReduceAxes: 0b10}}
	y := &TensorDesc{ID: 2, Name: "y", Type: Float, Dims: Dims{1}, Producer: sum}
	sum.Outputs = []*TensorDesc{y}
	return &Description{Inputs: []*TensorDesc{x}, Outputs: []*TensorDesc{y}, Layers: []*LayerDesc{relu, sum}}, relu, sum
}

func TestValidateGood(t *testing.T) {
	d, _, _ := handBuilt()
	if err := Validate(d); err != nil {
		t.Fatal(err)
	}
	n := sampleNetwork()
	if err := Validate(n.Description()); err != nil {
		t.Fatal(err)
	}
}

func TestValidateBad(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(d *Description, relu, sum *LayerDesc)
		want   []string
	}{
		{"order", func(d *Description, relu, sum *LayerDesc) {
			d.Layers[0], d.Layers[1] = sum, relu
			relu.ID, sum.ID = 1, 0
		}, []string{`layer 0 "sum" (Reduce): input 0 "r" is neither a network input nor an output of an earlier layer`}},
		{"duplicate-names", func(d *Description, relu, sum *LayerDesc) { sum.Name = "relu" },
			[]string{`layer 1 "relu" (Reduce): name is not unique: layer 0 has the same name`}},
		{"empty-name", func(d *Description, relu, sum *LayerDesc) { relu.Name = "" },
			[]string{`layer 0 "" (Activation): has an empty name`}},
		{"wrong-dims", func(d *Description, relu, sum *LayerDesc) { sum.Outputs[0].Dims = Dims{1, 1} },
			[]string{`layer 1 "sum" (Reduce): output 0 "y" has dimensions [1,1], the layer computes [1]`}},
		{"wrong-type", func(d *Description, relu, sum *LayerDesc) { relu.Outputs[0].Type = Half },
			[]string{`output 0 "r" has type kHALF, the layer computes kFLOAT`}},
		{"bad-params", func(d *Description, relu, sum *LayerDesc) { sum.Params = Reduce{ReduceAxes: 0b100} },
			[]string{`layer 1 "sum" (Reduce): reduce axes bitmask 0x4 names a dimension ≥ rank 2`}},
		{"params-type", func(d *Description, relu, sum *LayerDesc) { sum.Params = Activation{} },
			[]string{`parameters of type trt.Activation do not belong to a Reduce layer`}},
		{"no-outputs", func(d *Description, relu, sum *LayerDesc) { d.Outputs = nil },
			[]string{"the network has no outputs", `layer 1 "sum" (Reduce): is dead`}},
		{"output-is-input", func(d *Description, relu, sum *LayerDesc) { d.Outputs = append(d.Outputs, d.Inputs[0]) },
			[]string{`network output 1 "x": the name is also a network input's`, "marking an input as an output is an error"}},
		{"output-twice", func(d *Description, relu, sum *LayerDesc) { d.Outputs = append(d.Outputs, d.Outputs[0]) },
			[]string{`network output 1 "y": duplicate output name`, "is marked twice"}},
		{"foreign-output", func(d *Description, relu, sum *LayerDesc) {
			d.Outputs[0] = &TensorDesc{ID: 9, Name: "z", Type: Float, Dims: Dims{1}}
		}, []string{`network output 0 "z" is not a tensor of this network`, `layer 1 "sum" (Reduce): is dead`}},
		{"missing-input", func(d *Description, relu, sum *LayerDesc) { relu.Inputs = nil },
			[]string{`layer 0 "relu" (Activation): has 0 inputs, want 1`, "missing input 0"}},
		{"duplicate-ids", func(d *Description, relu, sum *LayerDesc) { sum.Outputs[0].ID = 1 },
			[]string{"tensor \"y\" has ID 1, already used by tensor \"r\""}},
		{"wrong-producer", func(d *Description, relu, sum *LayerDesc) { sum.Outputs[0].Producer = relu },
			[]string{`output 0 "y" does not record this layer as its producer`}},
		{"layer-id", func(d *Description, relu, sum *LayerDesc) { sum.ID = 7 },
			[]string{`layer 1 "sum" (Reduce): has ID 7, want its index 1`}},
		{"rank", func(d *Description, relu, sum *LayerDesc) {
			d.Inputs[0].Dims = Dims{1, 1, 1, 1, 1, 1, 1, 1, 4}
		}, []string{"network input 0: tensor \"x\" has rank 9 > MaxDims 8"}},
		{"input-names", func(d *Description, relu, sum *LayerDesc) {
			d.Inputs = append(d.Inputs, &TensorDesc{ID: 5, Name: "x", Type: Float, Dims: Dims{1}})
		}, []string{`network input 1: duplicate input name "x"`}},
	}
	for _, c := range cases {
		d, relu, sum := handBuilt()
		c.break_(d, relu, sum)
		err := Validate(d)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: %T is not a *ValidationError", c.name, err)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error\n%v\nwant it to contain %q", c.name, err, w)
			}
		}
	}
}

func TestValidateLimit(t *testing.T) {
	n := NewRecorder()
	x := n.AddInput("x", Float, Dims{2})
	for i := 0; i < 30; i++ {
		n.AddSoftMax(x, 0b11) // each is wrong and dead
	}
	err := Validate(n.Description())
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Errs) != MaxValidationErrors || !ve.Truncated {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "20 violations (more not shown)") {
		t.Errorf("summary: %v", strings.SplitN(err.Error(), "\n", 2)[0])
	}
	if err := Validate(nil); err == nil {
		t.Error("Validate(nil) = nil")
	}
}
