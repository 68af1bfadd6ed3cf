package exec

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	layerKernels[trt.LayerMatrixMult] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.MatrixMultiply)
		return one(matrixMultiply(in[0], p.Op0, in[1], p.Op1))
	}
	layerKernels[trt.LayerEinsum] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Einsum)
		return one(einsum(p.Equation, in))
	}
}

// matrixMultiply is IMatrixMultiplyLayer: op(a) · op(b) over the last two
// dimensions (kTRANSPOSE swaps them; kVECTOR makes the last dimension a
// row vector of a or a column vector of b, and drops it from the result).
// The inputs have one float type and, apart from kVECTOR, the same rank;
// the other dimensions broadcast where one of them is 1.
func matrixMultiply(a *tensor.Tensor, opA trt.MatrixOperation, b *tensor.Tensor, opB trt.MatrixOperation) (*tensor.Tensor, error) {
	if err := needFloat("input 0", a); err != nil {
		return nil, err
	}
	if a.DType != b.DType {
		return nil, fmt.Errorf("inputs have types %v and %v", a.DType, b.DType)
	}
	view := func(which string, x *tensor.Tensor, op trt.MatrixOperation, vecShape func(s tensor.Shape) tensor.Shape) (*tensor.Tensor, bool, error) {
		switch op {
		case trt.MatrixNone, trt.MatrixTranspose:
			if len(x.Shape) < 2 {
				return nil, false, fmt.Errorf("%s %v has rank %d, want at least 2 for %v", which, x.Shape, len(x.Shape), op)
			}
			return x, op == trt.MatrixTranspose, nil
		case trt.MatrixVector:
			if len(x.Shape) < 1 {
				return nil, false, fmt.Errorf("%s is a scalar, want at least rank 1 for kVECTOR", which)
			}
			v, err := x.Reshape(vecShape(x.Shape))
			return v, false, err
		}
		return nil, false, fmt.Errorf("unknown matrix operation %v for %s", op, which)
	}
	av, ta, err := view("input 0", a, opA, func(s tensor.Shape) tensor.Shape {
		return append(s[:len(s)-1].Clone(), 1, s[len(s)-1])
	})
	if err != nil {
		return nil, err
	}
	bv, tb, err := view("input 1", b, opB, func(s tensor.Shape) tensor.Shape {
		return append(s.Clone(), 1)
	})
	if err != nil {
		return nil, err
	}
	if len(av.Shape) != len(bv.Shape) {
		return nil, fmt.Errorf("inputs %v (%v) and %v (%v) have different numbers of batch dimensions", a.Shape, opA, b.Shape, opB)
	}
	if err := broadcastable(av.Shape[:len(av.Shape)-2], bv.Shape[:len(bv.Shape)-2]); err != nil {
		return nil, err
	}
	y, err := kernels.MatMul(av, bv, ta, tb)
	if err != nil {
		return nil, err
	}
	shape := y.Shape[:len(y.Shape)-2].Clone()
	if opA != trt.MatrixVector {
		shape = append(shape, y.Shape[len(y.Shape)-2])
	}
	if opB != trt.MatrixVector {
		shape = append(shape, y.Shape[len(y.Shape)-1])
	}
	return y.Reshape(shape)
}

// einsum is IEinsumLayer: inputs of kFLOAT or kHALF, output kFLOAT (kHALF,
// rounded once, when every input is kHALF, as TensorRT-RTX builds it).
// Subscripts are lowercase letters; '...' stands for broadcast
// dimensions; a label repeated within one input takes the diagonal;
// dimensions with the same label are equal or 1 (broadcast); labels not
// in the output are summed. Without '->' the output is the ellipsis
// dimensions followed by the labels that occur once, alphabetically.
func einsum(equation string, xs []*tensor.Tensor) (*tensor.Tensor, error) {
	y, err := einsumF32(equation, xs)
	if err != nil {
		return nil, err
	}
	for _, x := range xs {
		if x.DType != tensor.Float16 {
			return y, nil
		}
	}
	return kernels.Cast(y, tensor.Float16) // all-kHALF inputs: a kHALF output
}

// einsumF32 computes einsum in float32.
func einsumF32(equation string, xs []*tensor.Tensor) (*tensor.Tensor, error) {
	for i, x := range xs {
		if x == nil {
			return nil, fmt.Errorf("input %d is missing", i)
		}
		if x.DType != tensor.Float32 && x.DType != tensor.Float16 {
			return nil, fmt.Errorf("input %d has type %v, want kFLOAT or kHALF", i, x.DType)
		}
	}
	e, err := parseEinsum(equation, xs)
	if err != nil {
		return nil, err
	}
	f32 := make([]*tensor.Tensor, len(xs))
	for i, x := range xs {
		if f32[i], err = kernels.Cast(x, tensor.Float32); err != nil {
			return nil, err
		}
	}
	if e.simple {
		return kernels.Einsum(equation, f32...)
	}
	return e.eval(f32)
}

// einsumEq is a parsed equation: per input its labels (one per
// dimension), the output labels, and every label's size.
type einsumEq struct {
	ins    [][]rune
	out    []rune
	size   map[rune]int
	simple bool // explicit, no ellipsis, repeats or broadcasting: kernels.Einsum's form
}

// Ellipsis dimensions get labels from ellBase up, counted from the last.
const ellBase = rune(0x10000)

