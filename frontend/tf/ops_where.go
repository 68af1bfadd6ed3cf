package tf

import "github.com/tfc-dev/tfc/tensor"

func init() {
	register("where", "a constant: the coordinates of the true elements of a constant input (an input computed at run time is refused: the shape depends on the data)",
		convertWhere, "Where")
}

// Where (one argument) gives the coordinates of the nonzero elements, an
// int64 [count, rank] tensor in row-major order. Its shape depends on the
// data, which the IR's static shapes cannot express, so only a constant
// input is translated (folded to the constant coordinates); otherwise it
// is an error saying why.
func convertWhere(c *ctx, n *node) error {
	vs, err := c.inputs(n, 1, 1)
	if err != nil {
		return err
	}
	t, err := c.constValue(vs[0])
	if err != nil {
		return n.errorf("Where (one argument: the coordinates of the true elements) has an output shape that depends on the data, and its input is computed at run time (%v); tfc's IR has static shapes, so it cannot be translated until dynamic shapes land", err)
	}
	r := len(t.Shape)
	st := t.Shape.Strides()
	var coords []int64
	count := 0
	for i := range t.Len() {
		nonzero := false
		switch t.DType.Storage() {
		case tensor.StoreBool:
			nonzero = t.B[i]
		case tensor.StoreI32, tensor.StoreI64:
			nonzero = t.Int64At(i) != 0
		default:
			nonzero = t.Float64At(i) != 0
		}
		if !nonzero {
			continue
		}
		count++
		rest := i
		for _, s := range st {
			coords = append(coords, int64(rest/s))
			rest %= s
		}
	}
	out, err := tensor.New(tensor.Int64, tensor.Shape{count, r})
	if err != nil {
		return n.errorf("%v", err)
	}
	copy(out.I64, coords)
	return c.bind(n, c.constant(n, out))
}
