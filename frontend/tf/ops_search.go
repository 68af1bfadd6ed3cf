package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Searching and ranking: LowerBound, UpperBound (searchsorted), InTopK,
// InTopKV2 and NthElement, as comparisons counted by a sum (or a topk).

func init() {
	register("search", "less (all pairs) + cast + reduce{sum}", convertBound, "LowerBound")
	register("search", "less (all pairs) + not + cast + reduce{sum}", convertBound, "UpperBound")
	register("search", "equal (one-hot) + select + reduce{sum} + greater + reduce{sum} + less; finiteness checks", convertInTopK, "InTopK", "InTopKV2")
	register("search", "topk + slice (+ reshape)", convertNthElement, "NthElement")
	register("search", "max + sub + div + min + floor + equal (bin range) + cast + reduce{sum}", convertHistogram, "HistogramFixedWidth")
	differs("The bin index is computed in float32 (TensorFlow divides by the bin width in double): a value within float "+
		"rounding of a bin edge may land in the neighbouring bin. NaN values: TensorFlow's index is undefined, tfc counts none.",
		"HistogramFixedWidth")
	differs("The place of a NaN is unspecified in TensorFlow (std::nth_element); tfc takes the entry where the IR topk orders NaN.", "NthElement")
}

// LowerBound(sorted [B,N], values [B,M]) is, per row and value, the
// number of sorted entries s with s < v; UpperBound the number with
// !(v < s) — what std::lower_bound and std::upper_bound return on a
// sorted row (a NaN value: 0 and N). out_type is i32 (default) or i64.
func convertBound(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	s, v := vs[0], vs[1]
	if s.Type.Rank() != 2 || v.Type.Rank() != 2 || s.Type.Shape[0] != v.Type.Shape[0] {
		return n.errorf("sorted_inputs %v and values %v: want [B,N] and [B,M]", s.Type, v.Type)
	}
	if s.Type.DType != v.Type.DType {
		return n.errorf("sorted_inputs %v and values %v: want one element type", s.Type, v.Type)
	}
	odt, err := indexType(n, "out_type", tensor.Int32)
	if err != nil {
		return err
	}
	e := c.emitter(n, s.Type.DType)
	b, nn, m := s.Type.Shape[0], s.Type.Shape[1], v.Type.Shape[1]
	sv := e.reshape(s, tensor.Shape{b, 1, nn})
	vv := e.reshape(v, tensor.Shape{b, m, 1})
	var hit *ir.Value
	if n.op == "LowerBound" {
		hit = e.lt(sv, vv)
	} else {
		hit = e.op(ir.OpNot, nil, e.lt(vv, sv))
	}
	r := e.op(ir.OpReduce, ir.Attrs{"kind": "sum", "axes": []int{2}, "keep_dims": false}, e.cast(hit, odt))
	if e.err != nil {
		return e.err
	}
	return c.bind(n, r)
}

// InTopK(predictions [B,C] f32, targets [B], k) follows in_topk_op.h: a
// row is false if its target is outside [0, C) or any prediction in it
// is not finite; else true when fewer than k predictions are strictly
// greater than the target's. k is an attribute (InTopK) or a scalar
// input (InTopKV2).
func convertInTopK(c *ctx, n *node) error {
	nin := 2
	if n.op == "InTopKV2" {
		nin = 3
	}
	vs, err := c.inputs(n, nin, nin)
	if err != nil {
		return err
	}
	p, t := vs[0], vs[1]
	if p.Type.Rank() != 2 || t.Type.Rank() != 1 || t.Type.Shape[0] != p.Type.Shape[0] {
		return n.errorf("predictions %v and targets %v: want [B,C] and [B]", p.Type, t.Type)
	}
	if dt := p.Type.DType; !dt.IsFloat() || dt == tensor.Float64 {
		return n.errorf("predictions have element type %v, want f32, f16 or bf16", dt)
	}
	tdt := t.Type.DType
	if tdt != tensor.Int32 && tdt != tensor.Int64 {
		return n.errorf("targets have element type %v, want i32 or i64", tdt)
	}
	e := c.emitter(n, p.Type.DType)
	var k *ir.Value
	if nin == 3 {
		if k, err = c.scalarInput(n, 2, "k", tensor.Int32); err != nil {
			return err
		}
	} else {
		kv, err := n.attrInt("k")
		if err != nil {
			return err
		}
		k = c.scalar(n, tensor.Int32, float64(kv))
	}
	b, nc := p.Type.Shape[0], p.Type.Shape[1]
	classes := make([]int64, nc)
	for i := range classes {
		classes[i] = int64(i)
	}
	hot := e.eq(e.reshape(t, tensor.Shape{b, 1}), c.constant(n, intTensor(tdt, classes)))
	red := func(kind string, v *ir.Value, keep bool) *ir.Value {
		return e.op(ir.OpReduce, ir.Attrs{"kind": kind, "axes": []int{1}, "keep_dims": keep}, v)
	}
	valid := red("any", hot, false)
	target := red("sum", e.sel(hot, p, e.k(0)), true) // [B,1]
	finite := red("all", e.eq(e.sub(p, p), e.k(0)), false)
	more := red("sum", e.cast(e.gt(p, target), tensor.Int32), false)
	r := e.and(e.and(valid, finite), e.lt(more, k))
	if e.err != nil {
		return e.err
	}
	return c.bind(n, r)
}

