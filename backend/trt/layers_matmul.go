package trt

import (
	"fmt"
	"strings"
)

// Matrix products: matrix multiply and einsum.

func init() {
	registerKinds(MatrixMultiply{}, Einsum{})
}

const LayerMatrixMult LayerType = 17 // kMATRIX_MULTIPLY

// MatrixMultiply is IMatrixMultiplyLayer (inputs a, b).
type MatrixMultiply struct{ Op0, Op1 MatrixOperation }

func (MatrixMultiply) Kind() LayerType       { return LayerMatrixMult }
func (MatrixMultiply) Arity() (min, max int) { return 2, 2 }
func (p MatrixMultiply) AddTo(net Network, in []Tensor) Layer {
	return net.AddMatrixMultiply(in[0], p.Op0, in[1], p.Op1)
}
func (p MatrixMultiply) text() string { return p.Op0.String() + " " + p.Op1.String() }

func (r *Recorder) AddMatrixMultiply(a Tensor, opA MatrixOperation, b Tensor, opB MatrixOperation) Layer {
	return r.addLayer(LayerMatrixMult, []Tensor{a, b}, nil, MatrixMultiply{Op0: opA, Op1: opB})
}

func (p MatrixMultiply) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferMatrixMultiply, c, in)
}

func inferMatrixMultiply(c *checker, in []*TensorDesc, p *MatrixMultiply) []outSpec {
	c.nInputs(in, 2, 2)
	a := c.input(in, 0, "input0")
	b := c.input(in, 1, "input1")
	for i, op := range []MatrixOperation{p.Op0, p.Op1} {
		if op < MatrixNone || op > MatrixVector {
			c.failf("unknown matrix operation %v for input %d", op, i)
		}
	}
	c.typeIn("input0", a.Type, floatTypes...)
	if a.Type != b.Type {
		c.failf("input types %v and %v differ", a.Type, b.Type)
	}
	// Split each input into batch dims and its matrix (or vector) dims.
	split := func(which string, d Dims, op MatrixOperation) (batch Dims, rows, cols int64, ok bool) {
		n := 2
		if op == MatrixVector {
			n = 1
		}
		if len(d) < n {
			c.failf("%s %v has rank %d, want at least %d for %v", which, d, len(d), n, op)
			return nil, 1, 1, false
		}
		batch = d[:len(d)-n]
		if op == MatrixVector {
			return batch, 1, d[len(d)-1], true
		}
		rows, cols = d[len(d)-2], d[len(d)-1]
		if op == MatrixTranspose {
			rows, cols = cols, rows
		}
		return batch, rows, cols, true
	}
	ba, m, ka, okA := split("input0", a.Dims, p.Op0)
	var bb Dims
	var kb, n int64
	var okB bool
	if p.Op1 == MatrixVector {
		bb, _, kb, okB = split("input1", b.Dims, p.Op1)
		n = 1
	} else {
		bb, kb, n, okB = split("input1", b.Dims, p.Op1)
	}
	if !okA || !okB {
		return []outSpec{{a.Type, Dims{1, 1}}}
	}
	if ka != kb {
		c.failf("inner dimensions differ: input0 %v (%v) has K=%d, input1 %v (%v) has K=%d", a.Dims, p.Op0, ka, b.Dims, p.Op1, kb)
	}
	if len(ba) != len(bb) {
		c.failf("batch ranks differ: input0 %v, input1 %v (the inputs must have the same rank apart from kVECTOR)", a.Dims, b.Dims)
	}
	out := c.broadcast(func() string { return "batch dimensions " + ba.String() + " and " + bb.String() }, ba, bb)
	if p.Op0 != MatrixVector {
		out = append(out, m)
	}
	if p.Op1 != MatrixVector {
		out = append(out, n)
	}
	return []outSpec{{a.Type, out}}
}

// einsumTerm is one operand's subscripts: letters, with ellipsis marking
// where the unlabelled (broadcast) dimensions go.
type einsumTerm struct {
	letters  string
	ellipsis int // index in letters where "..." stands, or -1
}

func parseTerm(eq, t string) (einsumTerm, error) {
	term := einsumTerm{ellipsis: -1}
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		ch := t[i]
		switch {
		case ch == '.':
			if term.ellipsis >= 0 || !strings.HasPrefix(t[i:], "...") {
				return term, fmt.Errorf("equation %q: malformed ellipsis in %q", eq, t)
			}
			term.ellipsis = b.Len()
			i += 2
		case ch >= 'a' && ch <= 'z':
			b.WriteByte(ch)
		default:
			return term, fmt.Errorf("equation %q: subscript %q is not a lowercase letter", eq, ch)
		}
	}
	term.letters = b.String()
	return term, nil
}

