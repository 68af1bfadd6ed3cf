package ir

import (
	"fmt"
	"math"
)

// Unary elementwise ops.
//
//	%r = exp(%x) : T
//
// The result has x's type. Float ops accept f32, f16 and bf16 (computed in f32,
// rounded to the type). Semantics are those of the C math library function of
// the same name unless stated:
//
//	not         logical not (bool only)
//	neg, abs, sign   also on i32/i64; sign is -1, 0 or 1 (0 for ±0, NaN for NaN)
//	exp, expm1, log, log1p, sqrt, rsqrt (1/sqrt), reciprocal (1/x),
//	sin, cos, tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, erf, erfc,
//	floor, ceil, tanh
//	round       to nearest, ties to even (TensorFlow's Round and Rint)
//	sigmoid     1 / (1 + exp(-x))
//	softplus    log(1 + exp(x)), computed stably: x for large x, exp(x) for very negative x
//	softsign    x / (1 + |x|)
//	relu        max(x, 0)
//	clamp       {min, max}: min(max(x, min), max); min ≤ max
//	leaky_relu  {alpha}: x ≥ 0 ? x : alpha*x
//	elu         {alpha}: x > 0 ? x : alpha*(exp(x) - 1)
//	selu        {alpha, gamma}: gamma * (x > 0 ? x : alpha*(exp(x) - 1))
//	hard_sigmoid {alpha, beta}: max(0, min(1, alpha*x + beta))
//	gelu        {approximate}: x * Φ(x), Φ the standard normal CDF;
//	            approximate (a string) is "none" for 0.5*x*erfc(-x/√2)
//	            (TensorFlow's gelu, TensorRT's GELU_ERF) or "tanh" for
//	            0.5*x*(1 + tanh(√(2/π)*(x + 0.044715*x³))) (TensorRT's GELU_TANH)
var unaryOps = []struct {
	opc     Opcode
	name    string
	summary string
	dtypes  string // "float", "signed", "bool"
	attrs   []string
}{
	{OpNot, "not", "logical not", "bool", nil},
	{OpNeg, "neg", "-x", "signed", nil},
	{OpAbs, "abs", "|x|", "signed", nil},
	{OpSign, "sign", "-1, 0 or 1", "signed", nil},
	{OpExp, "exp", "e**x", "float", nil},
	{OpExpm1, "expm1", "e**x - 1", "float", nil},
	{OpLog, "log", "natural logarithm", "float", nil},
	{OpLog1p, "log1p", "log(1 + x)", "float", nil},
	{OpSqrt, "sqrt", "square root", "float", nil},
	{OpRsqrt, "rsqrt", "1 / sqrt(x)", "float", nil},
	{OpReciprocal, "reciprocal", "1 / x", "float", nil},
	{OpSin, "sin", "sine", "float", nil},
	{OpCos, "cos", "cosine", "float", nil},
	{OpTan, "tan", "tangent", "float", nil},
	{OpAsin, "asin", "arc sine", "float", nil},
	{OpAcos, "acos", "arc cosine", "float", nil},
	{OpAtan, "atan", "arc tangent", "float", nil},
	{OpSinh, "sinh", "hyperbolic sine", "float", nil},
	{OpCosh, "cosh", "hyperbolic cosine", "float", nil},
	{OpAsinh, "asinh", "inverse hyperbolic sine", "float", nil},
	{OpAcosh, "acosh", "inverse hyperbolic cosine", "float", nil},
	{OpAtanh, "atanh", "inverse hyperbolic tangent", "float", nil},
	{OpErf, "erf", "error function", "float", nil},
	{OpErfc, "erfc", "1 - erf(x), accurate for large x", "float", nil},
	{OpFloor, "floor", "round down", "float", nil},
	{OpCeil, "ceil", "round up", "float", nil},
	{OpRound, "round", "round half to even", "float", nil},
	{OpTanh, "tanh", "hyperbolic tangent", "float", nil},
	{OpSigmoid, "sigmoid", "1 / (1 + e**-x)", "float", nil},
	{OpSoftplus, "softplus", "log(1 + e**x)", "float", nil},
	{OpSoftsign, "softsign", "x / (1 + |x|)", "float", nil},
	{OpRelu, "relu", "max(x, 0)", "float", nil},
	{OpClamp, "clamp", "min(max(x, min), max)", "float", []string{"min", "max"}},
	{OpLeakyRelu, "leaky_relu", "x ≥ 0 ? x : alpha*x", "float", []string{"alpha"}},
	{OpElu, "elu", "x > 0 ? x : alpha*(e**x - 1)", "float", []string{"alpha"}},
	{OpSelu, "selu", "gamma * elu(x, alpha)", "float", []string{"alpha", "gamma"}},
	{OpHardSigmoid, "hard_sigmoid", "max(0, min(1, alpha*x + beta))", "float", []string{"alpha", "beta"}},
	{OpGelu, "gelu", "x * Φ(x), exact (erf) or tanh approximation", "float", []string{"approximate"}},
}

// unaryEnums lists the unary attributes that are strings (enums) rather
// than floats.
var unaryEnums = map[string][]string{"approximate": {"none", "tanh"}}

func init() {
	for _, u := range unaryOps {
		var specs []AttrSpec
		for _, a := range u.attrs {
			if enum, ok := unaryEnums[a]; ok {
				specs = append(specs, AttrSpec{Name: a, Kind: AttrString, Enum: enum})
				continue
			}
			specs = append(specs, AttrSpec{Name: a, Kind: AttrFloat})
		}
		dtypes, opc := u.dtypes, u.opc
		register(u.opc, OpInfo{
			Name: u.name, Family: "unary", Summary: u.summary,
			MinArgs: 1, MaxArgs: 1, NumResults: 1, Attrs: specs,
			Infer: func(op *Op) ([]Type, error) { return inferUnary(op, opc, dtypes) },
		})
	}
}

func inferUnary(op *Op, opc Opcode, dtypes string) ([]Type, error) {
	t := op.Args[0].Type
	var err error
	switch dtypes {
	case "float":
		err = requireDType(t.DType, "operand", floatDTypes...)
	case "signed":
		err = requireDType(t.DType, "operand", signedDTypes...)
	case "bool":
		err = requireDType(t.DType, "operand", boolDTypes...)
	}
	if err != nil {
		return nil, err
	}
	for _, a := range op.Attrs {
		if f, ok := a.Value.(float64); ok && math.IsNaN(f) {
			return nil, fmt.Errorf("attribute %s is NaN", a.Name)
		}
	}
	if opc == OpClamp && op.Float("min") > op.Float("max") {
		return nil, fmt.Errorf("min %v > max %v", op.Float("min"), op.Float("max"))
	}
	return []Type{{DType: t.DType, Shape: t.Shape.Clone()}}, nil
}
