package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Patch extraction: ExtractImagePatches (NHWC, ksizes, strides, rates,
// SAME/VALID) and ExtractVolumePatches (NDHWC, no rates). Output
// [N, out..., k... · C]: the patch at each output position, flattened in
// the order (kernel offsets..., channel), with SAME's padding zeros. The
// input is padded once (constant 0, TensorFlow's SAME split) and each
// kernel offset becomes a strided slice; the slices are concatenated
// along the channels, offset by offset, which is that order.

func init() {
	register("patches", "pad + strided slice per kernel offset + concat on channels", convertExtractPatches(true), "ExtractImagePatches")
	register("patches", "pad + strided slice per kernel offset + concat on channels", convertExtractPatches(false), "ExtractVolumePatches")
}

// maxPatchOffsets bounds the kernel offsets (slices) of one op.
const maxPatchOffsets = 1 << 10

func convertExtractPatches(image bool) converter {
	return func(c *ctx, n *node) error {
		x, err := c.input(n, 0)
		if err != nil {
			return err
		}
		s := 3
		if image {
			s = 2
		}
		r := s + 2
		if x.Type.Rank() != r {
			return n.errorf("input has shape %v; want rank %d", x.Type.Shape, r)
		}
		attr := func(name string) ([]int, error) {
			if name == "rates" && !image {
				return ones(r), nil
			}
			v, err := n.attrInts(name)
			if err != nil {
				return nil, err
			}
			if len(v) != r || v[0] != 1 || v[r-1] != 1 {
				return nil, n.errorf("%s %v: want %d values with 1 for the batch and channels", name, v, r)
			}
			for _, d := range v {
				if d < 1 {
					return nil, n.errorf("%s %v: want values ≥ 1", name, v)
				}
			}
			return v[1 : r-1], nil
		}
		ksz, err := attr("ksizes")
		if err != nil {
			return err
		}
		strides, err := attr("strides")
		if err != nil {
			return err
		}
		rates, err := attr("rates")
		if err != nil {
			return err
		}
		padding, err := n.attrString("padding")
		if err != nil {
			return err
		}
		if padding != "SAME" && padding != "VALID" {
			return n.errorf("padding %q: want SAME or VALID", padding)
		}
		in := x.Type.Shape[1 : r-1]
		pads, err := tfPads(n, padding, in, ksz, strides, rates, nil, true)
		if err != nil {
			return err
		}
		out := make([]int, s)
		offsets := 1
		for j := range s {
			eff := (ksz[j]-1)*rates[j] + 1
			if padding == "SAME" {
				out[j] = (in[j] + strides[j] - 1) / strides[j]
			} else {
				out[j] = max(0, (in[j]-eff+strides[j])/strides[j])
			}
			offsets *= ksz[j]
		}
		if offsets > maxPatchOffsets {
			return n.errorf("%v kernel offsets; at most %d are supported", offsets, maxPatchOffsets)
		}
		v := x
		ipads := make([]int, 2*r)
		padded := false
		for j := range s {
			ipads[1+j], ipads[r+1+j] = pads[j], pads[s+j]
			padded = padded || pads[j] != 0 || pads[s+j] != 0
		}
		if padded {
			if v, err = c.emit(n, ir.OpPad, ir.Attrs{"mode": "constant", "pads": ipads, "value": 0.0}, x); err != nil {
				return err
			}
		}
		nb, ch := x.Type.Shape[0], x.Type.Shape[r-1]
		size := append(append([]int{nb}, out...), ch)
		stride := append(append([]int{1}, strides...), 1)
		empty := tensor.Shape(size).Size() == 0
		parts := make([]*ir.Value, 0, offsets)
		off := make([]int, s)
		for range offsets {
			start := make([]int, r)
			for j := range s {
				start[1+j] = off[j] * rates[j]
			}
			if empty { // nothing is read: keep the slice's indices in range
				start = make([]int, r)
			}
			p, err := c.slice(n, v, start, size, stride)
			if err != nil {
				return err
			}
			parts = append(parts, p)
			for j := s - 1; j >= 0; j-- { // next offset, row-major
				off[j]++
				if off[j] < ksz[j] {
					break
				}
				off[j] = 0
			}
		}
		res := parts[0]
		if len(parts) > 1 {
			if res, err = c.emit(n, ir.OpConcat, ir.Attrs{"axis": r - 1}, parts...); err != nil {
				return err
			}
		}
		return c.bind(n, res)
	}
}
