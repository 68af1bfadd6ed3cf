package tf

import "github.com/tfc-dev/tfc/ir"

func init() {
	register("scan", "cumulative{sum} (exclusive, reverse as given)", convertCumulative, "Cumsum")
	register("scan", "cumulative{prod} (exclusive, reverse as given)", convertCumulative, "Cumprod")
}

// Cumsum and Cumprod become cumulative along the constant axis (negative
// counting from the end), with their exclusive and reverse attributes.
func convertCumulative(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	a, err := c.constAxis(n, 1)
	if err != nil {
		return err
	}
	if vs[0].Type.Rank() == 0 {
		return n.errorf("input is a scalar; want rank ≥ 1")
	}
	axis, err := normAxis(n, a, vs[0].Type.Rank())
	if err != nil {
		return err
	}
	exclusive, err := n.attrBoolOr("exclusive", false)
	if err != nil {
		return err
	}
	reverse, err := n.attrBoolOr("reverse", false)
	if err != nil {
		return err
	}
	kind := "sum"
	if n.op == "Cumprod" {
		kind = "prod"
	}
	v, err := c.emit(n, ir.OpCumulative, ir.Attrs{"kind": kind, "axis": axis, "exclusive": exclusive, "reverse": reverse}, vs[0])
	if err != nil {
		return err
	}
	return c.bind(n, v)
}
