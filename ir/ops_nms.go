package ir

import (
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	thresholds := []AttrSpec{
		{Name: "iou_threshold", Kind: AttrFloat},
		{Name: "score_threshold", Kind: AttrFloat},
	}
	register(OpNonMaxSuppression, OpInfo{
		Name: "non_max_suppression", Family: "nms", Summary: "greedy hard NMS of one class's boxes, indices padded to max_output_size",
		MinArgs: 2, MaxArgs: 2, NumResults: 2,
		Attrs: append([]AttrSpec{{Name: "max_output_size", Kind: AttrInt}}, thresholds...),
		Infer: inferNonMaxSuppression,
	})
	register(OpCombinedNonMaxSuppression, OpInfo{
		Name: "combined_non_max_suppression", Family: "nms", Summary: "per-class NMS of a batch, merged by score into fixed-size detections",
		MinArgs: 2, MaxArgs: 2, NumResults: 4,
		Attrs: append([]AttrSpec{
			{Name: "max_per_class", Kind: AttrInt},
			{Name: "max_total", Kind: AttrInt},
			{Name: "pad_per_class", Kind: AttrBool},
			{Name: "clip_boxes", Kind: AttrBool},
		}, thresholds...),
		Infer: inferCombinedNonMaxSuppression,
	})
}

// non_max_suppression: TensorFlow's NonMaxSuppressionV3/V4/V5 with hard
// suppression, padded (V4/V5's pad_to_max_output_size).
//
//	%sel, %n = non_max_suppression(%boxes, %scores) {max_output_size=K, iou_threshold=0.5, score_threshold=-inf} : i32[K], i32[]
//
// boxes: f32[N,4], each (y1, x1, y2, x2) with the two corners in either
// order; scores: f32[N]. max_output_size K ≥ 0; iou_threshold in [0, 1];
// score_threshold any number (-inf included; NaN selects nothing). Both
// thresholds are rounded to f32 before use (TensorFlow's are f32 tensors). Semantics (TensorFlow's
// non_max_suppression_op.cc, DoNonMaxSuppressionOp):
//
//	candidates = boxes i with scores[i] > score_threshold (NaN never is),
//	             visited by decreasing score, equal scores by increasing i
//	selected   = []
//	for each candidate c while len(selected) < K:
//	    if no s in selected has iou(c, s) > iou_threshold: append c
//
// iou(i, j), every step in f32: ymin = min(y1, y2), ymax = max(y1, y2)
// (x likewise) for each box; area = (ymax-ymin)*(xmax-xmin); 0 if either
// area ≤ 0; else inter = max(min(ymax_i, ymax_j) - max(ymin_i, ymin_j), 0) *
// max(min(xmax_i, xmax_j) - max(xmin_i, xmin_j), 0) and iou = inter /
// (area_i + area_j - inter). A NaN iou suppresses nothing.
//
// %sel holds the selected indices in selection order, then 0s up to K;
// %n is len(selected). TensorFlow's unpadded outputs (V3, and V4/V5 with
// pad_to_max_output_size=false) are %sel[:%n], whose length is
// data-dependent: the IR has no such type, so the frontend takes only the
// padded form. Soft-NMS (V5 with soft_nms_sigma > 0) is not this op.
func inferNonMaxSuppression(op *Op) ([]Type, error) {
	boxes, scores := op.Args[0].Type, op.Args[1].Type
	if err := nmsInputs(boxes, scores, 2); err != nil {
		return nil, err
	}
	if boxes.Shape[0] != scores.Shape[0] {
		return nil, fmt.Errorf("boxes %v, scores %v: want boxes [N,4] and scores [N]", boxes.Shape, scores.Shape)
	}
	k := op.Int("max_output_size")
	if k < 0 {
		return nil, fmt.Errorf("max_output_size=%d: want ≥ 0", k)
	}
	if err := nmsThresholds(op); err != nil {
		return nil, err
	}
	return []Type{{DType: tensor.Int32, Shape: tensor.Shape{k}}, {DType: tensor.Int32, Shape: tensor.Shape{}}}, nil
}

