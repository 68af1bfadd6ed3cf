package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Join and split ops: concatenating, stacking and unstacking, splitting.
// Axes and split sizes must be constants (constInput evaluates them).

func init() {
	register("join", "concat", convertConcat, "ConcatV2", "Concat")
	register("join", "reshape + concat", convertPack, "Pack")
	register("join", "concat{axis=0}", convertParallelConcat, "ParallelConcat")
	register("join", "slice + reshape (one per output)", convertUnpack, "Unpack")
	register("join", "slice (one per output)", convertSplit, "Split", "SplitV")
}

// ConcatV2 (axis last) and Concat (axis first) become concat; the axis is
// a constant, negative counting from the end. One input is forwarded.
func convertConcat(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, -1)
	if err != nil {
		return err
	}
	axisIn := len(vs) - 1
	vals := vs[:axisIn]
	if n.op == "Concat" {
		axisIn, vals = 0, vs[1:]
	}
	a, err := c.constAxis(n, axisIn)
	if err != nil {
		return err
	}
	r := vals[0].Type.Rank()
	if r == 0 {
		return n.errorf("cannot concatenate scalars (use Pack)")
	}
	axis, err := normAxis(n, a, r)
	if err != nil {
		return err
	}
	if len(vals) == 1 {
		return c.bind(n, vals[0])
	}
	v, err := c.emit(n, ir.OpConcat, ir.Attrs{"axis": axis}, vals...)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// Pack becomes a reshape of each input (inserting a dimension of 1 at
// axis) and a concat along axis; axis is in [-rank-1, rank].
func convertPack(c *ctx, n *node) error {
	vs, err := c.inputs(n, 1, -1)
	if err != nil {
		return err
	}
	a, err := n.attrIntOr("axis", 0)
	if err != nil {
		return err
	}
	s0 := vs[0].Type.Shape
	axis, err := normAxis(n, a, s0.Rank()+1)
	if err != nil {
		return err
	}
	shape := append(append(append(tensor.Shape{}, s0[:axis]...), 1), s0[axis:]...)
	parts := make([]*ir.Value, len(vs))
	for i, v := range vs {
		if !v.Type.Shape.Equal(s0) {
			return n.errorf("input %d has shape %v, input 0 has %v", i, v.Type.Shape, s0)
		}
		if parts[i], err = c.reshape(n, v, shape); err != nil {
			return err
		}
	}
	if len(parts) == 1 {
		return c.bind(n, parts[0])
	}
	v, err := c.emit(n, ir.OpConcat, ir.Attrs{"axis": axis}, parts...)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// Unpack becomes, for each of its num outputs, a slice of one index along
// axis and a reshape dropping that dimension.
func convertUnpack(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	s := x.Type.Shape
	if s.Rank() == 0 {
		return n.errorf("cannot unpack a scalar")
	}
	a, err := n.attrIntOr("axis", 0)
	if err != nil {
		return err
	}
	axis, err := normAxis(n, a, s.Rank())
	if err != nil {
		return err
	}
	num, err := n.attrIntOr("num", s[axis])
	if err != nil {
		return err
	}
	if num != s[axis] {
		return n.errorf("num=%d, but dimension %d of %v has size %d", num, axis, s, s[axis])
	}
	outShape := append(append(tensor.Shape{}, s[:axis]...), s[axis+1:]...)
	start, size := make([]int, s.Rank()), s.Clone()
	size[axis] = 1
	outs := make([]*ir.Value, num)
	for i := range num {
		start[axis] = i
		v, err := c.slice(n, x, start, size, ones(s.Rank()))
		if err != nil {
			return err
		}
		if outs[i], err = c.reshape(n, v, outShape); err != nil {
			return err
		}
	}
	return c.bind(n, outs...)
}

// Split (inputs: axis, value; num_split equal parts) and SplitV (inputs:
// value, size_splits with at most one -1, axis) become one slice per
// output along the constant axis.
func convertSplit(c *ctx, n *node) error {
	var x *ir.Value
	var a int
	var err error
	if n.op == "Split" {
		if _, err = c.inputs(n, 2, 2); err != nil {
			return err
		}
		if a, err = c.constAxis(n, 0); err != nil {
			return err
		}
		x, err = c.input(n, 1)
	} else {
		if _, err = c.inputs(n, 3, 3); err != nil {
			return err
		}
		if a, err = c.constAxis(n, 2); err != nil {
			return err
		}
		x, err = c.input(n, 0)
	}
	if err != nil {
		return err
	}
	s := x.Type.Shape
	if s.Rank() == 0 {
		return n.errorf("cannot split a scalar")
	}
	axis, err := normAxis(n, a, s.Rank())
	if err != nil {
		return err
	}
	num, err := n.attrInt("num_split")
	if err != nil {
		return err
	}
	if num < 1 {
		return n.errorf("num_split=%d, want ≥ 1", num)
	}
	dim := s[axis]
	var sizes []int
	if n.op == "Split" {
		if dim%num != 0 {
			return n.errorf("dimension %d of %v (size %d) does not split into %d equal parts", axis, s, dim, num)
		}
		for range num {
			sizes = append(sizes, dim/num)
		}
	} else {
		if sizes, err = c.constInts(n, 1); err != nil {
			return err
		}
		if len(sizes) != num {
			return n.errorf("size_splits has %d values, num_split is %d", len(sizes), num)
		}
		unknown, sum := -1, 0
		for i, k := range sizes {
			switch {
			case k == -1 && unknown < 0:
				unknown = i
			case k < 0:
				return n.errorf("size_splits %v: sizes must be ≥ 0, with at most one -1", sizes)
			default:
				sum += k
			}
		}
		if unknown >= 0 {
			if sum > dim {
				return n.errorf("size_splits %v add up to more than dimension %d of %v (size %d)", sizes, axis, s, dim)
			}
			sizes[unknown] = dim - sum
		} else if sum != dim {
			return n.errorf("size_splits %v add up to %d, dimension %d of %v has size %d", sizes, sum, axis, s, dim)
		}
	}
	outs := make([]*ir.Value, num)
	start, size := make([]int, s.Rank()), s.Clone()
	for i, k := range sizes {
		size[axis] = k
		v, err := c.slice(n, x, start, size, ones(s.Rank()))
		if err != nil {
			return err
		}
		outs[i] = v
		start[axis] += k
	}
	return c.bind(n, outs...)
}

// ParallelConcat concatenates its inputs, each of shape [1, ...] (the
// shape attribute is the result's), along axis 0.
func convertParallelConcat(c *ctx, n *node) error {
	vs, err := c.inputs(n, 1, -1)
	if err != nil {
		return err
	}
	for i, v := range vs {
		if v.Type.Rank() == 0 || v.Type.Shape[0] != 1 {
			return n.errorf("input %d has shape %v; want a first dimension of 1", i, v.Type.Shape)
		}
	}
	if len(vs) == 1 {
		return c.bind(n, vs[0])
	}
	v, err := c.emit(n, ir.OpConcat, ir.Attrs{"axis": 0}, vs...)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}
