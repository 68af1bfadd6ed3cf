package tf

import (
	"github.com/tfc-dev/tfc/ir"
)

func init() {
	register("pool", "transpose + pool{max_skip_nan} + transpose (NHWC); pool{max_skip_nan} (NCHW)", convertPool, "MaxPool", "MaxPoolV2")
	register("pool", "transpose + pool{max} + transpose (NDHWC); pool{max} (NCDHW)", convertPool, "MaxPool3D")
	register("pool", "transpose + pool{avg, count_include_pad=false} + transpose (NHWC); pool (NCHW)", convertPool, "AvgPool", "AvgPool3D")
}

// MaxPool, MaxPoolV2 (ksize and strides from constant inputs), MaxPool3D,
// AvgPool and AvgPool3D become pool on channels-first data (NHWC/NDHWC are
// transposed around it). SAME padding becomes explicit pads; as in
// TensorFlow, average pooling divides by the number of window positions
// inside the input (count_include_pad=false). Pooling across the batch or
// channel dimension is not supported. The 2-D max pools are max_skip_nan,
// as TensorFlow's CPU kernel skips NaN (starting from the lowest finite
// value); its 3-D kernel propagates NaN (max).
func convertPool(c *ctx, n *node) error {
	kind, r := "max_skip_nan", 4
	switch n.op {
	case "AvgPool":
		kind = "avg"
	case "AvgPool3D":
		kind, r = "avg", 5
	case "MaxPool3D":
		kind, r = "max", 5
	}
	var x *ir.Value
	var ksize, strides []int
	var err error
	if n.op == "MaxPoolV2" {
		vs, err := c.inputs(n, 3, 3)
		if err != nil {
			return err
		}
		x = vs[0]
		if ksize, err = c.constInts(n, 1); err != nil {
			return err
		}
		if strides, err = c.constInts(n, 2); err != nil {
			return err
		}
	} else {
		vs, err := c.inputs(n, 1, 1)
		if err != nil {
			return err
		}
		x = vs[0]
		if ksize, err = n.attrInts("ksize"); err != nil {
			return err
		}
		if strides, err = n.attrInts("strides"); err != nil {
			return err
		}
	}
	if err := nnCheckRank(n, "input", x, r); err != nil {
		return err
	}
	if err := nnCheckFormatRank(n, r); err != nil {
		return err
	}
	channelsLast, err := n.dataFormat()
	if err != nil {
		return err
	}
	win, err := nnDimAttr(n, "ksize", ksize, r, channelsLast)
	if err != nil {
		return err
	}
	st, err := nnDimAttr(n, "strides", strides, r, channelsLast)
	if err != nil {
		return err
	}
	padding, explicit, err := nnPadding(n)
	if err != nil {
		return err
	}
	xcf, err := c.toChannelsFirst(n, x, channelsLast)
	if err != nil {
		return err
	}
	in := []int(xcf.Type.Shape[2:])
	pads, err := tfPads(n, padding, in, win, st, nnOnes(r-2), explicit, channelsLast)
	if err != nil {
		return err
	}
	for j := range in {
		if pads[j] >= win[j] || pads[r-2+j] >= win[j] {
			return n.errorf("padding %v of spatial dimension %d is not smaller than the window %d", []int{pads[j], pads[r-2+j]}, j, win[j])
		}
	}
	y, err := c.emit(n, ir.OpPool, ir.Attrs{
		"kind": kind, "window": win, "strides": st, "pads": pads, "count_include_pad": false,
	}, xcf)
	if err != nil {
		return err
	}
	return c.bindChannelsFirst(n, y, channelsLast)
}
