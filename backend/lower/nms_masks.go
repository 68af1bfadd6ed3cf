package lower

import (
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// nmsMasks builds the layers the static NMS lowerings (nms_static.go,
// nms_combined_static.go) share: masks as f32 tensors of 0 and 1, all of
// one rank, with pairs of boxes laid out as rows j ([..., N, 1]) against
// columns i ([..., 1, N]).
//
// The masks are never kBOOL: AND is a kPROD, OR a kMAX, NOT a kSUB from 1,
// and each comparison is cast to f32 where it is made. Bool ElementWise
// layers whose operands broadcast ([N,1] against [1,N]) are where TensorRT
// has computed wrong results (NVIDIA/TensorRT issues 4511 and 4512). (That
// was the first suspect when TensorRT-RTX 1.6.1 kept only the first box of
// non_max_suppression cases; the f32 masks did not change it, and reading
// the boxes through their padding did: see lowerNMSStatic.)
type nmsMasks struct {
	l         *lowerer
	op        *ir.Op
	rank      int
	one, zero trt.Tensor // made on first use: an unread Constant is a dead layer
}

// staticNMSMinBoxes is the fewest boxes a static NMS lowering computes
// with: fewer are padded to it with boxes that are never candidates
// (score -inf, which no threshold is below; box 0), so that no selection,
// rank or count changes. TensorRT-RTX 1.6.1 builds the greedy rounds of
// fewer boxes (MatrixMultiply layers of inner dimension N ≤ 6) into code
// that grows as N^(N-1), apparently inlining each product into the next
// round: for a non_max_suppression of 4, 5 and 6 boxes, an SM89 engine of
// 5 MB, 60 MB (22 s) and 980 MiB (4-7 minutes); of 7 and more, 1.2 MB in
// under a second.
const staticNMSMinBoxes = 8

func newNMSMasks(l *lowerer, op *ir.Op, rank int) *nmsMasks {
	return &nmsMasks{l: l, op: op, rank: rank}
}

// constOne and constZero are the f32 constants 1 and 0, made once.
func (m *nmsMasks) constOne() trt.Tensor {
	if m.one == nil {
		m.one = m.f32("one", 1)
	}
	return m.one
}

func (m *nmsMasks) constZero() trt.Tensor {
	if m.zero == nil {
		m.zero = m.f32("zero", 0)
	}
	return m.zero
}

func (m *nmsMasks) ew(name string, a, b trt.Tensor, e trt.ElementWiseOperation) trt.Tensor {
	return m.l.elementwise(m.op, name, a, b, e)
}

// f32 is a constant v of the masks' rank (dimensions of 1).
func (m *nmsMasks) f32(name string, v float64) trt.Tensor {
	return m.l.scalar(m.op, name, tensor.Float32, v, m.rank)
}

// cmp is a comparison as a 0/1 mask.
func (m *nmsMasks) cmp(name string, a, b trt.Tensor, e trt.ElementWiseOperation) trt.Tensor {
	return m.l.cast(m.op, name, m.ew(name+"/bool", a, b, e), trt.Float)
}

func (m *nmsMasks) and(name string, a, b trt.Tensor) trt.Tensor {
	return m.ew(name, a, b, trt.ElementWiseProd)
}

func (m *nmsMasks) or(name string, a, b trt.Tensor) trt.Tensor {
	return m.ew(name, a, b, trt.ElementWiseMax)
}

func (m *nmsMasks) not(name string, a trt.Tensor) trt.Tensor {
	return m.ew(name, m.constOne(), a, trt.ElementWiseSub)
}

// pad appends to t (dimensions d) along axis a constant block of fill,
// making that dimension to (a Concatenation; nothing when it is already).
func (m *nmsMasks) pad(name string, t trt.Tensor, d trt.Dims, axis, to int, fill float32) trt.Tensor {
	have := int(d[axis])
	if have >= to {
		return t
	}
	shape := make(tensor.Shape, len(d))
	for i, x := range d {
		shape[i] = int(x)
	}
	shape[axis] = to - have
	block := tensor.MustNew(tensor.Float32, shape)
	for i := range block.F32 {
		block.F32[i] = fill
	}
	c := m.l.constant(m.op, name+"/fill", block, dims(shape))
	return m.l.named(m.op, name, m.l.net.AddConcatenation([]trt.Tensor{t, c}, int32(axis)))
}

// matmul is a (batched) MatrixMultiply of 0/1 masks: its sums are exact
// integers in f32, also under TF32 (the operands are 0 and 1).
func (m *nmsMasks) matmul(name string, a, b trt.Tensor) trt.Tensor {
	return m.l.named(m.op, name, m.l.net.AddMatrixMultiply(a, trt.MatrixNone, b, trt.MatrixNone))
}

// suppresses is S[..., j, i] = iou(i, j) > iou_threshold for the boxes
// whose coordinates y1, x1, y2, x2 are the columns ([..., N, 1]); rowDims
// is a column's shape as a row ([..., 1, N]). The ElementWise layers
// follow the IR's f32 formula step by step; an area ≤ 0 (or NaN) makes
// the pair not overlap, as the IR's iou 0.
func (m *nmsMasks) suppresses(y1, x1, y2, x2 trt.Tensor, rowDims trt.Dims) trt.Tensor {
	ymin, ymax := m.ew("ymin", y1, y2, trt.ElementWiseMin), m.ew("ymax", y1, y2, trt.ElementWiseMax)
	xmin, xmax := m.ew("xmin", x1, x2, trt.ElementWiseMin), m.ew("xmax", x1, x2, trt.ElementWiseMax)
	area := m.ew("area", m.ew("height", ymax, ymin, trt.ElementWiseSub), m.ew("width", xmax, xmin, trt.ElementWiseSub), trt.ElementWiseProd)
	row := func(t trt.Tensor, name string) trt.Tensor { return m.l.reshape(m.op, name, t, rowDims) }
	overlap := func(lo, hi trt.Tensor, name string) trt.Tensor {
		top := m.ew(name+"/min_hi", hi, row(hi, name+"/hi_row"), trt.ElementWiseMin)
		bottom := m.ew(name+"/max_lo", lo, row(lo, name+"/lo_row"), trt.ElementWiseMax)
		return m.ew(name, m.ew(name+"/extent", top, bottom, trt.ElementWiseSub), m.constZero(), trt.ElementWiseMax)
	}
	inter := m.ew("intersection", overlap(ymin, ymax, "overlap_y"), overlap(xmin, xmax, "overlap_x"), trt.ElementWiseProd)
	areaRow := row(area, "area_row")
	union := m.ew("union", m.ew("area_sum", areaRow, area, trt.ElementWiseSum), inter, trt.ElementWiseSub)
	iou := m.ew("iou", inter, union, trt.ElementWiseDiv)
	positive := func(a trt.Tensor, name string) trt.Tensor { // a > 0 or NaN: NOT(a ≤ 0)
		return m.not(name, m.or(name+"/le0", m.cmp(name+"/lt0", a, m.constZero(), trt.ElementWiseLess), m.cmp(name+"/eq0", a, m.constZero(), trt.ElementWiseEqual)))
	}
	areas := m.and("areas_positive", positive(area, "area_j_positive"), positive(areaRow, "area_i_positive"))
	threshold := m.f32("iou_threshold", float64(float32(m.op.Float("iou_threshold"))))
	return m.and("suppresses", m.cmp("iou>threshold", iou, threshold, trt.ElementWiseGreater), areas)
}

// precedes is P[..., j, i] = item j comes before item i: s_j > s_i, or
// s_j = s_i and j < i, for the scores s as a column ([..., N, 1]) and as
// a row ([..., 1, N]).
func (m *nmsMasks) precedes(name string, col, row trt.Tensor, n int) trt.Tensor {
	// j < i from the indices as a column and a row: O(N) weights in the
	// network (TensorRT may still fold it into an [N,N] constant).
	index := tensor.MustNew(tensor.Float32, tensor.Shape{n})
	for i := range index.F32 {
		index.F32[i] = float32(i)
	}
	d := make(trt.Dims, m.rank)
	for i := range d {
		d[i] = 1
	}
	d[m.rank-2] = int64(n)
	indexCol := m.l.constant(m.op, name+"/index_col", index, d)
	d[m.rank-2], d[m.rank-1] = 1, int64(n)
	indexRow := m.l.constant(m.op, name+"/index_row", index, d)
	lower := m.cmp(name+"/lower_index", indexCol, indexRow, trt.ElementWiseLess)
	tie := m.and(name+"/tie", m.cmp(name+"/equal_scores", col, row, trt.ElementWiseEqual), lower)
	return m.or(name, m.cmp(name+"/higher_score", col, row, trt.ElementWiseGreater), tie)
}

// greedy is the greedy selection among the n candidates cand ([..., 1,
// N]) given the conflicts A[..., j, i] (j precedes i, suppresses it, and
// is a candidate; built only when n > 1, so that no layer is dead): the
// fixed point keep[i] = cand[i] AND NOT ∃j keep[j]
// AND A[j,i]. Starting from keep = cand, each round (a MatrixMultiply of
// keep by A, compared with 0) makes at least one more box of the order
// final (the first t boxes are final after t-1 rounds, by induction), so
// n-1 rounds reach it.
func (m *nmsMasks) greedy(cand trt.Tensor, conflicts func() trt.Tensor, n int) trt.Tensor {
	keep := cand
	if n < 2 {
		return keep
	}
	a := conflicts()
	for t := 1; t < n; t++ {
		sup := m.matmul("round", keep, a)
		keep = m.and("round/keep_next", cand, m.cmp("round/free", sup, m.constZero(), trt.ElementWiseEqual)) // Σ of 0/1 products: 0 exactly when free
	}
	return keep
}
