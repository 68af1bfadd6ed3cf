package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	register("pool", "per window offset: strided slice, greater, select of values and constant flat indices (TF's first-valid-then-greater rule)",
		convertMaxPoolWithArgmax, "MaxPoolWithArgmax")
}

// MaxPoolWithArgmax (NHWC) gives the window maxima and their flat indices
// ((y·W + x)·C + c, plus b·H·W·C with include_batch_in_index), as
// TensorFlow's CPU kernel computes them: in each window the first position
// inside the input is taken, then a later one replaces it only when
// strictly greater (so a NaN in the first position stays, later NaN never
// win). It becomes, for the window offsets (dy, dx) in row-major order, a
// strided slice of the (zero-)padded input and the constant flat indices
// and validity of that offset, folded in by selects:
//
//	take = valid_k and (not have or v_k > best)
//	best = select(take, v_k, best); index = select(take, idx_k, index); have = have or valid_k
//
// Validity is constant, so the first offset's and the padding's selects
// fold away.
func convertMaxPoolWithArgmax(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	if err := nnCheckRank(n, "input", x, 4); err != nil {
		return err
	}
	ksize, err := n.attrInts("ksize")
	if err != nil {
		return err
	}
	strides, err := n.attrInts("strides")
	if err != nil {
		return err
	}
	if len(ksize) != 4 || len(strides) != 4 || ksize[0] != 1 || ksize[3] != 1 || strides[0] != 1 || strides[3] != 1 {
		return n.errorf("ksize %v and strides %v: want [1, h, w, 1] (pooling over batch or channels is not supported)", ksize, strides)
	}
	if ksize[1] < 1 || ksize[2] < 1 || strides[1] < 1 || strides[2] < 1 {
		return n.errorf("ksize %v and strides %v: window and strides must be positive", ksize, strides)
	}
	padding, err := n.attrString("padding")
	if err != nil {
		return err
	}
	withBatch, err := n.attrBoolOr("include_batch_in_index", false)
	if err != nil {
		return err
	}
	idt := tensor.Int64
	if n.hasAttr("Targmax") {
		if idt, err = n.attrType("Targmax"); err != nil {
			return err
		}
		if idt != tensor.Int32 && idt != tensor.Int64 {
			return n.errorf("Targmax %v: want int32 or int64", idt)
		}
	}
	s := x.Type.Shape
	N, H, W, C := s[0], s[1], s[2], s[3]
	kh, kw, sh, sw := ksize[1], ksize[2], strides[1], strides[2]
	pads, err := tfPads(n, padding, []int{H, W}, []int{kh, kw}, []int{sh, sw}, []int{1, 1}, nil, true)
	if err != nil {
		return err
	}
	top, left := pads[0], pads[1]
	OH, OW := (H+pads[0]+pads[2]-kh)/sh+1, (W+pads[1]+pads[3]-kw)/sw+1
	if OH < 1 || OW < 1 {
		return n.errorf("window %dx%d does not fit the input %v", kh, kw, s)
	}
	// One constant of flat indices per window offset.
	if kh*kw > 1024 || OH*OW*C > 1<<24 || kh*kw*OH*OW*C > 1<<26 {
		return n.errorf("window %dx%d over an output of %dx%dx%d: too large to unroll (at most 1024 offsets and 2^26 indices)", kh, kw, OH, OW, C)
	}
	xp := x
	if pads[0]+pads[1]+pads[2]+pads[3] > 0 {
		if xp, err = c.emit(n, ir.OpPad, ir.Attrs{"mode": "constant", "pads": []int{0, top, left, 0, 0, pads[2], pads[3], 0}, "value": 0.0}, x); err != nil {
			return err
		}
	}
	var best, index, have *ir.Value
	for dy := range kh {
		for dx := range kw {
			v, err := c.slice(n, xp, []int{0, dy, dx, 0}, []int{N, OH, OW, C}, []int{1, sh, sw, 1})
			if err != nil {
				return err
			}
			valid := tensor.MustNew(tensor.Bool, tensor.Shape{1, OH, OW, 1})
			idx := tensor.MustNew(idt, tensor.Shape{1, OH, OW, C})
			for oy := range OH {
				for ox := range OW {
					y, xx := oy*sh-top+dy, ox*sw-left+dx
					ok := y >= 0 && y < H && xx >= 0 && xx < W
					valid.B[oy*OW+ox] = ok
					for ch := range C {
						f := int64((y*W+xx)*C + ch)
						if !ok {
							f = 0
						}
						if idt == tensor.Int32 {
							idx.I32[(oy*OW+ox)*C+ch] = int32(f)
						} else {
							idx.I64[(oy*OW+ox)*C+ch] = f
						}
					}
				}
			}
			vk, ik := c.constant(n, valid), c.constant(n, idx)
			if best == nil {
				best, index, have = v, ik, vk
				continue
			}
			gt, err := c.emit(n, ir.OpGreater, nil, v, best)
			if err != nil {
				return err
			}
			notHave, err := c.emit(n, ir.OpNot, nil, have)
			if err != nil {
				return err
			}
			better, err := c.emit(n, ir.OpOr, nil, notHave, gt)
			if err != nil {
				return err
			}
			take, err := c.emit(n, ir.OpAnd, nil, vk, better)
			if err != nil {
				return err
			}
			if best, err = c.emit(n, ir.OpSelect, nil, take, v, best); err != nil {
				return err
			}
			if index, err = c.emit(n, ir.OpSelect, nil, take, ik, index); err != nil {
				return err
			}
			if have, err = c.emit(n, ir.OpOr, nil, have, vk); err != nil {
				return err
			}
		}
	}
	// Broadcast the index over the batch (and add b·H·W·C when asked).
	if index.Type.Shape[0] != N {
		if index, err = c.emit(n, ir.OpBroadcast, ir.Attrs{"shape": []int{N, OH, OW, C}}, index); err != nil {
			return err
		}
	}
	if withBatch && N > 1 {
		off := tensor.MustNew(idt, tensor.Shape{N, 1, 1, 1})
		for b := range N {
			if idt == tensor.Int32 {
				off.I32[b] = int32(b * H * W * C)
			} else {
				off.I64[b] = int64(b * H * W * C)
			}
		}
		if index, err = c.emit(n, ir.OpAdd, nil, index, c.constant(n, off)); err != nil {
			return err
		}
	}
	return c.bind(n, best, index)
}
