package interp

import (
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

func ramp(dt tensor.DType, shape ...int) *tensor.Tensor {
	t := tensor.MustNew(dt, shape)
	for i := range t.Len() {
		switch dt.Storage() {
		case tensor.StoreF32:
			t.F32[i] = float32(i%7) * 0.25
		case tensor.StoreI32:
			t.I32[i] = int32(i%5 + 1)
		case tensor.StoreI64:
			t.I64[i] = int64(i%5 + 1)
		case tensor.StoreBool:
			t.B[i] = i%2 == 0
		}
	}
	t.RoundToDType()
	return t
}

type opCase struct {
	args    []*tensor.Tensor
	attrs   ir.Attrs
	regions []*ir.Func // while, if
	// allConst makes operand 0 a constant too (range: its start must be
	// a shape value); the Func then has no input.
	allConst bool
}

// regionsOf returns the regions of the first op with regions in the IR text src.
func regionsOf(src string) []*ir.Func {
	f, err := ir.Parse("regions.tfir", []byte(src))
	if err != nil {
		panic(err)
	}
	for _, op := range f.Ops {
		if len(op.Regions) > 0 {
			return op.Regions
		}
	}
	panic("no regions")
}

// opCases returns one small valid use of every opcode but input and const.
func opCases() map[ir.Opcode]opCase {
	f32 := tensor.Float32
	cs := map[ir.Opcode]opCase{}
	for _, opc := range []ir.Opcode{ir.OpAdd, ir.OpSub, ir.OpMul, ir.OpDiv, ir.OpFloorDiv, ir.OpFloorMod, ir.OpPow,
		ir.OpMax, ir.OpMin, ir.OpEqual, ir.OpNotEqual, ir.OpLess, ir.OpLessEqual, ir.OpGreater, ir.OpGreaterEqual} {
		cs[opc] = opCase{args: []*tensor.Tensor{ramp(tensor.Int32, 2, 3), ramp(tensor.Int32, 3)}}
	}
	for _, opc := range []ir.Opcode{ir.OpAnd, ir.OpOr, ir.OpXor} {
		cs[opc] = opCase{args: []*tensor.Tensor{ramp(tensor.Bool, 2, 2), ramp(tensor.Bool, 2)}}
	}
	cs[ir.OpSelect] = opCase{args: []*tensor.Tensor{ramp(tensor.Bool, 2, 3), ramp(f32, 2, 3), ramp(f32)}}
	cs[ir.OpPRelu] = opCase{args: []*tensor.Tensor{ramp(tensor.Float16, 2, 3), ramp(tensor.Float16, 3)}}
	cs[ir.OpL2Normalize] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3)}, attrs: ir.Attrs{"axes": []int{1}, "epsilon": 1e-12}}
	for _, opc := range ir.Opcodes() {
		if opc.Info().Family != "unary" {
			continue
		}
		attrs := ir.Attrs{}
		for _, a := range opc.Info().Attrs {
			attrs[a.Name] = 0.5
			if a.Kind == ir.AttrString {
				attrs[a.Name] = a.Enum[0]
			}
		}
		if opc == ir.OpClamp {
			attrs["min"], attrs["max"] = -1.0, 1.0
		}
		x := ramp(tensor.Float16, 2, 3)
		if opc == ir.OpNot {
			x = ramp(tensor.Bool, 2, 3)
		}
		cs[opc] = opCase{args: []*tensor.Tensor{x}, attrs: attrs}
	}
	cs[ir.OpCast] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3)}, attrs: ir.Attrs{"to": tensor.Int64}}
	convAttrs := func(s, p int) ir.Attrs {
		return ir.Attrs{"strides": []int{s, s}, "dilations": []int{1, 1}, "pads": []int{p, p, p, p}, "groups": 1}
	}
	cs[ir.OpConv] = opCase{args: []*tensor.Tensor{ramp(f32, 1, 2, 5, 5), ramp(f32, 4, 2, 3, 3), ramp(f32, 4)}, attrs: convAttrs(1, 1)}
	cs[ir.OpConvTranspose] = opCase{args: []*tensor.Tensor{ramp(f32, 1, 2, 3, 3), ramp(f32, 2, 3, 2, 2)}, attrs: convAttrs(2, 0)}
	cs[ir.OpMatMul] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3), ramp(f32, 4, 3)}, attrs: ir.Attrs{"transpose_a": false, "transpose_b": true}}
	cs[ir.OpEinsum] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3), ramp(f32, 3, 4)}, attrs: ir.Attrs{"equation": "ij,jk->ki"}}
	cs[ir.OpPool] = opCase{args: []*tensor.Tensor{ramp(f32, 1, 1, 4, 4)}, attrs: ir.Attrs{"kind": "avg", "window": []int{2, 2},
		"strides": []int{2, 2}, "pads": []int{0, 0, 1, 1}, "count_include_pad": false}}
	cs[ir.OpReduce] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3)}, attrs: ir.Attrs{"kind": "sum", "axes": []int{1}, "keep_dims": true}}
	for _, opc := range []ir.Opcode{ir.OpArgMax, ir.OpArgMin} {
		cs[opc] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3)}, attrs: ir.Attrs{"axis": 1, "keep_dims": false, "index_type": tensor.Int32}}
	}
	cs[ir.OpTopK] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3)}, attrs: ir.Attrs{"axis": 1, "k": 2}}
	cs[ir.OpSoftmax] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3)}, attrs: ir.Attrs{"axis": 0}}
	cs[ir.OpLogSoftmax] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3)}, attrs: ir.Attrs{"axis": 1}}
	cs[ir.OpReshape] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3)}, attrs: ir.Attrs{"shape": []int{3, 1, 2}}}
	cs[ir.OpTranspose] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3)}, attrs: ir.Attrs{"perm": []int{1, 0}}}
	cs[ir.OpConcat] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3), ramp(f32, 1, 3)}, attrs: ir.Attrs{"axis": 0}}
	cs[ir.OpSlice] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3)}, attrs: ir.Attrs{"start": []int{1, 2}, "size": []int{1, 2}, "stride": []int{1, -2}}}
	cs[ir.OpPad] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3)}, attrs: ir.Attrs{"mode": "reflect", "pads": []int{1, 0, 0, 2}, "value": 0.0}}
	cs[ir.OpTile] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3)}, attrs: ir.Attrs{"multiples": []int{2, 1}}}
	cs[ir.OpBroadcast] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 1)}, attrs: ir.Attrs{"shape": []int{4, 2, 3}}}
	cs[ir.OpGather] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3), tensor.FromI64([]int{2, 2}, []int64{0, 2, 1, 1})}, attrs: ir.Attrs{"axis": 1, "batch_dims": 0}}
	cs[ir.OpGatherND] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3), tensor.FromI64([]int{2, 2}, []int64{0, 2, 1, 1})}, attrs: ir.Attrs{"batch_dims": 0}}
	cs[ir.OpNonZero] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3)}, attrs: ir.Attrs{"count": "K"}}
	cs[ir.OpScatterND] = opCase{args: []*tensor.Tensor{tensor.FromI64([]int{3, 1}, []int64{1, 0, 1}), ramp(f32, 3, 3)}, attrs: ir.Attrs{"shape": []int{2, 3}}}
	cs[ir.OpCumulative] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3)}, attrs: ir.Attrs{"kind": "prod", "axis": 1, "exclusive": true, "reverse": true}}
	cs[ir.OpResize] = opCase{args: []*tensor.Tensor{ramp(f32, 1, 1, 3, 4)}, attrs: ir.Attrs{"mode": "linear", "coord": "half_pixel",
		"nearest_rounding": "floor", "shape": []int{1, 1, 6, 5}}}
	cs[ir.OpCropAndResize] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3, 4, 2), tensor.FromF32([]int{2, 4}, []float32{0, 0, 1, 1, 0.9, -0.2, 0.1, 1.3}),
		tensor.FromI32([]int{2}, []int32{1, 0})}, attrs: ir.Attrs{"mode": "bilinear", "crop_size": []int{3, 2}, "extrapolation_value": -1.0}}
	cs[ir.OpShape] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3)}, attrs: ir.Attrs{"dtype": tensor.Int32}}
	cs[ir.OpDynamicReshape] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3), tensor.FromI64([]int{3}, []int64{3, -1, 1})}}
	cs[ir.OpDynamicTile] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3), tensor.FromI32([]int{2}, []int32{2, 1})}}
	cs[ir.OpDynamicResize] = opCase{args: []*tensor.Tensor{ramp(f32, 1, 3, 4, 1), tensor.FromI64([]int{4}, []int64{1, 6, 5, 1})},
		attrs: ir.Attrs{"mode": "linear", "coord": "half_pixel", "nearest_rounding": "floor"}}
	cs[ir.OpRange] = opCase{args: []*tensor.Tensor{tensor.FromI32([]int{}, []int32{1}), tensor.FromI32([]int{}, []int32{8}), tensor.FromI32([]int{}, []int32{3})}, allConst: true}
	cs[ir.OpDynamicSlice] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3), tensor.FromI64([]int{2}, []int64{1, 2})}, attrs: ir.Attrs{"start": []int{1, 2}, "stride": []int{1, -2}}}
	cs[ir.OpDynamicBroadcast] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 1), tensor.FromI32([]int{3}, []int32{4, 2, 3})}}
	nmsBoxes := tensor.FromF32([]int{4, 4}, []float32{0, 0, 1, 1, 0.1, 0, 1.1, 1, 1, 1, 0.5, 0.5, 0, 0, 0.2, 0.2})
	cs[ir.OpNonMaxSuppression] = opCase{args: []*tensor.Tensor{nmsBoxes, tensor.FromF32([]int{4}, []float32{0.9, 0.8, 0.7, 0.1})},
		attrs: ir.Attrs{"max_output_size": 3, "iou_threshold": 0.5, "score_threshold": 0.2}}
	cs[ir.OpCombinedNonMaxSuppression] = opCase{args: []*tensor.Tensor{tensor.FromF32([]int{1, 4, 1, 4}, nmsBoxes.F32), ramp(f32, 1, 4, 2)},
		attrs: ir.Attrs{"max_per_class": 2, "max_total": 3, "pad_per_class": false, "clip_boxes": true, "iou_threshold": 0.5, "score_threshold": 0.0}}
	scales := tensor.FromF32([]int{3}, []float32{0.5, 0.25, 1})
	zps := tensor.FromI32([]int{3}, []int32{0, 3, -1})
	cs[ir.OpQuantize] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3), scales, zps}, attrs: ir.Attrs{"axis": 1, "qmin": -128, "qmax": 127, "round": "half_even", "type": "int"}}
	cs[ir.OpDequantize] = opCase{args: []*tensor.Tensor{ramp(tensor.Int32, 2, 3), scales, zps}, attrs: ir.Attrs{"axis": 1}}
	// Double x until its sum exceeds 100.
	cs[ir.OpWhile] = opCase{args: []*tensor.Tensor{ramp(f32, 2, 3)}, regions: regionsOf(`func @f {
  %0 = input {name="x"} : f32[2,3]
  %1 = while(%0) : f32[2,3] {
    func @cond {
      %0 = input {name="x"} : f32[2,3]
      %1 = reduce(%0) {kind="sum", axes=[0,1], keep_dims=false} : f32[]
      %2 = const {value=dense<[100]>} : f32[]
      %3 = less(%1, %2) : bool[]
      return "c" = %3
    }
    func @body {
      %0 = input {name="x"} : f32[2,3]
      %1 = add(%0, %0) : f32[2,3]
      return "x" = %1
    }
  }
  return "y" = %1
}`)}
	cs[ir.OpIf] = opCase{args: []*tensor.Tensor{tensor.FromBool([]int{}, []bool{false}), ramp(f32, 2, 3)}, regions: regionsOf(`func @f {
  %0 = input {name="p"} : bool[]
  %1 = input {name="x"} : f32[2,3]
  %2 = if(%0, %1) : f32[3] {
    func @then {
      %0 = input {name="x"} : f32[2,3]
      %1 = reduce(%0) {kind="max", axes=[0], keep_dims=false} : f32[3]
      return "y" = %1
    }
    func @else {
      %0 = input {name="x"} : f32[2,3]
      %1 = reduce(%0) {kind="sum", axes=[0], keep_dims=false} : f32[3]
      return "y" = %1
    }
  }
  return "y" = %2
}`)}
	return cs
}

