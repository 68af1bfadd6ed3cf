package tf

import (
	"math"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	register("nms", "non_max_suppression with constant limit and thresholds (padded outputs; unpadded only when empty); V5 selected_scores as gather + select", convertNMS,
		"NonMaxSuppressionV3", "NonMaxSuppressionV4", "NonMaxSuppressionV5")
	register("nms", "combined_non_max_suppression with constant limits and thresholds", convertCombinedNMS, "CombinedNonMaxSuppression")
}

// constScalar returns n's i-th input, a constant scalar, as a float64.
func (c *ctx) constScalar(n *node, i int, what string) (float64, error) {
	t, err := c.constInput(n, i)
	if err != nil {
		return 0, err
	}
	if t.Shape.Rank() != 0 {
		return 0, n.errorf("%s %v: want a scalar", what, t)
	}
	return t.Float64At(0), nil
}

// nmsArgs reads the boxes and scores (f32), nSizes constant int32 sizes
// from input 2 on, and the constant iou and score thresholds after them,
// checking them as TensorFlow's kernels do. The node has nInputs inputs.
func (c *ctx) nmsArgs(n *node, nInputs, nSizes int) (vs []*ir.Value, sizes []int, iou, score float64, err error) {
	if vs, err = c.inputs(n, nInputs, nInputs); err != nil {
		return
	}
	for _, v := range vs[:2] {
		if v.Type.DType != tensor.Float32 {
			// TensorFlow's half kernels compare the IoU rounded to half.
			err = n.errorf("%v input: only float32 boxes and scores are supported", v.Type)
			return
		}
	}
	for i := 2; i < 2+nSizes; i++ {
		var s float64
		if s, err = c.constScalar(n, i, "size"); err != nil {
			return
		}
		if math.Trunc(s) != s || math.Abs(s) > math.MaxInt32 {
			err = n.errorf("input %d = %v: want an int32", i, s)
			return
		}
		sizes = append(sizes, int(s))
	}
	if iou, err = c.constScalar(n, 2+nSizes, "iou_threshold"); err != nil {
		return
	}
	if !(iou >= 0 && iou <= 1) {
		err = n.errorf("iou_threshold %v: must be in [0, 1] (TensorFlow rejects it)", iou)
		return
	}
	score, err = c.constScalar(n, 3+nSizes, "score_threshold")
	return
}

// NonMaxSuppressionV3/V4/V5 become non_max_suppression, whose indices are
// padded with 0 to max_output_size. V4 and V5 with pad_to_max_output_size
// are exactly that (V4: selected_indices, valid_outputs; V5 also
// selected_scores, the gathered scores where the position is below
// valid_outputs and 0 beyond, as TensorFlow pads). Unpadded outputs (V3,
// and pad_to_max_output_size=false) have a data-dependent length, which
// the IR cannot type; they are converted only when that length is 0
// (max_output_size 0 or no boxes). V5 with soft_nms_sigma > 0 (soft-NMS,
// which rescores boxes instead of removing them) is refused; sigma 0 is
// hard NMS.
func convertNMS(c *ctx, n *node) error {
	nInputs := 5
	if n.op == "NonMaxSuppressionV5" {
		nInputs = 6 // soft_nms_sigma follows the thresholds
		sigma, err := c.constScalar(n, 5, "soft_nms_sigma")
		if err != nil {
			return err
		}
		if sigma < 0 || sigma != sigma {
			return n.errorf("soft_nms_sigma %v: must be ≥ 0 (TensorFlow rejects it)", sigma)
		}
		if sigma > 0 {
			return n.errorf("soft_nms_sigma %v: soft-NMS (sigma > 0) is not supported, only hard NMS (sigma 0)", sigma)
		}
	}
	vs, sizes, iou, score, err := c.nmsArgs(n, nInputs, 1)
	if err != nil {
		return err
	}
	if vs[0].Type.Rank() != 2 || vs[1].Type.Rank() != 1 {
		return n.errorf("boxes %v, scores %v: want [N,4] and [N]", vs[0].Type, vs[1].Type)
	}
	k, nb := sizes[0], vs[0].Type.Shape[0]
	if k < 0 {
		return n.errorf("max_output_size %d: must be ≥ 0 (TensorFlow rejects it)", k)
	}
	pad := false
	if n.op != "NonMaxSuppressionV3" {
		if pad, err = n.attrBoolOr("pad_to_max_output_size", false); err != nil {
			return err
		}
	}
	if !pad && k > 0 && nb > 0 {
		return n.errorf("the unpadded result has a data-dependent length (at most %d), which tfc cannot type: use NonMaxSuppressionV4/V5 with pad_to_max_output_size=True (tf.raw_ops), whose indices are padded with 0 and come with valid_outputs", min(k, nb))
	}
	if !pad {
		k = 0
	}
	op, err := c.emitOp(n, ir.OpNonMaxSuppression, ir.Attrs{"max_output_size": k, "iou_threshold": iou, "score_threshold": score}, vs[0], vs[1])
	if err != nil {
		return err
	}
	sel, valid := op.Results[0], op.Results[1]
	switch n.op {
	case "NonMaxSuppressionV3":
		return c.bind(n, sel)
	case "NonMaxSuppressionV4":
		return c.bind(n, sel, valid)
	}
	g, err := c.emit(n, ir.OpGather, ir.Attrs{"axis": 0, "batch_dims": 0}, vs[1], sel)
	if err != nil {
		return err
	}
	iota := tensor.MustNew(tensor.Int32, tensor.Shape{k})
	for i := range iota.I32 {
		iota.I32[i] = int32(i)
	}
	in, err := c.emit(n, ir.OpLess, nil, c.constant(n, iota), valid)
	if err != nil {
		return err
	}
	scores, err := c.emit(n, ir.OpSelect, nil, in, g, c.scalar(n, tensor.Float32, 0))
	if err != nil {
		return err
	}
	return c.bind(n, sel, scores, valid)
}

// CombinedNonMaxSuppression becomes combined_non_max_suppression with its
// limits and thresholds constant; TensorFlow's checks (limits > 0,
// iou_threshold in [0, 1], q = 1 or num_classes) are import errors.
func convertCombinedNMS(c *ctx, n *node) error {
	vs, sizes, iou, score, err := c.nmsArgs(n, 6, 2)
	if err != nil {
		return err
	}
	if sizes[0] < 1 || sizes[1] < 1 {
		return n.errorf("max_output_size_per_class %d, max_total_size %d: both must be > 0 (TensorFlow rejects them)", sizes[0], sizes[1])
	}
	padPerClass, err := n.attrBoolOr("pad_per_class", false)
	if err != nil {
		return err
	}
	clip, err := n.attrBoolOr("clip_boxes", true)
	if err != nil {
		return err
	}
	op, err := c.emitOp(n, ir.OpCombinedNonMaxSuppression, ir.Attrs{"max_per_class": sizes[0], "max_total": sizes[1],
		"pad_per_class": padPerClass, "clip_boxes": clip, "iou_threshold": iou, "score_threshold": score}, vs[0], vs[1])
	if err != nil {
		return err
	}
	return c.bind(n, op.Results...)
}
