package passes

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

// The per-opcode rules of the layout pass and its permutation helpers.
//
// Convention: a token p on a value v means v = transpose(b, p) for its
// base b (v's axis i is b's axis p[i]), as the transpose op's perm.

// layoutKind classifies opcodes by how they take a token.
type layoutKind uint8

const (
	kindStop        layoutKind = iota // needs its operands in their own layout
	kindElementwise                   // unary, cast, binary, select: broadcasting operands
	kindConcat                        // operands of one rank, an axis
	kindReshape                       // only tokens that move size-1 dimensions
	kindAxes                          // one operand, per-axis attributes
)

func layoutKindOf(opc ir.Opcode) layoutKind {
	switch opc {
	case ir.OpConcat:
		return kindConcat
	case ir.OpReshape:
		return kindReshape
	case ir.OpPad, ir.OpSlice, ir.OpTile, ir.OpBroadcast, ir.OpResize,
		ir.OpSoftmax, ir.OpLogSoftmax, ir.OpArgMax, ir.OpArgMin, ir.OpTopK, ir.OpReduce, ir.OpL2Normalize:
		return kindAxes
	}
	switch opc.Info().Family {
	case "elementwise", "unary", "cast":
		return kindElementwise
	}
	return kindStop
}

// axesOK reports whether a kindAxes op can take token p on its operand
// and compute exactly the same values.
func axesOK(op *ir.Op, p []int) bool {
	x := op.Args[0].Type
	if len(p) != x.Rank() {
		return false
	}
	switch op.Opcode {
	case ir.OpBroadcast:
		return len(op.Ints("shape")) == x.Rank()
	case ir.OpResize:
		// Linear resampling goes axis after axis; keep their order.
		if op.Str("mode") == "linear" {
			var axes []int
			for a, d := range op.Ints("shape") {
				if d != x.Shape[a] {
					axes = append(axes, a)
				}
			}
			return keepsOrder(p, axes)
		}
	case ir.OpReduce:
		// Float sums add in row-major order of the reduced axes.
		switch op.Str("kind") {
		case "sum", "mean", "prod":
			if x.DType.IsFloat() {
				return keepsOrder(p, op.Ints("axes"))
			}
		}
	case ir.OpL2Normalize:
		// Its sum of squares adds in row-major order of the axes.
		return keepsOrder(p, op.Ints("axes"))
	}
	return true
}

// keepsOrder reports whether p maps the increasing axes to increasing axes.
func keepsOrder(p, axes []int) bool {
	prev := -1
	for _, a := range axes {
		if p[a] < prev {
			return false
		}
		prev = p[a]
	}
	return true
}

// resultPerm is the token of result i of op taking token p (nil: none).
func resultPerm(op *ir.Op, i int, p []int) []int {
	var q []int
	switch op.Opcode {
	case ir.OpReshape:
		return nil
	case ir.OpReduce:
		q = p
		if !op.Bool("keep_dims") {
			q = keptPerm(p, op.Ints("axes"))
		}
	case ir.OpArgMax, ir.OpArgMin:
		q = p
		if !op.Bool("keep_dims") {
			q = keptPerm(p, []int{op.Int("axis")})
		}
	default:
		q = p
	}
	if isIdentity(q) {
		return nil
	}
	return q
}

// keptPerm is the token left when the view axes removed are reduced away
// without keeping them: p restricted to the other axes, renumbered.
func keptPerm(p, removed []int) []int {
	var vals []int
	for i, a := range p {
		if !slices.Contains(removed, i) {
			vals = append(vals, a)
		}
	}
	q := make([]int, len(vals))
	for k, a := range vals {
		for _, b := range vals {
			if b < a {
				q[k]++
			}
		}
	}
	return q
}

