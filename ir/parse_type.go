package ir

// Types in the text form: dtype[dims], dimensions possibly symbolic.

import (
	"strconv"
	"strings"

	"github.com/tfc-dev/tfc/ir/dim"
	"github.com/tfc-dev/tfc/tensor"
)

// typ parses dtype[dims].
func (p *parser) typ() Type {
	if p.tok.kind != tokIdent {
		p.fail("type", "")
	}
	start := p.tok.pos
	dt, ok := tensor.ParseDType(p.tok.text)
	if !ok {
		p.errorf(p.tok.pos, "unknown element type %q", p.tok.text)
	}
	p.next()
	p.expect("[", "after element type")
	shape := tensor.Shape{}
	var dims []dim.Expr // set once a dimension is an expression
	if !p.isPunct("]") {
		for {
			if text, end := p.dimText(); p.symbolicDim() {
				d, err := dim.Parse(text)
				if err != nil {
					p.errorf(p.tok.pos, "%v", err)
				}
				if v, ok := d.Value(); ok && v < 0 {
					p.errorf(p.tok.pos, "dimension %s is negative", text)
				}
				if dims == nil {
					dims = make([]dim.Expr, len(shape))
					for i, x := range shape {
						dims[i] = dim.Const(int64(x))
					}
				}
				dims = append(dims, d)
				shape = append(shape, 0)
				p.off = end
				p.next()
			} else {
				if p.tok.kind != tokNumber || !isIntText(p.tok.text) || p.tok.text[0] == '-' {
					p.fail("dimension (an integer ≥ 0)", "")
				}
				d, err := strconv.Atoi(p.tok.text)
				if err != nil {
					p.errorf(p.tok.pos, "dimension %s out of range", p.tok.text)
				}
				shape = append(shape, d)
				if dims != nil {
					dims = append(dims, dim.Const(int64(d)))
				}
				p.next()
			}
			if !p.isPunct(",") {
				break
			}
			p.next()
		}
	}
	if !p.isPunct("]") {
		p.fail("',' or ']'", "in shape")
	}
	p.next()
	if dims != nil {
		t := SymbolicType(dt, dims)
		if !t.Symbolic() {
			p.errorf(start, "type %v: write constant dimensions as integers", t)
		}
		return t
	}
	if _, err := shape.NumElements(); err != nil {
		p.errorf(start, "type %v%v has more than %d elements", dt, shape, tensor.MaxElements)
	}
	return Type{DType: dt, Shape: shape}
}

// symbolicDim reports whether the dimension at the current token is an
// expression rather than an integer: it starts with a symbol or '(', or
// an integer is followed by an operator.
func (p *parser) symbolicDim() bool {
	switch {
	case p.tok.kind == tokIdent, p.isPunct("("):
		return true
	case p.tok.kind != tokNumber:
		return false
	}
	i := p.tok.pos + len(p.tok.text)
	for i < len(p.src) && p.src[i] == ' ' {
		i++
	}
	return i < len(p.src) && strings.IndexByte("+-*/", p.src[i]) >= 0
}

// dimText returns the source text of the dimension that starts at the
// current token, up to the next ',' or ']' outside parentheses, and the
// offset where it ends.
func (p *parser) dimText() (string, int) {
	depth, end := 0, p.tok.pos
	for ; end < len(p.src); end++ {
		c := p.src[end]
		if c == '(' {
			depth++
		} else if c == ')' {
			depth--
		} else if depth <= 0 && (c == ',' || c == ']' || c == '\n') {
			break
		}
	}
	return strings.TrimSpace(string(p.src[p.tok.pos:end])), end
}
