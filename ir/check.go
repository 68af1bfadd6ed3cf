package ir

import (
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

// Helpers shared by the type rules.

// interpDTypes are the element types values may have: the types the
// reference interpreter and TensorRT both compute in.
var interpDTypes = []tensor.DType{tensor.Float32, tensor.Float16, tensor.BFloat16, tensor.Int32, tensor.Int64, tensor.Bool}

var floatDTypes = []tensor.DType{tensor.Float32, tensor.Float16, tensor.BFloat16}
var numericDTypes = []tensor.DType{tensor.Float32, tensor.Float16, tensor.BFloat16, tensor.Int32, tensor.Int64}
var signedDTypes = numericDTypes
var indexDTypes = []tensor.DType{tensor.Int32, tensor.Int64}
var boolDTypes = []tensor.DType{tensor.Bool}

func requireDType(dt tensor.DType, what string, allowed ...tensor.DType) error {
	for _, a := range allowed {
		if dt == a {
			return nil
		}
	}
	return fmt.Errorf("%s has element type %v, want one of %v", what, dt, allowed)
}

// sameDTypes requires all operands to share one element type, and returns it.
func sameDTypes(op *Op) (tensor.DType, error) {
	dt := op.Args[0].Type.DType
	for i, a := range op.Args[1:] {
		if a.Type.DType != dt {
			return 0, fmt.Errorf("operand %d has element type %v, operand 0 has %v", i+1, a.Type.DType, dt)
		}
	}
	return dt, nil
}

// checkAxes checks that axes are distinct and in [0, rank).
func checkAxes(axes []int, rank int, what string) error {
	seen := make(map[int]bool, len(axes))
	for _, a := range axes {
		if a < 0 || a >= rank {
			return fmt.Errorf("%s: axis %d out of range [0,%d)", what, a, rank)
		}
		if seen[a] {
			return fmt.Errorf("%s: axis %d repeated", what, a)
		}
		seen[a] = true
	}
	return nil
}

// checkLen checks an int-list attribute's length.
func checkLen(op *Op, name string, n int) ([]int, error) {
	v := op.Ints(name)
	if len(v) != n {
		return nil, fmt.Errorf("%s has %d values, want %d", name, len(v), n)
	}
	return v, nil
}

// checkPositive checks every value of an int-list attribute is ≥ 1.
func checkPositive(op *Op, name string, n int) ([]int, error) {
	v, err := checkLen(op, name, n)
	if err != nil {
		return nil, err
	}
	for _, x := range v {
		if x < 1 {
			return nil, fmt.Errorf("%s=%v: values must be ≥ 1", name, v)
		}
	}
	return v, nil
}

// Elided marks constants whose data was left out of a printed Func.
// A parsed elided constant has dtype and shape but no storage.

// IsElided reports whether t is an elided constant (no data).
func IsElided(t *tensor.Tensor) bool {
	n, err := t.Shape.NumElements()
	return err == nil && n > 0 && t.F32 == nil && t.F64 == nil && t.I32 == nil && t.I64 == nil && t.B == nil
}

// maxAttrInt bounds every integer attribute: no dimension, pad, stride or
// index can usefully exceed the largest tensor, and the bound keeps the
// type rules' sums of a few such values far from integer overflow.
const maxAttrInt = tensor.MaxElements

// mulDims multiplies two non-negative sizes, failing if the product
// exceeds tensor.MaxElements (so hostile attributes cannot overflow).
func mulDims(a, b int) (int, error) {
	if a < 0 || b < 0 {
		return 0, fmt.Errorf("negative size %d × %d", a, b)
	}
	if a != 0 && b > tensor.MaxElements/a {
		return 0, fmt.Errorf("size %d × %d is too large", a, b)
	}
	return a * b, nil
}

// knownOperands checks that every operand has a valid dtype and a static
// shape within tensor.MaxElements, so the type rules can do arithmetic on
// the dimensions.
func knownOperands(op *Op) error {
	for i, a := range op.Args {
		if !a.Type.DType.Valid() {
			return fmt.Errorf("operand %d has invalid element type", i)
		}
		if a.Type.Symbolic() {
			if err := checkSymbolicType(a.Type); err != nil {
				return fmt.Errorf("operand %d: %v", i, err)
			}
			continue
		}
		if _, err := a.Type.Shape.NumElements(); err != nil {
			return fmt.Errorf("operand %d: %v", i, err)
		}
	}
	return nil
}
