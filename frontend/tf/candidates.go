package tf

import (
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/tensor"
)

// iteratorOps produce the elements of a tf.data pipeline; a frozen graph
// fed by one is compiled by cutting it at their outputs.
var iteratorOps = map[string]bool{
	"IteratorGetNext": true, "IteratorGetNextSync": true, "OptionalGetValue": true,
	"MultiDeviceIteratorGetNextFromShard": true,
}

// Candidate is a tensor a user may name with -inputs or -outputs.
type Candidate struct {
	Tensor string // "node:k"
	Op     string // the producing node's op type
	DType  tensor.DType
	// Shape as the graph declares it (unknown dimensions are
	// tensor.Unknown); ShapeKnown is false when the graph says nothing.
	Shape      tensor.Shape
	ShapeKnown bool
}

// Candidates lists a frozen graph's candidate inputs (placeholders,
// placeholders with defaults, and the outputs of tf.data iterators, in
// graph order) and outputs (the tensors Import computes by default: output
// 0 of every node nothing consumes, other than constants, placeholders and
// NoOps). DType is tensor.Invalid where the attributes do not say it or it
// is not one tfc supports.
func Candidates(g *tfpb.GraphDef) (inputs, outputs []Candidate) {
	usedIn := map[string]bool{}
	var nodes []*node
	for _, def := range g.GetNode() {
		n := &node{nd: def, name: def.GetName(), op: def.GetOp()}
		nodes = append(nodes, n)
		for _, in := range def.GetInput() {
			if len(in) > 0 && in[0] == '^' {
				continue
			}
			if r, err := parseRef(in); err == nil {
				usedIn[r.node] = true
			}
		}
	}
	describe := func(n *node, k int) Candidate {
		c := Candidate{Tensor: tensorRef{node: n.name, index: k}.String(), Op: n.op}
		if dt, err := outputDType(n, k); err == nil {
			c.DType = dt
		}
		if n.op == "Placeholder" {
			if s, known, err := n.attrShape("shape"); err == nil && known {
				c.Shape, c.ShapeKnown = s, true
			}
		} else if s, ok := declaredShape(n, k); ok {
			c.Shape, c.ShapeKnown = s, true
		}
		return c
	}
	for _, n := range nodes {
		switch {
		case n.op == "Placeholder" || n.op == "PlaceholderWithDefault":
			inputs = append(inputs, describe(n, 0))
		case iteratorOps[n.op]:
			k := len(n.def().GetAttr()["output_types"].GetList().GetType())
			for i := range max(k, 1) {
				inputs = append(inputs, describe(n, i))
			}
		}
		if isSink(n, usedIn[n.name]) {
			outputs = append(outputs, describe(n, 0))
		}
	}
	return inputs, outputs
}
