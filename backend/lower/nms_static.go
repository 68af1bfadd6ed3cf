package lower

import (
	"math"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// staticNMSMaxBoxes bounds the boxes of a non_max_suppression lowered by
// lowerNMSStatic, whose layer count grows as 5 per box (and its work as
// N³); beyond it, INMSLayer (TensorRT 10/11 only) is used.
const staticNMSMaxBoxes = 256

// lowerNMSStatic lowers non_max_suppression to fixed-shape layers, with no
// INMSLayer (which TensorRT-RTX cannot build) and no data-dependent shape,
// computing the IR's greedy selection exactly, ties included:
//
//   - S[j,i] = iou(i, j) > iou_threshold, over all pairs ([N,N]
//     ElementWise layers on [N,1] against [1,N], the IR's f32 formula step
//     by step; an area ≤ 0 makes the pair not overlap, as the IR's iou 0);
//   - P[j,i] = box j precedes box i in the IR's order: s_j > s_i, or
//     s_j = s_i and j < i (the index order a constant mask);
//   - cand[i] = s_i > score_threshold; A[j,i] = P AND S AND cand[j];
//   - greedy selection is the fixed point keep[i] = cand[i] AND NOT
//     ∃j keep[j] AND A[j,i]. Starting from keep = cand, each round (a
//     MatrixMultiply of keep by A, compared with 0) makes at least one more
//     box of the order final (the first t boxes are final after t-1 rounds,
//     by induction), so N-1 rounds reach it;
//   - rank[i] = number of kept boxes preceding i (keep × P, exact integers
//     in f32, also under TF32: the operands are 0 and 1); output slot k
//     holds the kept i with rank k (Equal against slot numbers, then an
//     int32 Prod and Sum with the box numbers), 0 where none: TensorFlow's
//     padding; the count is min(Σ keep, K).
//
// The masks are f32 tensors of 0 and 1 (nmsMasks says why). The boxes and
// scores are padded with boxes that are never candidates (score -inf, box
// 0), to staticNMSMinBoxes when fewer (staticNMSMinBoxes says why) and by
// at least one box always, so that the layers read them from the
// Concatenations that pad them. Read straight from the network's inputs,
// TensorRT-RTX 1.6.1 on an H100 kept too few boxes in every case of 8 or
// more boxes that suppresses (nms_v4_equal_scores kept 1 of 6), while the
// cases padded below 8 matched; with the padding box all 19 NMS cases
// match there (tfc 5bda3b2). verify -mark-all did not show it: with every
// layer marked, the outputs matched.
//
// The reference executor reproduces the interpreter bit for bit. On a GPU,
// TensorRT may fuse (area_i + area_j) - inter into an FMA, which can
// decide an IoU within rounding of the threshold otherwise; kMIN/kMAX of a
// NaN coordinate are not specified (the IR follows Eigen's mini/maxi).
func lowerNMSStatic(l *lowerer, op *ir.Op) error {
	n, k := op.Args[0].Type.Shape[0], op.Int("max_output_size")
	np := max(n+1, staticNMSMinBoxes) // boxes n.. are padding: never candidates
	m := newNMSMasks(l, op, 2)
	col := func(bt trt.Tensor, i int, name string) trt.Tensor {
		return l.named(op, name, l.net.AddSlice(bt, trt.Slice{Start: dimsOf(0, i), Size: dimsOf(np, 1), Stride: dimsOf(1, 1)}))
	}
	// The scores as a column and as a row, each reshaped from the padded
	// vector.
	s := m.pad("scores/padded", l.tensor(op.Args[1]), dimsOf(n), 0, np, float32(math.Inf(-1)))
	sc := l.reshape(op, "scores", s, dimsOf(np, 1))
	scRow := l.reshape(op, "scores_row", s, dimsOf(1, np))
	precedes := m.precedes("precedes", sc, scRow, np)
	cand := m.cmp("candidate", scRow, m.f32("score_threshold", float64(float32(op.Float("score_threshold")))), trt.ElementWiseGreater) // [1,N]
	keep := m.greedy(cand, func() trt.Tensor {
		bt := m.pad("boxes/padded", l.tensor(op.Args[0]), dimsOf(n, 4), 0, np, 0)
		s := m.suppresses(col(bt, 0, "y1"), col(bt, 1, "x1"), col(bt, 2, "y2"), col(bt, 3, "x2"), dimsOf(1, np))
		candCol := l.reshape(op, "candidate_col", cand, dimsOf(np, 1))
		return m.and("conflicts", m.and("precedes_and_suppresses", precedes, s), candCol)
	}, n)
	rank := m.matmul("rank", keep, precedes) // [1,N]
	slots := tensor.MustNew(tensor.Float32, tensor.Shape{k, 1})
	for i := range slots.F32 {
		slots.F32[i] = float32(i)
	}
	at := m.and("at_slot", m.cmp("rank=slot", rank, l.constant(op, "slots", slots, dimsOf(k, 1)), trt.ElementWiseEqual), keep) // [K,N]
	boxNo := tensor.MustNew(tensor.Int32, tensor.Shape{1, np})
	for i := range boxNo.I32 {
		boxNo.I32[i] = int32(i)
	}
	picked := m.ew("picked", l.cast(op, "at_slot/i32", at, trt.Int32), l.constant(op, "box_numbers", boxNo, dimsOf(1, np)), trt.ElementWiseProd)
	l.set(op.Results[0], l.reduce(op, "", picked, trt.ReduceSum, []int{1}, false))
	if l.used(op.Results[1]) {
		count := l.reduce(op, "count", l.cast(op, "keep/i32", keep, trt.Int32), trt.ReduceSum, []int{0, 1}, false)
		l.set(op.Results[1], m.ew("valid", count, l.scalar(op, "K", tensor.Int32, float64(k), 0), trt.ElementWiseMin))
	} else {
		l.set(op.Results[1], nil) // unused: no dead layers
	}
	return nil
}
