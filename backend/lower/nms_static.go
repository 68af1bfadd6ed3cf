package lower

import (
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
//     s_j = s_i and j < i (a constant mask);
//   - cand[i] = s_i > score_threshold; A[j,i] = P AND S AND cand[j];
//   - greedy selection is the fixed point keep[i] = cand[i] AND NOT
//     ∃j keep[j] AND A[j,i]. Starting from keep = cand, each round (a
//     MatrixMultiply of keep, as 0/1, by A, compared with 0) makes at least
//     one more box of the order final (the first t boxes are final after
//     t-1 rounds, by induction), so N-1 rounds reach it;
//   - rank[i] = number of kept boxes preceding i (keep × P, exact integers
//     in f32, also under TF32: the operands are 0 and 1); output slot k
//     holds the kept i with rank k (Equal against slot numbers, then an
//     int32 Prod and Sum with the box numbers), 0 where none: TensorFlow's
//     padding; the count is min(Σ keep, K).
//
// The reference executor reproduces the interpreter bit for bit. On a GPU,
// TensorRT may fuse (area_i + area_j) - inter into an FMA, which can
// decide an IoU within rounding of the threshold otherwise; kMIN/kMAX of a
// NaN coordinate are not specified (the IR follows Eigen's mini/maxi).
func lowerNMSStatic(l *lowerer, op *ir.Op) error {
	n, k := op.Args[0].Type.Shape[0], op.Int("max_output_size")
	ew := func(name string, a, b trt.Tensor, e trt.ElementWiseOperation) trt.Tensor {
		return l.elementwise(op, name, a, b, e)
	}
	f32 := func(name string, v float64) trt.Tensor { return l.scalar(op, name, tensor.Float32, v, 2) }
	bt := l.tensor(op.Args[0])
	col := func(i int, name string) trt.Tensor {
		return l.named(op, name, l.net.AddSlice(bt, trt.Slice{Start: dimsOf(0, i), Size: dimsOf(n, 1), Stride: dimsOf(1, 1)}))
	}
	y1, x1, y2, x2 := col(0, "y1"), col(1, "x1"), col(2, "y2"), col(3, "x2")
	ymin, ymax := ew("ymin", y1, y2, trt.ElementWiseMin), ew("ymax", y1, y2, trt.ElementWiseMax)
	xmin, xmax := ew("xmin", x1, x2, trt.ElementWiseMin), ew("xmax", x1, x2, trt.ElementWiseMax)
	area := ew("area", ew("height", ymax, ymin, trt.ElementWiseSub), ew("width", xmax, xmin, trt.ElementWiseSub), trt.ElementWiseProd)
	row := func(t trt.Tensor, name string) trt.Tensor { return l.reshape(op, name, t, dimsOf(1, n)) }
	// Pairs: rows j ([N,1]), columns i ([1,N]).
	overlap := func(lo, hi trt.Tensor, name string) trt.Tensor {
		top := ew(name+"/min_hi", hi, row(hi, name+"/hi_row"), trt.ElementWiseMin)
		bottom := ew(name+"/max_lo", lo, row(lo, name+"/lo_row"), trt.ElementWiseMax)
		return ew(name, ew(name+"/extent", top, bottom, trt.ElementWiseSub), f32(name+"/zero", 0), trt.ElementWiseMax)
	}
	inter := ew("intersection", overlap(ymin, ymax, "overlap_y"), overlap(xmin, xmax, "overlap_x"), trt.ElementWiseProd)
	areaRow := row(area, "area_row")
	union := ew("union", ew("area_sum", areaRow, area, trt.ElementWiseSum), inter, trt.ElementWiseSub)
	iou := ew("iou", inter, union, trt.ElementWiseDiv)
	zero := f32("zero", 0)
	positive := func(a trt.Tensor, name string) trt.Tensor { // a > 0 or NaN: NOT(a ≤ 0)
		le := ew(name+"/le0", ew(name+"/lt0", a, zero, trt.ElementWiseLess), ew(name+"/eq0", a, zero, trt.ElementWiseEqual), trt.ElementWiseOr)
		return l.unary(op, name, le, trt.UnaryNot)
	}
	areas := ew("areas_positive", positive(area, "area_j_positive"), positive(areaRow, "area_i_positive"), trt.ElementWiseAnd)
	s := ew("suppresses", ew("iou>threshold", iou, f32("iou_threshold", float64(float32(op.Float("iou_threshold")))), trt.ElementWiseGreater), areas, trt.ElementWiseAnd)

	sc := l.tensorAs(op, "scores", op.Args[1], dimsOf(n, 1))
	scRow := l.reshape(op, "scores_row", sc, dimsOf(1, n))
	before := tensor.MustNew(tensor.Bool, tensor.Shape{n, n})
	for j := 0; j < n; j++ {
		for i := j + 1; i < n; i++ {
			before.B[j*n+i] = true
		}
	}
	tie := ew("tie", ew("equal_scores", sc, scRow, trt.ElementWiseEqual), l.constant(op, "lower_index", before, dimsOf(n, n)), trt.ElementWiseAnd)
	precedes := ew("precedes", ew("higher_score", sc, scRow, trt.ElementWiseGreater), tie, trt.ElementWiseOr)
	cand := ew("candidate", scRow, f32("score_threshold", float64(float32(op.Float("score_threshold")))), trt.ElementWiseGreater) // [1,N]
	candCol := l.reshape(op, "candidate_col", cand, dimsOf(n, 1))
	a := l.cast(op, "conflicts/f32", ew("conflicts", ew("precedes_and_suppresses", precedes, s, trt.ElementWiseAnd), candCol, trt.ElementWiseAnd), trt.Float)
	keep := cand
	for t := 1; t < n; t++ {
		sup := l.named(op, "round", l.net.AddMatrixMultiply(l.cast(op, "round/keep", keep, trt.Float), trt.MatrixNone, a, trt.MatrixNone))
		free := l.unary(op, "round/free", ew("round/suppressed", sup, zero, trt.ElementWiseGreater), trt.UnaryNot)
		keep = ew("round/keep_next", cand, free, trt.ElementWiseAnd)
	}
	keepF := l.cast(op, "keep/f32", keep, trt.Float)
	rank := l.named(op, "rank", l.net.AddMatrixMultiply(keepF, trt.MatrixNone, l.cast(op, "precedes/f32", precedes, trt.Float), trt.MatrixNone)) // [1,N]
	slots := tensor.MustNew(tensor.Float32, tensor.Shape{k, 1})
	for i := range slots.F32 {
		slots.F32[i] = float32(i)
	}
	at := ew("at_slot", ew("rank=slot", rank, l.constant(op, "slots", slots, dimsOf(k, 1)), trt.ElementWiseEqual), keep, trt.ElementWiseAnd) // [K,N]
	boxNo := tensor.MustNew(tensor.Int32, tensor.Shape{1, n})
	for i := range boxNo.I32 {
		boxNo.I32[i] = int32(i)
	}
	picked := ew("picked", l.cast(op, "at_slot/i32", at, trt.Int32), l.constant(op, "box_numbers", boxNo, dimsOf(1, n)), trt.ElementWiseProd)
	l.set(op.Results[0], l.reduce(op, "", picked, trt.ReduceSum, []int{1}, false))
	if l.useCount(op.Results[1]) > 0 || l.outs[op.Results[1]] {
		count := l.reduce(op, "count", l.cast(op, "keep/i32", keep, trt.Int32), trt.ReduceSum, []int{0, 1}, false)
		l.set(op.Results[1], ew("valid", count, l.scalar(op, "K", tensor.Int32, float64(k), 0), trt.ElementWiseMin))
	} else {
		l.set(op.Results[1], nil) // unused: no dead layers
	}
	return nil
}
