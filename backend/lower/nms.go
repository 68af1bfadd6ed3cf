package lower

import (
	"fmt"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// non_max_suppression and combined_non_max_suppression → INMSLayer and
// the layers that turn its output (a data-dependent [M, 3] list of
// (batch, class, box) rows, by batch and decreasing score, and M) into
// TensorFlow's fixed-size outputs. The IR's boxes (y1, x1, y2, x2) go to
// INMSLayer as they are, as kCORNER_PAIRS: the IoU is symmetric in the
// two axes, and kCORNER_PAIRS takes any two diagonal corners, as
// TensorFlow does. INMSLayer's rules are TensorFlow's: a box is a
// candidate when its score exceeds the threshold, and is suppressed when
// its IoU with a selected box of its class exceeds the IoU threshold.
//
// What may differ on a GPU (the reference executor follows TensorFlow in
// each): TensorRT leaves the order of equal scores unspecified (TensorFlow
// takes the lower box index first for non_max_suppression), so with tied
// scores both the order of the selected indices and which of two
// overlapping tied boxes survives may differ; TensorRT does not document
// its IoU arithmetic, so a box whose IoU lies within rounding of the
// threshold may be decided otherwise. INMSLayer considers only the 5000
// highest-scoring boxes of a batch item: a lowering whose N (times the
// classes) exceeds that is refused.
func init() {
	register(ir.OpNonMaxSuppression, rule{check: checkNMS, lower: lowerNMS})
	register(ir.OpCombinedNonMaxSuppression, rule{check: checkNMS, lower: lowerCombinedNMS})
}

func checkNMS(op *ir.Op) error {
	s := op.Args[1].Type.Shape
	n := s[0] // non_max_suppression: [N]
	if op.Opcode == ir.OpCombinedNonMaxSuppression {
		if staticCombinedNMS(op) {
			return nil
		}
		n = s[1] * s[2] // [B,N,C]
	}
	if n > trt.NMSTopKLimit {
		return fmt.Errorf("%d boxes per batch item (times classes): INMSLayer considers only the %d highest-scoring", n, trt.NMSTopKLimit)
	}
	return nil
}

// nmsLayer adds the INMSLayer over boxes ([B,N,4] or [B,N,C,4]) and
// scores ([B,N,C]) with the op's thresholds and the per-class limit.
func nmsLayer(l *lowerer, op *ir.Op, boxes, scores trt.Tensor, limit int) trt.Layer {
	c := l.constant(op, "max_per_class", tensor.FromI32(tensor.Shape{}, []int32{int32(limit)}), trt.Dims{})
	iou := l.constant(op, "iou_threshold", tensor.FromF32(tensor.Shape{}, []float32{float32(op.Float("iou_threshold"))}), trt.Dims{})
	score := l.constant(op, "score_threshold", tensor.FromF32(tensor.Shape{}, []float32{float32(op.Float("score_threshold"))}), trt.Dims{})
	layer := l.net.AddNMS(boxes, scores, c, iou, score, trt.NMS{BoundingBoxFormat: trt.BoxCornerPairs, TopKBoxLimit: trt.NMSTopKLimit, IndicesType: trt.Int32})
	layer.SetName(l.layerName(op, "nms"))
	return layer
}

// nmsRows slices the first rows of INMSLayer's indices, as a static
// [rows, 3], filling the rows past its count with fill.
func nmsRows(l *lowerer, op *ir.Op, sel trt.Tensor, rows int, fill int32) trt.Tensor {
	p := trt.Slice{Start: dimsOf(0, 0), Size: dimsOf(rows, 3), Stride: dimsOf(1, 1), Mode: trt.SampleFill}
	if fill != 0 {
		p.Fill = l.constant(op, "fill", tensor.FromI32(tensor.Shape{}, []int32{fill}), trt.Dims{})
	}
	return l.named(op, "rows", l.net.AddSlice(sel, p))
}

// lowerNMS: boxes [N,4] → [1,N,4], scores [N] → [1,N,1]; INMSLayer with
// limit K; column 2 (the box index) of its first K rows, the rows past its
// count filled with 0 (TensorFlow's padding), and its count.
func lowerNMS(l *lowerer, op *ir.Op) error {
	n, k := op.Args[0].Type.Shape[0], op.Int("max_output_size")
	sel, valid := op.Results[0], op.Results[1]
	if n == 0 || k == 0 { // nothing can be selected
		l.constantResults(op)
		return nil
	}
	if n <= staticNMSMaxBoxes {
		return lowerNMSStatic(l, op)
	}
	boxes := l.tensorAs(op, "boxes", op.Args[0], dimsOf(1, n, 4))
	scores := l.tensorAs(op, "scores", op.Args[1], dimsOf(1, n, 1))
	layer := nmsLayer(l, op, boxes, scores, k)
	rows := l.named(op, "box_index", l.net.AddSlice(layer.Output(0), trt.Slice{Start: dimsOf(0, 2), Size: dimsOf(k, 1), Stride: dimsOf(1, 1), Mode: trt.SampleFill}))
	l.set(sel, l.reshape(op, "", rows, dimsOf(k)))
	l.set(valid, layer.Output(1))
	return nil
}

// lowerCombinedNMS: INMSLayer over all batch items and classes (per-class
// limit min(Kc, N)) lists each item's selections by decreasing score, the
// order of the IR's detections. Its rows are padded with (-1, -1, -1) to a
// static P + D rows (P = B*C*min(Kc, N), the most it can return); per
// item b, count_b = rows with batch b (Equal, Cast, Reduce), start_b = the
// exclusive running sum of the counts (Cumulative), and the item's D
// detection rows are gathered at start_b + 0..D-1 (in range thanks to the
// padding); valid_b = min(count_b, D) masks the rest to 0. Scores are
// gathered at (b, box, class), boxes at (b, box) or (b, box, class), and
// clipped to [0, 1] with kMIN, kMAX when clip_boxes.
func lowerCombinedNMS(l *lowerer, op *ir.Op) error {
	bs, ss := op.Args[0].Type.Shape, op.Args[1].Type.Shape
	b, n, q, c := bs[0], bs[1], bs[2], ss[2]
	d := op.Results[1].Type.Shape[1]
	if n == 0 || c == 0 || d == 0 { // nothing can be selected
		l.constantResults(op)
		return nil
	}
	if staticCombinedNMS(op) {
		lowerCombinedNMSStatic(l, op)
		return nil
	}
	kc := min(op.Int("max_per_class"), n)
	boxes := l.tensor(op.Args[0])
	if q == 1 {
		boxes = l.reshape(op, "boxes", boxes, dimsOf(b, n, 4))
	}
	layer := nmsLayer(l, op, boxes, l.tensor(op.Args[1]), kc)
	p := b * c * kc
	rows := nmsRows(l, op, layer.Output(0), p+d, -1)
	col := func(i int, name string) trt.Tensor {
		return l.named(op, name, l.net.AddSlice(rows, trt.Slice{Start: dimsOf(0, i), Size: dimsOf(p+d, 1), Stride: dimsOf(1, 1)}))
	}
	i32 := func(name string, shape tensor.Shape, f func(i int) int32) trt.Tensor {
		t := tensor.MustNew(tensor.Int32, shape)
		for i := range t.I32 {
			t.I32[i] = f(i)
		}
		return l.constant(op, name, t, dims(shape))
	}
	// Counts and starts per batch item.
	batchRow := l.reshape(op, "batch_row", col(0, "batch"), dimsOf(1, p+d))
	items := i32("items", tensor.Shape{b, 1}, func(i int) int32 { return int32(i) })
	in := l.cast(op, "in_item", l.elementwise(op, "is_item", batchRow, items, trt.ElementWiseEqual), trt.Int32)
	count := l.reduce(op, "count", in, trt.ReduceSum, []int{1}, true) // [B,1]
	start := l.named(op, "start", l.net.AddCumulative(count, trt.Cumulative{Axis: 0, Operation: trt.CumulativeSum, Exclusive: true}))
	at := l.elementwise(op, "row_index", start, i32("positions", tensor.Shape{1, d}, func(i int) int32 { return int32(i) }), trt.ElementWiseSum) // [B,D]
	det := l.named(op, "detections", l.net.AddGather(rows, at, trt.Gather{Axis: 0, Mode: trt.GatherDefault}))                                    // [B,D,3]
	valid, mask := detectionSlots(l, op, count, d)
	field := func(i int, name string) trt.Tensor {
		f := l.named(op, name, l.net.AddSlice(det, trt.Slice{Start: dimsOf(0, 0, i), Size: dimsOf(b, d, 1), Stride: dimsOf(1, 1, 1)}))
		f = l.reshape(op, name+"/2d", f, dimsOf(b, d))
		return l.named(op, name+"/safe", l.net.AddSelect(mask, f, l.scalar(op, name+"/zero", tensor.Int32, 0, 2)))
	}
	combinedNMSOutputs(l, op, field(1, "class"), field(2, "box"), valid, mask)
	return nil
}

// detectionSlots returns, from the per-item counts of selected boxes
// ([B,1] i32), valid = min(count, D) and mask[b,t] = t < valid ([B,D]).
func detectionSlots(l *lowerer, op *ir.Op, count trt.Tensor, d int) (valid, mask trt.Tensor) {
	valid = l.elementwise(op, "valid", count, l.scalar(op, "D", tensor.Int32, float64(d), 2), trt.ElementWiseMin)
	slots := tensor.MustNew(tensor.Int32, tensor.Shape{1, d})
	for i := range slots.I32 {
		slots.I32[i] = int32(i)
	}
	return valid, l.elementwise(op, "mask", l.constant(op, "slots", slots, dimsOf(1, d)), valid, trt.ElementWiseLess)
}

// combinedNMSOutputs sets combined_non_max_suppression's results from the
// class and box numbers of each detection slot ([B,D] i32, in range also
// in the slots past valid), valid ([B,1]) and mask ([B,D], the slots
// below valid): scores gathered at (b, box, class), boxes at (b, box) or
// (b, box, class) and clipped to [0, 1] with kMIN, kMAX when clip_boxes,
// each 0 outside the mask.
func combinedNMSOutputs(l *lowerer, op *ir.Op, cls, box, valid, mask trt.Tensor) {
	bs, ss := op.Args[0].Type.Shape, op.Args[1].Type.Shape
	b, n, q, c := bs[0], bs[1], bs[2], ss[2]
	d := op.Results[1].Type.Shape[1]
	// Flat (b*N + box) and (b*N + box)*C + class.
	bn := tensor.MustNew(tensor.Int32, tensor.Shape{b, 1})
	for i := range bn.I32 {
		bn.I32[i] = int32(i * n)
	}
	anchor := l.elementwise(op, "anchor", l.constant(op, "item*N", bn, dimsOf(b, 1)), box, trt.ElementWiseSum)
	byClass := l.elementwise(op, "by_class", l.elementwise(op, "anchor*C", anchor, l.scalar(op, "C", tensor.Int32, float64(c), 2), trt.ElementWiseProd), cls, trt.ElementWiseSum)
	flatScores := l.tensorAs(op, "flat_scores", op.Args[1], dimsOf(b*n*c))
	sc := l.named(op, "scores", l.net.AddGather(flatScores, byClass, trt.Gather{Axis: 0, Mode: trt.GatherDefault}))
	zeroF := l.scalar(op, "zero", tensor.Float32, 0, 2)
	l.set(op.Results[1], l.named(op, "scores/masked", l.net.AddSelect(mask, sc, zeroF)))
	boxIdx := anchor
	if q > 1 {
		boxIdx = byClass
	}
	flatBoxes := l.tensorAs(op, "flat_boxes", op.Args[0], dimsOf(b*n*q, 4))
	bx := l.named(op, "boxes", l.net.AddGather(flatBoxes, boxIdx, trt.Gather{Axis: 0, Mode: trt.GatherDefault})) // [B,D,4]
	if op.Bool("clip_boxes") {
		bx = l.elementwise(op, "clip/max1", bx, l.scalar(op, "one", tensor.Float32, 1, 3), trt.ElementWiseMin)
		bx = l.elementwise(op, "clip/min0", bx, l.scalar(op, "zero3", tensor.Float32, 0, 3), trt.ElementWiseMax)
	}
	mask3 := l.reshape(op, "mask3", mask, dimsOf(b, d, 1))
	l.set(op.Results[0], l.named(op, "boxes/masked", l.net.AddSelect(mask3, bx, l.scalar(op, "zero4", tensor.Float32, 0, 3))))
	l.set(op.Results[2], l.named(op, "classes", l.net.AddSelect(mask, l.cast(op, "classes/f32", cls, trt.Float), zeroF)))
	l.set(op.Results[3], l.reshape(op, "valid/1d", valid, dimsOf(b)))
}

// constantResults sets each used result of op, when no box can be
// selected, to its value then: all 0 (padding and counts). An unused
// result gets no layer (a Constant nothing reads is a dead layer, which
// Validate rejects); it is recorded with a nil tensor.
func (l *lowerer) constantResults(op *ir.Op) {
	for i, r := range op.Results {
		if l.useCount(r) == 0 && !l.outs[r] {
			l.set(r, nil)
			continue
		}
		l.set(r, l.constant(op, fmt.Sprintf("none%d", i), tensor.MustNew(r.Type.DType, r.Type.Shape), dims(r.Type.Shape)))
	}
}
