package tf

import (
	"math"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Elementwise math: arithmetic, comparisons, logic, select, unary
// functions and casts. TensorFlow's binary ops broadcast as numpy does,
// like the IR's, and give both operands one dtype, so most become one IR
// op.

func init() {
	bin := func(lowers string, opc ir.Opcode, ops ...string) {
		register("math", lowers, binaryConverter(opc), ops...)
	}
	bin("add", ir.OpAdd, "Add", "AddV2")
	bin("sub", ir.OpSub, "Sub")
	bin("mul", ir.OpMul, "Mul")
	bin("div", ir.OpDiv, "RealDiv", "Div")
	register("math", "div (integers only)", convertTruncateDiv, "TruncateDiv")
	bin("floor_div", ir.OpFloorDiv, "FloorDiv")
	bin("floor_mod", ir.OpFloorMod, "FloorMod")
	bin("pow", ir.OpPow, "Pow")
	bin("max", ir.OpMax, "Maximum")
	bin("min", ir.OpMin, "Minimum")
	bin("less", ir.OpLess, "Less")
	bin("less_equal", ir.OpLessEqual, "LessEqual")
	bin("greater", ir.OpGreater, "Greater")
	bin("greater_equal", ir.OpGreaterEqual, "GreaterEqual")
	bin("and", ir.OpAnd, "LogicalAnd")
	bin("or", ir.OpOr, "LogicalOr")
	register("math", "equal", equalityConverter(ir.OpEqual), "Equal")
	register("math", "not_equal", equalityConverter(ir.OpNotEqual), "NotEqual")
	register("math", "sign * floor_mod(abs, abs)", convertTruncateMod, "Mod", "TruncateMod")
	register("math", "sub + mul", convertSquaredDifference, "SquaredDifference")
	register("math", "equal + div + select", convertDivNoNan, "DivNoNan")
	register("math", "equal + mul + select", convertMulNoNan, "MulNoNan")
	register("math", "add (a chain, left to right)", convertAddN, "AddN")
	register("math", "select (rank-1 condition reshaped to select rows)", convertSelect, "Select")
	register("math", "select", convertSelectV2, "SelectV2")
	register("math", "cast", convertCast, "Cast")
	register("math", "clamp (constant scalar float bounds); else min + max", convertClipByValue, "ClipByValue")

	un := func(lowers string, opc ir.Opcode, ops ...string) {
		register("math", lowers, unaryConverter(opc), ops...)
	}
	un("not", ir.OpNot, "LogicalNot")
	un("neg", ir.OpNeg, "Neg")
	un("abs", ir.OpAbs, "Abs")
	un("sign", ir.OpSign, "Sign")
	un("exp", ir.OpExp, "Exp")
	un("expm1", ir.OpExpm1, "Expm1")
	un("log", ir.OpLog, "Log")
	un("log1p", ir.OpLog1p, "Log1p")
	un("sqrt", ir.OpSqrt, "Sqrt")
	un("rsqrt", ir.OpRsqrt, "Rsqrt")
	un("sin", ir.OpSin, "Sin")
	un("cos", ir.OpCos, "Cos")
	un("tan", ir.OpTan, "Tan")
	un("asin", ir.OpAsin, "Asin")
	un("acos", ir.OpAcos, "Acos")
	un("atan", ir.OpAtan, "Atan")
	un("sinh", ir.OpSinh, "Sinh")
	un("cosh", ir.OpCosh, "Cosh")
	un("asinh", ir.OpAsinh, "Asinh")
	un("acosh", ir.OpAcosh, "Acosh")
	un("atanh", ir.OpAtanh, "Atanh")
	un("erf", ir.OpErf, "Erf")
	un("erfc", ir.OpErfc, "Erfc")
	register("math", "floor (integers: nothing)", roundingConverter(ir.OpFloor), "Floor")
	register("math", "ceil (integers: nothing)", roundingConverter(ir.OpCeil), "Ceil")
	register("math", "round (half to even; integers: nothing)", roundingConverter(ir.OpRound), "Round", "Rint")
	register("math", "mul (x * x)", convertSquare, "Square")
	register("math", "reciprocal (integers: div)", convertReciprocal, "Reciprocal", "Inv")
	register("math", "sub + equal", convertIsFinite, "IsFinite")
	register("math", "not_equal", convertIsNan, "IsNan")
	register("math", "abs + equal", convertIsInf, "IsInf")
}

// binaryConverter translates a TF binary op into the IR op opc: the
// operands keep their order and broadcast as in numpy.
//
// Add, AddV2 → add; Sub → sub; Mul → mul; RealDiv, Div, TruncateDiv → div
// (TensorFlow's Div on integers truncates toward zero, as the IR's div
// does; Python's tf.compat.v1.div floors, but it emits FloorDiv for that);
// FloorDiv → floor_div; FloorMod → floor_mod; Pow → pow; Maximum → max;
// Minimum → min; Less, LessEqual, Greater, GreaterEqual → the comparison;
// LogicalAnd → and; LogicalOr → or.
func binaryConverter(opc ir.Opcode) converter {
	return func(c *ctx, n *node) error {
		vs, err := c.inputs(n, 2, 2)
		if err != nil {
			return err
		}
		v, err := c.emit(n, opc, nil, vs[0], vs[1])
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
}

// equalityConverter translates Equal and NotEqual → equal / not_equal.
// With incompatible_shape_error=false, operands whose shapes do not
// broadcast compare as wholly unequal, as in TensorFlow: the result is a
// scalar constant false (Equal) or true (NotEqual).
func equalityConverter(opc ir.Opcode) converter {
	return func(c *ctx, n *node) error {
		vs, err := c.inputs(n, 2, 2)
		if err != nil {
			return err
		}
		strict, err := n.attrBoolOr("incompatible_shape_error", true)
		if err != nil {
			return err
		}
		if _, err := tensor.BroadcastShapes(vs[0].Type.Shape, vs[1].Type.Shape); err != nil && !strict {
			return c.bind(n, c.scalar(n, tensor.Bool, b2f(opc == ir.OpNotEqual)))
		}
		v, err := c.emit(n, opc, nil, vs[0], vs[1])
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// TruncateDiv (integers only) becomes div, which truncates toward zero.
func convertTruncateDiv(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	if dt := vs[0].Type.DType; dt != tensor.Int32 && dt != tensor.Int64 {
		return n.errorf("operands have element type %v; TruncateDiv is for integers", dt)
	}
	return binaryConverter(ir.OpDiv)(c, n)
}

// Mod and TruncateMod (the remainder of truncating division, with the
// sign of the dividend: C's % and fmod) become
// sign(a) * floor_mod(abs(a), abs(b)). On non-negative operands floor_mod
// is fmod exactly, and the remainder's magnitude depends only on |a| and
// |b|, so this is exact for floats and integers alike (but for the sign
// of the zero that a = -0 gives).
func convertTruncateMod(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	a, b := vs[0], vs[1]
	absA, err := c.emit(n, ir.OpAbs, nil, a)
	if err != nil {
		return err
	}
	absB, err := c.emit(n, ir.OpAbs, nil, b)
	if err != nil {
		return err
	}
	m, err := c.emit(n, ir.OpFloorMod, nil, absA, absB)
	if err != nil {
		return err
	}
	s, err := c.emit(n, ir.OpSign, nil, a)
	if err != nil {
		return err
	}
	v, err := c.emit(n, ir.OpMul, nil, s, m)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// SquaredDifference becomes d = sub(a, b); mul(d, d), as TensorFlow
// computes it.
func convertSquaredDifference(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	d, err := c.emit(n, ir.OpSub, nil, vs[0], vs[1])
	if err != nil {
		return err
	}
	v, err := c.emit(n, ir.OpMul, nil, d, d)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// DivNoNan becomes select(equal(b, 0), 0, div(a, b)): 0 wherever the
// divisor is 0, whatever the dividend. For integers the divisor is first
// replaced by 1 where it is 0 (select), since the IR's integer division by
// zero is an error.
func convertDivNoNan(c *ctx, n *node) error {
	return c.noNan(n, ir.OpDiv)
}

// MulNoNan becomes select(equal(b, 0), 0, mul(a, b)): 0 wherever b is 0,
// even where a is infinite or NaN.
func convertMulNoNan(c *ctx, n *node) error {
	return c.noNan(n, ir.OpMul)
}

func (c *ctx) noNan(n *node, opc ir.Opcode) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	a, b := vs[0], vs[1]
	dt := b.Type.DType
	zero := c.scalar(n, dt, 0)
	isZero, err := c.emit(n, ir.OpEqual, nil, b, zero)
	if err != nil {
		return err
	}
	if opc == ir.OpDiv && !dt.IsFloat() {
		b, err = c.emit(n, ir.OpSelect, nil, isZero, c.scalar(n, dt, 1), b)
		if err != nil {
			return err
		}
	}
	q, err := c.emit(n, opc, nil, a, b)
	if err != nil {
		return err
	}
	v, err := c.emit(n, ir.OpSelect, nil, isZero, zero, q)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// AddN becomes a chain of adds, left to right: ((x0 + x1) + x2) + ...,
// the order in which TensorFlow's CPU kernel sums (its Eigen expressions
// add in groups of up to eight, each left to right, into the running
// total). One input is forwarded.
func convertAddN(c *ctx, n *node) error {
	vs, err := c.inputs(n, 1, -1)
	if err != nil {
		return err
	}
	acc := vs[0]
	for i, v := range vs[1:] {
		if !v.Type.Shape.Equal(acc.Type.Shape) {
			return n.errorf("input %d has shape %v, input 0 has %v (AddN does not broadcast)", i+1, v.Type.Shape, acc.Type.Shape)
		}
		acc, err = c.emit(n, ir.OpAdd, nil, acc, v)
		if err != nil {
			return err
		}
	}
	return c.bind(n, acc)
}

// Select (V1) becomes select. Its condition is a scalar, a tensor of the
// operands' shape, or a vector whose length is the operands' first
// dimension and which picks whole rows: that vector is reshaped to
// [n, 1, ..., 1] so that the IR's numpy broadcasting picks rows too.
func convertSelect(c *ctx, n *node) error {
	vs, err := c.inputs(n, 3, 3)
	if err != nil {
		return err
	}
	cond, t, e := vs[0], vs[1], vs[2]
	if !t.Type.Shape.Equal(e.Type.Shape) {
		return n.errorf("operands have shapes %v and %v; Select (V1) needs equal shapes", t.Type.Shape, e.Type.Shape)
	}
	cs := cond.Type.Shape
	switch {
	case cs.Rank() == 0 || cs.Equal(t.Type.Shape):
	case cs.Rank() == 1 && t.Type.Rank() > 1:
		if cs[0] != t.Type.Shape[0] {
			return n.errorf("condition of shape %v does not match the first dimension of operands of shape %v", cs, t.Type.Shape)
		}
		rows := make(tensor.Shape, t.Type.Rank())
		for i := range rows {
			rows[i] = 1
		}
		rows[0] = cs[0]
		if cond, err = c.reshape(n, cond, rows); err != nil {
			return err
		}
	default:
		return n.errorf("condition has shape %v; Select (V1) needs a scalar, the operands' shape %v, or a vector of their first dimension", cs, t.Type.Shape)
	}
	v, err := c.emit(n, ir.OpSelect, nil, cond, t, e)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// SelectV2 becomes select: condition, then and else broadcast together.
func convertSelectV2(c *ctx, n *node) error {
	vs, err := c.inputs(n, 3, 3)
	if err != nil {
		return err
	}
	v, err := c.emit(n, ir.OpSelect, nil, vs[0], vs[1], vs[2])
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// ClipByValue becomes max(min(t, clip_value_max), clip_value_min), in that
// order, as TensorFlow's kernel computes it (so min > max gives min). The
// bounds are scalars or have t's shape. With constant scalar bounds,
// min ≤ max, on floats, it is the single op clamp{min, max}, which is the
// same function.
func convertClipByValue(c *ctx, n *node) error {
	vs, err := c.inputs(n, 3, 3)
	if err != nil {
		return err
	}
	x, lo, hi := vs[0], vs[1], vs[2]
	for _, b := range vs[1:] {
		if b.Type.Rank() != 0 && !b.Type.Shape.Equal(x.Type.Shape) {
			return n.errorf("clip bounds must be scalars or have the input's shape %v; have %v", x.Type.Shape, b.Type.Shape)
		}
	}
	if dt := x.Type.DType; dt.IsFloat() && lo.Type.Rank() == 0 && hi.Type.Rank() == 0 {
		if lt, ok := c.consts.Get(lo); ok {
			if ht, ok := c.consts.Get(hi); ok {
				a, b := lt.Float64At(0), ht.Float64At(0)
				if a <= b { // neither NaN
					v, err := c.emit(n, ir.OpClamp, ir.Attrs{"min": a, "max": b}, x)
					if err != nil {
						return err
					}
					return c.bind(n, v)
				}
			}
		}
	}
	v, err := c.emit(n, ir.OpMin, nil, x, hi)
	if err != nil {
		return err
	}
	if v, err = c.emit(n, ir.OpMax, nil, v, lo); err != nil {
		return err
	}
	return c.bind(n, v)
}

// irDType checks that dt is an element type IR values may have.
func irDType(n *node, dt tensor.DType, what string) error {
	switch dt {
	case tensor.Float32, tensor.Float16, tensor.BFloat16, tensor.Int32, tensor.Int64, tensor.Bool:
		return nil
	}
	return n.errorf("%s %v is not supported (the IR computes in f32, f16, bf16, i32, i64 and bool)", what, dt)
}

// Cast becomes cast to DstT, or nothing if the input already has that
// element type. SrcT is not consulted: the input's IR dtype is what is
// converted (constants of narrow integer types have been widened to i32,
// f64 constants narrowed to f32). The Truncate attribute does not change
// conversions between the IR's types. DstT must be f32, f16, bf16, i32, i64 or
// bool.
func convertCast(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	to, err := n.attrType("DstT")
	if err != nil {
		return err
	}
	if err := irDType(n, to, "cast to"); err != nil {
		return err
	}
	if x.Type.DType == to {
		return c.bind(n, x)
	}
	v, err := c.emit(n, ir.OpCast, ir.Attrs{"to": to}, x)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// unaryConverter translates a TF unary op into the IR op opc of the same
// meaning: LogicalNot → not; Neg → neg; Abs → abs; Sign → sign; Exp, Expm1,
// Log, Log1p, Sqrt, Rsqrt, Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh,
// Asinh, Acosh, Atanh, Erf, Erfc → the function of the same name.
func unaryConverter(opc ir.Opcode) converter {
	return func(c *ctx, n *node) error {
		x, err := c.input(n, 0)
		if err != nil {
			return err
		}
		v, err := c.emit(n, opc, nil, x)
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
}

// roundingConverter translates Floor → floor, Ceil → ceil, Round and Rint
// → round (both round half to even in TensorFlow). Integers are already
// whole, so for them the input is forwarded.
func roundingConverter(opc ir.Opcode) converter {
	return func(c *ctx, n *node) error {
		x, err := c.input(n, 0)
		if err != nil {
			return err
		}
		if dt := x.Type.DType; dt == tensor.Int32 || dt == tensor.Int64 {
			return c.bind(n, x)
		}
		v, err := c.emit(n, opc, nil, x)
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
}

// Square becomes mul(x, x), as TensorFlow computes it.
func convertSquare(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	v, err := c.emit(n, ir.OpMul, nil, x, x)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// Reciprocal and Inv become reciprocal; on integers, div(1, x) (truncating,
// as TensorFlow's integer 1/x).
func convertReciprocal(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	var v *ir.Value
	if dt := x.Type.DType; dt == tensor.Int32 || dt == tensor.Int64 {
		v, err = c.emit(n, ir.OpDiv, nil, c.scalar(n, dt, 1), x)
	} else {
		v, err = c.emit(n, ir.OpReciprocal, nil, x)
	}
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// floatInput returns n's first input, which must be f32, f16 or bf16.
func (c *ctx) floatInput(n *node) (*ir.Value, error) {
	x, err := c.input(n, 0)
	if err != nil {
		return nil, err
	}
	if dt := x.Type.DType; !dt.IsFloat() || dt == tensor.Float64 {
		return nil, n.errorf("input has element type %v, want f32, f16 or bf16", dt)
	}
	return x, nil
}

// IsFinite becomes equal(sub(x, x), 0): x - x is 0 for finite x and NaN
// for infinities and NaN.
func convertIsFinite(c *ctx, n *node) error {
	x, err := c.floatInput(n)
	if err != nil {
		return err
	}
	d, err := c.emit(n, ir.OpSub, nil, x, x)
	if err != nil {
		return err
	}
	v, err := c.emit(n, ir.OpEqual, nil, d, c.scalar(n, x.Type.DType, 0))
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// IsNan becomes not_equal(x, x).
func convertIsNan(c *ctx, n *node) error {
	x, err := c.floatInput(n)
	if err != nil {
		return err
	}
	v, err := c.emit(n, ir.OpNotEqual, nil, x, x)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// IsInf becomes equal(abs(x), +inf).
func convertIsInf(c *ctx, n *node) error {
	x, err := c.floatInput(n)
	if err != nil {
		return err
	}
	a, err := c.emit(n, ir.OpAbs, nil, x)
	if err != nil {
		return err
	}
	v, err := c.emit(n, ir.OpEqual, nil, a, c.scalar(n, x.Type.DType, math.Inf(1)))
	if err != nil {
		return err
	}
	return c.bind(n, v)
}
