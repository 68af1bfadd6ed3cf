package tf

import (
	"math"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Ops that make tensors from values and shapes: filling, broadcasting,
// tiling, padding, one-hot. Shapes, multiples and paddings must be
// constants (constInput evaluates them).

func init() {
	register("fill", "tile", convertTile, "Tile")
	register("fill", "pad", convertPad, "Pad", "PadV2", "MirrorPad")
	register("fill", "const (or broadcast of a scalar)", convertFill, "Fill")
	register("fill", "const (or broadcast of a scalar)", convertZerosOnesLike, "ZerosLike", "OnesLike")
	register("fill", "broadcast", convertBroadcastTo, "BroadcastTo")
	register("fill", "reshape + equal (with a constant range) + select", convertOneHot, "OneHot")
}

// Tile becomes tile with the constant multiples (nothing if all are 1),
// or dynamic_tile when the multiples are a shape value.
func convertTile(c *ctx, n *node) error {
	if _, err := c.inputs(n, 2, 2); err != nil {
		return err
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	m, dyn, err := c.shapeInput(n, 1)
	if err != nil {
		return err
	}
	if dyn != nil {
		v, err := c.emit(n, ir.OpDynamicTile, nil, x, dyn)
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
	if len(m) != x.Type.Rank() {
		return n.errorf("multiples %v has %d values, the input has rank %d", m, len(m), x.Type.Rank())
	}
	all1 := true
	for _, k := range m {
		if k < 0 {
			return n.errorf("multiples %v: values must be ≥ 0", m)
		}
		all1 = all1 && k == 1
	}
	if all1 {
		return c.bind(n, x)
	}
	v, err := c.emit(n, ir.OpTile, ir.Attrs{"multiples": m}, x)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// Pad (zeros), PadV2 (constant_values, a constant scalar) and MirrorPad
// (mode REFLECT or SYMMETRIC) become pad. paddings is a constant
// [rank, 2] of (before, after) pairs, all ≥ 0; all zero emits nothing.
func convertPad(c *ctx, n *node) error {
	want := 2
	if n.op == "PadV2" {
		want = 3
	}
	if _, err := c.inputs(n, want, want); err != nil {
		return err
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	pt, err := c.constInput(n, 1)
	if err != nil {
		return err
	}
	r := x.Type.Rank()
	if !pt.Shape.Equal(tensor.Shape{r, 2}) {
		return n.errorf("paddings has shape %v, want [%d,2]", pt.Shape, r)
	}
	p, err := pt.Ints()
	if err != nil {
		return n.errorf("paddings: %v", err)
	}
	pads := make([]int, 2*r)
	zero := true
	for i := range r {
		b, e := p[2*i], p[2*i+1]
		if b < 0 || e < 0 {
			return n.errorf("paddings %v: values must be ≥ 0", p)
		}
		pads[i], pads[r+i] = b, e
		zero = zero && b == 0 && e == 0
	}
	mode, value := "constant", 0.0
	switch n.op {
	case "PadV2":
		t, err := c.constInput(n, 2)
		if err != nil {
			return err
		}
		if t.Len() != 1 {
			return n.errorf("constant_values has shape %v, want a scalar", t.Shape)
		}
		value = t.Float64At(0)
		if t.DType.Storage() == tensor.StoreI64 && int64(value) != t.I64[0] || math.IsNaN(value) {
			return n.errorf("constant_values %v cannot be represented exactly", value)
		}
	case "MirrorPad":
		m, err := n.attrString("mode")
		if err != nil {
			return err
		}
		switch m {
		case "REFLECT":
			mode = "reflect"
		case "SYMMETRIC":
			mode = "symmetric"
		default:
			return n.errorf("unsupported mode %q (want REFLECT or SYMMETRIC)", m)
		}
	}
	if zero {
		return c.bind(n, x)
	}
	v, err := c.emit(n, ir.OpPad, ir.Attrs{"mode": mode, "pads": pads, "value": value}, x)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// Fill (dims: a constant vector; value: a scalar) becomes a constant of the
// full shape when the value is a constant and the result small, else a
// broadcast of the scalar; dims that are a shape value give a
// dynamic_broadcast of the scalar.
func convertFill(c *ctx, n *node) error {
	if _, err := c.inputs(n, 2, 2); err != nil {
		return err
	}
	dims, dyn, err := c.shapeInput(n, 0)
	if err != nil {
		return err
	}
	val, err := c.input(n, 1)
	if err != nil {
		return err
	}
	if val.Type.Rank() != 0 {
		return n.errorf("value has shape %v, want a scalar", val.Type.Shape)
	}
	if dyn != nil {
		v, err := c.emit(n, ir.OpDynamicBroadcast, nil, val, dyn)
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
	shape, err := checkedShape(n, "dims", dims)
	if err != nil {
		return err
	}
	if t, err := c.constValue(val); err == nil {
		v, err := c.filled(n, shape, t, val)
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
	v, err := c.emit(n, ir.OpBroadcast, ir.Attrs{"shape": []int(shape)}, val)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// ZerosLike and OnesLike become a constant of the input's static shape and
// element type (a broadcast scalar when large); of a symbolic input, a
// dynamic_broadcast of the scalar to its shape.
func convertZerosOnesLike(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	s, err := tensor.New(x.Type.DType, tensor.Shape{})
	if err != nil {
		return n.errorf("%v", err)
	}
	if n.op == "OnesLike" {
		switch s.DType.Storage() {
		case tensor.StoreF32:
			s.F32[0] = 1
		case tensor.StoreI32:
			s.I32[0] = 1
		case tensor.StoreI64:
			s.I64[0] = 1
		case tensor.StoreBool:
			s.B[0] = true
		default:
			return n.errorf("element type %v is not supported", s.DType)
		}
	}
	if x.Type.Symbolic() {
		shape, err := c.shapeOf(n, x, tensor.Int64)
		if err != nil {
			return err
		}
		v, err := c.emit(n, ir.OpDynamicBroadcast, nil, c.constant(n, s), shape)
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
	v, err := c.filled(n, x.Type.Shape, s, nil)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// BroadcastTo becomes broadcast to the constant shape (nothing if the
// input already has it), or dynamic_broadcast to a shape value.
func convertBroadcastTo(c *ctx, n *node) error {
	if _, err := c.inputs(n, 2, 2); err != nil {
		return err
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	dims, dyn, err := c.shapeInput(n, 1)
	if err != nil {
		return err
	}
	if dyn != nil || x.Type.Symbolic() {
		if dyn == nil {
			dyn = c.shapeConst(n, dims)
		}
		v, err := c.emit(n, ir.OpDynamicBroadcast, nil, x, dyn)
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
	shape, err := checkedShape(n, "shape", dims)
	if err != nil {
		return err
	}
	if x.Type.Shape.Equal(shape) {
		return c.bind(n, x)
	}
	v, err := c.emit(n, ir.OpBroadcast, ir.Attrs{"shape": []int(shape)}, x)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// OneHot becomes select(equal(reshape(indices), iota), on_value, off_value):
// the indices get a dimension of 1 at axis (-1: last), iota is the
// constant 0..depth-1 laid along that dimension, and the comparison
// broadcasts to the output shape. Indices outside [0, depth) match no
// position and give off_value everywhere, as in TensorFlow. depth is a
// constant; on_value and off_value are scalars.
func convertOneHot(c *ctx, n *node) error {
	vs, err := c.inputs(n, 4, 4)
	if err != nil {
		return err
	}
	idx, on, off := vs[0], vs[2], vs[3]
	depth, err := c.constAxis(n, 1)
	if err != nil {
		return err
	}
	if depth < 0 {
		return n.errorf("depth %d is negative", depth)
	}
	if on.Type.Rank() != 0 || off.Type.Rank() != 0 {
		return n.errorf("on_value and off_value must be scalars; have shapes %v and %v", on.Type.Shape, off.Type.Shape)
	}
	a, err := n.attrIntOr("axis", -1)
	if err != nil {
		return err
	}
	s := idx.Type.Shape
	axis := a
	if a == -1 {
		axis = s.Rank()
	} else if a < 0 || a > s.Rank() {
		return n.errorf("axis %d out of range [-1,%d]", a, s.Rank())
	}
	dt := idx.Type.DType
	if dt != tensor.Int32 && dt != tensor.Int64 {
		return n.errorf("indices have element type %v, want int32 or int64", dt)
	}
	iotaShape := make(tensor.Shape, s.Rank()+1)
	for i := range iotaShape {
		iotaShape[i] = 1
	}
	iotaShape[axis] = depth
	vals := make([]int, depth)
	for i := range vals {
		vals[i] = i
	}
	iota, err := intsTensor(n, dt, iotaShape, vals)
	if err != nil {
		return err
	}
	expanded, err := c.reshape(n, idx, append(append(append(tensor.Shape{}, s[:axis]...), 1), s[axis:]...))
	if err != nil {
		return err
	}
	hit, err := c.emit(n, ir.OpEqual, nil, expanded, c.constant(n, iota))
	if err != nil {
		return err
	}
	v, err := c.emit(n, ir.OpSelect, nil, hit, on, off)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}
