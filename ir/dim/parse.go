package dim

import (
	"fmt"
	"strconv"
)

// Parse reads an expression in the text form (see the package comment) and
// returns it in canonical form. Errors give the byte offset and what was
// expected.
func Parse(s string) (Expr, error) {
	p := &parser{src: s}
	p.skip()
	e, err := p.expr()
	if err != nil {
		return Expr{}, err
	}
	if p.pos < len(p.src) {
		return Expr{}, p.errorf("unexpected %q", p.src[p.pos:p.pos+1])
	}
	return e, nil
}

type parser struct {
	src   string
	pos   int
	depth int
}

// maxDepth bounds nesting so hostile text cannot exhaust the stack.
const maxDepth = 64

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("dimension %q: offset %d: %s", p.src, p.pos, fmt.Sprintf(format, args...))
}

func (p *parser) skip() {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
}

func (p *parser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *parser) eat(c byte) bool {
	if p.peek() == c {
		p.pos++
		p.skip()
		return true
	}
	return false
}

func (p *parser) wrap(e Expr, err error) (Expr, error) {
	if err != nil {
		return Expr{}, p.errorf("%v", err)
	}
	return e, nil
}

// expr = ["-"] term { ("+" | "-") term }
func (p *parser) expr() (Expr, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return Expr{}, p.errorf("nested too deeply")
	}
	neg := p.eat('-')
	e, err := p.term(false)
	if err != nil {
		return Expr{}, err
	}
	if neg {
		if e, err = p.wrap(MulConst(e, -1)); err != nil {
			return Expr{}, err
		}
	}
	for {
		var op func(Expr, Expr) (Expr, error)
		switch {
		case p.eat('+'):
			op = Add
		case p.eat('-'):
			op = Sub
		default:
			return e, nil
		}
		t, err := p.term(false)
		if err != nil {
			return Expr{}, err
		}
		if e, err = p.wrap(op(e, t)); err != nil {
			return Expr{}, err
		}
	}
}

// term = factor { "*" factor | "/" int }. Inside ceil( ), the division
// right before the closing parenthesis rounds up.
func (p *parser) term(inCeil bool) (Expr, error) {
	e, err := p.factor()
	if err != nil {
		return Expr{}, err
	}
	for {
		switch {
		case p.eat('*'):
			f, err := p.factor()
			if err != nil {
				return Expr{}, err
			}
			if e, err = p.wrap(Mul(e, f)); err != nil {
				return Expr{}, err
			}
		case p.eat('/'):
			d, err := p.int()
			if err != nil {
				return Expr{}, err
			}
			if d == 0 {
				return Expr{}, p.errorf("division by zero")
			}
			if inCeil && p.peek() == ')' {
				return p.wrap(CeilDiv(e, d))
			}
			if e, err = p.wrap(FloorDiv(e, d)); err != nil {
				return Expr{}, err
			}
		default:
			if inCeil && p.peek() == 0 {
				return Expr{}, p.errorf("want )")
			}
			if inCeil {
				return Expr{}, p.errorf("ceil( ) must end in a division by an integer")
			}
			return e, nil
		}
	}
}

// factor = int | symbol | "(" expr ")" | "ceil" "(" term ")"
func (p *parser) factor() (Expr, error) {
	c := p.peek()
	switch {
	case c == '(':
		p.eat('(')
		e, err := p.expr()
		if err != nil {
			return Expr{}, err
		}
		if !p.eat(')') {
			return Expr{}, p.errorf("want )")
		}
		return e, nil
	case '0' <= c && c <= '9':
		n, err := p.int()
		return Const(n), err
	case c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z'):
		start := p.pos
		for p.pos < len(p.src) && isIdent(p.src[p.pos]) {
			p.pos++
		}
		name := p.src[start:p.pos]
		p.skip()
		if name != "ceil" {
			return Sym(name), nil
		}
		if !p.eat('(') {
			return Expr{}, p.errorf("want ( after ceil")
		}
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxDepth {
			return Expr{}, p.errorf("nested too deeply")
		}
		e, err := p.term(true)
		if err != nil {
			return Expr{}, err
		}
		if !p.eat(')') {
			return Expr{}, p.errorf("want )")
		}
		return e, nil
	case c == 0:
		return Expr{}, p.errorf("unexpected end, want a number, symbol or (")
	}
	return Expr{}, p.errorf("unexpected %q, want a number, symbol or (", string(c))
}

func isIdent(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

func (p *parser) int() (int64, error) {
	start := p.pos
	for p.pos < len(p.src) && '0' <= p.src[p.pos] && p.src[p.pos] <= '9' {
		p.pos++
	}
	if start == p.pos {
		return 0, p.errorf("want an integer")
	}
	n, err := strconv.ParseInt(p.src[start:p.pos], 10, 64)
	if err != nil || n > limit {
		p.pos = start
		return 0, p.errorf("integer out of range")
	}
	p.skip()
	return n, nil
}
