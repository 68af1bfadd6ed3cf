package tf

import (
	"math"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Array ops: reshaping, transposing, joining, splitting, padding, tiling,
// gathering and filling. Shape-like operands (a reshape's target shape, a
// transpose's perm, paddings, ...) must be constants, possibly computed
// from Shape and friends: constInput evaluates them.

func init() {
	register("array", "reshape", convertReshape, "Reshape")
	register("array", "transpose", convertTranspose, "Transpose", "ConjugateTranspose")
	register("array", "concat", convertConcat, "ConcatV2", "Concat")
	register("array", "reshape + concat", convertPack, "Pack")
	register("array", "slice + reshape (one per output)", convertUnpack, "Unpack")
	register("array", "slice (one per output)", convertSplit, "Split", "SplitV")
	register("array", "reshape", convertSqueeze, "Squeeze")
	register("array", "reshape", convertExpandDims, "ExpandDims")
	register("array", "tile", convertTile, "Tile")
	register("array", "pad", convertPad, "Pad", "PadV2", "MirrorPad")
	register("array", "gather", convertGather, "GatherV2", "Gather")
	register("array", "const (or broadcast of a scalar)", convertFill, "Fill")
	register("array", "const (or broadcast of a scalar)", convertZerosOnesLike, "ZerosLike", "OnesLike")
	register("array", "broadcast", convertBroadcastTo, "BroadcastTo")
	register("array", "slice", convertSlice, "Slice")
	register("array", "slice with stride -1", convertReverse, "ReverseV2")
	register("array", "reshape + equal (with a constant range) + select", convertOneHot, "OneHot")
}

// Helpers.

// slice emits a slice, or nothing when it would copy v whole.
func (c *ctx) slice(n *node, v *ir.Value, start, size, stride []int) (*ir.Value, error) {
	identity := len(start) == v.Type.Rank()
	for i, d := range v.Type.Shape {
		identity = identity && start[i] == 0 && size[i] == d && stride[i] == 1
	}
	if identity {
		return v, nil
	}
	return c.emit(n, ir.OpSlice, ir.Attrs{
		"start":  append([]int(nil), start...),
		"size":   append([]int(nil), size...),
		"stride": append([]int(nil), stride...),
	}, v)
}

// ones returns a slice of k ones.
func ones(k int) []int {
	s := make([]int, k)
	for i := range s {
		s[i] = 1
	}
	return s
}

// constAxis reads a constant scalar (or one-element vector) axis from n's
// i-th input.
func (c *ctx) constAxis(n *node, i int) (int, error) {
	v, err := c.constInts(n, i)
	if err != nil {
		return 0, err
	}
	if len(v) != 1 {
		return 0, n.errorf("input %d (axis) has %d values, want a scalar", i, len(v))
	}
	return v[0], nil
}

// maxInlineFill bounds the element count of the constants Fill, ZerosLike
// and OnesLike emit; bigger results broadcast a scalar constant instead.
const maxInlineFill = 1 << 12

// splat returns a tensor of the given shape whose every element is s's
// only element.
func splat(n *node, s *tensor.Tensor, shape tensor.Shape) (*tensor.Tensor, error) {
	t, err := tensor.New(s.DType, shape)
	if err != nil {
		return nil, n.errorf("%v", err)
	}
	switch s.DType.Storage() {
	case tensor.StoreF32:
		for i := range t.F32 {
			t.F32[i] = s.F32[0]
		}
	case tensor.StoreF64:
		for i := range t.F64 {
			t.F64[i] = s.F64[0]
		}
	case tensor.StoreI32:
		for i := range t.I32 {
			t.I32[i] = s.I32[0]
		}
	case tensor.StoreI64:
		for i := range t.I64 {
			t.I64[i] = s.I64[0]
		}
	case tensor.StoreBool:
		for i := range t.B {
			t.B[i] = s.B[0]
		}
	}
	return t, nil
}

// filled returns a value of the given shape whose elements all equal the
// one-element tensor s: a constant when small, else a broadcast of the
// scalar constant (sv if it is that scalar's value already).
func (c *ctx) filled(n *node, shape tensor.Shape, s *tensor.Tensor, sv *ir.Value) (*ir.Value, error) {
	size, err := shape.NumElements()
	if err != nil {
		return nil, n.errorf("%v", err)
	}
	if s.Len() != 1 {
		return nil, n.errorf("fill value has shape %v, want a scalar", s.Shape)
	}
	if size <= maxInlineFill {
		t, err := splat(n, s, shape)
		if err != nil {
			return nil, err
		}
		return c.constant(n, t), nil
	}
	if sv == nil || sv.Type.Rank() != 0 {
		scalar, err := s.Reshape(tensor.Shape{})
		if err != nil {
			return nil, n.errorf("%v", err)
		}
		sv = c.constant(n, scalar)
	}
	return c.emit(n, ir.OpBroadcast, ir.Attrs{"shape": []int(shape.Clone())}, sv)
}

// checkedShape checks that dims are ≥ 0 and their product is in range.
func checkedShape(n *node, what string, dims []int) (tensor.Shape, error) {
	s := tensor.Shape(append([]int(nil), dims...))
	for _, d := range s {
		if d < 0 {
			return nil, n.errorf("%s %v has a negative dimension", what, s)
		}
	}
	if _, err := s.NumElements(); err != nil {
		return nil, n.errorf("%s: %v", what, err)
	}
	return s, nil
}

// Converters.

// Reshape becomes reshape. The target shape is a constant vector
// (possibly computed from Shape, StridedSlice, Pack, ...); one -1 is
// resolved from the input's element count.
func convertReshape(c *ctx, n *node) error {
	if _, err := c.inputs(n, 2, 2); err != nil {
		return err
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	t, err := c.constInput(n, 1)
	if err != nil {
		return err
	}
	if t.Shape.Rank() > 1 {
		return n.errorf("shape operand has shape %v, want a vector", t.Shape)
	}
	dims, err := t.Ints()
	if err != nil {
		return n.errorf("shape operand: %v", err)
	}
	shape, err := resolveReshape(n, x.Type.Shape, dims)
	if err != nil {
		return err
	}
	v, err := c.reshape(n, x, shape)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// resolveReshape resolves a TensorFlow reshape target (at most one -1)
// against the input shape in.
func resolveReshape(n *node, in tensor.Shape, dims []int) (tensor.Shape, error) {
	total := in.Size()
	unknown := -1
	known := 1
	for i, d := range dims {
		switch {
		case d == -1:
			if unknown >= 0 {
				return nil, n.errorf("target shape %v has more than one -1", dims)
			}
			unknown = i
		case d < 0:
			return nil, n.errorf("target shape %v has a negative dimension", dims)
		default:
			if d != 0 && known > tensor.MaxElements/d {
				return nil, n.errorf("target shape %v has too many elements", dims)
			}
			known *= d
		}
	}
	out := tensor.Shape(append([]int(nil), dims...))
	if unknown >= 0 {
		if known == 0 {
			return nil, n.errorf("cannot infer the -1 of target shape %v when the other dimensions have no elements", dims)
		}
		if total%known != 0 {
			return nil, n.errorf("cannot reshape %v (%d elements) to %v", in, total, dims)
		}
		out[unknown] = total / known
	} else if known != total {
		return nil, n.errorf("cannot reshape %v (%d elements) to %v (%d elements)", in, total, dims, known)
	}
	return out, nil
}

// Transpose (and ConjugateTranspose, the same on real numbers) becomes
// transpose with the constant perm; the identity perm emits nothing.
func convertTranspose(c *ctx, n *node) error {
	if _, err := c.inputs(n, 2, 2); err != nil {
		return err
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	perm, err := c.constInts(n, 1)
	if err != nil {
		return err
	}
	if len(perm) != x.Type.Rank() {
		return n.errorf("perm %v has %d values, the input has rank %d", perm, len(perm), x.Type.Rank())
	}
	seen := make([]bool, len(perm))
	for _, p := range perm {
		if p < 0 || p >= len(perm) || seen[p] {
			return n.errorf("perm %v is not a permutation of [0,%d)", perm, len(perm))
		}
		seen[p] = true
	}
	v, err := c.transpose(n, x, perm)
	if err != nil {
		return err
	}
	return c.bind(n, v)
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

// Squeeze becomes reshape removing the dimensions squeeze_dims names
// (negative counting from the end; each must have size 1), or every
// dimension of size 1 when squeeze_dims is empty.
func convertSqueeze(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	dims, err := n.attrIntsOr("squeeze_dims", nil)
	if err != nil {
		return err
	}
	s := x.Type.Shape
	drop := make([]bool, s.Rank())
	for _, d := range dims {
		a, err := normAxis(n, d, s.Rank())
		if err != nil {
			return err
		}
		if s[a] != 1 {
			return n.errorf("cannot squeeze dimension %d of %v: its size is %d, not 1", d, s, s[a])
		}
		drop[a] = true
	}
	out := tensor.Shape{}
	for i, d := range s {
		if (len(dims) == 0 && d == 1) || drop[i] {
			continue
		}
		out = append(out, d)
	}
	v, err := c.reshape(n, x, out)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// ExpandDims becomes reshape inserting a dimension of 1 at the constant
// axis, in [-rank-1, rank].
func convertExpandDims(c *ctx, n *node) error {
	if _, err := c.inputs(n, 2, 2); err != nil {
		return err
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	a, err := c.constAxis(n, 1)
	if err != nil {
		return err
	}
	s := x.Type.Shape
	axis, err := normAxis(n, a, s.Rank()+1)
	if err != nil {
		return err
	}
	out := append(append(append(tensor.Shape{}, s[:axis]...), 1), s[axis:]...)
	v, err := c.reshape(n, x, out)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// Tile becomes tile with the constant multiples (nothing if all are 1).
func convertTile(c *ctx, n *node) error {
	if _, err := c.inputs(n, 2, 2); err != nil {
		return err
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	m, err := c.constInts(n, 1)
	if err != nil {
		return err
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

// GatherV2 (constant axis input, batch_dims attribute; negatives count
// from the end) and Gather (axis 0) become gather. Indices may be computed;
// constant indices are checked to be in range here, since TensorFlow's
// CPU kernel rejects out-of-range indices too.
func convertGather(c *ctx, n *node) error {
	want := 3
	if n.op == "Gather" {
		want = 2
	}
	if _, err := c.inputs(n, want, want); err != nil {
		return err
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	idx, err := c.input(n, 1)
	if err != nil {
		return err
	}
	axis, bd := 0, 0
	if n.op == "GatherV2" {
		a, err := c.constAxis(n, 2)
		if err != nil {
			return err
		}
		if x.Type.Rank() == 0 {
			return n.errorf("cannot gather from a scalar")
		}
		if axis, err = normAxis(n, a, x.Type.Rank()); err != nil {
			return err
		}
		if bd, err = n.attrIntOr("batch_dims", 0); err != nil {
			return err
		}
		if bd < 0 {
			bd += idx.Type.Rank()
		}
		if bd < 0 || bd > idx.Type.Rank() {
			return n.errorf("batch_dims out of range for indices of rank %d", idx.Type.Rank())
		}
		if bd > axis {
			return n.errorf("batch_dims (%d) must be ≤ axis (%d)", bd, axis)
		}
	} else if x.Type.Rank() == 0 {
		return n.errorf("cannot gather from a scalar")
	}
	if t, ok := c.consts[idx]; ok && t.DType.IsInt() {
		dim := x.Type.Shape[axis]
		for i := range t.Len() {
			if k := t.Int64At(i); k < 0 || k >= int64(dim) {
				return n.errorf("index %d out of range [0,%d)", k, dim)
			}
		}
	}
	v, err := c.emit(n, ir.OpGather, ir.Attrs{"axis": axis, "batch_dims": bd}, x, idx)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// Fill (dims: a constant vector; value: a scalar) becomes a constant of the
// full shape when the value is a constant and the result small, else a
// broadcast of the scalar.
func convertFill(c *ctx, n *node) error {
	if _, err := c.inputs(n, 2, 2); err != nil {
		return err
	}
	dims, err := c.constInts(n, 0)
	if err != nil {
		return err
	}
	shape, err := checkedShape(n, "dims", dims)
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
// element type (a broadcast scalar when large).
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
	v, err := c.filled(n, x.Type.Shape, s, nil)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// BroadcastTo becomes broadcast to the constant shape (nothing if the
// input already has it).
func convertBroadcastTo(c *ctx, n *node) error {
	if _, err := c.inputs(n, 2, 2); err != nil {
		return err
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	dims, err := c.constInts(n, 1)
	if err != nil {
		return err
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

// Slice becomes slice with stride 1; begin and size are constants, and a
// size of -1 extends to the end of the dimension.
func convertSlice(c *ctx, n *node) error {
	if _, err := c.inputs(n, 3, 3); err != nil {
		return err
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	begin, err := c.constInts(n, 1)
	if err != nil {
		return err
	}
	size, err := c.constInts(n, 2)
	if err != nil {
		return err
	}
	s := x.Type.Shape
	if len(begin) != s.Rank() || len(size) != s.Rank() {
		return n.errorf("begin %v and size %v need %d values each (the input's rank)", begin, size, s.Rank())
	}
	for i, d := range s {
		if size[i] == -1 {
			size[i] = d - begin[i]
		}
		if begin[i] < 0 || size[i] < 0 || begin[i] > d || size[i] > d-begin[i] {
			return n.errorf("begin %v, size %v: dimension %d of %v is out of bounds", begin, size, i, s)
		}
		if size[i] == 0 {
			begin[i] = 0
		}
	}
	v, err := c.slice(n, x, begin, size, ones(s.Rank()))
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// ReverseV2 becomes a slice with stride -1 along each of the constant axes
// (negative counting from the end, no repeats).
func convertReverse(c *ctx, n *node) error {
	if _, err := c.inputs(n, 2, 2); err != nil {
		return err
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	axes, err := c.constInts(n, 1)
	if err != nil {
		return err
	}
	return c.bindReverse(n, x, axes)
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
