package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	register("norm", "factor = rsqrt(variance + epsilon) * scale; (x - mean) * factor + offset (add, rsqrt, mul, sub)", convertFusedBatchNorm,
		"FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3")
	register("norm", "x * (bias + alpha * window sum of x² over channels)^-beta (mul, pad, slices, add; reciprocal, rsqrt or exp(log·-beta))",
		convertLRN, "LRN")
}

// LRN (local response normalisation over the channels, the last axis of
// its NHWC input) becomes
//
//	s[..., c] = Σ x[..., c']² for c' in [c - depth_radius, c + depth_radius] ∩ [0, C)
//	y = x * m^-beta, m = bias + alpha * s
//
// with the window sum as the sum of 2r+1 shifted slices of the squares
// padded with r zeros on each side (r = min(depth_radius, C-1)), and
// m^-beta as TensorFlow's CPU kernel computes it: reciprocal(m) for
// beta = 1, rsqrt(m) for beta = 0.5, exp(log(m) * -beta) otherwise.
func convertLRN(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	if x.Type.Rank() != 4 {
		return n.errorf("input %v: want rank 4 (NHWC)", x.Type)
	}
	radius, err := n.attrIntOr("depth_radius", 5)
	if err != nil {
		return err
	}
	bias, err := n.attrFloatOr("bias", 1)
	if err != nil {
		return err
	}
	alpha, err := n.attrFloatOr("alpha", 1)
	if err != nil {
		return err
	}
	beta, err := n.attrFloatOr("beta", 0.5)
	if err != nil {
		return err
	}
	if radius < 0 {
		return n.errorf("depth_radius %d is negative", radius)
	}
	dt := x.Type.DType
	C := x.Type.Shape[3]
	r := min(radius, max(C-1, 0))
	sq, err := c.emit(n, ir.OpMul, nil, x, x)
	if err != nil {
		return err
	}
	sum := sq
	if r > 0 {
		padded, err := c.emit(n, ir.OpPad, ir.Attrs{"mode": "constant", "pads": []int{0, 0, 0, r, 0, 0, 0, r}, "value": 0.0}, sq)
		if err != nil {
			return err
		}
		shape := x.Type.Shape
		for k := 0; k <= 2*r; k++ {
			s, err := c.slice(n, padded, []int{0, 0, 0, k}, shape.Clone(), []int{1, 1, 1, 1})
			if err != nil {
				return err
			}
			if k == 0 {
				sum = s
			} else if sum, err = c.emit(n, ir.OpAdd, nil, sum, s); err != nil {
				return err
			}
		}
	}
	m, err := c.emit(n, ir.OpMul, nil, sum, c.scalar(n, dt, alpha))
	if err != nil {
		return err
	}
	if m, err = c.emit(n, ir.OpAdd, nil, m, c.scalar(n, dt, bias)); err != nil {
		return err
	}
	var f *ir.Value
	switch beta {
	case 1:
		f, err = c.emit(n, ir.OpReciprocal, nil, m)
	case 0.5:
		f, err = c.emit(n, ir.OpRsqrt, nil, m)
	default:
		var lg *ir.Value
		if lg, err = c.emit(n, ir.OpLog, nil, m); err != nil {
			return err
		}
		if lg, err = c.emit(n, ir.OpMul, nil, lg, c.scalar(n, dt, -beta)); err != nil {
			return err
		}
		f, err = c.emit(n, ir.OpExp, nil, lg)
	}
	if err != nil {
		return err
	}
	y, err := c.emit(n, ir.OpMul, nil, x, f)
	if err != nil {
		return err
	}
	return c.bind(n, y)
}

// FusedBatchNorm, FusedBatchNormV2 and FusedBatchNormV3 in inference mode
// (is_training=false) become elementwise ops, in the order of TensorFlow's
// CPU kernel:
//
//	factor = rsqrt(variance + epsilon) * scale   (per channel)
//	y = (x - mean) * factor + offset
//
// with the per-channel vectors broadcasting on the channel axis (the last
// for NHWC/NDHWC; reshaped to [C, 1, ...] for NCHW/NCDHW). An f16 x is
// computed in f32 (the dtype of the statistics) and the result cast back,
// as TensorFlow does. Only output 0 (y) is computed; the other outputs
// (batch_mean, batch_variance, reserve spaces) are bound to the mean and
// variance inputs, which is what TensorFlow returns for them in inference.
// is_training=true is an error.
func convertFusedBatchNorm(c *ctx, n *node) error {
	vs, err := c.inputs(n, 5, 5)
	if err != nil {
		return err
	}
	x, scale, offset, mean, variance := vs[0], vs[1], vs[2], vs[3], vs[4]
	training, err := n.attrBoolOr("is_training", true)
	if err != nil {
		return err
	}
	if training {
		return n.errorf("is_training=true (batch statistics) is not supported; freeze the graph for inference (is_training=false)")
	}
	eps, err := n.attrFloatOr("epsilon", 0.0001)
	if err != nil {
		return err
	}
	r := x.Type.Rank()
	if r != 4 && r != 5 {
		return n.errorf("input %v: want rank 4 or 5", x.Type)
	}
	channelsLast, err := n.dataFormat()
	if err != nil {
		return err
	}
	axis := 1
	if channelsLast {
		axis = r - 1
	}
	ch := x.Type.Shape[axis]
	names := []string{"scale", "offset", "mean", "variance"}
	for i, v := range vs[1:] {
		if v.Type.Rank() != 1 || v.Type.Shape[0] != ch {
			return n.errorf("%s %v: want [%d] (the channels of input %v)", names[i], v.Type, ch, x.Type)
		}
		if v.Type.DType != scale.Type.DType {
			return n.errorf("%s has element type %v, scale has %v", names[i], v.Type.DType, scale.Type.DType)
		}
	}
	u := scale.Type.DType
	xu := x
	if x.Type.DType != u {
		if !x.Type.DType.IsFloat() || !u.IsFloat() {
			return n.errorf("input of element type %v with statistics of %v is not supported", x.Type.DType, u)
		}
		if xu, err = c.emit(n, ir.OpCast, ir.Attrs{"to": u}, x); err != nil {
			return err
		}
	}
	ve, err := c.emit(n, ir.OpAdd, nil, variance, c.scalar(n, u, eps))
	if err != nil {
		return err
	}
	rs, err := c.emit(n, ir.OpRsqrt, nil, ve)
	if err != nil {
		return err
	}
	factor, err := c.emit(n, ir.OpMul, nil, rs, scale)
	if err != nil {
		return err
	}
	m, off := mean, offset
	if !channelsLast {
		shape := append(tensor.Shape{ch}, nnOnes(r-2)...)
		if m, err = c.reshape(n, m, shape); err != nil {
			return err
		}
		if factor, err = c.reshape(n, factor, shape); err != nil {
			return err
		}
		if off, err = c.reshape(n, off, shape); err != nil {
			return err
		}
	}
	y, err := c.emit(n, ir.OpSub, nil, xu, m)
	if err != nil {
		return err
	}
	if y, err = c.emit(n, ir.OpMul, nil, y, factor); err != nil {
		return err
	}
	if y, err = c.emit(n, ir.OpAdd, nil, y, off); err != nil {
		return err
	}
	if y.Type.DType != x.Type.DType {
		if y, err = c.emit(n, ir.OpCast, ir.Attrs{"to": x.Type.DType}, y); err != nil {
			return err
		}
	}
	outs := []*ir.Value{y, mean, variance, mean, variance}
	if n.op == "FusedBatchNormV3" {
		outs = append(outs, variance)
	}
	return c.bind(n, outs...)
}
