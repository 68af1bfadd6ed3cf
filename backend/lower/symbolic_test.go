package lower

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/backend/trt/exec"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

const symbolicRelu = "func @f {\n  %0 = input {name=\"x:0\"} : f32[N,4]\n  %1 = relu(%0) : f32[N,4]\n  return \"y\" = %1\n}\n"

func TestLowerSymbolic(t *testing.T) {
	f, err := ir.Parse("sym", []byte(symbolicRelu))
	if err != nil {
		t.Fatal(err)
	}
	if err := Lower(f, trt.NewRecorder()); err == nil || !strings.Contains(err.Error(), `input "x:0" has symbolic type f32[N,4]; use LowerDynamic`) {
		t.Errorf("Lower = %v", err)
	}
	if _, err := LowerDynamic(f, nil); err == nil || !strings.Contains(err.Error(), "give optimization profiles (-min-shapes, -opt-shapes, -max-shapes)") {
		t.Errorf("LowerDynamic without profiles = %v", err)
	}
	p := ir.Profile{"x:0": {Min: tensor.Shape{1, 4}, Opt: tensor.Shape{3, 4}, Max: tensor.Shape{3, 4}}}
	d, err := LowerDynamic(f, []ir.Profile{p})
	if err != nil {
		t.Fatal(err)
	}
	if err := trt.Validate(d); err != nil {
		t.Fatal(err)
	}
	if got := d.Inputs[0].Dims; !got.Equal(trt.Dims{-1, 4}) {
		t.Errorf("input dims %v, want [-1,4]", got)
	}
	if got := d.Profiles; len(got) != 1 || !got[0][0].Max.Equal(trt.Dims{3, 4}) || got[0][0].Input != "x:0" {
		t.Errorf("profiles %+v", got)
	}
}

// TestLowerShapeValues lowers the IR's shape-value program (shape,
// integer arithmetic on it, dynamic_reshape, dynamic_broadcast) with a
// profile: the network has shape tensors (IShapeLayer, Shuffle with a
// reshape input, Slice with a size input), validates at the profile's
// min, opt and max, and the reference executor computes exactly what the
// interpreter does at sizes inside the profile.
func TestLowerShapeValues(t *testing.T) {
	src, err := os.ReadFile("../../ir/testdata/shape_values.tfir")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ir.Parse("shape_values.tfir", src)
	if err != nil {
		t.Fatal(err)
	}
	row := tensor.MustNew(tensor.Float32, tensor.Shape{64})
	for i := range row.F32 {
		row.F32[i] = float32(i) - 20.5
	}
	for _, op := range f.Ops {
		if op.Opcode == ir.OpConst && ir.IsElided(op.Tensor("value")) {
			op.Attrs.Set("value", row)
		}
	}
	p := ir.Profile{"x:0": {Min: tensor.Shape{1, 1, 64}, Opt: tensor.Shape{2, 3, 64}, Max: tensor.Shape{4, 6, 64}}}
	d, err := LowerDynamic(f, []ir.Profile{p})
	if err != nil {
		t.Fatal(err)
	}
	if err := trt.Validate(d); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, l := range d.Layers {
		kinds[l.Type.String()+strconv.Itoa(len(l.Inputs))] = true
	}
	for _, k := range []string{"Shape1", "Shuffle2", "Slice3"} {
		if !kinds[k] {
			t.Errorf("no %s layer (kind and input count) in the network", k)
		}
	}
	for _, size := range [][2]int{{1, 1}, {3, 5}, {4, 2}, {2, 6}} {
		x := tensor.MustNew(tensor.Float32, tensor.Shape{size[0], size[1], 64})
		for i := range x.F32 {
			x.F32[i] = float32(i%97) * 0.25
		}
		in := map[string]*tensor.Tensor{"x:0": x}
		want, err := interp.Run(f, in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := exec.Run(d, in)
		if err != nil {
			t.Fatalf("%v: %v", size, err)
		}
		for i := range want {
			w := want[i]
			g := got[i]
			if w.DType == tensor.Int32 || w.DType == tensor.Int64 {
				g, _ = kernels.Cast(g, w.DType)
			}
			if !g.Shape.Equal(w.Shape) || !slices.Equal(g.F32, w.F32) || !slices.Equal(g.I64, w.I64) || !slices.Equal(g.I32, w.I32) {
				t.Errorf("%v: output %d = %v, want %v", size, i, g, w)
			}
		}
	}
	if _, err := exec.Run(d, map[string]*tensor.Tensor{"x:0": tensor.MustNew(tensor.Float32, tensor.Shape{5, 1, 64})}); err == nil {
		t.Errorf("a batch outside the profile ran")
	}
}

// TestShapeTensorRules: a layer that reads dimensions from a tensor needs
// a shape tensor whose values follow from dimensions and constants.
func TestShapeTensorRules(t *testing.T) {
	r := trt.NewRecorder()
	x := r.AddInput("x", trt.Float, trt.Dims{2, 6})
	s := r.AddInput("s", trt.Int32, trt.Dims{2})
	r.AddShuffle(x, trt.Shuffle{ReshapeTensor: s})
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), `reshape dimensions (input 1) "s" is not a shape tensor`) {
		t.Errorf("reshape from an input: %v", err)
	}
	r = trt.NewRecorder()
	x = r.AddInput("x", trt.Float, trt.Dims{2, 6})
	shape := r.AddShape(x).Output(0)
	three := r.AddConstant(trt.Dims{1}, trt.Weights{Type: trt.Int64, Count: 1, Values: []byte{3, 0, 0, 0, 0, 0, 0, 0}}).Output(0)
	dims := r.AddElementWise(shape, three, trt.ElementWiseFloorDiv).Output(0) // [0, 2]
	y := r.AddShuffle(x, trt.Shuffle{ReshapeTensor: dims})
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "reshape dimensions [0,2] (volume 0) do not match input [2,6] (volume 12)") {
		t.Errorf("reshape to [0,2]: %v, %v", err, y.Output(0).Dimensions())
	}
}

