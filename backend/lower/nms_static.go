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
//     MatrixMultiply of keep by A, compared with 0) makes at least one more
//     box of the order final (the first t boxes are final after t-1 rounds,
//     by induction), so N-1 rounds reach it;
//   - rank[i] = number of kept boxes preceding i (keep × P, exact integers
//     in f32, also under TF32: the operands are 0 and 1); output slot k
//     holds the kept i with rank k (Equal against slot numbers, then an
//     int32 Prod and Sum with the box numbers), 0 where none: TensorFlow's
//     padding; the count is min(Σ keep, K).
//
// The masks are f32 tensors of 0 and 1, never kBOOL: AND is a kPROD, OR a
// kMAX, NOT a kSUB from 1, and each comparison is cast to f32 where it is
// made. Bool ElementWise layers whose operands broadcast ([N,1] against
// [1,N]) are where TensorRT has computed wrong results (NVIDIA/TensorRT
// issues 4511 and 4512); with bool masks, TensorRT-RTX 1.6.1 on an H100
// kept only the first box of every case that suppresses (the reference
// executor, the same network, matched TensorFlow).
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
	// A comparison as a 0/1 mask, and the mask algebra on such masks.
	cmp := func(name string, a, b trt.Tensor, e trt.ElementWiseOperation) trt.Tensor {
		return l.cast(op, name, ew(name+"/bool", a, b, e), trt.Float)
	}
	and := func(name string, a, b trt.Tensor) trt.Tensor { return ew(name, a, b, trt.ElementWiseProd) }
	or := func(name string, a, b trt.Tensor) trt.Tensor { return ew(name, a, b, trt.ElementWiseMax) }
	one := f32("one", 1)
	not := func(name string, a trt.Tensor) trt.Tensor { return ew(name, one, a, trt.ElementWiseSub) }
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
		return not(name, or(name+"/le0", cmp(name+"/lt0", a, zero, trt.ElementWiseLess), cmp(name+"/eq0", a, zero, trt.ElementWiseEqual)))
	}
	areas := and("areas_positive", positive(area, "area_j_positive"), positive(areaRow, "area_i_positive"))
	s := and("suppresses", cmp("iou>threshold", iou, f32("iou_threshold", float64(float32(op.Float("iou_threshold")))), trt.ElementWiseGreater), areas)

	sc := l.tensorAs(op, "scores", op.Args[1], dimsOf(n, 1))
	scRow := l.reshape(op, "scores_row", sc, dimsOf(1, n))
	before := tensor.MustNew(tensor.Float32, tensor.Shape{n, n})
	for j := 0; j < n; j++ {
		for i := j + 1; i < n; i++ {
			before.F32[j*n+i] = 1
		}
	}
	tie := and("tie", cmp("equal_scores", sc, scRow, trt.ElementWiseEqual), l.constant(op, "lower_index", before, dimsOf(n, n)))
	precedes := or("precedes", cmp("higher_score", sc, scRow, trt.ElementWiseGreater), tie)
	cand := cmp("candidate", scRow, f32("score_threshold", float64(float32(op.Float("score_threshold")))), trt.ElementWiseGreater) // [1,N]
	candCol := l.reshape(op, "candidate_col", cand, dimsOf(n, 1))
	a := and("conflicts", and("precedes_and_suppresses", precedes, s), candCol)
	keep := cand
	for t := 1; t < n; t++ {
		sup := l.named(op, "round", l.net.AddMatrixMultiply(keep, trt.MatrixNone, a, trt.MatrixNone))
		keep = and("round/keep_next", cand, cmp("round/free", sup, zero, trt.ElementWiseEqual)) // Σ of 0/1 products: 0 exactly when free
	}
	rank := l.named(op, "rank", l.net.AddMatrixMultiply(keep, trt.MatrixNone, precedes, trt.MatrixNone)) // [1,N]
	slots := tensor.MustNew(tensor.Float32, tensor.Shape{k, 1})
	for i := range slots.F32 {
		slots.F32[i] = float32(i)
	}
	at := and("at_slot", cmp("rank=slot", rank, l.constant(op, "slots", slots, dimsOf(k, 1)), trt.ElementWiseEqual), keep) // [K,N]
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
