package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	register("space", "reshape + transpose + reshape", convertDepthToSpace, "DepthToSpace")
	register("space", "reshape + transpose + reshape", convertSpaceToDepth, "SpaceToDepth")
	register("space", "pad + reshape + transpose + reshape", convertSpaceToBatch, "SpaceToBatchND", "SpaceToBatch")
	register("space", "reshape + transpose + reshape + slice", convertBatchToSpace, "BatchToSpaceND", "BatchToSpace")
}

// spaceBlockSize reads and checks the block_size attribute.
func spaceBlockSize(n *node) (int, error) {
	bs, err := n.attrInt("block_size")
	if err != nil {
		return 0, err
	}
	if bs < 2 {
		return 0, n.errorf("block_size %d: want ≥ 2", bs)
	}
	return bs, nil
}

// DepthToSpace moves blocks of channels into space, TensorFlow's order
// (depth index (by*bs + bx)*C' + c). NHWC [N,H,W,C] becomes reshape to
// [N,H,W,bs,bs,C'], transpose to [N,H,bs,W,bs,C'] and reshape to
// [N,H*bs,W*bs,C']; NCHW [N,C,H,W] becomes reshape to [N,bs,bs,C',H,W],
// transpose to [N,C',H,bs,W,bs] and reshape to [N,C',H*bs,W*bs].
func convertDepthToSpace(c *ctx, n *node) error {
	vs, err := c.inputs(n, 1, 1)
	if err != nil {
		return err
	}
	x := vs[0]
	if err := nnCheckRank(n, "input", x, 4); err != nil {
		return err
	}
	bs, err := spaceBlockSize(n)
	if err != nil {
		return err
	}
	channelsLast, err := n.dataFormat()
	if err != nil {
		return err
	}
	s := x.Type.Shape
	var nn, h, w, ch int
	if channelsLast {
		nn, h, w, ch = s[0], s[1], s[2], s[3]
	} else {
		nn, ch, h, w = s[0], s[1], s[2], s[3]
	}
	if ch%(bs*bs) != 0 {
		return n.errorf("input %v: channels %d are not a multiple of block_size² = %d", x.Type, ch, bs*bs)
	}
	cc := ch / (bs * bs)
	var split, out tensor.Shape
	var perm []int
	if channelsLast {
		split, perm, out = tensor.Shape{nn, h, w, bs, bs, cc}, []int{0, 1, 3, 2, 4, 5}, tensor.Shape{nn, h * bs, w * bs, cc}
	} else {
		split, perm, out = tensor.Shape{nn, bs, bs, cc, h, w}, []int{0, 3, 4, 1, 5, 2}, tensor.Shape{nn, cc, h * bs, w * bs}
	}
	y, err := c.spaceShuffle(n, x, split, perm, out)
	if err != nil {
		return err
	}
	return c.bind(n, y)
}

// SpaceToDepth is the inverse of DepthToSpace: NHWC [N,H,W,C] becomes
// reshape to [N,H/bs,bs,W/bs,bs,C], transpose to [N,H/bs,W/bs,bs,bs,C] and
// reshape to [N,H/bs,W/bs,bs*bs*C]; NCHW [N,C,H,W] becomes reshape to
// [N,C,H/bs,bs,W/bs,bs], transpose to [N,bs,bs,C,H/bs,W/bs] and reshape
// to [N,bs*bs*C,H/bs,W/bs].
func convertSpaceToDepth(c *ctx, n *node) error {
	vs, err := c.inputs(n, 1, 1)
	if err != nil {
		return err
	}
	x := vs[0]
	if err := nnCheckRank(n, "input", x, 4); err != nil {
		return err
	}
	bs, err := spaceBlockSize(n)
	if err != nil {
		return err
	}
	channelsLast, err := n.dataFormat()
	if err != nil {
		return err
	}
	s := x.Type.Shape
	var nn, h, w, ch int
	if channelsLast {
		nn, h, w, ch = s[0], s[1], s[2], s[3]
	} else {
		nn, ch, h, w = s[0], s[1], s[2], s[3]
	}
	if h%bs != 0 || w%bs != 0 {
		return n.errorf("input %v: height %d and width %d must be multiples of block_size %d", x.Type, h, w, bs)
	}
	var split, out tensor.Shape
	var perm []int
	if channelsLast {
		split, perm, out = tensor.Shape{nn, h / bs, bs, w / bs, bs, ch}, []int{0, 1, 3, 2, 4, 5}, tensor.Shape{nn, h / bs, w / bs, bs * bs * ch}
	} else {
		split, perm, out = tensor.Shape{nn, ch, h / bs, bs, w / bs, bs}, []int{0, 3, 5, 1, 2, 4}, tensor.Shape{nn, bs * bs * ch, h / bs, w / bs}
	}
	y, err := c.spaceShuffle(n, x, split, perm, out)
	if err != nil {
		return err
	}
	return c.bind(n, y)
}

// spaceShuffle emits reshape to split, transpose by perm, reshape to out.
func (c *ctx) spaceShuffle(n *node, x *ir.Value, split tensor.Shape, perm []int, out tensor.Shape) (*ir.Value, error) {
	y, err := c.reshape(n, x, split)
	if err != nil {
		return nil, err
	}
	if y, err = c.transpose(n, y, perm); err != nil {
		return nil, err
	}
	return c.reshape(n, y, out)
}