// TestDataDependentShapeValues: IShapeLayer of a NonZero's data-dependent
// count gives a value known only when the network runs (UnknownValue, not
// -1, which a reshape would read as "infer"); copies keep it, arithmetic
// propagates it, a reshape to it is data-dependent, and a Slice sized by
// it is refused.
func TestDataDependentShapeValues(t *testing.T) {
	r := trt.NewRecorder()
	x := r.AddInput("x", trt.Bool, trt.Dims{3, 2})
	cols := r.AddNonZero(x, trt.NonZero{IndicesType: trt.Int64}).Output(0) // [2, K]
	rows := r.AddShuffle(cols, trt.Shuffle{FirstTranspose: trt.Permutation{1, 0}}).Output(0)
	shape := r.AddShape(rows).Output(0)
	u := trt.UnknownValue
	if got := trt.TensorDescOf(shape).ShapeValues; !slices.Equal(got, []int64{u, 2}) {
		t.Errorf("shape of %v: values %v, want [UnknownValue, 2]", rows.Dimensions(), got)
	}
	two := r.AddConstant(trt.Dims{1}, trt.Weights{Type: trt.Int64, Count: 1, Values: []byte{2, 0, 0, 0, 0, 0, 0, 0}}).Output(0)
	prod := r.AddElementWise(shape, two, trt.ElementWiseProd).Output(0)
	if got := trt.TensorDescOf(prod).ShapeValues; !slices.Equal(got, []int64{u, 4}) {
		t.Errorf("shape * 2: values %v, want [UnknownValue, 4]", got)
	}
	all := r.AddReduce(shape, trt.Reduce{Operation: trt.ReduceProd, ReduceAxes: 1, KeepDimensions: true}).Output(0)
	flat := r.AddShuffle(rows, trt.Shuffle{ReshapeTensor: all}).Output(0)
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if got := flat.Dimensions(); !got.Equal(trt.Dims{trt.DataDependent}) {
		t.Errorf("reshape to prod(shape): %v, want [DataDependent]", got)
	}
	r.AddSlice(rows, trt.Slice{Start: trt.Dims{0, 0}, Stride: trt.Dims{1, 1}, SizeTensor: shape})
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "has data-dependent values") {
		t.Errorf("slice sized by a data-dependent shape: %v", err)
	}
}
