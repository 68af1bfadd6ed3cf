package tf

import (
	"github.com/tfc-dev/tfc/ir"
)

func init() {
	register("gather_nd", "gather_nd", convertGatherNd, "GatherNd")
	register("gather_nd", "scatter_nd (updates at repeated indices summed)", convertScatterNd, "ScatterNd")
}

// checkBadIndicesPolicy accepts TensorFlow's default policy (an index out
// of range is an error), the IR's semantics.
func checkBadIndicesPolicy(n *node) error {
	p, err := n.attrStringOr("bad_indices_policy", "")
	if err != nil {
		return err
	}
	if p != "" && p != "DEFAULT" && p != "ERROR" {
		return n.errorf("bad_indices_policy %q is not supported (only the default: an index out of range is an error)", p)
	}
	return nil
}

// GatherNd becomes gather_nd with batch_dims 0 (tf.gather_nd with
// batch_dims > 0 is a subgraph of index arithmetic around GatherNd).
func convertGatherNd(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	if err := checkBadIndicesPolicy(n); err != nil {
		return err
	}
	v, err := c.emit(n, ir.OpGatherND, ir.Attrs{"batch_dims": 0}, vs[0], vs[1])
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// ScatterNd(indices, updates, shape) becomes scatter_nd with the constant
// shape: zeros with the updates summed in at the index tuples.
func convertScatterNd(c *ctx, n *node) error {
	vs, err := c.inputs(n, 3, 3)
	if err != nil {
		return err
	}
	if err := checkBadIndicesPolicy(n); err != nil {
		return err
	}
	shape, err := c.constInts(n, 2)
	if err != nil {
		return err
	}
	v, err := c.emit(n, ir.OpScatterND, ir.Attrs{"shape": shape}, vs[0], vs[1])
	if err != nil {
		return err
	}
	return c.bind(n, v)
}
