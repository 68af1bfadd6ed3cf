package ir

import (
	"fmt"
	"strings"

	"github.com/tfc-dev/tfc/tensor"
)

// Type is the type of a Value: a tensor element type and a static shape.
// In the text form it is written dtype[dims], e.g. f32[1,224,224,3]; a
// scalar is f32[].
type Type struct {
	DType tensor.DType
	Shape tensor.Shape
}

// TensorType is a convenience constructor.
func TensorType(dt tensor.DType, shape ...int) Type {
	return Type{DType: dt, Shape: tensor.Shape(shape).Clone()}
}

// Rank is the number of dimensions.
func (t Type) Rank() int { return len(t.Shape) }

// Equal reports whether two types are identical.
func (t Type) Equal(u Type) bool { return t.DType == u.DType && t.Shape.Equal(u.Shape) }

// String formats t as in the text form.
func (t Type) String() string { return t.DType.String() + t.Shape.String() }

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
	if err != nil {
		return Type{}, fmt.Errorf("type %q: %v", s, err)
	}
	return Type{DType: dt, Shape: sh}, nil
}
