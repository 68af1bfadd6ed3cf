package npy

import (
	"fmt"
	"strings"
)

// This file holds a parser for the subset of Python literal syntax that
// appears in .npy headers: dicts, tuples, lists, strings, numbers, True,
// False and None. It builds values only so that the header can be checked
// and so that unsupported headers (structured dtypes, say) can be reported
// precisely; nothing is evaluated.

type pyKind uint8

const (
	pyStr pyKind = iota + 1
	pyNum        // any number-like token, kept as text (see pyValue.text)
	pyBool
	pyNone
	pyTuple
	pyList
	pyDict
)

// pyValue is a parsed literal. src is its source text, for messages.
type pyValue struct {
	kind  pyKind
	src   string
	str   string    // pyStr: the decoded string
	text  string    // pyNum: the token as written
	b     bool      // pyBool
	items []pyValue // pyTuple, pyList; pyDict: the values
	keys  []string  // pyDict: the (string) keys, parallel to items
}

// maxNesting bounds the depth of nested brackets so that a hostile header
// cannot exhaust the stack.
const maxNesting = 32

type pyParser struct {
	src   string
	pos   int
	depth int
}

// parsePyLiteral parses src as a single Python literal, surrounded by
// optional whitespace.
func parsePyLiteral(src string) (pyValue, error) {
	p := &pyParser{src: src}
	p.skipSpace()
	if p.pos == len(p.src) {
		return pyValue{}, fmt.Errorf("header is empty")
	}
	v, err := p.value()
	if err != nil {
		return pyValue{}, err
	}
	p.skipSpace()
	if p.pos != len(p.src) {
		return pyValue{}, p.errorf("unexpected %s after the end of the literal", p.near())
	}
	return v, nil
}

func (p *pyParser) errorf(format string, args ...any) error {
	return fmt.Errorf("cannot parse header %s: %s at offset %d", quoteShort(p.src), fmt.Sprintf(format, args...), p.pos)
}

// near describes the input at the current position.
func (p *pyParser) near() string {
	if p.pos >= len(p.src) {
		return "end of header"
	}
	rest := p.src[p.pos:]
	if len(rest) > 10 {
		rest = rest[:10]
	}
	return fmt.Sprintf("%q", rest)
}

func (p *pyParser) skipSpace() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			p.pos++
		default:
			return
		}
	}
}

func (p *pyParser) value() (pyValue, error) {
	if p.pos >= len(p.src) {
		return pyValue{}, p.errorf("unexpected end of header, want a value")
	}
	start := p.pos
	var v pyValue
	var err error
	switch c := p.src[p.pos]; {
	case c == '{' || c == '(' || c == '[':
		p.depth++
		if p.depth > maxNesting {
			return pyValue{}, p.errorf("brackets nested deeper than %d", maxNesting)
		}
		switch c {
		case '{':
			v, err = p.dict()
		case '(':
			v, err = p.tuple()
		default:
			v, err = p.seq(']', pyList)
		}
		p.depth--
	case c == '\'' || c == '"':
		v, err = p.string()
	case c == '+' || c == '-' || c == '.' || isDigit(c):
		v = p.number()
	case isIdentStart(c):
		v, err = p.name()
	default:
		return pyValue{}, p.errorf("unexpected %s, want a value", p.near())
	}
	if err != nil {
		return pyValue{}, err
	}
	v.src = p.src[start:p.pos]
	return v, nil
}

// dict parses {key: value, ...} with string keys and an optional trailing
// comma.
func (p *pyParser) dict() (pyValue, error) {
	p.pos++ // '{'
	v := pyValue{kind: pyDict}
	for {
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == '}' {
			p.pos++
			return v, nil
		}
		keyPos := p.pos
		k, err := p.value()
		if err != nil {
			return pyValue{}, err
		}
		if k.kind != pyStr {
			p.pos = keyPos
			return pyValue{}, p.errorf("dict key %s is not a string", quoteShort(k.src))
		}
		for _, seen := range v.keys {
			if seen == k.str {
				p.pos = keyPos
				return pyValue{}, p.errorf("duplicate key %q", k.str)
			}
		}
		p.skipSpace()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return pyValue{}, p.errorf("unexpected %s, want ':'", p.near())
		}
		p.pos++
		p.skipSpace()
		val, err := p.value()
		if err != nil {
			return pyValue{}, err
		}
		v.keys = append(v.keys, k.str)
		v.items = append(v.items, val)
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.src) && p.src[p.pos] == '}' {
			p.pos++
			return v, nil
		}
		return pyValue{}, p.errorf("unexpected %s, want ',' or '}'", p.near())
	}
}

