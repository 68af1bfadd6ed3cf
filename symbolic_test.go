package tfc_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/trt/exec"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
)

// TestSymbolicSavedModel compiles a SavedModel whose signature has an
// unknown batch with that batch kept symbolic (through the whole pass
// pipeline), then runs the one program at TensorFlow's batch (2) against
// TensorFlow's outputs (on the interpreter, and lowered with a profile on
// the TensorRT reference executor), and at batches 1 and 5 against the
// static compiles of those batches.
func TestSymbolicSavedModel(t *testing.T) {
	const model = "testdata/savedmodels/keras_cnn/model"
	c, err := golden.Load("testdata/savedmodels/keras_cnn/serving_default")
	if err != nil {
		t.Fatal(err)
	}
	f, err := tfc.Load(model, tfc.LoadOptions{Symbolic: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Inputs()[0].Result().Type.String(); got != "f32[N,12,12,3]" {
		t.Fatalf("input type %s, want f32[N,12,12,3]", got)
	}
	if _, err := tfc.Optimize(f, passes.Options{VerifyEach: true}); err != nil {
		t.Fatal(err)
	}
	if got := f.Outputs[0].Value.Type.String(); got != "f32[N,5]" {
		t.Fatalf("output type %s, want f32[N,5]", got)
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
	rtol, atol := c.Tolerance(0)
	if d, err := golden.Compare(got[0], want[0], rtol, atol); err != nil || d.Bad > 0 {
		t.Errorf("batch 2 against TensorFlow: %v, %d bad", err, d.Bad)
	}

	// The same program as a TensorRT network with a dynamic batch, on the
	// reference executor.
	profile := ir.Profile{"image:0": {Min: tensor.Shape{1, 12, 12, 3}, Opt: tensor.Shape{4, 12, 12, 3}, Max: tensor.Shape{8, 12, 12, 3}}}
	d, err := tfc.Lower(f, profile)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Inputs[0].Dims.String(); got != "[-1,12,12,3]" {
		t.Errorf("network input dims %s, want [-1,12,12,3]", got)
	}
	ref, err := exec.Run(d, in)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := golden.Compare(ref[0], want[0], rtol, atol); err != nil || d.Bad > 0 {
		t.Errorf("trt-ref at batch 2 against TensorFlow: %v, %d bad", err, d.Bad)
	}

	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1, 5} {
		shape := tensor.Shape{n, 12, 12, 3}
		g, err := tfc.Load(model, tfc.LoadOptions{InputShapes: map[string]tensor.Shape{"image:0": shape}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tfc.Optimize(g, passes.Options{VerifyEach: true}); err != nil {
			t.Fatal(err)
		}
		x := make([]float32, shape.Size())
		for i := range x {
			x[i] = rng.Float32()
		}
		in := map[string]*tensor.Tensor{"image:0": tensor.FromF32(shape, x)}
		got, err := interp.Run(f, in)
		if err != nil {
			t.Fatal(err)
		}
		want, err := interp.Run(g, in)
		if err != nil {
			t.Fatal(err)
		}
		if d, err := golden.Compare(got[0], want[0], 1e-6, 1e-7); err != nil || d.Bad > 0 {
			t.Errorf("batch %d against the static compile: %v, %d bad", n, err, d.Bad)
		}
	}
}

// TestSymbolicShapeOp: the encoder with unknown batch and sequence
// length takes the shape of a symbolic value (Keras's Dense on [?,?,64]
// reshapes through its Tensordot): one symbolic compile, with shape
// values in the IR, matches TensorFlow at every case's batch and
// sequence length on the interpreter and, lowered once with a profile
// (shape tensors in the network), on the TensorRT reference executor.
func TestSymbolicShapeOp(t *testing.T) {
	f, err := tfc.Load("testdata/dynamic/encoder_dynamic_b3_s8/model.pb", tfc.LoadOptions{Symbolic: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tfc.Optimize(f, passes.Options{VerifyEach: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.String(), "dynamic_reshape(") || !strings.Contains(f.String(), "f32[N*S,64]") {
		t.Errorf("no dynamic_reshape to f32[N*S,64] in the program")
	}
	profile := ir.Profile{"x:0": {Min: tensor.Shape{1, 8, 64}, Opt: tensor.Shape{3, 8, 64}, Max: tensor.Shape{8, 32, 64}}}
	d, err := tfc.Lower(f, profile)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Inputs[0].Dims.String(); got != "[-1,-1,64]" {
		t.Errorf("network input dims %s, want [-1,-1,64]", got)
	}
	for _, dir := range []string{"encoder_dynamic_b1_s8", "encoder_dynamic_b3_s8", "encoder_dynamic_b3_s32", "encoder_dynamic_b8_s32"} {
		c, err := golden.Load("testdata/dynamic/" + dir)
		if err != nil {
			t.Fatal(err)
		}
		in, _ := c.ReadInputs()
		want, _ := c.ReadOutputs()
		got, err := interp.Run(f, in)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		rtol, atol := c.Tolerance(0)
		if d, err := golden.Compare(got[0], want[0], rtol, atol); err != nil || d.Bad > 0 {
			t.Errorf("%s against TensorFlow: %v, %d bad", dir, err, d.Bad)
		}
		ref, err := exec.Run(d, in)
		if err != nil {
			t.Fatalf("%s on trt-ref: %v", dir, err)
		}
		if d, err := golden.Compare(ref[0], want[0], rtol, atol); err != nil || d.Bad > 0 {
			t.Errorf("%s on trt-ref against TensorFlow: %v, %d bad", dir, err, d.Bad)
		}
	}
}

// TestSymbolicKerasWild: a Keras model of the shape idioms of dynamic
// models from the wild (learned positions gathered by arange(S),
// pre-norm MultiHeadAttention, x[:, 0], Conv1D "same" over S,
// GlobalAveragePooling1D, Reshape((-1, 8)) to a length 4*S, Flatten,
// Concatenate), exported with unknown batch and sequence length: one
// symbolic compile matches TensorFlow at three shapes on the interpreter
// and, lowered once with a profile spanning them, on the TensorRT
// reference executor.
func TestSymbolicKerasWild(t *testing.T) {
	dirs := []string{"keras_wild_dynamic_b1_s4", "keras_wild_dynamic_b3_s7", "keras_wild_dynamic_b5_s12"}
	profile := ir.Profile{"x:0": {Min: tensor.Shape{1, 4, 16}, Opt: tensor.Shape{3, 7, 16}, Max: tensor.Shape{5, 12, 16}}}
	f, err := tfc.Load("testdata/dynamic/"+dirs[0]+"/model.pb", tfc.LoadOptions{Symbolic: true, Profiles: []ir.Profile{profile}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tfc.Optimize(f, passes.Options{VerifyEach: true}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"f32[S,32]", "dynamic_slice(", "f32[N,4*S,8]"} {
		if !strings.Contains(f.String(), want) {
			t.Errorf("no %s in the program", want)
		}
	}
	d, err := tfc.Lower(f, profile)
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		c, err := golden.Load("testdata/dynamic/" + dir)
		if err != nil {
			t.Fatal(err)
		}
		in, _ := c.ReadInputs()
		want, _ := c.ReadOutputs()
		rtol, atol := c.Tolerance(0)
		got, err := interp.Run(f, in)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		if d, err := golden.Compare(got[0], want[0], rtol, atol); err != nil || d.Bad > 0 {
			t.Errorf("%s against TensorFlow: %v, %d bad", dir, err, d.Bad)
		}
		ref, err := exec.Run(d, in)
		if err != nil {
			t.Fatalf("%s on trt-ref: %v", dir, err)
		}
		if d, err := golden.Compare(ref[0], want[0], rtol, atol); err != nil || d.Bad > 0 {
			t.Errorf("%s on trt-ref against TensorFlow: %v, %d bad", dir, err, d.Bad)
		}
	}
}
