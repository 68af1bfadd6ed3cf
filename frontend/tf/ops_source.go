package tf

import (
	"fmt"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/ir/dim"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	register("source", "input", convertPlaceholder, "Placeholder")
	register("source", "const", convertConst, "Const")
	register("source", "(its input)", convertIdentity,
		"Identity", "StopGradient", "Snapshot", "PreventGradient", "PlaceholderWithDefault", "EnsureShape", "CheckNumerics",
		"CheckNumericsV2", "GuaranteeConst", "DeepCopy", "Print")
	register("source", "(its inputs)", convertIdentityN, "IdentityN")
	register("source", "(nothing)", convertNoOp, "NoOp")
}

// Placeholder becomes an input op named "<node>:0". Its shape comes from
// Options.InputShapes, else from the shape attribute; unknown dimensions
// become Options.UnknownDim.
func convertPlaceholder(c *ctx, n *node) error {
	dt, err := n.attrType("dtype")
	if err != nil {
		return err
	}
	switch dt {
	case tensor.Float32, tensor.Float16, tensor.BFloat16, tensor.Int32, tensor.Int64, tensor.Bool:
	default:
		return n.errorf("input of dtype %v is not supported (want f32, f16, bf16, i32, i64 or bool)", dt)
	}
	name := n.name + ":0"
	shape, ok := c.inShape[name]
	if !ok {
		shape, ok = c.inShape[n.name]
	}
	var declared tensor.Shape
	known := false
	if n.hasAttr("shape") {
		declared, known, err = n.attrShape("shape")
		if err != nil {
			return err
		}
	}
	switch {
	case ok && known:
		// A given shape may set unknown dimensions, never change fixed ones.
		if err := checkGivenShape(name, shape, declared); err != nil {
			return n.errorf("%v", err)
		}
	case !ok && !known:
		return n.errorf("input %s has unknown rank; give its shape with -inputs %s[d0,d1,...]", name, name)
	case !ok:
		shape = declared
	}
	shape = shape.Clone()
	if c.opts.Symbolic && !shape.Known() {
		names, ok := c.opts.Symbols[name]
		if !ok {
			names = c.opts.Symbols[n.name]
		}
		dims := make([]dim.Expr, len(shape))
		for i, d := range shape {
			dims[i] = dim.Const(int64(d))
			if d < 0 {
				s := SymbolName(i)
				if i < len(names) && names[i] != "" {
					s = names[i]
				}
				if !dim.ValidSymbol(s) {
					return n.errorf("input %s: dimension %d: %q is not a valid symbol name", name, i, s)
				}
				dims[i] = dim.Sym(s)
			}
		}
		return c.bind(n, c.f.Input(name, ir.SymbolicType(dt, dims)))
	}
	for i, d := range shape {
		if d >= 0 {
			continue
		}
		if c.opts.UnknownDim <= 0 {
			example := shape.Clone()
			for j := range example {
				example[j] = max(example[j], 1)
			}
			return n.errorf("input %s has shape %v with unknown dimension %d; give its shape, e.g. -inputs %s%v", name, shape, i, name, example)
		}
		shape[i] = c.opts.UnknownDim
		if c.opts.Warn != nil {
			c.opts.Warn(fmt.Sprintf("input %s: unknown dimension %d set to %d (override with -inputs %s[...], or keep it dynamic with -min-shapes, -opt-shapes and -max-shapes)", name, i, c.opts.UnknownDim, name))
		}
	}
	if _, err := shape.NumElements(); err != nil {
		return n.errorf("input %s: %v", name, err)
	}
	v := c.f.Input(name, ir.Type{DType: dt, Shape: shape})
	if p := c.opts.pendingInputs[n.name]; p != nil {
		c.markPending(v, p)
	}
	return c.bind(n, v)
}

// Const becomes a const op. Its value comes from Options.Weights when that
// has one for the node, else from the "value" attribute.
func convertConst(c *ctx, n *node) error {
	var t *tensor.Tensor
	var err error
	if c.opts.Weights != nil {
		if t, err = c.opts.Weights(n.name); err != nil {
			return n.errorf("%v", err)
		}
	}
	if t == nil {
		if t, err = n.attrTensor("value"); err != nil {
			return err
		}
		if c.opts.ReleaseConsts {
			n.releaseTensor("value", c.opts.Release)
		}
	}
	if dt, err := n.attrType("dtype"); err == nil && dt != t.DType {
		return n.errorf("attribute dtype %v disagrees with the value's dtype %v", dt, t.DType)
	}
	t, err = valueDType(n, t)
	if err != nil {
		return err
	}
	return c.bind(n, c.constant(n, t))
}

// valueDType converts constants of dtypes the IR does not compute in
// (f64, i8, i16, u8, u16, u32) to the nearest one it does, when exact:
// small integer types widen to i32, u32 to i64. f64 constants narrow to
// f32 (TensorFlow graphs use them for attributes of float ops only where
// a Cast follows).
func valueDType(n *node, t *tensor.Tensor) (*tensor.Tensor, error) {
	switch t.DType {
	case tensor.Float32, tensor.Float16, tensor.BFloat16, tensor.Int32, tensor.Int64, tensor.Bool:
		return t, nil
	case tensor.Int8, tensor.Int16, tensor.Uint8, tensor.Uint16:
		c := t.Clone()
		c.DType = tensor.Int32
		return c, nil
	case tensor.Uint32:
		c := t.Clone()
		c.DType = tensor.Int64
		return c, nil
	case tensor.Float64:
		c := &tensor.Tensor{DType: tensor.Float32, Shape: t.Shape.Clone(), F32: make([]float32, len(t.F64))}
		for i, v := range t.F64 {
			c.F32[i] = float32(v)
		}
		return c, nil
	}
	return nil, n.errorf("constant of dtype %v is not supported", t.DType)
}

// Identity and friends forward their first input. The checks and side
// effects of some are dropped: CheckNumerics and CheckNumericsV2 (an
// error on NaN or Inf in TensorFlow; tfc passes the values on), EnsureShape
// (the static shapes are already checked at import), Print (its logging);
// GuaranteeConst and DeepCopy only forward.
func convertIdentity(c *ctx, n *node) error {
	v, err := c.input(n, 0)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// IdentityN forwards all its inputs.
func convertIdentityN(c *ctx, n *node) error {
	vs, err := c.inputs(n, 0, -1)
	if err != nil {
		return err
	}
	if len(vs) == 0 {
		n.vals, n.bound = nil, true
		return nil
	}
	return c.bind(n, vs...)
}

// NoOp has no outputs.
func convertNoOp(c *ctx, n *node) error {
	n.vals, n.bound = nil, true
	return nil
}

// SymbolName is the symbol an unknown dimension i of a placeholder becomes
// with Options.Symbolic: N, S, then D2, D3, ...
func SymbolName(i int) string {
	switch i {
	case 0:
		return "N"
	case 1:
		return "S"
	}
	return fmt.Sprintf("D%d", i)
}