// combined_non_max_suppression: TensorFlow's CombinedNonMaxSuppression.
//
//	%boxes, %scores, %classes, %valid = combined_non_max_suppression(%b, %s)
//	    {max_per_class=Kc, max_total=T, pad_per_class=false, clip_boxes=true, iou_threshold=0.5, score_threshold=0.0}
//	    : f32[B,D,4], f32[B,D], f32[B,D], i32[B]
//
// b: f32[B,N,Q,4] with Q = 1 (one box per anchor, shared by the classes)
// or Q = C; s: f32[B,N,C]. Kc ≥ 1, T ≥ 1; D = T, or min(T, Kc*C) when
// pad_per_class. iou_threshold in [0, 1]. For each batch item b and class
// c, the candidates are the boxes n with s[b,n,c] > score_threshold
// (b[b,n,c or 0]), selected greedily as non_max_suppression does (same
// iou, same order) up to min(Kc, N). The selections of all classes,
// listed class by class in selection order, are then ordered by
// decreasing score, equal scores keeping that listing order (a stable
// sort), and the first min(count, D) of them are the detections:
// %boxes[b,i] the box as given (each coordinate clamped to [0, 1] when
// clip_boxes), %scores[b,i] its score, %classes[b,i] its class as f32;
// the rest are 0. %valid[b] is the number of detections.
//
// TensorFlow's kernel leaves the order of equal scores unspecified (a
// priority queue without an index tie-break per class, std::sort across
// classes); where its order and this one differ only among equal scores,
// both are TensorFlow behaviour.
func inferCombinedNonMaxSuppression(op *Op) ([]Type, error) {
	boxes, scores := op.Args[0].Type, op.Args[1].Type
	if err := nmsInputs(boxes, scores, 4); err != nil {
		return nil, err
	}
	bs, ss := boxes.Shape, scores.Shape
	if ss.Rank() != 3 || bs[0] != ss[0] || bs[1] != ss[1] || (bs[2] != 1 && bs[2] != ss[2]) {
		return nil, fmt.Errorf("boxes %v, scores %v: want boxes [B,N,Q,4] and scores [B,N,C] with Q = 1 or C", bs, ss)
	}
	kc, t := op.Int("max_per_class"), op.Int("max_total")
	if kc < 1 || t < 1 {
		return nil, fmt.Errorf("max_per_class=%d, max_total=%d: want both ≥ 1", kc, t)
	}
	if err := nmsThresholds(op); err != nil {
		return nil, err
	}
	d := CombinedNMSDetections(kc, t, ss[2], op.Bool("pad_per_class"))
	b := bs[0]
	return []Type{
		{DType: tensor.Float32, Shape: tensor.Shape{b, d, 4}},
		{DType: tensor.Float32, Shape: tensor.Shape{b, d}},
		{DType: tensor.Float32, Shape: tensor.Shape{b, d}},
		{DType: tensor.Int32, Shape: tensor.Shape{b}},
	}, nil
}

// CombinedNMSDetections is combined_non_max_suppression's D: maxTotal, or
// min(maxTotal, maxPerClass*classes) with padPerClass.
func CombinedNMSDetections(maxPerClass, maxTotal, classes int, padPerClass bool) int {
	if !padPerClass {
		return maxTotal
	}
	if classes == 0 {
		return 0
	}
	if maxPerClass <= maxTotal/classes { // maxPerClass*classes ≤ maxTotal, without overflow
		return maxPerClass * classes
	}
	return maxTotal
}

func nmsInputs(boxes, scores Type, boxesRank int) error {
	if err := requireDType(boxes.DType, "boxes", tensor.Float32); err != nil {
		return err
	}
	if err := requireDType(scores.DType, "scores", tensor.Float32); err != nil {
		return err
	}
	if boxes.Rank() != boxesRank || boxes.Shape[boxesRank-1] != 4 || scores.Rank() != boxesRank-1 {
		return fmt.Errorf("boxes %v, scores %v: want boxes of rank %d ending in 4 and scores of rank %d", boxes.Shape, scores.Shape, boxesRank, boxesRank-1)
	}
	return nil
}

func nmsThresholds(op *Op) error {
	iou := float32(op.Float("iou_threshold"))
	if !(iou >= 0 && iou <= 1) {
		return fmt.Errorf("iou_threshold=%v: want a value in [0, 1]", iou)
	}
	return nil
}
