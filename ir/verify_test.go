package ir

import (
	"math"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

// verifyBase builds a small valid Func:
//
//	%0 = input {name="x"} : f32[2,3]
//	%1 = relu(%0) : f32[2,3] loc("r")
//	%2 = transpose(%1) {perm=[1,0]} : f32[3,2] loc("t")
//	%3, %4 = topk(%2) {axis=1, k=1} : f32[3,1], i32[3,1]
//	%5 = pad(%0) {mode="constant", pads=[0,0,1,1], value=0} : f32[3,4]
//	return "y" = %2, "z" = %3
func verifyBase(t *testing.T) *Func {
	b := newBuilder(t, "base")
	x := b.input("x", tensor.Float32, 2, 3)
	r := b.emit(OpRelu, []*Value{x}, nil, "r")
	tr := b.emit(OpTranspose, []*Value{r}, Attrs{"perm": []int{1, 0}}, "t")
	topk := b.op(OpTopK, []*Value{tr}, Attrs{"axis": 1, "k": 1}, "")
	b.emit(OpPad, []*Value{x}, Attrs{"mode": "constant", "pads": []int{0, 0, 1, 1}, "value": 0.0}, "")
	b.f.AddOutput("y", tr)
	b.f.AddOutput("z", topk.Results[0])
	if err := Verify(b.f); err != nil {
		t.Fatalf("base does not verify: %v", err)
	}
	return b.f
}

func TestVerifyErrors(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(f *Func)
		want   []string // the error's lines
	}{
		{"wrong result shape", func(f *Func) {
			f.Ops[1].Results[0].Type = TensorType(tensor.Float32, 3, 2)
		}, []string{`verify: %1 = relu loc("r"): result type is f32[3,2], want f32[2,3]`}},
		{"wrong result dtype", func(f *Func) {
			f.Ops[3].Results[1].Type.DType = tensor.Int64
		}, []string{`verify: %3, %4 = topk: result 1 has type i64[3,1], want i32[3,1]`}},
		{"wrong result count", func(f *Func) {
			f.Ops[3].Results = f.Ops[3].Results[:1]
		}, []string{`verify: %3 = topk: has 1 results, want 2`}},
		{"use before definition", func(f *Func) {
			f.Ops[1], f.Ops[2] = f.Ops[2], f.Ops[1]
		}, []string{`verify: %1 = transpose loc("t"): operand 0 (%2) is used before its definition`}},
		{"cycle", func(f *Func) {
			f.Ops[1].Args[0] = f.Ops[2].Results[0]
		}, []string{`verify: %1 = relu loc("r"): operand 0 (%2) is used before its definition`}},
		{"operand from another Func", func(f *Func) {
			g := NewFunc("g")
			f.Ops[1].Args[0] = g.Input("x", TensorType(tensor.Float32, 2, 3))
		}, []string{`verify: %1 = relu loc("r"): operand 0 is not defined in this function`}},
		{"operand of a removed op", func(f *Func) {
			f.Ops = append(f.Ops[:1], f.Ops[2:]...) // drop relu; transpose still uses it
		}, []string{`verify: %1 = transpose loc("t"): operand 0 is not defined in this function`}},
		{"nil operand", func(f *Func) {
			f.Ops[1].Args[0] = nil
		}, []string{`verify: %1 = relu loc("r"): operand 0 is nil`}},
		{"wrong operand count", func(f *Func) {
			f.Ops[1].Args = append(f.Ops[1].Args, f.Ops[0].Results[0])
		}, []string{`verify: %1 = relu loc("r"): relu takes 1 operands, has 2`}},
		{"nil op", func(f *Func) {
			f.Ops[4] = nil
		}, []string{`verify: op 4 is nil`}},
		{"invalid opcode", func(f *Func) {
			f.Ops[4].Opcode = 9999
		}, []string{`verify: %5 = Opcode(9999): invalid opcode 9999`}},
		{"op twice", func(f *Func) {
			f.Ops = append(f.Ops, f.Ops[1])
		}, []string{`verify: %1 = relu loc("r"): op appears more than once in the function (op 5)`}},
		{"value defined twice", func(f *Func) {
			f.Ops[4].Results[0] = f.Ops[1].Results[0]
		}, []string{`verify: %1 = pad: result 0 (%1) is already defined by an earlier op`}},
		{"bad Op back-pointer", func(f *Func) {
			f.Ops[1].Results[0].Op = f.Ops[2]
		}, []string{`verify: %1 = relu loc("r"): result 0 (%1): Value.Op points to another op`}},
		{"bad Index", func(f *Func) {
			f.Ops[3].Results[1].Index = 0
		}, []string{`verify: %3, %4 = topk: result 1 (%4): Value.Index is 0`}},
		{"nil result", func(f *Func) {
			f.Ops[1].Results[0] = nil
		}, []string{
			`verify: %nil = relu loc("r"): result 0 is nil`,
			`verify: %1 = transpose loc("t"): operand 0 is not defined in this function`,
		}},
		{"errors do not cascade", func(f *Func) {
			f.Ops[1].Results[0].Type = TensorType(tensor.Float32, 3, 2)
			f.Ops[2].Attrs.Set("perm", []int{0, 0})
			f.Append(&Op{Opcode: OpAdd, Args: []*Value{f.Ops[1].Results[0]}}, []Type{TensorType(tensor.Float32, 3, 2)})
		}, []string{
			`verify: %1 = relu loc("r"): result type is f32[3,2], want f32[2,3]`,
			`verify: %6 = add: add takes 2 operands, has 1`,
		}},
		{"duplicate ID", func(f *Func) {
			f.Ops[2].Results[0].ID = f.Ops[0].Results[0].ID
		}, []string{`verify: %2 = transpose loc("t"): result 0 (%2) has ID 0, like %0`}},
		{"duplicate input names", func(f *Func) {
			f.Input("x", TensorType(tensor.Float32, 1))
		}, []string{`verify: %6 = input: input name "x" is already used by %0`}},
		{"empty input name", func(f *Func) {
			f.Ops[0].Attrs.Set("name", "")
		}, []string{`verify: %0 = input: empty name`}},
		{"input with unknown dimension", func(f *Func) {
			// The ops using %0 are not checked against a non-static type
			// (reshape of an unknown shape would panic).
			f.Ops[0].Results[0].Type = Type{DType: tensor.Float32, Shape: tensor.Shape{2, -1}}
			f.Ops[1].Opcode, f.Ops[1].Attrs = OpReshape, Attrs{"shape": []int{6}}.List()
		}, []string{`verify: %0 = input: input "x" has unknown dimensions [2,?]`}},
		{"input of bad dtype", func(f *Func) {
			f.Ops[0].Results[0].Type.DType = tensor.Float64
		}, []string{`verify: %0 = input: input has element type f64, want one of [f32 f16 bf16 i32 i64 bool]`}},
		{"bad attribute kind", func(f *Func) {
			f.Ops[2].Attrs.Set("perm", 1)
		}, []string{`verify: %2 = transpose loc("t"): attribute "perm" is int, want ints`}},
		{"bad attribute kind float", func(f *Func) {
			f.Ops[4].Attrs.Set("value", float32(0))
		}, []string{`verify: %5 = pad: attribute "value" is float32, want float`}},
		{"bad enum", func(f *Func) {
			f.Ops[4].Attrs.Set("mode", "wrap")
		}, []string{`verify: %5 = pad: attribute mode="wrap" is not one of ["constant" "reflect" "symmetric" "edge"]`}},
		{"missing attribute", func(f *Func) {
			f.Ops[2].Attrs.Delete("perm")
		}, []string{`verify: %2 = transpose loc("t"): missing attribute "perm"`}},
		{"unknown attribute", func(f *Func) {
			f.Ops[1].Attrs = Attrs{"alpha": 0.5}.List()
		}, []string{`verify: %1 = relu loc("r"): unknown attribute "alpha"`}},
		{"attributes out of order", func(f *Func) {
			f.Ops[4].Attrs[0], f.Ops[4].Attrs[1] = f.Ops[4].Attrs[1], f.Ops[4].Attrs[0]
		}, []string{`verify: %5 = pad: attributes "pads" and "mode" are out of order or repeated (an AttrList is sorted by name)`}},
		{"bad attribute value", func(f *Func) {
			f.Ops[2].Attrs.Set("perm", []int{0, 0})
		}, []string{`verify: %2 = transpose loc("t"): perm: axis 0 repeated`}},
		{"empty output name", func(f *Func) {
			f.Outputs[1].Name = ""
		}, []string{`verify: output 1 has an empty name`}},
		{"duplicate output names", func(f *Func) {
			f.Outputs[1].Name = "y"
		}, []string{`verify: duplicate output name "y"`}},
		{"nil output", func(f *Func) {
			f.Outputs[0].Value = nil
		}, []string{`verify: output 0 "y": nil value`}},
		{"output from another Func", func(f *Func) {
			f.Outputs[0].Value = NewFunc("g").Input("x", TensorType(tensor.Float32, 2, 3))
		}, []string{`verify: output 0 "y": value is not defined in the function`}},
		{"several problems", func(f *Func) {
			f.Ops[1].Results[0].Type = TensorType(tensor.Float32, 3, 2)
			f.Ops[2].Attrs.Delete("perm")
			f.Outputs[1].Name = "y"
		}, []string{
			`verify: %1 = relu loc("r"): result type is f32[3,2], want f32[2,3]`,
			`verify: %2 = transpose loc("t"): missing attribute "perm"`,
			`verify: duplicate output name "y"`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := verifyBase(t)
			tc.mutate(f)
			err := Verify(f)
			if err == nil {
				t.Fatalf("Verify succeeded, want\n%s", strings.Join(tc.want, "\n"))
			}
			if got, want := err.Error(), strings.Join(tc.want, "\n"); got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
			_ = f.String() // printing a broken Func does not panic
		})
	}
}

