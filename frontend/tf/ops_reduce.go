package tf

import (
	"sort"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Reductions, ArgMax/ArgMin and TopK.

func init() {
	for _, r := range []struct{ op, kind string }{
		{"Sum", "sum"}, {"Mean", "mean"}, {"Max", "max"}, {"Min", "min"},
		{"Prod", "prod"}, {"All", "all"}, {"Any", "any"},
	} {
		register("reduce", "reduce{kind="+r.kind+"}", reduceConverter(r.kind), r.op)
	}
	register("reduce", "mul + reduce{kind=sum} + sqrt", convertEuclideanNorm, "EuclideanNorm")
	register("reduce", "argmax", argConverter(ir.OpArgMax), "ArgMax")
	register("reduce", "argmin", argConverter(ir.OpArgMin), "ArgMin")
	register("reduce", "topk on the last axis (+ cast of the indices)", convertTopK, "TopKV2", "TopK")
}

// reduceAxes reads the axes of a reduction from n's i-th input (a
// constant scalar or vector, entries in [-rank, rank)) and returns them
// normalised, without repeats, in increasing order.
func (c *ctx) reduceAxes(n *node, i, rank int) ([]int, error) {
	raw, err := c.constInts(n, i)
	if err != nil {
		return nil, err
	}
	seen := map[int]bool{}
	var axes []int
	for _, a := range raw {
		if a < -rank || a >= rank {
			return nil, n.errorf("reduction axis %d out of range for an input of rank %d", a, rank)
		}
		if a < 0 {
			a += rank
		}
		if !seen[a] {
			seen[a] = true
			axes = append(axes, a)
		}
	}
	sort.Ints(axes)
	return axes, nil
}

// reduceConverter translates Sum, Mean, Max, Min, Prod, All and Any into
// reduce of the given kind. The axes (reduction_indices) come from a
// constant input, scalar or vector, possibly negative or repeated; they
// are normalised and sorted. keep_dims is kept. No axes: the input is
// forwarded unchanged, as TensorFlow does.
func reduceConverter(kind string) converter {
	return func(c *ctx, n *node) error {
		if _, err := c.inputs(n, 2, 2); err != nil {
			return err
		}
		x, err := c.input(n, 0)
		if err != nil {
			return err
		}
		axes, err := c.reduceAxes(n, 1, x.Type.Rank())
		if err != nil {
			return err
		}
		keep, err := n.attrBoolOr("keep_dims", false)
		if err != nil {
			return err
		}
		if len(axes) == 0 {
			return c.bind(n, x)
		}
		v, err := c.emit(n, ir.OpReduce, ir.Attrs{"kind": kind, "axes": axes, "keep_dims": keep}, x)
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
}

// indexType reads an index-type attribute (output_type, index_type): i32
// or i64.
func indexType(n *node, attr string, def tensor.DType) (tensor.DType, error) {
	dt := def
	if n.hasAttr(attr) {
		var err error
		if dt, err = n.attrType(attr); err != nil {
			return 0, err
		}
	}
	if dt != tensor.Int32 && dt != tensor.Int64 {
		return 0, n.errorf("attribute %q: index type %v is not supported (want int32 or int64)", attr, dt)
	}
	return dt, nil
}

// argConverter translates ArgMax → argmax and ArgMin → argmin over the
// axis given by the constant input "dimension" (negative counts from the
// end), without keeping it, with index_type = output_type (int64 by
// default).
func argConverter(opc ir.Opcode) converter {
	return func(c *ctx, n *node) error {
		if _, err := c.inputs(n, 2, 2); err != nil {
			return err
		}
		x, err := c.input(n, 0)
		if err != nil {
			return err
		}
		dim, err := c.constInts(n, 1)
		if err != nil {
			return err
		}
		if len(dim) != 1 {
			return n.errorf("dimension has %d values, want a scalar", len(dim))
		}
		if x.Type.Rank() == 0 {
			return n.errorf("input is a scalar; %s needs rank ≥ 1", n.op)
		}
		axis, err := normAxis(n, dim[0], x.Type.Rank())
		if err != nil {
			return err
		}
		it, err := indexType(n, "output_type", tensor.Int64)
		if err != nil {
			return err
		}
		v, err := c.emit(n, opc, ir.Attrs{"axis": axis, "keep_dims": false, "index_type": it}, x)
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
}

// TopKV2 (k from a constant input) and TopK (k attribute) become topk on
// the last axis. TensorFlow's sorted=false leaves the order unspecified,
// so the IR's sorted order is a valid answer for both. The indices are
// i32, cast to index_type when that is int64. k = 0 gives empty constants.
func convertTopK(c *ctx, n *node) error {
	var k int
	if n.op == "TopK" {
		if _, err := c.inputs(n, 1, 1); err != nil {
			return err
		}
		var err error
		if k, err = n.attrInt("k"); err != nil {
			return err
		}
	} else {
		if _, err := c.inputs(n, 2, 2); err != nil {
			return err
		}
		ks, err := c.constInts(n, 1)
		if err != nil {
			return err
		}
		if len(ks) != 1 {
			return n.errorf("k has %d values, want a scalar", len(ks))
		}
		k = ks[0]
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	it, err := indexType(n, "index_type", tensor.Int32)
	if err != nil {
		return err
	}
	r := x.Type.Rank()
	if r == 0 {
		return n.errorf("input is a scalar; TopK needs rank ≥ 1")
	}
	if k < 0 || k > x.Type.Shape[r-1] {
		return n.errorf("k=%d out of range [0,%d] (the size of the last dimension of %v)", k, x.Type.Shape[r-1], x.Type.Shape)
	}
	if k == 0 {
		s := x.Type.Shape.Clone()
		s[r-1] = 0
		return c.bind(n, c.constant(n, tensor.MustNew(x.Type.DType, s)), c.constant(n, tensor.MustNew(it, s)))
	}
	op, err := c.emitOp(n, ir.OpTopK, ir.Attrs{"axis": r - 1, "k": k}, x)
	if err != nil {
		return err
	}
	vals, idx := op.Results[0], op.Results[1]
	if idx.Type.DType != it {
		if idx, err = c.emit(n, ir.OpCast, ir.Attrs{"to": it}, idx); err != nil {
			return err
		}
	}
	return c.bind(n, vals, idx)
}

// EuclideanNorm is sqrt(Σ x·x) over the axes (as Sum: constant,
// possibly negative or repeated; keep_dims kept); with no axes it is
// sqrt(x·x) elementwise, as TensorFlow computes it. Float inputs only.
func convertEuclideanNorm(c *ctx, n *node) error {
	if _, err := c.inputs(n, 2, 2); err != nil {
		return err
	}
	x, err := c.floatInput(n)
	if err != nil {
		return err
	}
	axes, err := c.reduceAxes(n, 1, x.Type.Rank())
	if err != nil {
		return err
	}
	keep, err := n.attrBoolOr("keep_dims", false)
	if err != nil {
		return err
	}
	e := c.emitter(n, x.Type.DType)
	v := e.mul(x, x)
	if len(axes) > 0 {
		v = e.op(ir.OpReduce, ir.Attrs{"kind": "sum", "axes": axes, "keep_dims": keep}, v)
	}
	v = e.op(ir.OpSqrt, nil, v)
	if e.err != nil {
		return e.err
	}
	return c.bind(n, v)
}
