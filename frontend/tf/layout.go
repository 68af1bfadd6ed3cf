package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Helpers shared by converters: layout changes, TensorFlow padding rules,
// and small constants.

// channelsFirstPerm is the perm taking [N, s_1..s_k, C] to [N, C, s_1..s_k].
func channelsFirstPerm(rank int) []int {
	p := []int{0, rank - 1}
	for i := 1; i < rank-1; i++ {
		p = append(p, i)
	}
	return p
}

// channelsLastPerm is the perm taking [N, C, s_1..s_k] to [N, s_1..s_k, C].
func channelsLastPerm(rank int) []int {
	p := []int{0}
	for i := 2; i < rank; i++ {
		p = append(p, i)
	}
	return append(p, 1)
}

// transpose emits a transpose (or nothing for the identity perm).
func (c *ctx) transpose(n *node, v *ir.Value, perm []int) (*ir.Value, error) {
	identity := true
	for i, p := range perm {
		identity = identity && p == i
	}
	if identity && len(perm) == v.Type.Rank() {
		return v, nil
	}
	return c.emit(n, ir.OpTranspose, ir.Attrs{"perm": perm}, v)
}

// reshape emits a reshape (or nothing if the shape is unchanged).
func (c *ctx) reshape(n *node, v *ir.Value, shape tensor.Shape) (*ir.Value, error) {
	if v.Type.Shape.Equal(shape) {
		return v, nil
	}
	if v.Type.Symbolic() {
		return c.symbolicReshape(n, v, shape)
	}
	if v.Type.Shape.Equal(shape) {
		return v, nil
	}
	return c.emit(n, ir.OpReshape, ir.Attrs{"shape": []int(shape.Clone())}, v)
}

// symbolicReshape reshapes a value of symbolic type to shape, computed by
// a converter from v.Type.Shape (where a symbolic dimension is -1): the
// -1s of shape stand, in order, for v's symbolic dimensions (the
// converters that insert or remove dimensions of 1 — ExpandDims,
// Squeeze, Pack — keep their order). The target becomes a shape value
// (gathered from shape(v) and constants) for dynamic_reshape, whose type
// rule proves the element count.
func (c *ctx) symbolicReshape(n *node, v *ir.Value, shape tensor.Shape) (*ir.Value, error) {
	var symIdx []int
	for i, d := range v.Type.Shape {
		if d == tensor.Unknown {
			symIdx = append(symIdx, i)
		}
	}
	var consts []int64
	idx := make([]int64, len(shape))
	k := 0
	r := int64(v.Type.Rank())
	for i, d := range shape {
		if d == tensor.Unknown {
			if k >= len(symIdx) {
				return nil, n.errorf("cannot reshape %v to %v", v.Type, shape)
			}
			idx[i] = int64(symIdx[k])
			k++
			continue
		}
		if d < 0 {
			return nil, n.errorf("cannot reshape %v to %v", v.Type, shape)
		}
		idx[i] = r + int64(len(consts))
		consts = append(consts, int64(d))
	}
	if k != len(symIdx) {
		return nil, n.errorf("cannot reshape %v to %v: its symbolic dimensions do not all appear", v.Type, shape)
	}
	s, err := c.shapeOf(n, v, tensor.Int64)
	if err != nil {
		return nil, err
	}
	all := s
	if len(consts) > 0 {
		if all, err = c.emit(n, ir.OpConcat, ir.Attrs{"axis": 0}, s, c.constant(n, tensor.FromI64(tensor.Shape{len(consts)}, consts))); err != nil {
			return nil, err
		}
	}
	target, err := c.emit(n, ir.OpGather, ir.Attrs{"axis": 0, "batch_dims": 0}, all, c.constant(n, tensor.FromI64(tensor.Shape{len(idx)}, idx)))
	if err != nil {
		return nil, err
	}
	return c.emit(n, ir.OpDynamicReshape, nil, v, target)
}

// toChannelsFirst converts a value in the node's data_format to channels
// first: a transpose for NHWC-style formats, nothing for NCHW.
func (c *ctx) toChannelsFirst(n *node, v *ir.Value, channelsLast bool) (*ir.Value, error) {
	if !channelsLast {
		return v, nil
	}
	return c.transpose(n, v, channelsFirstPerm(v.Type.Rank()))
}

// fromChannelsFirst is the inverse of toChannelsFirst.
func (c *ctx) fromChannelsFirst(n *node, v *ir.Value, channelsLast bool) (*ir.Value, error) {
	if !channelsLast {
		return v, nil
	}
	return c.transpose(n, v, channelsLastPerm(v.Type.Rank()))
}

// bindChannelsFirst binds a channels-first result as n's output, in n's
// data format (transposed back to channels last for NHWC-style formats).
func (c *ctx) bindChannelsFirst(n *node, y *ir.Value, channelsLast bool) error {
	y, err := c.fromChannelsFirst(n, y, channelsLast)
	if err != nil {
		return err
	}
	return c.bind(n, y)
}

// spatialOf picks the spatial entries of a TF per-dimension attribute
// (strides, dilations, ksize: one value per dimension of the data_format).
func spatialOf(vals []int, channelsLast bool) []int {
	if channelsLast {
		return append([]int(nil), vals[1:len(vals)-1]...)
	}
	return append([]int(nil), vals[2:]...)
}

// tfPads computes begin and end pads of every spatial dimension for a
// TensorFlow padding attribute, in the IR's layout (all begins, then all
// ends). in and k are the input and kernel (window) spatial sizes. SAME
// follows TensorFlow: the output is ceil(in/stride) and the total padding
// max((out-1)*stride + (k-1)*dilation + 1 - in, 0) is split with the
// smaller half first. explicit is the EXPLICIT padding attribute
// (begin,end pairs for every dimension of the data format).
func tfPads(n *node, padding string, in, k, strides, dil []int, explicit []int, channelsLast bool) ([]int, error) {
	s := len(in)
	pads := make([]int, 2*s)
	switch padding {
	case "VALID":
	case "SAME":
		for j := range s {
			out := (in[j] + strides[j] - 1) / strides[j]
			eff := (k[j]-1)*dil[j] + 1
			total := max((out-1)*strides[j]+eff-in[j], 0)
			pads[j] = total / 2
			pads[s+j] = total - total/2
		}
	case "EXPLICIT":
		if len(explicit) != 2*(s+2) {
			return nil, n.errorf("explicit_paddings has %d values, want %d", len(explicit), 2*(s+2))
		}
		for j := range s {
			d := j + 2
			if channelsLast {
				d = j + 1
			}
			pads[j], pads[s+j] = explicit[2*d], explicit[2*d+1]
		}
		other := []int{0, 1} // batch and channel dimensions
		if channelsLast {
			other = []int{0, s + 1}
		}
		for _, d := range other {
			if explicit[2*d] != 0 || explicit[2*d+1] != 0 {
				return nil, n.errorf("explicit_paddings %v pads the batch or channel dimension", explicit)
			}
		}
	default:
		return nil, n.errorf("unsupported padding %q", padding)
	}
	return pads, nil
}

// scalar returns a constant scalar of dtype dt holding v.
func (c *ctx) scalar(n *node, dt tensor.DType, v float64) *ir.Value {
	return c.constant(n, tensor.Scalar(dt, v))
}

// normAxis normalises a possibly negative axis for a value of rank r.
func normAxis(n *node, axis, r int) (int, error) {
	a, err := tensor.NormAxis(axis, r)
	if err != nil {
		return 0, n.errorf("%v", err)
	}
	return a, nil
}
