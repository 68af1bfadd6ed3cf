package ir

import (
	"fmt"

	"github.com/tfc-dev/tfc/ir/dim"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	reg := func(opc Opcode, name, summary string, minArgs, maxArgs int, attrs []AttrSpec, infer func(*Op) ([]Type, error)) {
		register(opc, OpInfo{Name: name, Family: "layout", Summary: summary,
			MinArgs: minArgs, MaxArgs: maxArgs, NumResults: 1, Attrs: attrs, Infer: infer})
	}
	reg(OpReshape, "reshape", "same elements, new shape", 1, 1,
		[]AttrSpec{{Name: "shape", Kind: AttrInts}}, inferReshape)
	reg(OpTranspose, "transpose", "permute dimensions", 1, 1,
		[]AttrSpec{{Name: "perm", Kind: AttrInts}}, inferTranspose)
	register(OpConcat, OpInfo{Name: "concat", Family: "layout", Summary: "join along an axis",
		MinArgs: 1, MaxArgs: -1, NumResults: 1, Symbolic: true,
		Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}}, Infer: inferConcat})
	reg(OpSlice, "slice", "strided window: start, size, stride per axis", 1, 1,
		[]AttrSpec{{Name: "start", Kind: AttrInts}, {Name: "size", Kind: AttrInts}, {Name: "stride", Kind: AttrInts}}, inferSlice)
	reg(OpPad, "pad", "pad with a constant, reflection, symmetric reflection or edge", 1, 1,
		[]AttrSpec{
			{Name: "mode", Kind: AttrString, Enum: []string{"constant", "reflect", "symmetric", "edge"}},
			{Name: "pads", Kind: AttrInts},
			{Name: "value", Kind: AttrFloat},
		}, inferPad)
	reg(OpTile, "tile", "repeat along each axis", 1, 1,
		[]AttrSpec{{Name: "multiples", Kind: AttrInts}}, inferTile)
	reg(OpBroadcast, "broadcast", "numpy broadcast to a shape", 1, 1,
		[]AttrSpec{{Name: "shape", Kind: AttrInts}}, inferBroadcast)
	reg(OpGather, "gather", "select slices along an axis by index", 2, 2,
		[]AttrSpec{{Name: "axis", Kind: AttrInt}, {Name: "batch_dims", Kind: AttrInt}}, inferGather)
}

// reshape: same elements in row-major order, new shape.
//
//	%r = reshape(%x) {shape=[1,12]} : f32[1,12]
//
// shape: the result's dimensions, all ≥ 0 (no -1: the frontend resolves
// it), with the same element count as x.
func inferReshape(op *Op) ([]Type, error) {
	x := op.Args[0].Type
	s := tensor.Shape(op.Ints("shape"))
	for _, d := range s {
		if d < 0 {
			return nil, fmt.Errorf("shape=%v: dimensions must be ≥ 0", []int(s))
		}
	}
	n, err := s.NumElements()
	if err != nil {
		return nil, err
	}
	if n != x.Shape.Size() {
		return nil, fmt.Errorf("cannot reshape %v (%d elements) to %v (%d elements)", x.Shape, x.Shape.Size(), s, n)
	}
	return []Type{{DType: x.DType, Shape: s.Clone()}}, nil
}

// transpose: permute dimensions.
//
//	%r = transpose(%x) {perm=[0,3,1,2]} : T
//
// perm is a permutation of [0, rank). r.shape[i] = x.shape[perm[i]] and
// r[i_0, ..., i_n] = x[j] where j[perm[k]] = i_k.
func inferTranspose(op *Op) ([]Type, error) {
	x := op.Args[0].Type
	perm := op.Ints("perm")
	if len(perm) != x.Rank() {
		return nil, fmt.Errorf("perm=%v has %d values, input has rank %d", perm, len(perm), x.Rank())
	}
	if err := checkAxes(perm, x.Rank(), "perm"); err != nil {
		return nil, err
	}
	s := make(tensor.Shape, len(perm))
	for i, p := range perm {
		s[i] = x.Shape[p]
	}
	return []Type{{DType: x.DType, Shape: s}}, nil
}

