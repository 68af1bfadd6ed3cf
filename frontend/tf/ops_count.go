package tf

import (
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Counting values: Bincount, DenseBincount, and Unique, UniqueWithCounts
// (and their V2 forms with an axis).
//
// Bincount(arr, size, weights) and DenseBincount(input, size, weights)
// with a constant size: every value is compared with iota(size)
// (equal → bool [..., size]); the matches are counted (cast + reduce sum),
// or their weights summed (select(match, weight, 0) + reduce sum), or,
// with binary_output, flagged (reduce any + cast). DenseBincount of a
// matrix counts per row. Values outside [0, size) match nothing:
// TensorFlow ignores values ≥ size and refuses negative values at run
// time (tfc ignores them too). Weighted sums add in the reduction's
// order, not TensorFlow's element order (equal up to float rounding).
//
// Unique's outputs have a data-dependent length, so the input must be a
// constant: the unique values (in order of first appearance), the index
// of each element's value and the counts are computed at import (NaN is
// never equal to itself, so each NaN is its own value; -0 equals 0, as
// in TensorFlow's hash map), and y is a gather of the input at the first
// occurrences.

func init() {
	register("count", "equal(x, iota) + cast/select + reduce sum (constant size)", convertBincount(false), "Bincount")
	register("count", "equal(x, iota) + cast/select + reduce sum, or reduce any for binary_output (constant size)", convertBincount(true), "DenseBincount")
	register("count", "constants and a gather at the first occurrences (constant input)", convertUnique(false, false), "Unique")
	register("count", "constants and a gather at the first occurrences (constant input)", convertUnique(true, false), "UniqueWithCounts")
	register("count", "constants and a gather at the first occurrences (constant input)", convertUnique(false, true), "UniqueV2")
	register("count", "constants and a gather at the first occurrences (constant input)", convertUnique(true, true), "UniqueWithCountsV2")
}

// maxBins bounds a bincount's size.
const maxBins = 1 << 16

func convertBincount(dense bool) converter {
	return func(c *ctx, n *node) error {
		vs, err := c.inputs(n, 3, 3)
		if err != nil {
			return err
		}
		x, w := vs[0], vs[2]
		size, err := c.constAxis(n, 1)
		if err != nil {
			return n.errorf("size must be a constant (the output shape depends on it): %v", err)
		}
		if size < 0 || size > maxBins {
			return n.errorf("size %d: want 0 ≤ size ≤ %d", size, maxBins)
		}
		binary := false
		if dense {
			if binary, err = n.attrBoolOr("binary_output", false); err != nil {
				return err
			}
			if r := x.Type.Rank(); r != 1 && r != 2 {
				return n.errorf("input has shape %v; want rank 1 or 2", x.Type.Shape)
			}
		}
		xdt := x.Type.DType
		if xdt != tensor.Int32 && xdt != tensor.Int64 {
			return n.errorf("values are %v; want int32 or int64", xdt)
		}
		weighted := w.Type.Shape.Size() > 0
		if weighted && !w.Type.Shape.Equal(x.Type.Shape) {
			return n.errorf("weights has shape %v; want the input's shape %v or an empty tensor", w.Type.Shape, x.Type.Shape)
		}
		dt := w.Type.DType
		r := x.Type.Rank()
		iota := tensor.MustNew(xdt, tensor.Shape{size})
		for i := range size {
			if xdt == tensor.Int32 {
				iota.I32[i] = int32(i)
			} else {
				iota.I64[i] = int64(i)
			}
		}
		xe, err := c.reshape(n, x, append(x.Type.Shape.Clone(), 1))
		if err != nil {
			return err
		}
		eq, err := c.emit(n, ir.OpEqual, nil, xe, c.constant(n, iota))
		if err != nil {
			return err
		}
		axes := make([]int, r)
		for i := range axes {
			axes[i] = i
		}
		if dense && r == 2 {
			axes = []int{1}
		}
		reduce := func(kind string, v *ir.Value) (*ir.Value, error) {
			if len(axes) == 0 {
				return v, nil
			}
			return c.emit(n, ir.OpReduce, ir.Attrs{"kind": kind, "axes": axes, "keep_dims": false}, v)
		}
		var v *ir.Value
		switch {
		case binary:
			if v, err = reduce("any", eq); err != nil {
				return err
			}
			v, err = c.emit(n, ir.OpCast, ir.Attrs{"to": dt}, v)
		case weighted:
			var we, sel *ir.Value
			if we, err = c.reshape(n, w, append(w.Type.Shape.Clone(), 1)); err != nil {
				return err
			}
			if sel, err = c.emit(n, ir.OpSelect, nil, eq, we, c.scalar(n, dt, 0)); err != nil {
				return err
			}
			v, err = reduce("sum", sel)
		default:
			var f *ir.Value
			if f, err = c.emit(n, ir.OpCast, ir.Attrs{"to": dt}, eq); err != nil {
				return err
			}
			v, err = reduce("sum", f)
		}
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
}

func convertUnique(counts, v2 bool) converter {
	return func(c *ctx, n *node) error {
		nin := 1
		if v2 {
			nin = 2
		}
		vs, err := c.inputs(n, nin, nin)
		if err != nil {
			return err
		}
		x := vs[0]
		idt, err := n.attrType("out_idx")
		if err != nil {
			return err
		}
		if idt != tensor.Int32 && idt != tensor.Int64 {
			return n.errorf("out_idx %v: want int32 or int64", idt)
		}
		axis := 0
		if v2 {
			a, err := c.constInts(n, 1)
			if err != nil {
				return err
			}
			switch len(a) {
			case 0:
				if x.Type.Rank() != 1 {
					return n.errorf("no axis and x has shape %v; want a vector", x.Type.Shape)
				}
			case 1:
				if axis, err = normAxis(n, a[0], x.Type.Rank()); err != nil {
					return err
				}
			default:
				return n.errorf("axis has %d values; want at most one", len(a))
			}
		} else if x.Type.Rank() != 1 {
			return n.errorf("x has shape %v; want a vector", x.Type.Shape)
		}
		t, cerr := c.constValue(x)
		if cerr != nil {
			return n.errorf("x must be a constant: the outputs' length depends on its values, and TensorRT has no layer computing Unique (its data-dependent layers are INonZeroLayer, which Where becomes, and INMSLayer) (%v)", cerr)
		}
		// Slices along axis, as keys.
		s := x.Type.Shape
		outer, inner := s[:axis].Size(), s[axis+1:].Size()
		d := s[axis]
		key := func(i int) (string, bool) {
			vals := make([]float64, 0, outer*inner)
			for o := range outer {
				for k := range inner {
					j := (o*d+i)*inner + k
					var v float64
					if t.DType.IsFloat() {
						v = t.Float64At(j)
						if math.IsNaN(v) {
							return "", false
						}
						if v == 0 {
							v = 0 // -0 equals 0
						}
					} else {
						v = float64(t.Int64At(j))
					}
					vals = append(vals, v)
				}
			}
			if !t.DType.IsFloat() {
				ints := make([]int64, 0, len(vals))
				for o := range outer {
					for k := range inner {
						ints = append(ints, t.Int64At((o*d+i)*inner+k))
					}
				}
				return fmt.Sprint(ints), true
			}
			return fmt.Sprint(vals), true
		}
		seen := map[string]int{}
		var first []int32
		var cnt []int64
		idx := make([]int64, d)
		for i := range d {
			k, ok := key(i)
			g, dup := seen[k]
			if !ok || !dup {
				g = len(first)
				if ok {
					seen[k] = g
				}
				first = append(first, int32(i))
				cnt = append(cnt, 0)
			}
			idx[i] = int64(g)
			cnt[g]++
		}
		ints := func(v []int64) *tensor.Tensor {
			r := tensor.MustNew(idt, tensor.Shape{len(v)})
			for i, e := range v {
				if idt == tensor.Int32 {
					r.I32[i] = int32(e)
				} else {
					r.I64[i] = e
				}
			}
			return r
		}
		y, err := c.emit(n, ir.OpGather, ir.Attrs{"axis": axis, "batch_dims": 0}, x, c.constant(n, tensor.FromI32(tensor.Shape{len(first)}, first)))
		if err != nil {
			return err
		}
		outs := []*ir.Value{y, c.constant(n, ints(idx))}
		if counts {
			outs = append(outs, c.constant(n, ints(cnt)))
		}
		return c.bind(n, outs...)
	}
}
