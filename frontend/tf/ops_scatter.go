package tf

import (
	"fmt"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Writing slices at indices: TensorScatterUpdate/Add/Sub/Max/Min,
// DynamicStitch, ParallelDynamicStitch, DynamicPartition,
// InvertPermutation and SparseToDense.
//
// TensorScatter* with constant indices: TensorFlow's CPU kernel applies
// the updates one after another (t[idx[j]] = f(t[idx[j]], u[j])), so an
// index tuple that repeats is updated again. The tuples are grouped at
// import into levels (level m holds the m-th occurrence of every tuple
// that occurs more than m times); each level is a scatter_nd of distinct
// tuples, which writes each slice once, and
//
//	acc = select(mask_m, f(acc, scatter_m), acc)
//
// with the level's constant mask, so untouched elements (NaN and -0
// included) are never computed with and repeated tuples are updated in
// TensorFlow's order. Update keeps the last occurrence only (TensorFlow
// documents the order as undefined; its CPU kernel writes in order).
// Indices computed at run time: Add and Sub are t ± scatter_nd(idx, u),
// which sums the updates at a repeated tuple before applying them
// (TensorFlow applies them one by one: the same value up to float
// rounding, and an untouched -0 becomes +0); Update, Max and Min are
// refused, since TensorRT's IScatterLayer leaves repeated writes
// undefined and no exact composition exists. Out-of-range indices are an
// error at import (TensorFlow's kernel errors at run time).

func init() {
	for _, k := range []string{"Update", "Add", "Sub", "Max", "Min"} {
		desc := "select(level mask, f(acc, scatter_nd), acc) per repetition level of the constant indices"
		if k == "Add" || k == "Sub" {
			desc += "; runtime indices: " + map[string]string{"Add": "add", "Sub": "sub"}[k] + "(tensor, scatter_nd)"
		}
		register("scatter", desc, convertTensorScatter(k), "TensorScatter"+k)
	}
	register("scatter", "reshape + concat + gather of the last write of each row (constant indices)", convertDynamicStitch, "DynamicStitch", "ParallelDynamicStitch")
	register("scatter", "gather of each partition's rows (constant partitions)", convertDynamicPartition, "DynamicPartition")
	register("scatter", "constant (constant input) or scatter_nd of iota at the permutation", convertInvertPermutation, "InvertPermutation")
	register("scatter", "broadcast(default) + TensorScatterUpdate (constant indices); select(scatter_nd(idx, 1) > 0, scatter_nd(idx, values), default)", convertSparseToDense, "SparseToDense")
}

// maxScatterLevels bounds the repetition levels of a TensorScatter op.
const maxScatterLevels = 64

// scatterLevels groups the index tuples of idx (shape [..., K]) into
// repetition levels: level m lists, in order of first appearance, the
// (tuple, row) of the m-th occurrence of each tuple. lastOnly keeps one
// level holding each tuple's last occurrence.
func scatterLevels(n *node, idx *tensor.Tensor, shape tensor.Shape, lastOnly bool) (tuples [][][]int32, rows [][]int32, err error) {
	q := idx.Shape.Rank()
	if q < 1 {
		return nil, nil, n.errorf("indices is a scalar; want rank ≥ 1")
	}
	k := idx.Shape[q-1]
	if k > shape.Rank() {
		return nil, nil, n.errorf("index tuples of length %d address more than the %d dimensions of %v", k, shape.Rank(), shape)
	}
	num := idx.Shape[:q-1].Size()
	count := map[string]int{}
	last := map[string]int{}
	keys := make([]string, num)
	for j := range num {
		tup := make([]int32, k)
		for i := range k {
			v := idx.Int64At(j*k + i)
			if v < 0 || v >= int64(shape[i]) {
				return nil, nil, n.errorf("indices[%d] = %v does not index into shape %v", j, tupleString(idx, j, k), shape)
			}
			tup[i] = int32(v)
		}
		key := fmt.Sprint(tup)
		keys[j] = key
		m := count[key]
		count[key] = m + 1
		last[key] = j
		if lastOnly {
			continue
		}
		if m >= maxScatterLevels {
			return nil, nil, n.errorf("an index tuple repeats more than %d times", maxScatterLevels)
		}
		if m == len(tuples) {
			tuples, rows = append(tuples, nil), append(rows, nil)
		}
		tuples[m] = append(tuples[m], tup)
		rows[m] = append(rows[m], int32(j))
	}
	if lastOnly && num > 0 {
		tuples, rows = [][][]int32{nil}, [][]int32{nil}
		for j := range num {
			if last[keys[j]] == j {
				tup := make([]int32, k)
				for i := range k {
					tup[i] = int32(idx.Int64At(j*k + i))
				}
				tuples[0] = append(tuples[0], tup)
				rows[0] = append(rows[0], int32(j))
			}
		}
	}
	return tuples, rows, nil
}

func tupleString(t *tensor.Tensor, j, k int) string {
	s := make([]int64, k)
	for i := range k {
		s[i] = t.Int64At(j*k + i)
	}
	return fmt.Sprint(s)
}

func convertTensorScatter(kind string) converter {
	return func(c *ctx, n *node) error {
		vs, err := c.inputs(n, 3, 3)
		if err != nil {
			return err
		}
		v, err := c.tensorScatter(n, kind, vs[0], vs[1], vs[2])
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
}

// tensorScatter is TensorScatter<kind>(t, idx, u).
func (c *ctx) tensorScatter(n *node, kind string, t, idx, u *ir.Value) (*ir.Value, error) {
	var err error
	shape := t.Type.Shape
	q := idx.Type.Rank()
	if q < 1 {
		return nil, n.errorf("indices is a scalar; want rank ≥ 1")
	}
	k := idx.Type.Shape[q-1]
	if k > shape.Rank() {
		return nil, n.errorf("index tuples of length %d address more than the %d dimensions of %v", k, shape.Rank(), shape)
	}
	slice := shape[k:]
	want := append(idx.Type.Shape[:q-1].Clone(), slice...)
	if !u.Type.Shape.Equal(want) {
		return nil, n.errorf("updates has shape %v; want %v (indices %v, tensor %v)", u.Type.Shape, want, idx.Type.Shape, shape)
	}
	if u.Type.DType != t.Type.DType {
		return nil, n.errorf("updates is %v; want %v as tensor", u.Type.DType, t.Type.DType)
	}
	it, cerr := c.constValue(idx)
	if cerr != nil {
		if kind != "Add" && kind != "Sub" {
			return nil, n.errorf("indices must be constants (computed at run time they may repeat, and TensorRT's IScatterLayer leaves repeated writes undefined): %v", cerr)
		}
		s, err := c.emit(n, ir.OpScatterND, ir.Attrs{"shape": []int(shape.Clone())}, idx, u)
		if err != nil {
			return nil, err
		}
		opc := ir.OpAdd
		if kind == "Sub" {
			opc = ir.OpSub
		}
		v, err := c.emit(n, opc, nil, t, s)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
	tuples, rows, err := scatterLevels(n, it, shape, kind == "Update")
	if err != nil {
		return nil, err
	}
	num := idx.Type.Shape[:q-1].Size()
	uf := u
	if fs := append(tensor.Shape{num}, slice...); !fs.Equal(u.Type.Shape) {
		if uf, err = c.reshape(n, u, fs); err != nil {
			return nil, err
		}
	}
	acc := t
	for m := range tuples {
		g := len(tuples[m])
		um := uf
		if g != num || !isIota(rows[m]) {
			if um, err = c.emit(n, ir.OpGather, ir.Attrs{"axis": 0, "batch_dims": 0}, uf, c.constant(n, tensor.FromI32(tensor.Shape{g}, rows[m]))); err != nil {
				return nil, err
			}
		}
		flat := make([]int32, 0, g*k)
		maskShape := append(shape[:k].Clone(), ones(len(slice))...)
		mask := tensor.MustNew(tensor.Bool, maskShape)
		strides := shape[:k].Strides()
		for _, tup := range tuples[m] {
			flat = append(flat, tup...)
			p := 0
			for i, v := range tup {
				p += int(v) * strides[i]
			}
			mask.B[p] = true
		}
		s, err := c.emit(n, ir.OpScatterND, ir.Attrs{"shape": []int(shape.Clone())},
			c.constant(n, tensor.FromI32(tensor.Shape{g, k}, flat)), um)
		if err != nil {
			return nil, err
		}
		v := s
		switch kind {
		case "Add":
			v, err = c.emit(n, ir.OpAdd, nil, acc, s)
		case "Sub":
			v, err = c.emit(n, ir.OpSub, nil, acc, s)
		case "Max":
			v, err = c.emit(n, ir.OpMax, nil, acc, s)
		case "Min":
			v, err = c.emit(n, ir.OpMin, nil, acc, s)
		}
		if err != nil {
			return nil, err
		}
		if acc, err = c.emit(n, ir.OpSelect, nil, c.constant(n, mask), v, acc); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func isIota(s []int32) bool {
	for i, v := range s {
		if int(v) != i {
			return false
		}
	}
	return true
}

// maxStitchRows bounds DynamicStitch's output rows (its constant index map).
const maxStitchRows = 1 << 20

// convertDynamicStitch: DynamicStitch(indices..., data...) with constant
// indices. merged[indices[m][i]] = data[m][i], later writes winning (the
// order of TensorFlow's CPU kernel; ParallelDynamicStitch leaves it
// undefined); rows no index names are 0, as TensorFlow's kernels fill
// them.
func convertDynamicStitch(c *ctx, n *node) error {
	if len(n.inputs)%2 != 0 || len(n.inputs) == 0 {
		return n.errorf("has %d inputs; want N indices and N data", len(n.inputs))
	}
	vs, err := c.inputs(n, len(n.inputs), len(n.inputs))
	if err != nil {
		return err
	}
	k := len(vs) / 2
	var slice tensor.Shape
	var parts []*ir.Value
	src := map[int]int32{} // output row → row of the concatenation
	maxIdx, base := -1, 0
	dt := vs[k].Type.DType
	for m := range k {
		it, err := c.constInput(n, m)
		if err != nil {
			return n.errorf("indices must be constants (the output shape depends on them): %v", err)
		}
		d := vs[k+m]
		r := it.Shape.Rank()
		if r > d.Type.Rank() || !d.Type.Shape[:r].Equal(it.Shape) {
			return n.errorf("data[%d] has shape %v; want indices[%d]'s shape %v as its prefix", m, d.Type.Shape, m, it.Shape)
		}
		if m == 0 {
			slice = d.Type.Shape[r:].Clone()
		} else if !d.Type.Shape[r:].Equal(slice) {
			return n.errorf("data[%d] has shape %v; want indices[%d].shape + %v", m, d.Type.Shape, m, slice)
		}
		if d.Type.DType != dt {
			return n.errorf("data[%d] is %v; want %v", m, d.Type.DType, dt)
		}
		cnt := it.Len()
		for i := range cnt {
			v := it.Int64At(i)
			if v < 0 || v >= maxStitchRows {
				return n.errorf("indices[%d] holds %d; want an index in [0, %d)", m, v, maxStitchRows)
			}
			src[int(v)] = int32(base + i)
			maxIdx = max(maxIdx, int(v))
		}
		if cnt == 0 {
			continue
		}
		p := d
		if fs := append(tensor.Shape{cnt}, slice...); !fs.Equal(d.Type.Shape) {
			if p, err = c.reshape(n, d, fs); err != nil {
				return err
			}
		}
		parts = append(parts, p)
		base += cnt
	}
	rows := maxIdx + 1
	if rows == 0 {
		return c.bind(n, c.constant(n, tensor.MustNew(dt, append(tensor.Shape{0}, slice...))))
	}
	idx := make([]int32, rows)
	gap := false
	for i := range idx {
		s, ok := src[i]
		if !ok {
			s, gap = int32(base), true
		}
		idx[i] = s
	}
	if gap {
		z, err := c.filled(n, append(tensor.Shape{1}, slice...), tensor.Scalar(dt, 0), nil)
		if err != nil {
			return err
		}
		parts = append(parts, z)
	}
	all := parts[0]
	if len(parts) > 1 {
		if all, err = c.emit(n, ir.OpConcat, ir.Attrs{"axis": 0}, parts...); err != nil {
			return err
		}
	}
	v, err := c.emit(n, ir.OpGather, ir.Attrs{"axis": 0, "batch_dims": 0}, all, c.constant(n, tensor.FromI32(tensor.Shape{rows}, idx)))
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// convertDynamicPartition: DynamicPartition(data, partitions) with
// constant partitions; output p gathers, in order, the rows whose
// partition is p (partitions' shape is a prefix of data's). Partitions
// computed at run time would make the output shapes depend on the data,
// which the IR (and a TensorRT engine's static shapes) cannot express.
func convertDynamicPartition(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	x := vs[0]
	num, err := n.attrInt("num_partitions")
	if err != nil {
		return err
	}
	if num < 1 {
		return n.errorf("num_partitions is %d; want ≥ 1", num)
	}
	pt, err := c.constInput(n, 1)
	if err != nil {
		return n.errorf("partitions must be constants (the output shapes depend on their values; tfc's IR and TensorRT engines have static shapes): %v", err)
	}
	r := pt.Shape.Rank()
	if r > x.Type.Rank() || !x.Type.Shape[:r].Equal(pt.Shape) {
		return n.errorf("partitions has shape %v; want a prefix of data's shape %v", pt.Shape, x.Type.Shape)
	}
	rows := make([][]int32, num)
	for i := range pt.Len() {
		p := pt.Int64At(i)
		if p < 0 || p >= int64(num) {
			return n.errorf("partitions[%d] = %d is not in [0, %d)", i, p, num)
		}
		rows[p] = append(rows[p], int32(i))
	}
	slice := x.Type.Shape[r:]
	xf := x
	if fs := append(tensor.Shape{pt.Len()}, slice...); !fs.Equal(x.Type.Shape) {
		if xf, err = c.reshape(n, x, fs); err != nil {
			return err
		}
	}
	outs := make([]*ir.Value, num)
	for p, rs := range rows {
		if len(rs) == 0 {
			outs[p] = c.constant(n, tensor.MustNew(x.Type.DType, append(tensor.Shape{0}, slice...)))
			continue
		}
		if outs[p], err = c.emit(n, ir.OpGather, ir.Attrs{"axis": 0, "batch_dims": 0}, xf, c.constant(n, tensor.FromI32(tensor.Shape{len(rs)}, rs))); err != nil {
			return err
		}
	}
	return c.bind(n, outs...)
}

// convertInvertPermutation: y[x[i]] = i. A constant x is inverted here
// (and checked to be a permutation, as TensorFlow's kernel does); one
// computed at run time becomes scatter_nd(x[:, None], iota), exact for a
// permutation (TensorFlow refuses anything else at run time; tfc cannot
// check it there: a repeated value sums).
func convertInvertPermutation(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	if x.Type.Rank() != 1 {
		return n.errorf("x has shape %v; want a vector", x.Type.Shape)
	}
	dt := x.Type.DType
	if dt != tensor.Int32 && dt != tensor.Int64 {
		return n.errorf("x is %v; want int32 or int64", dt)
	}
	size := x.Type.Shape[0]
	if t, err := c.constValue(x); err == nil {
		inv := tensor.MustNew(dt, tensor.Shape{size})
		seen := make([]bool, size)
		for i := range size {
			v := t.Int64At(i)
			if v < 0 || v >= int64(size) || seen[v] {
				return n.errorf("x is not a permutation of [0, %d): %d at position %d", size, v, i)
			}
			seen[v] = true
			if dt == tensor.Int32 {
				inv.I32[v] = int32(i)
			} else {
				inv.I64[v] = int64(i)
			}
		}
		return c.bind(n, c.constant(n, inv))
	}
	iota := tensor.MustNew(dt, tensor.Shape{size})
	for i := range size {
		if dt == tensor.Int32 {
			iota.I32[i] = int32(i)
		} else {
			iota.I64[i] = int64(i)
		}
	}
	col, err := c.reshape(n, x, tensor.Shape{size, 1})
	if err != nil {
		return err
	}
	v, err := c.emit(n, ir.OpScatterND, ir.Attrs{"shape": []int{size}}, col, c.constant(n, iota))
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// convertSparseToDense: SparseToDense(indices, output_shape, values,
// default_value): default_value everywhere but at the index tuples
// (a scalar or vector of indices addresses a vector), which take the
// values (a scalar value goes everywhere). validate_indices (the default)
// makes TensorFlow refuse repeated or unsorted tuples: constant ones are
// checked at import; with validation, tuples fed at run time are distinct,
// so the result is select(scatter_nd(idx, 1) > 0, scatter_nd(idx, values),
// default); without it, constant tuples repeat with the last one winning
// (TensorFlow's CPU order) and runtime ones are refused.
func convertSparseToDense(c *ctx, n *node) error {
	vs, err := c.inputs(n, 4, 4)
	if err != nil {
		return err
	}
	idx, vals, def := vs[0], vs[2], vs[3]
	shape, err := c.constInts(n, 1)
	if err != nil {
		return n.errorf("output_shape must be a constant: %v", err)
	}
	oshape, err := checkedShape(n, "output_shape", shape)
	if err != nil {
		return err
	}
	validate, err := n.attrBoolOr("validate_indices", true)
	if err != nil {
		return err
	}
	dt := vals.Type.DType
	if def.Type.Shape.Size() != 1 || def.Type.Rank() > 0 || def.Type.DType != dt {
		return n.errorf("default_value %v: want a scalar of the values' type %v", def.Type, dt)
	}
	// Index tuples [N, R].
	var num, k int
	switch idx.Type.Rank() {
	case 0:
		num, k = 1, 1
	case 1:
		num, k = idx.Type.Shape[0], 1
	case 2:
		num, k = idx.Type.Shape[0], idx.Type.Shape[1]
	default:
		return n.errorf("sparse_indices has shape %v; want rank ≤ 2", idx.Type.Shape)
	}
	if k != len(oshape) {
		return n.errorf("index tuples of length %d for output_shape %v", k, oshape)
	}
	tup := idx
	if idx.Type.Rank() < 2 {
		if tup, err = c.reshape(n, idx, tensor.Shape{num, k}); err != nil {
			return err
		}
	}
	u := vals
	switch {
	case vals.Type.Rank() == 0:
		if u, err = c.emit(n, ir.OpBroadcast, ir.Attrs{"shape": []int{num}}, vals); err != nil {
			return err
		}
	case vals.Type.Rank() != 1 || vals.Type.Shape[0] != num:
		return n.errorf("sparse_values has shape %v; want a scalar or [%d]", vals.Type.Shape, num)
	}
	base, err := c.emit(n, ir.OpBroadcast, ir.Attrs{"shape": []int(oshape.Clone())}, def)
	if err != nil {
		return err
	}
	it, cerr := c.constValue(idx)
	if cerr == nil {
		if validate {
			strides := oshape.Strides()
			prev := int64(-1)
			for j := range num {
				p := int64(0)
				for i := range k {
					v := it.Int64At(j*k + i)
					if v < 0 || v >= int64(oshape[i]) {
						return n.errorf("indices[%d] = %v is out of bounds for output_shape %v", j, tupleString(it, j, k), oshape)
					}
					p += v * int64(strides[i])
				}
				if p <= prev {
					return n.errorf("indices[%d] = %v is repeated or out of order (validate_indices)", j, tupleString(it, j, k))
				}
				prev = p
			}
		}
		v, err := c.tensorScatter(n, "Update", base, tup, u)
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
	if !validate {
		return n.errorf("sparse_indices must be constants with validate_indices=false (repeated tuples computed at run time would be summed; TensorRT's IScatterLayer leaves repeated writes undefined): %v", cerr)
	}
	oneF, err := c.filled(n, tensor.Shape{num}, tensor.Scalar(dt, 1), nil)
	if err != nil {
		return err
	}
	cnt, err := c.emit(n, ir.OpScatterND, ir.Attrs{"shape": []int(oshape.Clone())}, tup, oneF)
	if err != nil {
		return err
	}
	mask, err := c.emit(n, ir.OpGreater, nil, cnt, c.scalar(n, dt, 0))
	if err != nil {
		return err
	}
	s, err := c.emit(n, ir.OpScatterND, ir.Attrs{"shape": []int(oshape.Clone())}, tup, u)
	if err != nil {
		return err
	}
	v, err := c.emit(n, ir.OpSelect, nil, mask, s, base)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}
