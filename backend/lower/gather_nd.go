package lower

import (
	"fmt"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Index-tuple ops.
//
//	gather_nd  IGatherLayer kND with NbElementWiseDims = batch_dims. The
//	           header allows 0 ≤ NbElementWiseDims < rank(data)-1, so when
//	           batch_dims reaches rank(data)-1 data gets a trailing unit
//	           dimension (a Shuffle) and the result loses it again.
//	           Out-of-range indices: the IR says error, TensorRT gathers 0.
//
//	nonzero    INonZeroLayer with kINT64 indices gives [rank, count]; a
//	           Shuffle transposes it to the IR's [count, rank], the count
//	           data-dependent (trt.DataDependent). The layer takes kFLOAT,
//	           kHALF, kINT32 and kBOOL, and NvInfer.h does not say whether
//	           a NaN or -0 is nonzero, so any operand but bool and i32 is
//	           first compared: NOT(EQUAL(x, 0)), exact under IEEE
//	           comparison (NaN ≠ 0, -0 = 0). The layer needs rank ≥ 1,
//	           so a scalar is taken as [1] and its [count, 1] rows lose
//	           their column through an IGatherLayer of no indices along
//	           axis 1 ([count, 0]). TensorRT-RTX 1.6 cannot build the
//	           layer (backend/tensorrt says so); TensorRT 10/11 can.
func init() {
	register(ir.OpGatherND, rule{lower: lowerGatherND})
	register(ir.OpNonZero, rule{lower: lowerNonZero})
}

func lowerNonZero(l *lowerer, op *ir.Op) error {
	x := op.Args[0]
	in, rank := l.tensor(x), x.Type.Rank()
	if rank == 0 {
		in, rank = l.reshape(op, "vector", in, trt.Dims{1}), 1
	}
	if dt := x.Type.DType; dt != tensor.Bool && dt != tensor.Int32 {
		zero := l.scalar(op, "zero", dt, 0, rank)
		in = l.unary(op, "nonzero", l.elementwise(op, "is_zero", in, zero, trt.ElementWiseEqual), trt.UnaryNot)
	}
	cols := l.named(op, "columns", l.net.AddNonZero(in, trt.NonZero{IndicesType: trt.Int64}))
	if x.Type.Rank() > 0 {
		l.set(op.Result(), l.transpose(op, "", cols, []int{1, 0}))
		return nil
	}
	rows := l.transpose(op, "rows", cols, []int{1, 0})
	none := l.constant(op, "no_columns", tensor.MustNew(tensor.Int32, tensor.Shape{0}), trt.Dims{0})
	l.set(op.Result(), l.named(op, "", l.net.AddGather(rows, none, trt.Gather{Axis: 1})))
	return nil
}

func lowerGatherND(l *lowerer, op *ir.Op) error {
	x, idx, r := op.Args[0], op.Args[1], op.Result()
	bd := op.Int("batch_dims")
	p := trt.Gather{Mode: trt.GatherND, NbElementWiseDims: int32(bd)}
	if bd > 0 && bd >= x.Type.Rank()-1 {
		xt := l.tensorAs(op, "unit_dim", x, dims(append(x.Type.Shape.Clone(), 1)))
		g := l.named(op, "gather", l.net.AddGather(xt, l.tensor(idx), p))
		l.set(r, l.reshape(op, "", g, dims(r.Type.Shape)))
		return nil
	}
	l.set(r, l.named(op, "", l.net.AddGather(l.tensor(x), l.tensor(idx), p)))
	return nil
}

// scatter_nd: TensorFlow sums updates at a repeated index tuple, while
// IScatterLayer leaves two writes to one element undefined.
//
//   - Constant indices: the tuples are grouped at build time. Unique
//     tuples: one IScatterLayer kND of the updates into zeros. Repeated
//     ones: the updates are flattened to [N, s...] with a zero row
//     appended; per repetition level m, an IGatherLayer picks the m-th
//     update of every group (the zero row where a group has fewer), and
//     ElementWise kSUM layers add the levels in index order (so the sums
//     round as TensorFlow's in-order accumulation does); one IScatterLayer
//     kND writes the G sums at the G distinct tuples.
//   - Indices computed at run time: flat positions p = Σ idx[..., k]·stride_k
//     (ElementWise kPROD and Reduce kSUM), compared with every output
//     position (kEQUAL against a constant iota), the updates selected
//     where equal (ISelectLayer, else 0) and summed over the updates
//     (Reduce kSUM): O(positions × updates) work, refused above
//     maxScatterSelect elements. An index out of range matches no
//     position and is dropped (the IR says error).
//
// The zeros are a one-element Constant broadcast by a kWRAP Slice.
func init() {
	register(ir.OpScatterND, rule{check: checkScatterND, lower: lowerScatterND})
}

// maxScatterSelect bounds the [positions, updates, slice] selection of a
// scatter_nd with indices computed at run time.
const maxScatterSelect = 1 << 22

func scatterSelectSize(op *ir.Op) int {
	idx := op.Args[0].Type.Shape
	shape := tensor.Shape(op.Ints("shape"))
	k := idx[len(idx)-1]
	return shape[:k].Size() * idx[:len(idx)-1].Size() * shape[k:].Size()
}

func checkScatterND(op *ir.Op) error {
	if isConst(op.Args[0]) {
		return nil
	}
	if n := scatterSelectSize(op); n > maxScatterSelect {
		return fmt.Errorf("indices computed at run time: the exact TensorRT form compares every output position with every update (%d elements, more than %d); TensorRT's IScatterLayer would overwrite where TensorFlow sums repeated indices", n, maxScatterSelect)
	}
	return nil
}

func lowerScatterND(l *lowerer, op *ir.Op) error {
	idx, u, r := op.Args[0], op.Args[1], op.Result()
	shape := tensor.Shape(op.Ints("shape"))
	q := idx.Type.Rank()
	k := idx.Type.Shape[q-1]
	n := idx.Type.Shape[:q-1].Size()
	slice := shape[k:]
	dt := u.Type.DType
	zero := l.scalar(op, "zero", dt, 0, len(shape))
	if !isConst(idx) {
		return lowerScatterNDSelect(l, op, zero)
	}
	zeros := l.broadcastTo(op, "zeros", zero, shape)
	t := constValue(idx)
	// Group the tuples, in order of first appearance.
	var tuples [][]int32
	var members [][]int
	group := map[string]int{}
	for j := range n {
		tup := make([]int32, k)
		for i := range k {
			v := t.Int64At(j*k + i)
			if v < 0 || v >= int64(shape[i]) {
				return fmt.Errorf("index %d (position %d of tuple %d) is outside [0, %d)", v, i, j, shape[i])
			}
			tup[i] = int32(v)
		}
		key := fmt.Sprint(tup)
		g, ok := group[key]
		if !ok {
			g = len(tuples)
			group[key] = g
			tuples = append(tuples, tup)
			members = append(members, nil)
		}
		members[g] = append(members[g], j)
	}
	levels := 0
	for _, m := range members {
		levels = max(levels, len(m))
	}
	p := trt.Scatter{Mode: trt.ScatterND}
	if levels <= 1 {
		it := l.constant(op, "indices", int32Tensor(idx.Type.Shape, tuplesFlat(tuples, n, k)), dims(idx.Type.Shape))
		l.set(r, l.named(op, "", l.net.AddScatter(zeros, it, l.tensor(u), p)))
		return nil
	}
	g := len(tuples)
	flat := l.tensor(u)
	if fs := append(tensor.Shape{n}, slice...); !fs.Equal(u.Type.Shape) {
		flat = l.tensorAs(op, "flat", u, dims(fs))
	}
	zrow := l.broadcastTo(op, "zero_row", l.scalar(op, "zero_row/value", dt, 0, 1+len(slice)), append(tensor.Shape{1}, slice...))
	ext := l.named(op, "with_zero_row", l.net.AddConcatenation([]trt.Tensor{flat, zrow}, 0))
	var acc trt.Tensor
	for m := range levels {
		pick := make([]int32, g)
		for gi, mem := range members {
			pick[gi] = int32(n)
			if m < len(mem) {
				pick[gi] = int32(mem[m])
			}
		}
		pt := l.constant(op, fmt.Sprintf("level%d/indices", m), int32Tensor(tensor.Shape{g}, pick), trt.Dims{int64(g)})
		gm := l.named(op, fmt.Sprintf("level%d", m), l.net.AddGather(ext, pt, trt.Gather{Mode: trt.GatherDefault}))
		if acc == nil {
			acc = gm
		} else {
			acc = l.elementwise(op, fmt.Sprintf("sum%d", m), acc, gm, trt.ElementWiseSum)
		}
	}
	it := l.constant(op, "indices", int32Tensor(tensor.Shape{g, k}, tuplesFlat(tuples, g, k)), trt.Dims{int64(g), int64(k)})
	l.set(r, l.named(op, "", l.net.AddScatter(zeros, it, acc, p)))
	return nil
}

// lowerScatterNDSelect is scatter_nd with indices computed at run time.
func lowerScatterNDSelect(l *lowerer, op *ir.Op, zero trt.Tensor) error {
	idx, u, r := op.Args[0], op.Args[1], op.Result()
	shape := tensor.Shape(op.Ints("shape"))
	q := idx.Type.Rank()
	k := idx.Type.Shape[q-1]
	n := idx.Type.Shape[:q-1].Size()
	slice := shape[k:]
	pos := shape[:k].Size()
	it := idx.Type.DType
	// Flat positions [n] = Σ_k idx[j, k] · stride_k.
	tix := l.tensorAs(op, "tuples", idx, trt.Dims{int64(n), int64(k)})
	st := tensor.MustNew(it, tensor.Shape{1, k})
	for i, s := k-1, 1; i >= 0; i-- {
		if it == tensor.Int32 {
			st.I32[i] = int32(s)
		} else {
			st.I64[i] = int64(s)
		}
		s *= shape[i]
	}
	strides := l.constant(op, "strides", st, trt.Dims{1, int64(k)})
	prod := l.elementwise(op, "offsets", tix, strides, trt.ElementWiseProd)
	flatPos := l.reduce(op, "positions", prod, trt.ReduceSum, []int{1}, true) // [n, 1]
	// iota [1, n]? compare [pos, 1] with [1, n].
	io := tensor.MustNew(it, tensor.Shape{pos, 1})
	for i := range pos {
		if it == tensor.Int32 {
			io.I32[i] = int32(i)
		} else {
			io.I64[i] = int64(i)
		}
	}
	iota := l.constant(op, "iota", io, trt.Dims{int64(pos), 1})
	fp := l.reshape(op, "positions_row", flatPos, trt.Dims{1, int64(n)})
	eq := l.elementwise(op, "match", iota, fp, trt.ElementWiseEqual) // [pos, n]
	extra := make(trt.Dims, len(slice))
	for i := range extra {
		extra[i] = 1
	}
	cond := l.reshape(op, "match_slices", eq, append(trt.Dims{int64(pos), int64(n)}, extra...))
	ut := l.tensorAs(op, "updates", u, dims(append(tensor.Shape{1, n}, slice...)))
	z := l.reshape(op, "zero_slices", zero, ones(2+len(slice)))
	sel := l.named(op, "select", l.net.AddSelect(cond, ut, z))
	sum := l.reduce(op, "sum", sel, trt.ReduceSum, []int{1}, false) // [pos, slice...]
	l.set(r, l.reshape(op, "", sum, dims(shape)))
	return nil
}

func tuplesFlat(tuples [][]int32, n, k int) []int32 {
	out := make([]int32, 0, n*k)
	for _, t := range tuples {
		out = append(out, t...)
	}
	return out
}

func int32Tensor(s tensor.Shape, v []int32) *tensor.Tensor {
	return tensor.FromI32(s, v)
}
