package ir

import (
	"fmt"

	"github.com/tfc-dev/tfc/ir/dim"
)

func init() {
	register(OpInput, OpInfo{
		Name: "input", Family: "source", Summary: "a graph input (TensorFlow placeholder)",
		MinArgs: 0, MaxArgs: 0, NumResults: 1,
		Attrs: []AttrSpec{{Name: "name", Kind: AttrString}},
		Infer: inferInput,
	})
	register(OpConst, OpInfo{
		Name: "const", Family: "source", Summary: "a constant tensor",
		MinArgs: 0, MaxArgs: 0, NumResults: 1,
		Attrs: []AttrSpec{{Name: "value", Kind: AttrTensor}},
		Infer: inferConst,
	})
}

// input: a value supplied by the caller.
//
//	%r = input {name="x:0"} : T
//
// Attributes: name, the TensorFlow tensor name of the placeholder; names are
// unique within a Func. The result type T is whatever the op was created
// with (it cannot be inferred): a fully known shape, or a symbolic one
// (f32[N,224,224,3]) whose every non-constant dimension is a single symbol,
// a size the caller chooses when the program runs (the same symbol in two
// places means the same size). Its dtype must be one of f32, f16, bf16,
// i32, i64, bool.
func inferInput(op *Op) ([]Type, error) {
	if op.Str("name") == "" {
		return nil, fmt.Errorf("empty name")
	}
	if len(op.Results) != 1 {
		return nil, fmt.Errorf("input type is unknown")
	}
	t := op.Results[0].Type
	if t.Symbolic() {
		if err := checkSymbolicType(t); err != nil {
			return nil, err
		}
		for i, d := range t.Dims {
			if s := d.Symbols(); !d.IsConst() && (len(s) != 1 || !d.Equal(dim.Sym(s[0]))) {
				return nil, fmt.Errorf("input %q dimension %d is %v; an input's dimensions are constants or symbols", op.Str("name"), i, d)
			}
		}
	} else if !t.Shape.Known() {
		return nil, fmt.Errorf("input %q has unknown dimensions %v", op.Str("name"), t.Shape)
	}
	if err := requireDType(t.DType, "input", interpDTypes...); err != nil {
		return nil, err
	}
	return []Type{t}, nil
}

// const: a constant.
//
//	%r = const {value=...} : T
//
// Attributes: value, a tensor. The result type is value's dtype and shape.
// A constant whose data was elided in the text form (value=dense<elided>)
// has a type but no data; it verifies, but cannot be evaluated.
func inferConst(op *Op) ([]Type, error) {
	t := op.Tensor("value")
	if t == nil {
		return nil, fmt.Errorf("nil value")
	}
	if !IsElided(t) {
		if err := t.Check(); err != nil {
			return nil, err
		}
	}
	return []Type{{DType: t.DType, Shape: t.Shape.Clone()}}, nil
}