func parseEinsum(eq string, xs []*tensor.Tensor) (*einsumEq, error) {
	s := strings.ReplaceAll(eq, " ", "")
	lhs, rhs, explicit := strings.Cut(s, "->")
	terms := strings.Split(lhs, ",")
	if len(terms) != len(xs) {
		return nil, fmt.Errorf("equation %q has %d input terms for %d inputs", eq, len(terms), len(xs))
	}
	e := &einsumEq{size: make(map[rune]int), simple: explicit}
	maxEll := 0
	// expand turns a term into labels; nd is the rank it must have (-1:
	// the output, whose ellipsis is maxEll dimensions).
	expand := func(term string, nd int) ([]rune, error) {
		before, after, hasEll := strings.Cut(term, "...")
		if strings.Contains(after, "...") || strings.ContainsRune(before+after, '.') {
			return nil, fmt.Errorf("equation %q: bad ellipsis in %q", eq, term)
		}
		for _, ch := range before + after {
			if ch < 'a' || ch > 'z' {
				return nil, fmt.Errorf("equation %q: subscript %q is not a lowercase letter", eq, ch)
			}
		}
		n := len(before) + len(after)
		ne := 0
		switch {
		case nd < 0:
			if hasEll {
				ne = maxEll
			}
		case hasEll:
			ne = nd - n
			if ne < 0 {
				return nil, fmt.Errorf("equation %q: term %q has more subscripts than its input's %d dimensions", eq, term, nd)
			}
		case n != nd:
			return nil, fmt.Errorf("equation %q: term %q has %d subscripts for an input of rank %d", eq, term, n, nd)
		}
		if hasEll {
			e.simple = false
		}
		labels := []rune(before)
		for k := ne - 1; k >= 0; k-- {
			labels = append(labels, ellBase+rune(k))
		}
		return append(labels, []rune(after)...), nil
	}
	count := make(map[rune]int)
	for i, t := range terms {
		labels, err := expand(t, len(xs[i].Shape))
		if err != nil {
			return nil, err
		}
		seen := make(map[rune]bool)
		for j, l := range labels {
			if l >= ellBase {
				maxEll = max(maxEll, int(l-ellBase)+1)
			}
			if seen[l] {
				e.simple = false
			}
			seen[l] = true
			count[l]++
			d := xs[i].Shape[j]
			old, ok := e.size[l]
			switch {
			case !ok || old == 1:
				if ok && d != 1 {
					e.simple = false
				}
				e.size[l] = d
			case d == old:
			case d == 1:
				e.simple = false
			default:
				return nil, fmt.Errorf("equation %q: subscript %q has sizes %d and %d", eq, l, old, d)
			}
		}
		e.ins = append(e.ins, labels)
	}
	if explicit {
		out, err := expand(rhs, -1)
		if err != nil {
			return nil, err
		}
		seen := make(map[rune]bool)
		for _, l := range out {
			if _, ok := e.size[l]; !ok {
				return nil, fmt.Errorf("equation %q: output subscript %q is not in any input", eq, l)
			}
			if seen[l] {
				return nil, fmt.Errorf("equation %q: output subscript %q is repeated", eq, l)
			}
			seen[l] = true
		}
		e.out = out
	} else {
		for k := maxEll - 1; k >= 0; k-- {
			e.out = append(e.out, ellBase+rune(k))
		}
		var once []rune
		for l, n := range count {
			if n == 1 && l < ellBase {
				once = append(once, l)
			}
		}
		sort.Slice(once, func(i, j int) bool { return once[i] < once[j] })
		e.out = append(e.out, once...)
	}
	return e, nil
}

// eval computes the equation directly: a loop over every combination of
// label values, summing in float64.
func (e *einsumEq) eval(xs []*tensor.Tensor) (*tensor.Tensor, error) {
	var labels []rune
	pos := make(map[rune]int)
	add := func(l rune) {
		if _, ok := pos[l]; !ok {
			pos[l] = len(labels)
			labels = append(labels, l)
		}
	}
	for _, l := range e.out {
		add(l)
	}
	nOut := len(labels)
	for _, in := range e.ins {
		for _, l := range in {
			add(l)
		}
	}
	shape := make(tensor.Shape, nOut)
	for i, l := range e.out {
		shape[i] = e.size[l]
	}
	out, err := tensor.New(tensor.Float32, shape)
	if err != nil {
		return nil, err
	}
	sizes := make([]int, len(labels))
	total := 1
	for i, l := range labels {
		sizes[i] = e.size[l]
		if sizes[i] != 0 && total > (1<<34)/sizes[i] {
			return nil, fmt.Errorf("einsum over %d label combinations is too large for the reference loop", total*sizes[i])
		}
		total *= sizes[i]
	}
	if total == 0 {
		return out, nil
	}
	// strides[k][i]: offset step of input k per step of label i (0 for
	// labels it lacks or broadcasts).
	strides := make([][]int, len(xs))
	for k, x := range xs {
		st := make([]int, len(labels))
		xst := x.Shape.Strides()
		for j, l := range e.ins[k] {
			if x.Shape[j] != 1 {
				st[pos[l]] += xst[j]
			}
		}
		strides[k] = st
	}
	inner := 1
	for _, s := range sizes[nOut:] {
		inner *= s
	}
	idx := make([]int, len(labels))
	offs := make([]int, len(xs))
	for o := range out.F32 {
		var sum float64
		for range inner {
			prod := 1.0
			for k, x := range xs {
				prod *= float64(x.F32[offs[k]])
			}
			sum += prod
			// Advance the label counter, updating the offsets.
			for i := len(labels) - 1; i >= 0; i-- {
				idx[i]++
				for k := range xs {
					offs[k] += strides[k][i]
				}
				if idx[i] < sizes[i] {
					break
				}
				for k := range xs {
					offs[k] -= strides[k][i] * sizes[i]
				}
				idx[i] = 0
			}
		}
		out.F32[o] = float32(sum)
	}
	return out, nil
}
