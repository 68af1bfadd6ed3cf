package tf

import (
	"math"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Grey-scale morphology: Dilation2D.

func init() {
	register("morphology", "pad{-inf} + per filter tap: slice + add + max", convertDilation2D, "Dilation2D")
	differs("A NaN input propagates through max; TensorFlow's kernel (comparing with >) skips it.", "Dilation2D")
}

// Dilation2D(input [B,H,W,D], filter [fh,fw,D]) follows dilation_ops.cc:
//
//	out[b,y,x,d] = max over (i,j) of input[b, y·sh + i·rh - top, x·sw + j·rw - left, d] + filter[i,j,d]
//
// over the taps inside the image. The effective filter size is
// (f-1)·rate + 1; SAME pads (out-1)·stride + eff - in in total, top/left
// getting half (rounded down), VALID none. Padding positions hold -∞,
// so they never win. One slice, add and max per filter tap. The kernel
// keeps the first of a NaN and a number (it compares with >); the IR's
// max propagates NaN.
func convertDilation2D(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	x, f := vs[0], vs[1]
	if x.Type.Rank() != 4 || f.Type.Rank() != 3 || f.Type.Shape[2] != x.Type.Shape[3] || x.Type.Symbolic() {
		return n.errorf("input %v and filter %v: want [B,H,W,D] and [fh,fw,D] with known shapes", x.Type, f.Type)
	}
	if dt := x.Type.DType; !dt.IsFloat() || dt == tensor.Float64 || f.Type.DType != dt {
		return n.errorf("input %v and filter %v: want one element type, f32, f16 or bf16", x.Type, f.Type)
	}
	strides, err := n.attrInts("strides")
	if err != nil {
		return err
	}
	rates, err := n.attrInts("rates")
	if err != nil {
		return err
	}
	if len(strides) != 4 || len(rates) != 4 || strides[0] != 1 || strides[3] != 1 || rates[0] != 1 || rates[3] != 1 {
		return n.errorf("strides %v and rates %v: want [1, h, w, 1]", strides, rates)
	}
	padding, err := n.attrString("padding")
	if err != nil {
		return err
	}
	s := x.Type.Shape
	var out, begin, end [2]int
	for a := range 2 {
		in, fs, st, rt := s[1+a], f.Type.Shape[a], strides[1+a], rates[1+a]
		if st < 1 || rt < 1 {
			return n.errorf("strides %v and rates %v: want values ≥ 1", strides, rates)
		}
		eff := (fs-1)*rt + 1
		switch padding {
		case "VALID":
			if in < eff {
				return n.errorf("input %v is smaller than the effective filter size %d", x.Type, eff)
			}
			out[a] = (in-eff)/st + 1
		case "SAME":
			out[a] = (in + st - 1) / st
			total := max(0, (out[a]-1)*st+eff-in)
			begin[a], end[a] = total/2, total-total/2
		default:
			return n.errorf("unsupported padding %q", padding)
		}
	}
	e := c.emitter(n, x.Type.DType)
	padded := x
	if begin != [2]int{} || end != [2]int{} {
		padded = e.op(ir.OpPad, ir.Attrs{"mode": "constant", "value": math.Inf(-1),
			"pads": []int{0, begin[0], begin[1], 0, 0, end[0], end[1], 0}}, x)
	}
	var acc *ir.Value
	for i := range f.Type.Shape[0] {
		for j := range f.Type.Shape[1] {
			if e.err != nil {
				return e.err
			}
			win, err := c.slice(n, padded,
				[]int{0, i * rates[1], j * rates[2], 0},
				[]int{s[0], out[0], out[1], s[3]},
				[]int{1, strides[1], strides[2], 1})
			if err != nil {
				return err
			}
			tap, err := c.slice(n, f, []int{i, j, 0}, []int{1, 1, s[3]}, []int{1, 1, 1})
			if err != nil {
				return err
			}
			v := e.add(win, tap)
			if acc == nil {
				acc = v
			} else {
				acc = e.max(acc, v)
			}
		}
	}
	if e.err != nil {
		return e.err
	}
	return c.bind(n, acc)
}