// spaceBlockArgs reads the block shape and the paddings (or crops) of a
// SpaceToBatch-like node: block_shape and the [M, 2] pads from constant
// inputs (ND ops), or block_size (an attribute, M = 2) and the pads input
// (SpaceToBatch, BatchToSpace).
func (c *ctx) spaceBlockArgs(n *node, x *ir.Value, what string) (block, pads []int, err error) {
	if n.op == "SpaceToBatch" || n.op == "BatchToSpace" {
		if _, err := c.inputs(n, 2, 2); err != nil {
			return nil, nil, err
		}
		bs, err := spaceBlockSize(n)
		if err != nil {
			return nil, nil, err
		}
		block = []int{bs, bs}
		if pads, err = c.constInts(n, 1); err != nil {
			return nil, nil, err
		}
	} else {
		if _, err := c.inputs(n, 3, 3); err != nil {
			return nil, nil, err
		}
		if block, err = c.constInts(n, 1); err != nil {
			return nil, nil, err
		}
		if pads, err = c.constInts(n, 2); err != nil {
			return nil, nil, err
		}
	}
	m := len(block)
	for _, b := range block {
		if b < 1 {
			return nil, nil, n.errorf("block shape %v: values must be ≥ 1", block)
		}
	}
	if len(pads) != 2*m {
		return nil, nil, n.errorf("%s %v: want %d values ([%d, 2] for block shape %v)", what, pads, 2*m, m, block)
	}
	for _, p := range pads {
		if p < 0 {
			return nil, nil, n.errorf("%s %v: values must be ≥ 0", what, pads)
		}
	}
	if x.Type.Rank() < m+1 {
		return nil, nil, n.errorf("input %v: want rank ≥ %d (batch and %d block dimensions)", x.Type, m+1, m)
	}
	return block, pads, nil
}

// SpaceToBatchND (and SpaceToBatch, whose block is [block_size,
// block_size]) with input [B, s_1..s_M, rest...] becomes: pad the s_i by
// paddings; reshape to [B, p_1/b_1, b_1, ..., p_M/b_M, b_M, rest...];
// transpose to [b_1..b_M, B, p_1/b_1, ..., p_M/b_M, rest...]; reshape to
// [B*Πb, p_1/b_1, ..., p_M/b_M, rest...].
func convertSpaceToBatch(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	block, pads, err := c.spaceBlockArgs(n, x, "paddings")
	if err != nil {
		return err
	}
	m, r := len(block), x.Type.Rank()
	s := x.Type.Shape
	padAll := make([]int, 2*r)
	padded := false
	for i := range m {
		padAll[1+i], padAll[r+1+i] = pads[2*i], pads[2*i+1]
		padded = padded || pads[2*i] != 0 || pads[2*i+1] != 0
	}
	y := x
	if padded {
		if y, err = c.emit(n, ir.OpPad, ir.Attrs{"mode": "constant", "pads": padAll, "value": 0.0}, x); err != nil {
			return err
		}
	}
	p := y.Type.Shape
	split := tensor.Shape{s[0]}
	out := tensor.Shape{s[0]}
	var blockAxes, spaceAxes []int
	prod := 1
	for i, b := range block {
		if p[1+i]%b != 0 {
			return n.errorf("padded spatial dimension %d has size %d, not a multiple of block size %d (input %v, paddings %v)", i, p[1+i], b, x.Type, pads)
		}
		spaceAxes = append(spaceAxes, len(split))
		blockAxes = append(blockAxes, len(split)+1)
		split = append(split, p[1+i]/b, b)
		out = append(out, p[1+i]/b)
		prod *= b
	}
	out[0] *= prod
	perm := append(blockAxes, 0)
	perm = append(perm, spaceAxes...)
	for i := m + 1; i < r; i++ {
		perm = append(perm, len(split))
		split = append(split, s[i])
		out = append(out, s[i])
	}
	if y, err = c.spaceShuffle(n, y, split, perm, out); err != nil {
		return err
	}
	return c.bind(n, y)
}

// BatchToSpaceND (and BatchToSpace, whose block is [block_size,
// block_size]) with input [B*Πb, s_1..s_M, rest...] becomes: reshape to
// [b_1..b_M, B, s_1..s_M, rest...]; transpose to [B, s_1, b_1, ..., s_M,
// b_M, rest...]; reshape to [B, s_1*b_1, ..., s_M*b_M, rest...]; slice
// off the crops.
func convertBatchToSpace(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	block, crops, err := c.spaceBlockArgs(n, x, "crops")
	if err != nil {
		return err
	}
	m, r := len(block), x.Type.Rank()
	s := x.Type.Shape
	prod := 1
	for _, b := range block {
		prod *= b
	}
	if s[0]%prod != 0 {
		return n.errorf("input %v: batch %d is not a multiple of the block size product %d (block shape %v)", x.Type, s[0], prod, block)
	}
	split := append(tensor.Shape{}, block...)
	split = append(split, s[0]/prod)
	split = append(split, s[1:]...)
	perm := []int{m}
	out := tensor.Shape{s[0] / prod}
	for i, b := range block {
		perm = append(perm, m+1+i, i)
		out = append(out, s[1+i]*b)
	}
	for i := m + 1; i < r; i++ {
		perm = append(perm, m+i)
		out = append(out, s[i])
	}
	y, err := c.spaceShuffle(n, x, split, perm, out)
	if err != nil {
		return err
	}
	start := make([]int, r)
	size := []int(out.Clone())
	cropped := false
	for i := range m {
		b, e := crops[2*i], crops[2*i+1]
		if b+e > out[1+i] {
			return n.errorf("crops %v remove more than the %d positions of spatial dimension %d", crops, out[1+i], i)
		}
		start[1+i] = b
		size[1+i] = out[1+i] - b - e
		cropped = cropped || b != 0 || e != 0
	}
	if cropped {
		if y, err = c.emit(n, ir.OpSlice, ir.Attrs{"start": start, "size": size, "stride": nnOnes(r)}, y); err != nil {
			return err
		}
	}
	return c.bind(n, y)
}
