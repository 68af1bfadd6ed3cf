package tf

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Cutting the graph at any tensor (tf2onnx's --inputs semantics).
//
// Options.InputShapes may name a Placeholder (its shape is overridden) or
// any other tensor of the graph: the graph is then cut there. The tensor
// becomes an input op named "node:k" with the given shape and the dtype
// the producing node declares, and nothing upstream of it is imported
// (unless another needed tensor depends on it). This is how a graph fed by
// a tf.data iterator (IteratorGetNext), a PlaceholderWithDefault or a
// preprocessing subgraph is compiled from the tensor a user wants to feed.
//
// A name whose node does not exist is an error listing the graph's
// closest node names; a shape that contradicts a fixed dimension the
// graph declares for the tensor (a placeholder's shape, an iterator's
// output_shapes, an _output_shapes annotation) is an error.

// cut is one tensor the graph is cut at.
type cut struct {
	ref   tensorRef
	dtype tensor.DType
	shape tensor.Shape
	v     *ir.Value // the input op's result, made when first used
}

// resolveInputs checks every name in Options.InputShapes and records the
// cuts. Placeholders keep their own conversion (convertPlaceholder), which
// checks the given shape against theirs.
func (c *ctx) resolveInputs() error {
	c.cuts = map[tensorRef]*cut{}
	keys := make([]string, 0, len(c.inShape))
	for k := range c.inShape {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		shape := c.inShape[k]
		r, err := parseRef(k)
		if err != nil {
			return fmt.Errorf("input %q: %v", k, err)
		}
		n := c.node(r.node)
		if n == nil {
			return fmt.Errorf("input %q: the graph has no node named %q%s", k, r.node, c.closeMatches(r.node))
		}
		if n.op == "Placeholder" {
			if r.index != 0 {
				return n.errorf("input %q: a Placeholder has one output, %s:0", k, n.name)
			}
			continue
		}
		if old, dup := c.cuts[r]; dup {
			if !old.shape.Equal(shape) {
				return n.errorf("input %s is given two shapes, %v and %v", r, old.shape, shape)
			}
			continue
		}
		dt, err := outputDType(n, r.index)
		if err != nil {
			return err
		}
		if want, ok := declaredShape(n, r.index); ok {
			if err := checkGivenShape(r.String(), shape, want); err != nil {
				return n.errorf("%v", err)
			}
		}
		if !shape.Known() {
			return n.errorf("input %s: give every dimension of the cut tensor, e.g. -inputs %s[1,...]", r, r)
		}
		if _, err := shape.NumElements(); err != nil {
			return n.errorf("input %s: %v", r, err)
		}
		c.cuts[r] = &cut{ref: r, dtype: dt, shape: shape.Clone()}
	}
	return nil
}

// cutValue returns the input op standing for a cut tensor, making it on
// first use.
func (c *ctx) cutValue(cu *cut) (*ir.Value, error) {
	if cu.v == nil {
		switch cu.dtype {
		case tensor.Float32, tensor.Float16, tensor.Int32, tensor.Int64, tensor.Bool:
		default:
			return nil, c.node(cu.ref.node).errorf("input %s of dtype %v is not supported (want f32, f16, i32, i64 or bool)", cu.ref, cu.dtype)
		}
		cu.v = c.f.Input(cu.ref.String(), ir.Type{DType: cu.dtype, Shape: cu.shape})
	}
	return cu.v, nil
}

// checkGivenShape reports a given shape that contradicts the graph's
// declared one (want; unknown dimensions are tensor.Unknown).
func checkGivenShape(name string, given, want tensor.Shape) error {
	if len(given) != len(want) {
		return fmt.Errorf("input %s: shape %v has rank %d, but the graph declares %v (rank %d)", name, given, len(given), want, len(want))
	}
	for i, d := range want {
		if d >= 0 && given[i] != d {
			return fmt.Errorf("input %s: shape %v contradicts the graph's %v: dimension %d is fixed at %d", name, given, want, i, d)
		}
	}
	return nil
}

// boolOutputOps produce a bool tensor whatever their attribute T says.
var boolOutputOps = map[string]bool{
	"Equal": true, "NotEqual": true, "Less": true, "LessEqual": true, "Greater": true, "GreaterEqual": true,
	"IsNan": true, "IsInf": true, "IsFinite": true, "LogicalAnd": true, "LogicalOr": true, "LogicalNot": true,
	"ApproximateEqual": true,
}

// uniformOutputOps have outputs that are all of type T.
var uniformOutputOps = map[string]bool{"Split": true, "SplitV": true, "Unpack": true}

// outputDType returns the dtype of output k of n as the node's attributes
// declare it.
func outputDType(n *node, k int) (tensor.DType, error) {
	attrs := n.def().GetAttr()
	for _, name := range []string{"output_types", "Tout", "component_types", "dtypes", "T"} {
		if l := attrs[name].GetList(); l != nil && len(l.GetType()) > 0 {
			if k >= len(l.GetType()) {
				return 0, n.errorf("has %d outputs; tensor %s:%d does not exist", len(l.GetType()), n.name, k)
			}
			dt, err := tfpb.DTypeFromProto(l.GetType()[k])
			if err != nil {
				return 0, n.errorf("output %d: %v", k, err)
			}
			return dt, nil
		}
	}
	if k == 0 || uniformOutputOps[n.op] {
		if boolOutputOps[n.op] {
			return tensor.Bool, nil
		}
		for _, name := range []string{"out_type", "DstT", "dtype", "output_type", "Tout", "T"} {
			if _, ok := attrs[name].GetValue().(*tfpb.AttrValue_Type); ok {
				return n.attrType(name)
			}
		}
	}
	return 0, n.errorf("cannot tell the dtype of its output %d from its attributes; cut the graph at another tensor", k)
}

// declaredShape returns the shape the graph declares for output k of n,
// if any: a PlaceholderWithDefault's shape, an iterator's output_shapes,
// or the _output_shapes annotation.
func declaredShape(n *node, k int) (tensor.Shape, bool) {
	attrs := n.def().GetAttr()
	var sp *tfpb.TensorShapeProto
	if k == 0 && n.op == "PlaceholderWithDefault" {
		sp = attrs["shape"].GetShape()
	}
	for _, name := range []string{"output_shapes", "_output_shapes"} {
		if l := attrs[name].GetList(); sp == nil && l != nil && k < len(l.GetShape()) {
			sp = l.GetShape()[k]
		}
	}
	if sp == nil {
		return nil, false
	}
	s, known, err := tfpb.ShapeFromProto(sp)
	if err != nil || !known {
		return nil, false
	}
	return s, true
}

// closeMatches lists up to five node names close to name, as ": did you
// mean ...?" (empty if none is close).
func (c *ctx) closeMatches(name string) string {
	names := make([]string, len(c.order))
	for i, n := range c.order {
		names[i] = n.name
	}
	m := CloseMatches(name, names, 5)
	if len(m) == 0 {
		return ""
	}
	q := make([]string, len(m))
	for i, s := range m {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "; close matches: " + strings.Join(q, ", ")
}

// CloseMatches returns up to max names among names closest to name: those
// within an edit distance of a third of its length (at least 2), or that
// contain it or its last path element, nearest first.
func CloseMatches(name string, names []string, max int) []string {
	type cand struct {
		s string
		d int
	}
	lower := strings.ToLower(name)
	base := lower[strings.LastIndexByte(lower, '/')+1:]
	limit := len(name) / 3
	if limit < 2 {
		limit = 2
	}
	var cands []cand
	for _, s := range names {
		ls := strings.ToLower(s)
		d := editDistance(lower, ls, limit+1)
		switch {
		case d <= limit:
		case len(base) >= 3 && strings.Contains(ls, base):
			d = limit + 1 + len(s) - len(base)
		default:
			continue
		}
		cands = append(cands, cand{s, d})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].d != cands[j].d {
			return cands[i].d < cands[j].d
		}
		return cands[i].s < cands[j].s
	})
	var out []string
	for i := 0; i < len(cands) && i < max; i++ {
		out = append(out, cands[i].s)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, or any value
// above bound once it is known to exceed it.
func editDistance(a, b string, bound int) int {
	if d := len(a) - len(b); d > bound || -d > bound {
		return bound + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > bound {
			return bound + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
