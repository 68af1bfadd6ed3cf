package tf

import (
	"fmt"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/kernels"
)

func init() {
	register("where", "nonzero: the int64 coordinates of the nonzero elements, a data-dependent count NZ1, NZ2, ... (INonZeroLayer: engines need TensorRT 10/11, TensorRT-RTX 1.6 cannot build it; a constant input folds to the constant coordinates)",
		convertWhere, "Where")
}

// Where (one argument) gives the coordinates of the nonzero elements, an
// int64 [count, rank] tensor in row-major order, whose count depends on the
// data: the IR's nonzero, which introduces the count as a fresh data
// symbol NZ1, NZ2, ... (ir.DataSymbols). A constant input folds to the
// constant coordinates.
func convertWhere(c *ctx, n *node) error {
	vs, err := c.inputs(n, 1, 1)
	if err != nil {
		return err
	}
	if vs[0].Type.Rank() == 0 {
		// The op's shape function accepts a scalar, but TensorFlow's
		// kernel refuses it when the graph runs.
		return n.errorf("a scalar operand: TensorFlow's Where kernel refuses it (\"Unhandled input dimensions: 0\")")
	}
	t, err := c.constValue(vs[0])
	if err != nil {
		used := ir.DataSymbols(c.f)
		k := ""
		for i := len(used) + 1; k == "" || used[k] != nil; i++ {
			k = fmt.Sprintf("NZ%d", i)
		}
		v, err := c.emit(n, ir.OpNonZero, ir.Attrs{"count": k}, vs[0])
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
	out, err := kernels.NonZero(t) // the interpreter's kernel: the folded value is what nonzero computes
	if err != nil {
		return n.errorf("%v", err)
	}
	return c.bind(n, c.constant(n, out))
}