func TestVerifyConstants(t *testing.T) {
	tests := []struct {
		t    *tensor.Tensor
		want string // "" if it verifies
	}{
		{&tensor.Tensor{DType: tensor.Int8, Shape: tensor.Shape{2}, I32: []int32{1, 300}}, `value: element 1 (300) is not representable in i8`},
		{&tensor.Tensor{DType: tensor.Uint8, Shape: tensor.Shape{1}, I32: []int32{-1}}, `value: element 0 (-1) is not representable in u8`},
		{&tensor.Tensor{DType: tensor.Int16, Shape: tensor.Shape{1}, I32: []int32{-32769}}, `value: element 0 (-32769) is not representable in i16`},
		{&tensor.Tensor{DType: tensor.Uint16, Shape: tensor.Shape{1}, I32: []int32{65536}}, `value: element 0 (65536) is not representable in u16`},
		{&tensor.Tensor{DType: tensor.Uint32, Shape: tensor.Shape{1}, I64: []int64{1 << 32}}, `value: element 0 (4294967296) is not representable in u32`},
		{&tensor.Tensor{DType: tensor.Float16, Shape: tensor.Shape{2}, F32: []float32{0.5, 0.1}}, `value: element 1 (0.1) is not representable in f16`},
		{&tensor.Tensor{DType: tensor.BFloat16, Shape: tensor.Shape{1}, F32: []float32{0.1}}, `value: element 0 (0.1) is not representable in bf16`},
		{tensor.FromF32(tensor.Shape{2, 3}, make([]float32, 5)), `f32[2,3] tensor holds 5 elements, want 6`},
		{&tensor.Tensor{DType: tensor.Invalid, Shape: tensor.Shape{2}}, `result 0 has type invalid[2], which is not a valid value type`},
		{&tensor.Tensor{DType: tensor.Invalid, Shape: tensor.Shape{0}}, `tensors of dtype invalid are not supported`},
		{nil, `nil value`},
		// These verify.
		{&tensor.Tensor{DType: tensor.Uint32, Shape: tensor.Shape{1}, I64: []int64{1<<32 - 1}}, ``},
		{&tensor.Tensor{DType: tensor.Float16, Shape: tensor.Shape{3}, F32: []float32{65504, float32(math.NaN()), float32(math.Inf(-1))}}, ``},
		{&tensor.Tensor{DType: tensor.Float64, Shape: tensor.Shape{1}, F64: []float64{0.1}}, ``},
		{&tensor.Tensor{DType: tensor.Float32, Shape: tensor.Shape{1 << 20, 1 << 20}}, ``}, // elided
		{&tensor.Tensor{DType: tensor.Bool, Shape: tensor.Shape{0}}, ``},
	}
	for _, tc := range tests {
		f := NewFunc("c")
		op := &Op{Opcode: OpConst, Attrs: Attrs{"value": tc.t}.List()}
		typ := Type{DType: tensor.Float32, Shape: tensor.Shape{1}}
		if tc.t != nil {
			typ = Type{DType: tc.t.DType, Shape: tc.t.Shape.Clone()}
		}
		f.Append(op, []Type{typ})
		err := Verify(f)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: %v", tc.t, err)
		case tc.want != "" && err == nil:
			t.Errorf("%v verifies, want %s", tc.t, tc.want)
		case tc.want != "" && err.Error() != "verify: %0 = const: "+tc.want:
			t.Errorf("%v: got %v, want %s", tc.t, err, tc.want)
		}
	}
}