// tuple parses (), (x,), (x, y, ...) and the parenthesised expression (x),
// which is x itself, as in Python.
func (p *pyParser) tuple() (pyValue, error) {
	p.pos++ // '('
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ')' {
		p.pos++
		return pyValue{kind: pyTuple}, nil
	}
	first, err := p.value()
	if err != nil {
		return pyValue{}, err
	}
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ')' {
		p.pos++
		return first, nil
	}
	if p.pos >= len(p.src) || p.src[p.pos] != ',' {
		return pyValue{}, p.errorf("unexpected %s, want ',' or ')'", p.near())
	}
	p.pos++
	rest, err := p.items(')')
	if err != nil {
		return pyValue{}, err
	}
	return pyValue{kind: pyTuple, items: append([]pyValue{first}, rest...)}, nil
}

// seq parses a bracketed, comma-separated sequence ending in end.
func (p *pyParser) seq(end byte, kind pyKind) (pyValue, error) {
	p.pos++ // opening bracket
	items, err := p.items(end)
	if err != nil {
		return pyValue{}, err
	}
	return pyValue{kind: kind, items: items}, nil
}

// items parses "x, y, ...end" after an opening bracket or a first item's
// comma, allowing a trailing comma.
func (p *pyParser) items(end byte) ([]pyValue, error) {
	var out []pyValue
	for {
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == end {
			p.pos++
			return out, nil
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		p.skipSpace()
		if p.pos < len(p.src) && p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.src) && p.src[p.pos] == end {
			p.pos++
			return out, nil
		}
		return nil, p.errorf("unexpected %s, want ',' or '%c'", p.near(), end)
	}
}

// string parses a single- or double-quoted string on one line. A
// backslash keeps the next character literally (enough for \' and \\;
// headers tfc supports contain no escapes at all).
func (p *pyParser) string() (pyValue, error) {
	q := p.src[p.pos]
	p.pos++
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == q:
			p.pos++
			return pyValue{kind: pyStr, str: b.String()}, nil
		case c == '\n' || c == '\r':
			return pyValue{}, p.errorf("unterminated string")
		case c == '\\' && p.pos+1 < len(p.src):
			b.WriteByte(p.src[p.pos+1])
			p.pos += 2
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return pyValue{}, p.errorf("unterminated string")
}

// number takes a number-like token: an optional sign and a run of
// letters, digits, '_' and '.'. Its validity is judged where it is used.
func (p *pyParser) number() pyValue {
	start := p.pos
	if c := p.src[p.pos]; c == '+' || c == '-' {
		p.pos++
	}
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if !isDigit(c) && !isIdentStart(c) && c != '.' {
			break
		}
		// Allow an exponent's sign: 1e-5.
		if (c == 'e' || c == 'E') && p.pos+1 < len(p.src) && (p.src[p.pos+1] == '-' || p.src[p.pos+1] == '+') {
			p.pos++
		}
		p.pos++
	}
	return pyValue{kind: pyNum, text: p.src[start:p.pos]}
}

func (p *pyParser) name() (pyValue, error) {
	start := p.pos
	for p.pos < len(p.src) && (isIdentStart(p.src[p.pos]) || isDigit(p.src[p.pos])) {
		p.pos++
	}
	switch id := p.src[start:p.pos]; id {
	case "True":
		return pyValue{kind: pyBool, b: true}, nil
	case "False":
		return pyValue{kind: pyBool}, nil
	case "None":
		return pyValue{kind: pyNone}, nil
	default:
		p.pos = start
		return pyValue{}, p.errorf("unexpected name %q, want a literal", id)
	}
}

func isDigit(c byte) bool      { return '0' <= c && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// quoteShort quotes s for an error message, shortening it if long.
func quoteShort(s string) string {
	const limit = 120
	if len(s) > limit {
		return fmt.Sprintf("%q...", s[:limit])
	}
	return fmt.Sprintf("%q", s)
}
