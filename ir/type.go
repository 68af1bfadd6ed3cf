package ir

import (
	"fmt"
	"strings"

	"github.com/tfc-dev/tfc/ir/dim"
	"github.com/tfc-dev/tfc/tensor"
)

// Type is the type of a Value: a tensor element type and a static shape.
// In the text form it is written dtype[dims], e.g. f32[1,224,224,3]; a
// scalar is f32[].
//
// A symbolic type has dimensions that are expressions over named symbols
// (package ir/dim), written in their text form: f32[N,96,96,3],
// f32[N*S,64], f32[(N+1)/2]. Such a type has Dims, one expression per
// dimension, and Shape holds the value of each constant dimension and
// tensor.Unknown (-1) for the others. A static type has nil Dims: every
// value of a static program has exactly the types it had before symbolic
// dimensions existed, and prints the same.
type Type struct {
	DType tensor.DType
	Shape tensor.Shape
	Dims  []dim.Expr // nil unless some dimension is not a constant
}

// SymbolicType returns the type with the given dimensions: a static type
// when every one is a constant, a symbolic one otherwise.
func SymbolicType(dt tensor.DType, dims []dim.Expr) Type {
	shape := make(tensor.Shape, len(dims))
	static := true
	for i, d := range dims {
		if v, ok := d.Value(); ok {
			shape[i] = int(v)
		} else {
			shape[i] = tensor.Unknown
			static = false
		}
	}
	if static {
		return Type{DType: dt, Shape: shape}
	}
	return Type{DType: dt, Shape: shape, Dims: append([]dim.Expr(nil), dims...)}
}

// Symbolic reports whether some dimension of t is not a constant.
func (t Type) Symbolic() bool { return t.Dims != nil }

// Dim returns dimension i as an expression.
func (t Type) Dim(i int) dim.Expr {
	if t.Dims != nil {
		return t.Dims[i]
	}
	return dim.Const(int64(t.Shape[i]))
}

// DimExprs returns every dimension as an expression.
func (t Type) DimExprs() []dim.Expr {
	out := make([]dim.Expr, t.Rank())
	for i := range out {
		out[i] = t.Dim(i)
	}
	return out
}

// TensorType is a convenience constructor.
func TensorType(dt tensor.DType, shape ...int) Type {
	return Type{DType: dt, Shape: tensor.Shape(shape).Clone()}
}

// Rank is the number of dimensions.
func (t Type) Rank() int { return len(t.Shape) }

// Equal reports whether two types are identical.
func (t Type) Equal(u Type) bool {
	if t.DType != u.DType || !t.Shape.Equal(u.Shape) || (t.Dims == nil) != (u.Dims == nil) {
		return false
	}
	for i := range t.Dims {
		if !t.Dims[i].Equal(u.Dims[i]) {
			return false
		}
	}
	return true
}

// String formats t as in the text form.
func (t Type) String() string {
	if t.Dims == nil {
		return t.DType.String() + t.Shape.String()
	}
	var b strings.Builder
	b.WriteString(t.DType.String())
	b.WriteByte('[')
	for i, d := range t.Dims {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(d.String())
	}
	b.WriteByte(']')
	return b.String()
}

// ParseType parses the form written by Type.String.
func ParseType(s string) (Type, error) {
	i := strings.IndexByte(s, '[')
	if i < 0 {
		return Type{}, fmt.Errorf("type %q: want dtype[dims]", s)
	}
	dt, ok := tensor.ParseDType(s[:i])
	if !ok {
		return Type{}, fmt.Errorf("type %q: unknown element type %q", s, s[:i])
	}
	sh, err := tensor.ParseShape(s[i:])
	if err == nil {
		return Type{DType: dt, Shape: sh}, nil
	}
	body, ok := strings.CutSuffix(s[i+1:], "]")
	if !ok {
		return Type{}, fmt.Errorf("type %q: %v", s, err)
	}
	var dims []dim.Expr
	for _, f := range strings.Split(body, ",") {
		d, derr := dim.Parse(strings.TrimSpace(f))
		if derr != nil {
			return Type{}, fmt.Errorf("type %q: %v", s, derr)
		}
		if v, ok := d.Value(); ok && v < 0 {
			return Type{}, fmt.Errorf("type %q: negative dimension %d", s, v)
		}
		dims = append(dims, d)
	}
	return SymbolicType(dt, dims), nil
}
