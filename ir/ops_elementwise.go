package ir

import (
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

// Binary elementwise ops.
//
//	%r = add(%a, %b) : T
//
// Operands a and b have the same element type; their shapes broadcast as in
// numpy (aligned at the last dimension; each dimension pair equal or one
// of them 1). The result has the broadcast shape and, for arithmetic, the
// operands' element type; comparisons give bool.
//
// Arithmetic (f32, f16, bf16, i32, i64; f16 and bf16 are computed in f32 and rounded once):
//
//	add        a + b
//	sub        a - b
//	mul        a * b
//	div        a / b; integers truncate toward zero (C); division of an
//	           integer by zero is an error at run time
//	floor_div  floor(a / b); integers round toward negative infinity
//	floor_mod  a - floor_div(a, b) * b (result has the sign of b, as
//	           Python's %); floats use fmod adjusted to b's sign
//	pow        a ** b (floats: C pow; integers: repeated multiplication,
//	           negative exponents are an error)
//	max, min   larger/smaller; NaN if either is NaN (floats)
//
// Comparisons (any type but bool for ordering; result bool):
//
//	equal, not_equal, less, less_equal, greater, greater_equal
//
// Logic (bool only): and, or, xor.
var binaryOps = []struct {
	opc     Opcode
	name    string
	summary string
	kind    binaryKind
}{
	{OpAdd, "add", "a + b", arith},
	{OpSub, "sub", "a - b", arith},
	{OpMul, "mul", "a * b", arith},
	{OpDiv, "div", "a / b (integers truncate)", arith},
	{OpFloorDiv, "floor_div", "floor(a / b)", arith},
	{OpFloorMod, "floor_mod", "a - floor(a / b) * b", arith},
	{OpPow, "pow", "a ** b", arith},
	{OpMax, "max", "max(a, b)", arith},
	{OpMin, "min", "min(a, b)", arith},
	{OpEqual, "equal", "a == b", compare},
	{OpNotEqual, "not_equal", "a != b", compare},
	{OpLess, "less", "a < b", order},
	{OpLessEqual, "less_equal", "a <= b", order},
	{OpGreater, "greater", "a > b", order},
	{OpGreaterEqual, "greater_equal", "a >= b", order},
	{OpAnd, "and", "a && b", logic},
	{OpOr, "or", "a || b", logic},
	{OpXor, "xor", "a != b (bool)", logic},
}

type binaryKind uint8

const (
	arith binaryKind = iota
	compare
	order
	logic
)

func init() {
	for _, b := range binaryOps {
		kind := b.kind
		register(b.opc, OpInfo{
			Name: b.name, Family: "elementwise", Summary: b.summary,
			MinArgs: 2, MaxArgs: 2, NumResults: 1,
			Infer: func(op *Op) ([]Type, error) { return inferBinary(op, kind) },
		})
	}
	register(OpPRelu, OpInfo{
		Name: "prelu", Family: "elementwise", Summary: "x ≥ 0 ? x : slope*x, slope broadcasting to x",
		MinArgs: 2, MaxArgs: 2, NumResults: 1,
		Infer: inferPRelu,
	})
	register(OpSelect, OpInfo{
		Name: "select", Family: "elementwise", Summary: "cond ? a : b, broadcasting",
		MinArgs: 3, MaxArgs: 3, NumResults: 1,
		Infer: inferSelect,
	})
}

func inferBinary(op *Op, kind binaryKind) ([]Type, error) {
	dt, err := sameDTypes(op)
	if err != nil {
		return nil, err
	}
	switch kind {
	case arith:
		err = requireDType(dt, "operand", numericDTypes...)
	case compare:
		err = requireDType(dt, "operand", interpDTypes...)
	case order:
		err = requireDType(dt, "operand", numericDTypes...)
	case logic:
		err = requireDType(dt, "operand", boolDTypes...)
	}
	if err != nil {
		return nil, err
	}
	shape, err := tensor.BroadcastShapes(op.Args[0].Type.Shape, op.Args[1].Type.Shape)
	if err != nil {
		return nil, err
	}
	if kind == compare || kind == order {
		dt = tensor.Bool
	}
	return []Type{{DType: dt, Shape: shape}}, nil
}

// prelu: parametric ReLU (Keras PReLU, TensorRT's IParametricReLULayer).
//
//	%r = prelu(%x, %slope) : T
//
// x is f32, f16 or bf16; slope has x's element type and a shape that
// broadcasts to x's (numpy rules, aligned at the last dimension, the
// result being x's shape: slope may have fewer dimensions, each 1 or
// x's). r[i] = x[i] ≥ 0 ? x[i] : slope[i]*x[i], the product computed in
// f32 and rounded to T; a NaN x gives NaN. The result has x's type.
func inferPRelu(op *Op) ([]Type, error) {
	x, s := op.Args[0].Type, op.Args[1].Type
	if err := requireDType(x.DType, "operand", floatDTypes...); err != nil {
		return nil, err
	}
	if s.DType != x.DType {
		return nil, fmt.Errorf("slope has element type %v, x has %v", s.DType, x.DType)
	}
	b, err := tensor.BroadcastShapes(x.Shape, s.Shape)
	if err != nil || !b.Equal(x.Shape) {
		return nil, fmt.Errorf("slope %v does not broadcast to x %v", s.Shape, x.Shape)
	}
	return []Type{{DType: x.DType, Shape: x.Shape.Clone()}}, nil
}

// select: elementwise choice.
//
//	%r = select(%cond, %a, %b) : T
//
// cond is bool; a and b have the same element type. All three broadcast
// together (numpy rules). r[i] = cond[i] ? a[i] : b[i].
func inferSelect(op *Op) ([]Type, error) {
	c, a, b := op.Args[0].Type, op.Args[1].Type, op.Args[2].Type
	if c.DType != tensor.Bool {
		return nil, fmt.Errorf("condition has element type %v, want bool", c.DType)
	}
	if a.DType != b.DType {
		return nil, fmt.Errorf("operands have element types %v and %v", a.DType, b.DType)
	}
	s, err := tensor.BroadcastShapes(c.Shape, a.Shape)
	if err != nil {
		return nil, err
	}
	s, err = tensor.BroadcastShapes(s, b.Shape)
	if err != nil {
		return nil, err
	}
	return []Type{{DType: a.DType, Shape: s}}, nil
}