// NthElement(input, n) is the n-th smallest value along the last axis
// (the n-th largest with reverse), the entry at index n of the sorted
// last axis, which is dropped: topk of the L-n largest (n+1 with
// reverse) and its last column. n is a constant in [0, L). A NaN's place
// is unspecified (std::nth_element with a NaN has no defined order).
func convertNthElement(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	x := vs[0]
	r := x.Type.Rank()
	if r == 0 || x.Type.Symbolic() {
		return n.errorf("input %v: want rank ≥ 1 and a known shape", x.Type)
	}
	nth, err := c.constAxis(n, 1)
	if err != nil {
		return err
	}
	l := x.Type.Shape[r-1]
	if nth < 0 || nth >= l {
		return n.errorf("n %d out of range [0, %d)", nth, l)
	}
	rev, err := n.attrBoolOr("reverse", false)
	if err != nil {
		return err
	}
	k := l - nth
	if rev {
		k = nth + 1
	}
	top, err := c.emitOp(n, ir.OpTopK, ir.Attrs{"axis": r - 1, "k": k}, x)
	if err != nil {
		return err
	}
	e := c.emitter(n, x.Type.DType)
	last := e.channel(top.Results[0], k-1)
	out := e.reshape(last, x.Type.Shape[:r-1].Clone())
	if e.err != nil {
		return e.err
	}
	return c.bind(n, out)
}

// HistogramFixedWidth(values, value_range [lo, hi], nbins) follows
// histogram_op.cc: per value, bin = min((max(v, lo) - lo) / step, nbins-1)
// truncated, step = hi/nbins - lo/nbins; the result counts the values per
// bin ([nbins], dtype i32 or i64). nbins is a constant ≥ 1.
func convertHistogram(c *ctx, n *node) error {
	vs, err := c.inputs(n, 3, 3)
	if err != nil {
		return err
	}
	x, rng := vs[0], vs[1]
	dt := x.Type.DType
	if dt == tensor.Float64 || dt == tensor.Bool || x.Type.Symbolic() {
		return n.errorf("values %v: want a known shape and a numeric element type other than f64", x.Type)
	}
	if rng.Type.Rank() != 1 || rng.Type.Shape[0] != 2 || rng.Type.DType != dt {
		return n.errorf("value_range %v: want [2] of the values' element type", rng.Type)
	}
	nbins, err := c.constAxis(n, 2)
	if err != nil {
		return err
	}
	if nbins < 1 || nbins > maxSegments {
		return n.errorf("nbins %d: want 1 ≤ nbins ≤ %d", nbins, maxSegments)
	}
	odt, err := indexType(n, "dtype", tensor.Int32)
	if err != nil {
		return err
	}
	ft := tensor.Float32
	if dt.IsFloat() {
		ft = dt
	}
	e := c.emitter(n, ft)
	size := 1
	for _, d := range x.Type.Shape {
		size *= d
	}
	flat := e.reshape(x, tensor.Shape{size, 1})
	bin := e.k(0)
	if nbins > 1 {
		lo, hi := e.channel(rng, 0), e.channel(rng, 1) // values' type, [1]
		nb := e.k(float64(nbins))
		step := e.sub(e.div(e.cast(hi, ft), nb), e.div(e.cast(lo, ft), nb))
		q := e.div(e.cast(e.sub(e.max(flat, lo), lo), ft), step)
		bin = e.floor(e.min(q, e.k(float64(nbins-1))))
	}
	iota := tensor.MustNew(tensor.Float32, tensor.Shape{nbins})
	for i := range iota.F32 {
		iota.F32[i] = float32(i)
	}
	hit := e.eq(bin, e.cast(c.constant(n, iota), ft))
	if nbins == 1 {
		hit = e.op(ir.OpBroadcast, ir.Attrs{"shape": []int{size, 1}}, c.constant(n, tensor.FromBool(tensor.Shape{1}, []bool{true})))
	}
	r := e.op(ir.OpReduce, ir.Attrs{"kind": "sum", "axes": []int{0}, "keep_dims": false}, e.cast(hit, odt))
	if e.err != nil {
		return e.err
	}
	return c.bind(n, r)
}
