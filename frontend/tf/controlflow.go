package tf

import (
	"fmt"
	"sort"
	"strings"
)

// TensorFlow control flow that tfc does not translate is refused, naming
// what it is. TF2 While, If and Case are translated (ops_control.go), and
// so are TF1 while loops whose frames are well formed (controlflow_v1.go,
// which names the frame of a malformed one). What is left here: loop
// parts outside any frame (a LoopCond or NextIteration with no Enter) and
// TF2 control-flow ops without a converter. A TF1 conditional
// (Switch/Merge) folds when its predicate is constant (ops_cond.go) and
// otherwise becomes an if (ops_cond_runtime.go). A TF1 loop is a cycle in
// the graph, which would otherwise be reported as just that.

// tf2ControlFlowOps are TF2's functional control flow ops.
var tf2ControlFlowOps = map[string]bool{
	"While": true, "StatelessWhile": true, "If": true, "StatelessIf": true, "Case": true, "StatelessCase": true,
}

// ControlFlowError describes the control flow of a graph that tfc cannot
// translate.
type ControlFlowError struct {
	// Constructs lists each loop or conditional, one line each, e.g.
	// `TF1 while loop (frame "loop/while_context"): 2 Enter, 1 LoopCond, ...`.
	Constructs []string
}

func (e *ControlFlowError) Error() string {
	return fmt.Sprintf("the graph has TensorFlow control flow, which tfc does not translate (the IR has no loops or conditionals): %s",
		strings.Join(e.Constructs, "; "))
}

// controlFlow returns a *ControlFlowError if any of nodes is a control
// flow op, else nil.
func (c *ctx) controlFlow(nodes []*node) error {
	frames := map[string]map[string]int{} // frame → op → count
	var frameOrder []string
	inLoop := map[string]bool{} // nodes of a TF1 loop (by the frame of an Enter they see)
	var tf2 []string
	var switches, merges []*node
	for _, n := range nodes {
		switch {
		case tf2ControlFlowOps[n.op] && !Supported(n.op):
			tf2 = append(tf2, describeTF2(n))
		case n.op == "Enter" || n.op == "RefEnter":
			fr, _ := n.attrStringOr("frame_name", "")
			if frames[fr] == nil {
				frames[fr] = map[string]int{}
				frameOrder = append(frameOrder, fr)
			}
			frames[fr][n.op]++
		case n.op == "Switch" || n.op == "RefSwitch":
			switches = append(switches, n)
		case n.op == "Merge" || n.op == "RefMerge":
			merges = append(merges, n)
		}
	}
	// A loop's Switch takes its predicate from LoopCond; the Merge of a
	// loop has a NextIteration input. The others are conditionals, left to
	// the Switch and Merge converters.
	loopOps := map[string]int{}
	for _, n := range switches {
		if len(n.inputs) > 1 && c.node(n.inputs[1].node).op == "LoopCond" {
			inLoop[n.name] = true
			loopOps[n.op]++
		}
	}
	for _, n := range merges {
		loop := false
		for _, in := range n.inputs {
			if op := c.node(in.node).op; op == "NextIteration" || op == "RefNextIteration" || op == "Enter" {
				loop = true
			}
		}
		if loop {
			loopOps[n.op]++
		}
	}
	for _, n := range nodes {
		switch n.op {
		case "Exit", "RefExit":
			if !n.loopExit {
				loopOps[n.op]++
			}
		case "NextIteration", "RefNextIteration", "LoopCond":
			loopOps[n.op]++
		}
	}
	var out []string
	for i, fr := range frameOrder {
		counts := frames[fr]
		if i == 0 { // the other ops are not told apart by frame
			for op, k := range loopOps {
				counts[op] += k
			}
		}
		out = append(out, fmt.Sprintf("TF1 while loop (frame %q): %s", fr, countList(counts)))
	}
	if len(frameOrder) == 0 && len(loopOps) > 0 {
		out = append(out, "TF1 while loop parts with no Enter: "+countList(loopOps))
	}
	out = append(out, tf2...)
	if len(out) == 0 {
		return nil
	}
	return &ControlFlowError{Constructs: out}
}

// describeTF2 names a TF2 While/If/Case node and its functions.
func describeTF2(n *node) string {
	a := n.def().GetAttr()
	var fns []string
	for _, k := range []string{"cond", "body", "then_branch", "else_branch"} {
		if f := a[k].GetFunc().GetName(); f != "" {
			fns = append(fns, fmt.Sprintf("%s %s", k, f))
		}
	}
	for i, f := range a["branches"].GetList().GetFunc() {
		fns = append(fns, fmt.Sprintf("branch %d %s", i, f.GetName()))
	}
	kind := "loop"
	if !strings.HasSuffix(n.op, "While") {
		kind = "conditional"
	}
	return fmt.Sprintf("TF2 %s %q (%s: %s)", kind, n.name, n.op, strings.Join(fns, ", "))
}

func countList(m map[string]int) string {
	ops := make([]string, 0, len(m))
	for op := range m {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	parts := make([]string, len(ops))
	for i, op := range ops {
		parts[i] = fmt.Sprintf("%d %s", m[op], op)
	}
	return strings.Join(parts, ", ")
}

// reachable returns the nodes the outputs reach through data edges (not
// stopping at cycles), in no particular order.
func (c *ctx) reachable(outs []tensorRef) []*node {
	seen := map[*node]bool{}
	var stack, all []*node
	for _, r := range outs {
		if n := c.node(r.node); c.cuts[r] == nil && !seen[n] {
			seen[n] = true
			stack = append(stack, n)
		}
	}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		all = append(all, n)
		for _, r := range n.inputs {
			if in := c.node(r.node); c.cuts[r] == nil && !seen[in] {
				seen[in] = true
				stack = append(stack, in)
			}
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].name < all[j].name })
	return all
}
