package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	register("reverse", "slice with stride -1 (the axes whose dims entry is true)", convertReverseV1, "Reverse")
	register("reverse", "gather{batch_dims=1} along seq_dim of per-row indices select(t < len, len-1-t, t) (transposes when batch_dim is not first)",
		convertReverseSequence, "ReverseSequence")
	register("reverse", "select(band mask from constant iotas and num_lower/num_upper, x, 0)", convertMatrixBandPart, "MatrixBandPart")
}

// Reverse (the first version, a bool per dimension) becomes a slice with
// stride -1 along the dimensions marked true.
func convertReverseV1(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	t, err := c.constInput(n, 1)
	if err != nil {
		return err
	}
	if t.DType != tensor.Bool || len(t.Shape) != 1 || t.Shape[0] != vs[0].Type.Rank() {
		return n.errorf("dims is %v, want bool[%d] (one per dimension of %v)", t, vs[0].Type.Rank(), vs[0].Type)
	}
	var axes []int
	for i, b := range t.B {
		if b {
			axes = append(axes, i)
		}
	}
	return c.bindReverse(n, vs[0], axes)
}

// bindReverse binds n to x reversed along the given (normalised or
// negative) axes: a slice with stride -1 on each.
func (c *ctx) bindReverse(n *node, x *ir.Value, axes []int) error {
	s := x.Type.Shape
	start, size, stride := make([]int, s.Rank()), s.Clone(), ones(s.Rank())
	seen := make([]bool, s.Rank())
	for _, a := range axes {
		i, err := normAxis(n, a, s.Rank())
		if err != nil {
			return err
		}
		if seen[i] {
			return n.errorf("axis %d is given twice", a)
		}
		seen[i] = true
		if s[i] > 1 { // reversing 0 or 1 elements changes nothing
			start[i], stride[i] = s[i]-1, -1
		}
	}
	v, err := c.slice(n, x, start, size, stride)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// ReverseSequence reverses the first seq_lengths[b] elements along
// seq_dim of each slice b along batch_dim: with x transposed so that
// batch_dim and seq_dim come first, r[b, t, ...] = x[b, idx[b, t], ...]
// where idx[b, t] = t < len[b] ? len[b]-1-t : t, a gather with one batch
// dimension; seq_lengths may be computed at run time. A length above the
// dimension makes an index out of range (an error, as in TensorFlow).
func convertReverseSequence(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	x, lens := vs[0], vs[1]
	r := x.Type.Rank()
	sd, err := n.attrInt("seq_dim")
	if err != nil {
		return err
	}
	bdAttr, err := n.attrIntOr("batch_dim", 0)
	if err != nil {
		return err
	}
	// TensorFlow's kernel takes no negative dimensions ("Invalid seq_dim").
	seq, bd := sd, bdAttr
	if seq < 0 || seq >= r || bd < 0 || bd >= r {
		return n.errorf("seq_dim %d and batch_dim %d: want both in [0, %d)", sd, bdAttr, r)
	}
	if seq == bd {
		return n.errorf("seq_dim and batch_dim are both %d", seq)
	}
	B, T := x.Type.Shape[bd], x.Type.Shape[seq]
	if lens.Type.Rank() != 1 || lens.Type.Shape[0] != B {
		return n.errorf("seq_lengths is %v, want a vector of the batch size %d", lens.Type, B)
	}
	it := lens.Type.DType
	if T > maxIota {
		return n.errorf("sequences of %d elements: more than %d", T, maxIota)
	}
	tv := c.constant(n, iotaTensor(it, tensor.Shape{1, T}))
	lv, err := c.emit(n, ir.OpReshape, ir.Attrs{"shape": []int{B, 1}}, lens)
	if err != nil {
		return err
	}
	last, err := c.emit(n, ir.OpSub, nil, lv, c.scalar(n, it, 1))
	if err != nil {
		return err
	}
	rev, err := c.emit(n, ir.OpSub, nil, last, tv) // [B, T]
	if err != nil {
		return err
	}
	in, err := c.emit(n, ir.OpLess, nil, tv, lv)
	if err != nil {
		return err
	}
	idx, err := c.emit(n, ir.OpSelect, nil, in, rev, tv)
	if err != nil {
		return err
	}
	perm := []int{bd, seq}
	for i := range r {
		if i != bd && i != seq {
			perm = append(perm, i)
		}
	}
	xt := x
	if !isIdentityPerm(perm) {
		if xt, err = c.emit(n, ir.OpTranspose, ir.Attrs{"perm": perm}, x); err != nil {
			return err
		}
	}
	g, err := c.emit(n, ir.OpGather, ir.Attrs{"axis": 1, "batch_dims": 1}, xt, idx)
	if err != nil {
		return err
	}
	if !isIdentityPerm(perm) {
		inv := make([]int, r)
		for i, p := range perm {
			inv[p] = i
		}
		if g, err = c.emit(n, ir.OpTranspose, ir.Attrs{"perm": inv}, g); err != nil {
			return err
		}
	}
	return c.bind(n, g)
}

// MatrixBandPart keeps the band of the innermost [M, N] matrices:
// r[..., m, k] = x[..., m, k] where (num_lower < 0 or m-k ≤ num_lower) and
// (num_upper < 0 or k-m ≤ num_upper), else 0. The mask is computed from
// constant iotas and the (usually constant, then folded) bounds, and a
// select keeps x's values (NaN included) or zeros.
func convertMatrixBandPart(c *ctx, n *node) error {
	vs, err := c.inputs(n, 3, 3)
	if err != nil {
		return err
	}
	x := vs[0]
	r := x.Type.Rank()
	if r < 2 {
		return n.errorf("input %v: want rank ≥ 2", x.Type)
	}
	M, N := x.Type.Shape[r-2], x.Type.Shape[r-1]
	it := vs[1].Type.DType
	if vs[2].Type.DType != it || vs[1].Type.Rank() != 0 || vs[2].Type.Rank() != 0 {
		return n.errorf("num_lower %v and num_upper %v: want scalars of one integer type", vs[1].Type, vs[2].Type)
	}
	// d[m, k] = m - k, from constant iotas of the bounds' type.
	if M > maxIota || N > maxIota {
		return n.errorf("matrices of %dx%d: more than %d rows or columns", M, N, maxIota)
	}
	dv, err := c.emit(n, ir.OpSub, nil, c.constant(n, iotaTensor(it, tensor.Shape{M, 1})), c.constant(n, iotaTensor(it, tensor.Shape{1, N})))
	if err != nil {
		return err
	}
	zero := c.scalar(n, it, 0)
	// keep(bound, diff) = bound < 0 or diff ≤ bound.
	keep := func(bound, diff *ir.Value) (*ir.Value, error) {
		neg, err := c.emit(n, ir.OpLess, nil, bound, zero)
		if err != nil {
			return nil, err
		}
		in, err := c.emit(n, ir.OpLessEqual, nil, diff, bound)
		if err != nil {
			return nil, err
		}
		return c.emit(n, ir.OpOr, nil, neg, in)
	}
	lower, err := keep(vs[1], dv)
	if err != nil {
		return err
	}
	negd, err := c.emit(n, ir.OpNeg, nil, dv)
	if err != nil {
		return err
	}
	upper, err := keep(vs[2], negd)
	if err != nil {
		return err
	}
	mask, err := c.emit(n, ir.OpAnd, nil, lower, upper)
	if err != nil {
		return err
	}
	v, err := c.emit(n, ir.OpSelect, nil, mask, x, c.scalar(n, x.Type.DType, 0))
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// maxIota bounds the constant index vectors the reverse and band
// translations make (one element per row, column or sequence position).
const maxIota = 1 << 24

// iotaTensor is 0, 1, 2, ... of an integer type in the given shape.
func iotaTensor(dt tensor.DType, s tensor.Shape) *tensor.Tensor {
	t := tensor.MustNew(dt, s)
	for i := range t.Len() {
		if dt == tensor.Int32 {
			t.I32[i] = int32(i)
		} else {
			t.I64[i] = int64(i)
		}
	}
	return t
}
