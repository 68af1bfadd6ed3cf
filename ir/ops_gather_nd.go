package ir

import (
	"fmt"

	"github.com/tfc-dev/tfc/ir/dim"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	register(OpGatherND, OpInfo{Name: "gather_nd", Family: "gather_nd",
		Summary: "gather slices addressed by index tuples", MinArgs: 2, MaxArgs: 2, NumResults: 1,
		Attrs: []AttrSpec{{Name: "batch_dims", Kind: AttrInt}}, Infer: inferGatherND})
	register(OpScatterND, OpInfo{Name: "scatter_nd", Family: "gather_nd",
		Summary: "sum updates into a zero tensor at index tuples", MinArgs: 2, MaxArgs: 2, NumResults: 1,
		Attrs: []AttrSpec{{Name: "shape", Kind: AttrInts}}, Infer: inferScatterND})
	register(OpNonZero, OpInfo{Name: "nonzero", Family: "gather_nd",
		Summary: "the coordinates of the nonzero elements (a data-dependent count)", MinArgs: 1, MaxArgs: 1, NumResults: 1,
		Symbolic: true, Attrs: []AttrSpec{{Name: "count", Kind: AttrString}}, Infer: inferNonZero})
}

// gather_nd: gather slices of x addressed by tuples of indices.
//
//	%r = gather_nd(%x, %idx) {batch_dims=0} : T
//
// idx is i32 or i64 of rank q ≥ 1; its last dimension K is the length of
// each index tuple. 0 ≤ batch_dims < q, batch_dims + K ≤ rank(x), and the
// first batch_dims dimensions of x and idx are equal. r.shape =
// idx.shape[:q-1] + x.shape[batch_dims+K:] and
//
//	r[b..., n..., s...] = x[b..., idx[b..., n..., 0], ..., idx[b..., n..., K-1], s...]
//
// (b: the batch dimensions). Every idx[..., k] must be in
// [0, x.shape[batch_dims+k]); others are an error at run time (TensorFlow's
// CPU kernel refuses them; TensorRT's IGatherLayer gathers 0).
func inferGatherND(op *Op) ([]Type, error) {
	x, idx := op.Args[0].Type, op.Args[1].Type
	if err := requireDType(idx.DType, "indices", indexDTypes...); err != nil {
		return nil, err
	}
	q, bd := idx.Rank(), op.Int("batch_dims")
	if q < 1 {
		return nil, fmt.Errorf("indices %v: want rank ≥ 1", idx.Shape)
	}
	if bd < 0 || bd >= q {
		return nil, fmt.Errorf("batch_dims=%d: want 0 ≤ batch_dims < indices rank (%d)", bd, q)
	}
	k := idx.Shape[q-1]
	if bd+k > x.Rank() {
		return nil, fmt.Errorf("index tuples of length %d after %d batch dimensions address more than the %d dimensions of %v", k, bd, x.Rank(), x.Shape)
	}
	for i := range bd {
		if x.Shape[i] != idx.Shape[i] {
			return nil, fmt.Errorf("batch dimension %d: input has %d, indices have %d", i, x.Shape[i], idx.Shape[i])
		}
	}
	s := append(tensor.Shape{}, idx.Shape[:q-1]...)
	s = append(s, x.Shape[bd+k:]...)
	return []Type{{DType: x.DType, Shape: s}}, nil
}

// scatter_nd: a zero tensor of the given shape with updates added at
// tuples of indices.
//
//	%r = scatter_nd(%idx, %u) {shape=[4,3]} : T
//
// idx is i32 or i64 of rank q ≥ 1 with last dimension K ≤ len(shape) (the
// length of each index tuple); u.shape = idx.shape[:q-1] + shape[K:]. The
// result has u's element type and the given shape, and
//
//	r = 0; for each n... in order: r[idx[n..., :], s...] += u[n..., s...]
//
// so updates at a repeated index tuple are summed, in order (TensorFlow's
// ScatterNd). Every idx[..., k] must be in [0, shape[k]); others are an
// error at run time.
func inferScatterND(op *Op) ([]Type, error) {
	idx, u := op.Args[0].Type, op.Args[1].Type
	if err := requireDType(idx.DType, "indices", indexDTypes...); err != nil {
		return nil, err
	}
	if err := requireDType(u.DType, "updates", numericDTypes...); err != nil {
		return nil, err
	}
	shape := tensor.Shape(op.Ints("shape"))
	for _, d := range shape {
		if d < 0 {
			return nil, fmt.Errorf("shape=%v: dimensions must be ≥ 0", []int(shape))
		}
	}
	if _, err := shape.NumElements(); err != nil {
		return nil, err
	}
	q := idx.Rank()
	if q < 1 {
		return nil, fmt.Errorf("indices %v: want rank ≥ 1", idx.Shape)
	}
	k := idx.Shape[q-1]
	if k > len(shape) {
		return nil, fmt.Errorf("index tuples of length %d address more than the %d dimensions of %v", k, len(shape), shape)
	}
	want := append(tensor.Shape{}, idx.Shape[:q-1]...)
	want = append(want, shape[k:]...)
	if !want.Equal(u.Shape) {
		return nil, fmt.Errorf("updates %v: want %v (indices %v, shape %v)", u.Shape, want, idx.Shape, shape)
	}
	return []Type{{DType: u.DType, Shape: shape.Clone()}}, nil
}

// nonzero: the coordinates of x's nonzero elements, in row-major order.
//
//	%r = nonzero(%x) {count="K1"} : i64[K1,2]
//
// x has any element type and rank; an element is nonzero when it is true
// (bool) or differs from 0 (numbers: NaN is nonzero, -0 is zero). count
// names a fresh symbol, the number of nonzero elements, which is known only
// when the op runs: a data symbol (DataSymbols). r is i64 with
// r.shape = [count, rank(x)] and, with c_0 < c_1 < ... the row-major
// offsets of the nonzero elements,
//
//	r[j, :] = the coordinates of element c_j
//
// (TensorFlow's Where with one operand; TensorRT's INonZeroLayer gives the
// transpose, [rank, count]). 0 ≤ count ≤ size(x), the symbol's upper
// bound. The symbol must not occur in any other value's type before this
// op, nor be any input's or another nonzero's symbol (Verify); values
// computed from r carry it. x may be symbolic (its dimensions bound the
// count through its size).
func inferNonZero(op *Op) ([]Type, error) {
	x := op.Args[0].Type
	if err := knownOperands(op); err != nil {
		return nil, err
	}
	k := op.Str("count")
	if !dim.ValidSymbol(k) {
		return nil, fmt.Errorf("count=%q is not a symbol name", k)
	}
	for _, d := range x.DimExprs() {
		for _, s := range d.Symbols() {
			if s == k {
				return nil, fmt.Errorf("count=%q is a symbol of the operand %v; it must be fresh", k, x)
			}
		}
	}
	return []Type{SymbolicType(tensor.Int64, []dim.Expr{dim.Sym(k), dim.Const(int64(x.Rank()))})}, nil
}
