package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// InplaceUpdate, InplaceAdd and InplaceSub with constant row indices:
// x with rows i[j] replaced by (added to, subtracted from) v[j], in the
// order j = 0, 1, ... as TensorFlow's DoInplace loops (a repeated row:
// the last update wins; additions accumulate left to right). Each pass
// over one occurrence of the repeated rows is a gather of v's rows (a
// constant map) and a select by a constant row mask, so untouched rows
// keep their exact values (-0 included).

func init() {
	register("inplace", "gather (rows of v) + select (constant row mask)", convertInplace, "InplaceUpdate")
	register("inplace", "gather (rows of v) + add + select, once per repeat of a row", convertInplace, "InplaceAdd")
	register("inplace", "gather (rows of v) + sub + select, once per repeat of a row", convertInplace, "InplaceSub")
}

func convertInplace(c *ctx, n *node) error {
	vs, err := c.inputs(n, 3, 3)
	if err != nil {
		return err
	}
	x, v := vs[0], vs[2]
	if x.Type.Rank() == 0 || x.Type.Symbolic() || v.Type.Symbolic() {
		return n.errorf("x %v: want rank ≥ 1 and a known shape", x.Type)
	}
	it, err := c.constInput(n, 1)
	if err != nil {
		return n.errorf("row indices i must be a constant: %v", err)
	}
	idx := make([]int, it.Len())
	rows := x.Type.Shape[0]
	for j := range idx {
		k := it.Int64At(j)
		if k < 0 || k >= int64(rows) {
			return n.errorf("row index %d out of range [0, %d)", k, rows)
		}
		idx[j] = int(k)
	}
	want := append(tensor.Shape{len(idx)}, x.Type.Shape[1:]...)
	if it.Shape.Rank() > 1 || !v.Type.Shape.Equal(want) || v.Type.DType != x.Type.DType {
		return n.errorf("i %v and v %v: want a vector of row indices and v of shape %v, x's element type", it.Shape, v.Type, want)
	}
	if len(idx) == 0 {
		return c.bind(n, x)
	}
	// passes[p][r] is the j of row r's p-th occurrence (-1: none); for
	// InplaceUpdate one pass with the last occurrence.
	var passes [][]int
	seen := make([]int, rows)
	for j, r := range idx {
		p := seen[r]
		if n.op == "InplaceUpdate" {
			p = 0
		}
		seen[r]++
		if p == len(passes) {
			pass := make([]int, rows)
			for i := range pass {
				pass[i] = -1
			}
			passes = append(passes, pass)
		}
		passes[p][r] = j
	}
	e := c.emitter(n, x.Type.DType)
	acc := x
	for _, pass := range passes {
		m := make([]int32, rows)
		mask := tensor.MustNew(tensor.Bool, append(tensor.Shape{rows}, ones(x.Type.Rank()-1)...))
		for r, j := range pass {
			m[r] = int32(max(j, 0))
			mask.B[r] = j >= 0
		}
		rowsV := e.op(ir.OpGather, ir.Attrs{"axis": 0, "batch_dims": 0}, v, c.constant(n, tensor.FromI32(tensor.Shape{rows}, m)))
		var upd *ir.Value
		switch n.op {
		case "InplaceUpdate":
			upd = rowsV
		case "InplaceAdd":
			upd = e.add(acc, rowsV)
		default:
			upd = e.sub(acc, rowsV)
		}
		acc = e.sel(c.constant(n, mask), upd, acc)
	}
	if e.err != nil {
		return e.err
	}
	return c.bind(n, acc)
}