// TestEveryOpcode runs every opcode once, its first operand an input and
// the others constants, and checks the results have the inferred types.
func TestEveryOpcode(t *testing.T) {
	cases := opCases()
	for _, opc := range ir.Opcodes() {
		if opc == ir.OpInput || opc == ir.OpConst {
			continue
		}
		c, ok := cases[opc]
		if !ok {
			t.Errorf("%s: no test case", opc)
			continue
		}
		t.Run(opc.String(), func(t *testing.T) {
			f := ir.NewFunc("f")
			x := c.args[0]
			var args []*ir.Value
			if c.allConst {
				args = []*ir.Value{f.Const(x, "c")}
			} else {
				args = []*ir.Value{f.Input("x:0", ir.Type{DType: x.DType, Shape: x.Shape})}
			}
			for _, a := range c.args[1:] {
				args = append(args, f.Const(a, "c"))
			}
			var op *ir.Op
			var err error
			if c.regions != nil {
				op, err = f.NewRegionOp(opc, args, c.regions, "node")
			} else {
				op, err = f.NewOp(opc, args, c.attrs, "node")
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range op.Results {
				f.AddOutput("out"+string(rune('0'+i)), r)
			}
			in := map[string]*tensor.Tensor{"x:0": x}
			if c.allConst {
				in = nil
			}
			outs, err := Run(f, in)
			if err != nil {
				t.Fatal(err)
			}
			data := map[string]int64{} // nonzero's count
			if opc == ir.OpNonZero {
				data["K"] = int64(outs[0].Shape[0])
			}
			for i, r := range op.Results {
				if outs[i].DType != r.Type.DType || !sameShape(outs[i].Shape, r.Type, data) {
					t.Errorf("result %d is %v, inferred %v", i, outs[i], r.Type)
				}
				if err := outs[i].Check(); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func TestRunValues(t *testing.T) {
	// y = relu(x @ w + b) with trivially checkable numbers.
	f := ir.NewFunc("f")
	x := f.Input("x:0", ir.TensorType(tensor.Float32, 1, 2))
	w := f.Const(tensor.FromF32(tensor.Shape{2, 2}, []float32{1, 0, 0, 1}), "w")
	b := f.Const(tensor.FromF32(tensor.Shape{2}, []float32{1, -10}), "b")
	mm, err := f.Emit(ir.OpMatMul, []*ir.Value{x, w}, ir.Attrs{"transpose_a": false, "transpose_b": false}, "mm")
	if err != nil {
		t.Fatal(err)
	}
	add, err := f.Emit(ir.OpAdd, []*ir.Value{mm, b}, nil, "add")
	if err != nil {
		t.Fatal(err)
	}
	y, err := f.Emit(ir.OpRelu, []*ir.Value{add}, nil, "relu")
	if err != nil {
		t.Fatal(err)
	}
	f.AddOutput("y:0", y)
	f.AddOutput("mm:0", mm)
	f.AddOutput("x:0", x)
	in := tensor.FromF32(tensor.Shape{1, 2}, []float32{2, 3})
	var traced []string
	outs, err := RunWithOptions(f, map[string]*tensor.Tensor{"x:0": in}, Options{
		Trace: func(op *ir.Op, res []*tensor.Tensor) { traced = append(traced, op.Opcode.String()) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := outs[0].F32; got[0] != 3 || got[1] != 0 {
		t.Errorf("y = %v, want [3 0]", got)
	}
	if got := outs[1].F32; got[0] != 2 || got[1] != 3 {
		t.Errorf("mm = %v, want [2 3]", got)
	}
	if &outs[2].F32[0] == &in.F32[0] {
		t.Error("output aliases an input")
	}
	if strings.Join(traced, ",") != "input,const,const,matmul,add,relu" {
		t.Errorf("trace %v", traced)
	}
}

func TestRunInputErrors(t *testing.T) {
	f := ir.NewFunc("f")
	x := f.Input("x:0", ir.TensorType(tensor.Float32, 2))
	f.AddOutput("y", x)
	good := tensor.FromF32(tensor.Shape{2}, []float32{1, 2})
	for _, c := range []struct {
		in   map[string]*tensor.Tensor
		want string
	}{
		{map[string]*tensor.Tensor{}, `input "x:0" (f32[2]) is missing`},
		{map[string]*tensor.Tensor{"x:0": tensor.FromF32(tensor.Shape{3}, []float32{1, 2, 3})}, `input "x:0": expected f32[2], got f32[3]`},
		{map[string]*tensor.Tensor{"x:0": tensor.FromI32(tensor.Shape{2}, []int32{1, 2})}, `input "x:0": expected f32[2], got i32[2]`},
		{map[string]*tensor.Tensor{"x:0": good, "z:0": good}, `unknown inputs "z:0"`},
	} {
		_, err := Run(f, c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got error %v, want %q", err, c.want)
		}
	}
}

func TestRunErrors(t *testing.T) {
	// Elided constants cannot be evaluated.
	f := ir.NewFunc("f")
	c := f.Const(&tensor.Tensor{DType: tensor.Float32, Shape: tensor.Shape{2}}, "big")
	f.AddOutput("c", c)
	if _, err := Run(f, nil); err == nil || !strings.Contains(err.Error(), "constant elided in text form") {
		t.Errorf("elided constant: %v", err)
	}
	// Runtime errors name the op.
	f = ir.NewFunc("f")
	x := f.Input("x:0", ir.TensorType(tensor.Int32, 2))
	z := f.Const(tensor.FromI32(tensor.Shape{}, []int32{0}), "zero")
	d, err := f.Emit(ir.OpDiv, []*ir.Value{x, z}, nil, "my/div")
	if err != nil {
		t.Fatal(err)
	}
	f.AddOutput("d", d)
	_, err = Run(f, map[string]*tensor.Tensor{"x:0": tensor.FromI32(tensor.Shape{2}, []int32{1, 2})})
	if err == nil || !strings.Contains(err.Error(), `div loc("my/div"): div: integer division by zero`) {
		t.Errorf("division by zero: %v", err)
	}
}

func TestEvalOp(t *testing.T) {
	// Shape arithmetic as the frontend does it: no Func needed.
	op := &ir.Op{Opcode: ir.OpMul, Attrs: ir.Attrs{}.List(), Loc: "n"}
	res, err := EvalOp(op, []*tensor.Tensor{
		tensor.FromI64([]int{2}, []int64{2, 3}), tensor.FromI64([]int{}, []int64{4}),
	})
	if err != nil || res[0].I64[0] != 8 || res[0].I64[1] != 12 {
		t.Fatalf("got %v %v", res, err)
	}
	if _, err := EvalOp(op, nil); err == nil {
		t.Fatal("missing operands accepted")
	}
	// An op whose attributes were never checked gives an error, not a panic.
	bad := &ir.Op{Opcode: ir.OpTranspose, Attrs: ir.Attrs{"perm": "no"}.List(), Loc: "t"}
	if _, err := EvalOp(bad, []*tensor.Tensor{tensor.FromI64([]int{2}, []int64{1, 2})}); err == nil || !strings.Contains(err.Error(), `transpose loc("t")`) {
		t.Fatalf("bad attribute: %v", err)
	}
}