// permuteAxisAttrs rewrites the per-axis attributes of a kindAxes op for
// its operand's base: view axis i is base axis p[i].
func permuteAxisAttrs(op *ir.Op, p []int) {
	r := len(p)
	perm1 := func(name string) {
		v := op.Ints(name)
		out := make([]int, r)
		for i := range p {
			out[p[i]] = v[i]
		}
		op.Attrs.Set(name, out)
	}
	switch op.Opcode {
	case ir.OpPad:
		pads := op.Ints("pads")
		out := make([]int, 2*r)
		for i := range p {
			out[p[i]] = pads[i]
			out[r+p[i]] = pads[r+i]
		}
		op.Attrs.Set("pads", out)
	case ir.OpSlice:
		perm1("start")
		perm1("size")
		perm1("stride")
	case ir.OpTile:
		perm1("multiples")
	case ir.OpBroadcast, ir.OpResize:
		perm1("shape")
	case ir.OpSoftmax, ir.OpLogSoftmax, ir.OpArgMax, ir.OpArgMin, ir.OpTopK:
		op.Attrs.Set("axis", p[op.Int("axis")])
	case ir.OpReduce, ir.OpL2Normalize:
		axes := op.Ints("axes")
		out := make([]int, len(axes))
		for i, a := range axes {
			out[i] = p[a]
		}
		slices.Sort(out)
		op.Attrs.Set("axes", out)
	}
}

// operandPerm: an operand whose base has shape base and token q (nil:
// none), of an op of the given rank taking token p, is needed as
// transpose(ext, c): ext is base with leading 1s up to rank, and c undoes
// q then applies p⁻¹.
func operandPerm(base, q, p []int, rank int) (ext, c []int) {
	k := rank - len(base)
	ext = extendShape(base, rank)
	inv := invert(p)
	c = make([]int, rank)
	for i := range c {
		j := inv[i]
		if j >= k && q != nil {
			j = k + q[j-k]
		}
		c[i] = j
	}
	return ext, c
}

// composePerm is the token of transpose(v, t) for v with token q.
func composePerm(q, t []int) []int {
	c := make([]int, len(t))
	for i, a := range t {
		if q != nil {
			a = q[a]
		}
		c[i] = a
	}
	return c
}

func invert(p []int) []int {
	inv := make([]int, len(p))
	for i, a := range p {
		inv[a] = i
	}
	return inv
}

func isIdentity(p []int) bool {
	for i, a := range p {
		if a != i {
			return false
		}
	}
	return true
}

// trivialPerm reports whether transposing shape s by p keeps the
// dimensions other than 1 in order, so that the transpose is a reshape.
func trivialPerm(s, p []int) bool {
	prev := -1
	for _, a := range p {
		if s[a] != 1 {
			if a < prev {
				return false
			}
			prev = a
		}
	}
	return true
}

// extendShape prepends 1s to s up to rank.
func extendShape(s []int, rank int) []int {
	out := make([]int, 0, rank)
	for range rank - len(s) {
		out = append(out, 1)
	}
	return append(out, s...)
}

// constData returns the data of a constant the pass may copy (within the
// fold limit), or nil.
func (l *layout) constData(v *ir.Value) *tensor.Tensor {
	t := constOf(v)
	if t == nil {
		return nil
	}
	if l.cfg != nil && l.cfg.FoldLimit > 0 && int64(t.Len())*int64(t.DType.Size()) > l.cfg.FoldLimit {
		return nil
	}
	return t
}

func transposeTensor(t *tensor.Tensor, p []int) (*tensor.Tensor, error) {
	return kernels.Transpose(t, p)
}

func (l *layout) key(v *ir.Value, kind string, ints []int) string {
	// ID, kind (a letter), then each int after a comma: fmt.Sprint was a
	// tenth of the pass on a million ops.
	b := make([]byte, 0, 8+len(kind)+4*len(ints))
	b = strconv.AppendInt(b, int64(v.ID), 10)
	b = append(b, kind...)
	for _, x := range ints {
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(x), 10)
	}
	return string(b)
}

// emit appends a single-operand op; an error (a bug) is kept for the end
// of the pass.
func (l *layout) emit(opc ir.Opcode, x *ir.Value, attrs ir.Attrs, loc string) *ir.Value {
	v, err := l.f.Emit(opc, []*ir.Value{x}, attrs, loc)
	if err != nil {
		if l.err == nil {
			l.err = fmt.Errorf("layout: %v", err)
		}
		return x
	}
	return v
}
