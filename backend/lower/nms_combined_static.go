package lower

import (
	"math"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// staticCombinedNMSMaxPairs bounds the (class, box) pairs C·N of a batch
// item in a combined_non_max_suppression lowered by
// lowerCombinedNMSStatic, whose merge computes [B, C·N, C·N] masks (N
// itself is bounded by staticNMSMaxBoxes); beyond it, INMSLayer
// (TensorRT 10/11 only) is used. TensorRT-RTX folds the merge's
// index order (j < i) into an [C·N, C·N] f32 constant of the plan: 16 MiB
// at this bound (at C·N = 4096, an 81 MiB plan).
const staticCombinedNMSMaxPairs = 2048

// staticCombinedNMS reports whether lowerCombinedNMSStatic lowers op.
func staticCombinedNMS(op *ir.Op) bool {
	n, c := op.Args[1].Type.Shape[1], op.Args[1].Type.Shape[2]
	return n <= staticNMSMaxBoxes && c*max(n, staticNMSMinBoxes) <= staticCombinedNMSMaxPairs
}

// lowerCombinedNMSStatic lowers combined_non_max_suppression to
// fixed-shape layers, with no INMSLayer (which TensorRT-RTX cannot build)
// and no data-dependent shape, computing the IR's detections exactly, ties
// included. Boxes [B,N,Q,4] become [B,Q,N,4] and scores [B,N,C] become
// [B,C,N], so that every batch item and class is one matrix of a batch
// (N padded to staticNMSMinBoxes when fewer, as lowerNMSStatic does):
//
//   - per class, lowerNMSStatic's masks batched over [B,C]: the
//     suppression S ([B,Q,N,N], shared by the classes when Q = 1), the
//     precedence P, the candidates, and the greedy selection keep
//     ([B,C,1,N]) in N-1 rounds of batched MatrixMultiply;
//   - when max_per_class Kc < N, a box stays selected only if fewer than
//     Kc selected boxes of its class precede it (keep × P < Kc);
//   - the merge: the C·N pairs (class c, box i), numbered m = c·N + i, are
//     ordered by decreasing score, equal scores by increasing m. That is
//     the IR's order (its listing is class by class, each class's in
//     selection order, where equal scores come by increasing box; the sort
//     is stable). rank[m] = number of selected pairs before m (keep × the
//     merge precedence, [B, C·N, C·N]); detection slot t holds the
//     selected m with rank t, its class and box numbers picked as
//     lowerNMSStatic picks box numbers (0 where none); the count per item
//     is Σ keep.
//
// The detections' scores, boxes and classes are then gathered as from
// INMSLayer's rows (combinedNMSOutputs). The masks are f32 tensors of 0
// and 1 (nmsMasks says why); ranks and counts are exact integers in f32
// (C·N ≤ staticCombinedNMSMaxPairs < 2²⁴).
//
// The reference executor reproduces the interpreter bit for bit. On a GPU,
// as for lowerNMSStatic, an FMA contraction may decide an IoU within
// rounding of the threshold otherwise, and kMIN/kMAX of a NaN coordinate
// are not specified.
func lowerCombinedNMSStatic(l *lowerer, op *ir.Op) {
	bs, ss := op.Args[0].Type.Shape, op.Args[1].Type.Shape
	b, n, q, c := bs[0], bs[1], bs[2], ss[2]
	d := op.Results[1].Type.Shape[1]
	np := max(n, staticNMSMinBoxes) // boxes n.. are padding: never candidates
	kc, pairs := min(op.Int("max_per_class"), n), c*np
	m := newNMSMasks(l, op, 4)
	st := l.transpose(op, "scores_by_class", l.tensor(op.Args[1]), []int{0, 2, 1}) // [B,C,N]
	st = m.pad("scores_by_class/padded", st, dimsOf(b, c, n), 2, np, float32(math.Inf(-1)))
	scRow := l.reshape(op, "scores_row", st, dimsOf(b, c, 1, np))
	cand := m.cmp("candidate", scRow, m.f32("score_threshold", float64(float32(op.Float("score_threshold")))), trt.ElementWiseGreater)
	var precedes trt.Tensor // [B,C,N,N]; needed only when N > 1
	keep := m.greedy(cand, func() trt.Tensor {
		precedes = m.precedes("precedes", l.reshape(op, "scores_col", st, dimsOf(b, c, np, 1)), scRow, np)
		bt := l.transpose(op, "boxes_by_class", l.tensor(op.Args[0]), []int{0, 2, 1, 3}) // [B,Q,N,4]
		bt = m.pad("boxes_by_class/padded", bt, dimsOf(b, q, n, 4), 2, np, 0)
		col := func(i int, name string) trt.Tensor {
			return l.named(op, name, l.net.AddSlice(bt, trt.Slice{Start: dimsOf(0, 0, 0, i), Size: dimsOf(b, q, np, 1), Stride: dimsOf(1, 1, 1, 1)}))
		}
		s := m.suppresses(col(0, "y1"), col(1, "x1"), col(2, "y2"), col(3, "x2"), dimsOf(b, q, 1, np)) // [B,Q,N,N]
		candCol := l.reshape(op, "candidate_col", cand, dimsOf(b, c, np, 1))
		return m.and("conflicts", m.and("precedes_and_suppresses", precedes, s), candCol)
	}, n) // [B,C,1,N]
	if kc < n { // so N > 1: precedes is made
		rank := m.matmul("class_rank", keep, precedes)
		keep = m.and("within_max_per_class", keep, m.cmp("class_rank<max", rank, m.f32("max_per_class", float64(kc)), trt.ElementWiseLess))
	}

	// The merge, over the pairs m = c·N + i of each item (N padded).
	sel := l.reshape(op, "selected", keep, dimsOf(b, 1, 1, pairs))
	order := m.precedes("order", l.reshape(op, "pair_scores_col", st, dimsOf(b, 1, pairs, 1)), l.reshape(op, "pair_scores_row", st, dimsOf(b, 1, 1, pairs)), pairs)
	rank := m.matmul("rank", sel, order) // [B,1,1,C·N]
	slots := tensor.MustNew(tensor.Float32, tensor.Shape{d, 1})
	for i := range slots.F32 {
		slots.F32[i] = float32(i)
	}
	at := m.and("at_slot", m.cmp("rank=slot", rank, l.constant(op, "slots_col", slots, dimsOf(1, 1, d, 1)), trt.ElementWiseEqual), sel) // [B,1,D,C·N]
	atI32 := l.cast(op, "at_slot/i32", at, trt.Int32)
	pick := func(name string, number func(p int) int) trt.Tensor {
		t := tensor.MustNew(tensor.Int32, tensor.Shape{pairs})
		for p := range t.I32 {
			t.I32[p] = int32(number(p))
		}
		picked := m.ew(name+"/picked", atI32, l.constant(op, name+"/numbers", t, dimsOf(1, 1, 1, pairs)), trt.ElementWiseProd)
		return l.reduce(op, name, picked, trt.ReduceSum, []int{1, 3}, false) // [B,D]
	}
	cls, box := pick("class", func(p int) int { return p / np }), pick("box", func(p int) int { return p % np })
	count := l.reduce(op, "count", l.cast(op, "selected/i32", sel, trt.Int32), trt.ReduceSum, []int{2, 3}, false) // [B,1]
	valid, mask := detectionSlots(l, op, count, d)
	combinedNMSOutputs(l, op, cls, box, valid, mask)
}