// concat: join operands along one axis.
//
//	%r = concat(%a, %b, %c) {axis=1} : T
//
// One or more operands of one element type and rank ≥ 1, equal in every
// dimension but axis (in [0, rank)). The result's axis dimension is the
// sum of theirs; operands appear in order. With symbolic dimensions,
// "equal" is equality of canonical forms (N and M, or N and 3, are an
// error) and the sum is the expression's (x: f32[N,4] and y: f32[M,4]
// along axis 0 give f32[N+M,4]; x with itself f32[2*N,4]).
func inferConcat(op *Op) ([]Type, error) {
	dt, err := sameDTypes(op)
	if err != nil {
		return nil, err
	}
	for _, a := range op.Args {
		if a.Type.Symbolic() {
			return inferConcatSymbolic(op, dt)
		}
	}
	first := op.Args[0].Type.Shape
	axis := op.Int("axis")
	if err := checkAxes([]int{axis}, len(first), "axis"); err != nil {
		return nil, err
	}
	s := first.Clone()
	for i, a := range op.Args[1:] {
		sh := a.Type.Shape
		if len(sh) != len(first) {
			return nil, fmt.Errorf("operand %d has rank %d, operand 0 has %d", i+1, len(sh), len(first))
		}
		for j := range sh {
			if j != axis && sh[j] != first[j] {
				return nil, fmt.Errorf("operand %d has shape %v, operand 0 has %v (they may differ only in axis %d)", i+1, sh, first, axis)
			}
		}
		s[axis] += sh[axis]
	}
	return []Type{{DType: dt, Shape: s}}, nil
}

// inferConcatSymbolic is concat's rule on dimension expressions.
func inferConcatSymbolic(op *Op, dt tensor.DType) ([]Type, error) {
	first := op.Args[0].Type.DimExprs()
	axis := op.Int("axis")
	if err := checkAxes([]int{axis}, len(first), "axis"); err != nil {
		return nil, err
	}
	out := append([]dim.Expr(nil), first...)
	for i, a := range op.Args[1:] {
		ds := a.Type.DimExprs()
		if len(ds) != len(first) {
			return nil, fmt.Errorf("operand %d has rank %d, operand 0 has %d", i+1, len(ds), len(first))
		}
		for j := range ds {
			if j != axis && !ds[j].Equal(first[j]) {
				return nil, fmt.Errorf("operand %d has type %v, operand 0 has %v (they may differ only in axis %d)", i+1, a.Type, op.Args[0].Type, axis)
			}
		}
		sum, err := dim.Add(out[axis], ds[axis])
		if err != nil {
			return nil, err
		}
		out[axis] = sum
	}
	if err := checkDims(out); err != nil {
		return nil, err
	}
	return []Type{SymbolicType(dt, out)}, nil
}

// slice: a strided window.
//
//	%r = slice(%x) {start=[0,1], size=[2,3], stride=[1,2]} : T
//
// start, size, stride have one value per dimension of x. stride ≠ 0 (may
// be negative), size ≥ 0. r.shape = size and
// r[i] = x[start + i*stride] (per dimension). Every index read must be
// inside x: for each dimension with size > 0, start and
// start + (size-1)*stride are in [0, dim).
func inferSlice(op *Op) ([]Type, error) {
	x := op.Args[0].Type
	r := x.Rank()
	start, err := checkLen(op, "start", r)
	if err != nil {
		return nil, err
	}
	size, err := checkLen(op, "size", r)
	if err != nil {
		return nil, err
	}
	stride, err := checkLen(op, "stride", r)
	if err != nil {
		return nil, err
	}
	for i := range r {
		if stride[i] == 0 {
			return nil, fmt.Errorf("stride=%v: values must be non-zero", stride)
		}
		if size[i] < 0 {
			return nil, fmt.Errorf("size=%v: values must be ≥ 0", size)
		}
		if size[i] == 0 {
			continue
		}
		step, err := mulDims(size[i]-1, abs(stride[i]))
		if err != nil {
			return nil, err
		}
		if stride[i] < 0 {
			step = -step
		}
		last := start[i] + step
		if start[i] < 0 || start[i] >= x.Shape[i] || last < 0 || last >= x.Shape[i] {
			return nil, fmt.Errorf("dimension %d: indices %d..%d step %d are outside [0,%d)", i, start[i], last, stride[i], x.Shape[i])
		}
	}
	return []Type{{DType: x.DType, Shape: tensor.Shape(size).Clone()}}, nil
}