// TestVerifyConvMessage checks the message format of the package's
// documented example.
func TestVerifyConvMessage(t *testing.T) {
	f := NewFunc("conv")
	x := f.Input("x", TensorType(tensor.Float32, 1, 4, 8, 8))
	w := f.Const(&tensor.Tensor{DType: tensor.Float32, Shape: tensor.Shape{64, 3, 7, 7}}, "conv1/kernel")
	for range 11 {
		f.Append(&Op{Opcode: OpAdd, Args: []*Value{x, x}, Attrs: Attrs{}.List()}, []Type{x.Type})
	}
	f.Append(&Op{Opcode: OpConv, Args: []*Value{x, w}, Loc: "conv1/Conv2D",
		Attrs: Attrs{"strides": []int{1, 1}, "dilations": []int{1, 1}, "pads": []int{3, 3, 3, 3}, "groups": 1}.List()},
		[]Type{TensorType(tensor.Float32, 1, 64, 8, 8)})
	want := `verify: %13 = conv loc("conv1/Conv2D"): kernel [64,3,7,7] has 3 input channels per group, input has 4 channels in 1 groups`
	if err := Verify(f); err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestVerifyTooManyErrors(t *testing.T) {
	f := NewFunc("many")
	x := f.Input("x", TensorType(tensor.Float32, 2))
	for range 15 {
		f.Append(&Op{Opcode: OpRelu, Args: []*Value{x}, Attrs: Attrs{}.List()}, []Type{TensorType(tensor.Float32, 3)})
	}
	err := Verify(f)
	if err == nil {
		t.Fatal("Verify succeeded")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 11 || lines[10] != "verify: too many errors" || lines[9] != "verify: %10 = relu: result type is f32[3], want f32[2]" {
		t.Errorf("got %d lines:\n%v", len(lines), err)
	}
	if err := Verify(nil); err == nil {
		t.Error("Verify(nil) succeeded")
	}
}

func TestVerifyEmpty(t *testing.T) {
	if err := Verify(NewFunc("")); err != nil {
		t.Error(err)
	}
}
