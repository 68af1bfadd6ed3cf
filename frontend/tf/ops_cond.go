package tf

import (
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

// TF1 conditionals with a constant predicate. tf.cond frozen into a TF1
// graph (and TF2's If, which freezing lowers to it) is Switch nodes that
// route each value into the taken branch, and Merge nodes that forward the
// value of the branch that ran. The IR has no conditionals, but a
// predicate that is a constant expression — the Keras learning phase, a
// PlaceholderWithDefault(False) not cut by -inputs — selects one branch
// for good: the Switch forwards its data to the taken side, the other
// side is dead, every node with a dead input is dead (and not
// translated, whatever its op: the untaken branch may hold an active
// dropout), and each Merge forwards its one live input. A predicate
// computed at run time makes the conditional an if (ops_cond_runtime.go).

func init() {
	register("cond", "its data input, on the side its constant predicate selects (the other branch is dropped); a run-time predicate: an operand of the if its Merges become", convertSwitch, "Switch")
	register("cond", "its one live input (and its index); closing a run-time predicate: if, the branches as regions", convertMerge, "Merge")
}

// deadRef reports whether tensor r is in an untaken branch.
func (c *ctx) deadRef(r tensorRef) bool {
	return c.deadNodes[r.node] || c.deadOuts[r]
}

// isDead reports whether n has a dead data input and so is dead itself
// (a Merge only when all its inputs are).
func (c *ctx) isDead(n *node) bool {
	if len(n.inputs) == 0 {
		return false
	}
	live := 0
	for _, r := range n.inputs {
		if !c.deadRef(r) {
			live++
		}
	}
	if n.op == "Merge" {
		return live == 0
	}
	return live < len(n.inputs)
}

func convertSwitch(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	t, err := c.constValue(vs[1])
	if err != nil {
		// Computed at run time: the nodes it guards are deferred, and
		// the Merges closing it become ifs (ops_cond_runtime.go).
		c.cond.runtime[c.predRef(n.inputs[1])] = true
		return c.bind(n, vs[0], vs[0])
	}
	if t.DType != tensor.Bool || t.Len() != 1 {
		return n.errorf("predicate %s is %v, want a bool scalar", n.inputs[1], t)
	}
	taken := 0 // output 0 is the false side, output 1 the true side
	if t.B[0] {
		taken = 1
	}
	c.deadOuts[tensorRef{node: n.name, index: 1 - taken}] = true
	return c.bind(n, vs[0], vs[0])
}

func convertMerge(c *ctx, n *node) error {
	if len(n.inputs) == 0 {
		return n.errorf("has no data inputs")
	}
	if p, ok := c.cond.closes[n.name]; ok && c.cond.runtime[p] {
		return c.runtimeMerge(n)
	}
	live := -1
	for i, r := range n.inputs {
		if c.deadRef(r) {
			continue
		}
		if live >= 0 {
			return n.errorf("inputs %s and %s are both live: a Merge outside a conditional with a constant predicate (or a loop) is not supported", n.inputs[live], r)
		}
		live = i
	}
	v, err := c.input(n, live)
	if err != nil {
		return err
	}
	idx := tensor.MustNew(tensor.Int32, tensor.Shape{})
	idx.I32[0] = int32(live)
	return c.bind(n, v, c.constant(n, idx))
}

// checkDeadOutput refuses an output in an untaken branch.
func (c *ctx) checkDeadOutput(r tensorRef) error {
	if c.deadRef(r) {
		return fmt.Errorf("output %s is in the untaken branch of a conditional whose predicate is constant", r)
	}
	return nil
}