// pad: extend each dimension at both ends.
//
//	%r = pad(%x) {mode="constant", pads=[0,1,1,0,1,1], value=0} : T
//
// pads: 2*rank values ≥ 0, all the begin pads then all the end pads (as
// ONNX). r.shape[i] = x.shape[i] + begin[i] + end[i]. mode:
//   - constant: new positions hold value (converted to x's element type;
//     for bool, value ≠ 0);
//   - reflect: mirror without repeating the edge (numpy "reflect", TF
//     REFLECT); each pad < dim;
//   - symmetric: mirror repeating the edge (numpy "symmetric", TF
//     SYMMETRIC); each pad ≤ dim;
//   - edge: repeat the edge element; dim ≥ 1 where padded.
//
// value is 0 for the modes other than constant.
func inferPad(op *Op) ([]Type, error) {
	x := op.Args[0].Type
	r := x.Rank()
	pads, err := checkLen(op, "pads", 2*r)
	if err != nil {
		return nil, err
	}
	mode := op.Str("mode")
	if mode != "constant" && op.Float("value") != 0 {
		return nil, fmt.Errorf("value=%v with mode=%q", op.Float("value"), mode)
	}
	s := x.Shape.Clone()
	for i := range r {
		b, e, d := pads[i], pads[r+i], x.Shape[i]
		if b < 0 || e < 0 {
			return nil, fmt.Errorf("pads=%v: values must be ≥ 0", pads)
		}
		switch {
		case mode == "reflect" && (b >= d || e >= d) && (b > 0 || e > 0):
			return nil, fmt.Errorf("reflect pads %d,%d of dimension %d need to be < its size %d", b, e, i, d)
		case mode == "symmetric" && (b > d || e > d):
			return nil, fmt.Errorf("symmetric pads %d,%d of dimension %d need to be ≤ its size %d", b, e, i, d)
		case mode == "edge" && d == 0 && (b > 0 || e > 0):
			return nil, fmt.Errorf("edge padding of empty dimension %d", i)
		}
		s[i] = d + b + e
	}
	return []Type{{DType: x.DType, Shape: s}}, nil
}

// tile: repeat x along each axis.
//
//	%r = tile(%x) {multiples=[1,2]} : T
//
// multiples: one value ≥ 0 per dimension. r.shape[i] = x.shape[i]*multiples[i],
// r[i] = x[i mod x.shape].
func inferTile(op *Op) ([]Type, error) {
	x := op.Args[0].Type
	m, err := checkLen(op, "multiples", x.Rank())
	if err != nil {
		return nil, err
	}
	s := x.Shape.Clone()
	for i, k := range m {
		if k < 0 {
			return nil, fmt.Errorf("multiples=%v: values must be ≥ 0", m)
		}
		if s[i], err = mulDims(s[i], k); err != nil {
			return nil, err
		}
	}
	return []Type{{DType: x.DType, Shape: s}}, nil
}

// broadcast: numpy broadcast_to.
//
//	%r = broadcast(%x) {shape=[2,3,4]} : T
//
// shape has rank ≥ x's; aligned at the last dimension, every dimension of
// x equals the target's or is 1. r[i] = x[i with broadcast dimensions at 0].
func inferBroadcast(op *Op) ([]Type, error) {
	x := op.Args[0].Type
	s := tensor.Shape(op.Ints("shape"))
	if len(s) < x.Rank() {
		return nil, fmt.Errorf("cannot broadcast %v to lower rank %v", x.Shape, s)
	}
	off := len(s) - x.Rank()
	for i, d := range x.Shape {
		if d != s[off+i] && d != 1 {
			return nil, fmt.Errorf("cannot broadcast %v to %v", x.Shape, s)
		}
	}
	for _, d := range s {
		if d < 0 {
			return nil, fmt.Errorf("shape=%v: dimensions must be ≥ 0", []int(s))
		}
	}
	return []Type{{DType: x.DType, Shape: s.Clone()}}, nil
}

// gather: select slices of x along axis by index.
//
//	%r = gather(%x, %idx) {axis=1, batch_dims=0} : T
//
// idx is i32 or i64. 0 ≤ batch_dims ≤ axis < rank(x), batch_dims ≤
// rank(idx), and the first batch_dims dimensions of x and idx are equal.
// r.shape = x.shape[:axis] + idx.shape[batch_dims:] + x.shape[axis+1:] and
//
//	r[b..., p..., i..., q...] = x[b..., p..., idx[b..., i...], q...]
//
// (b: batch dims, p: the other dims before axis, q: those after). Every
// index must be in [0, x.shape[axis]); others are an error at run time.
func inferGather(op *Op) ([]Type, error) {
	x, idx := op.Args[0].Type, op.Args[1].Type
	if err := requireDType(idx.DType, "indices", indexDTypes...); err != nil {
		return nil, err
	}
	axis, bd := op.Int("axis"), op.Int("batch_dims")
	if err := checkAxes([]int{axis}, x.Rank(), "axis"); err != nil {
		return nil, err
	}
	if bd < 0 || bd > axis || bd > idx.Rank() {
		return nil, fmt.Errorf("batch_dims=%d: want 0 ≤ batch_dims ≤ axis (%d) and ≤ indices rank (%d)", bd, axis, idx.Rank())
	}
	for i := range bd {
		if x.Shape[i] != idx.Shape[i] {
			return nil, fmt.Errorf("batch dimension %d: input has %d, indices have %d", i, x.Shape[i], idx.Shape[i])
		}
	}
	s := append(tensor.Shape{}, x.Shape[:axis]...)
	s = append(s, idx.Shape[bd:]...)
	s = append(s, x.Shape[axis+1:]...)
	return []Type{{DType: x.DType, Shape: s}}, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