// parseEinsum splits an equation into its input terms and its output term
// (implicit output: the ellipsis, then the letters occurring once,
// alphabetically).
func parseEinsum(eq string) (ins []einsumTerm, out einsumTerm, err error) {
	s := strings.ReplaceAll(eq, " ", "")
	lhs, rhs, explicit := strings.Cut(s, "->")
	total := map[byte]int{}
	anyEllipsis := false
	for _, t := range strings.Split(lhs, ",") {
		term, err := parseTerm(eq, t)
		if err != nil {
			return nil, out, err
		}
		for i := 0; i < len(term.letters); i++ {
			total[term.letters[i]]++
		}
		anyEllipsis = anyEllipsis || term.ellipsis >= 0
		ins = append(ins, term)
	}
	if explicit {
		out, err = parseTerm(eq, rhs)
		if err != nil {
			return nil, out, err
		}
		seen := map[byte]bool{}
		for i := 0; i < len(out.letters); i++ {
			ch := out.letters[i]
			if seen[ch] {
				return nil, out, fmt.Errorf("equation %q: output subscript %q repeated", eq, ch)
			}
			if total[ch] == 0 {
				return nil, out, fmt.Errorf("equation %q: output subscript %q does not occur in an input", eq, ch)
			}
			seen[ch] = true
		}
		return ins, out, nil
	}
	var b strings.Builder
	for ch := byte('a'); ch <= 'z'; ch++ {
		if total[ch] == 1 {
			b.WriteByte(ch)
		}
	}
	out = einsumTerm{letters: b.String(), ellipsis: -1}
	if anyEllipsis {
		out.ellipsis = 0
	}
	return ins, out, nil
}

const LayerEinsum LayerType = 38 // kEINSUM

// Einsum is IEinsumLayer.
type Einsum struct{ Equation string }

func (Einsum) Kind() LayerType       { return LayerEinsum }
func (Einsum) Arity() (min, max int) { return 1, -1 }
func (p Einsum) AddTo(net Network, in []Tensor) Layer {
	return net.AddEinsum(in, p.Equation)
}
func (p Einsum) text() string {
	var f fields
	f.add("%q", p.Equation)
	return f.String()
}

func (r *Recorder) AddEinsum(inputs []Tensor, equation string) Layer {
	return r.addLayer(LayerEinsum, append([]Tensor(nil), inputs...), nil, Einsum{Equation: equation})
}

func (p Einsum) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferEinsum, c, in)
}

// inferEinsum: one or more kFLOAT/kHALF inputs; equal subscripts have
// equal or broadcastable (1) sizes, ellipsis dimensions broadcast like
// numpy. The output is kFLOAT (IEinsumLayer's class comment), except that
// all-kHALF inputs give kHALF: TensorRT-RTX 1.6 (strongly typed) builds
// an einsum of kHALF inputs with a kHALF output, whatever the comment says.
func inferEinsum(c *checker, in []*TensorDesc, p *Einsum) []outSpec {
	if len(in) == 0 {
		c.failf("has no inputs")
		return []outSpec{{Float, Dims{}}}
	}
	ins, out, err := parseEinsum(p.Equation)
	if err != nil {
		c.failf("%v", err)
		return []outSpec{{Float, Dims{}}}
	}
	if len(ins) != len(in) {
		c.failf("equation %q has %d operands, layer has %d inputs", p.Equation, len(ins), len(in))
		return []outSpec{{Float, Dims{}}}
	}
	size := map[byte]int64{}
	var ell Dims // broadcast of the ellipsis dimensions, right-aligned
	for i, t := range ins {
		y := c.input(in, i, "input")
		c.typeIn(fmt.Sprintf("input %d", i), y.Type, Float, Half)
		n := len(t.letters)
		if len(y.Dims) < n || (t.ellipsis < 0 && len(y.Dims) != n) {
			c.failf("equation %q: operand %d has %d subscripts, input has rank %d", p.Equation, i, n, len(y.Dims))
			continue
		}
		e := len(y.Dims) - n // dimensions under the ellipsis
		var dims Dims        // the labelled dimensions
		if t.ellipsis >= 0 {
			dims = append(append(Dims{}, y.Dims[:t.ellipsis]...), y.Dims[t.ellipsis+e:]...)
			ed := y.Dims[t.ellipsis : t.ellipsis+e]
			if len(ed) > len(ell) {
				ell = append(filled(nil, len(ed)-len(ell), 1), ell...)
			}
			for j, d := range ed {
				k := len(ell) - len(ed) + j
				switch {
				case ell[k] == 1:
					ell[k] = d
				case d != 1 && d != ell[k]:
					c.failf("equation %q: ellipsis dimensions of operand %d %v do not broadcast", p.Equation, i, y.Dims)
				}
			}
		} else {
			dims = y.Dims
		}
		for j := 0; j < n; j++ {
			ch, d := t.letters[j], dims[j]
			s, ok := size[ch]
			switch {
			case !ok || s == 1:
				size[ch] = d
			case d != 1 && d != s:
				c.failf("equation %q: subscript %q has sizes %d and %d", p.Equation, ch, s, d)
			}
		}
	}
	if len(ell) > 0 && out.ellipsis < 0 {
		c.failf("equation %q: the output must have an ellipsis for the broadcast dimensions %v", p.Equation, ell)
	}
	dims := Dims{}
	for j := 0; j <= len(out.letters); j++ {
		if j == out.ellipsis {
			dims = append(dims, ell...)
		}
		if j < len(out.letters) {
			s, ok := size[out.letters[j]]
			if !ok {
				s = 1
			}
			dims = append(dims, s)
		}
	}
	outType := Half
	for i := range in {
		if in[i] == nil || in[i].Type != Half {
			outType = Float
		}
	}
	return []outSpec{{outType, dims}}
}
