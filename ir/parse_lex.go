package ir

// The lexer of the text form, and the parser's error helpers.

import (
	"fmt"
	"strconv"
	"strings"
)

type tokKind uint8

const (
	tokEOF    tokKind = iota
	tokIdent          // [A-Za-z_][A-Za-z0-9_.-]*
	tokNumber         // starts with a digit or '-': 12, -1.5e+06, -inf, 0x00FF (checked by the user)
	tokString         // "..." (val holds the unquoted string)
	tokValue          // %12
	tokPunct          // one of = , ( ) { } [ ] < > : @
)

type token struct {
	kind tokKind
	pos  int    // byte offset in src
	text string // source text
	val  string // unquoted string for tokString
}

// errorf aborts parsing with an error at byte offset pos.
func (p *parser) errorf(pos int, format string, args ...any) {
	line, col := 1, 1
	for i := 0; i < pos && i < len(p.src); i++ {
		if p.src[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	panic(&ParseError{Filename: p.filename, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

// describe formats a token for "found ..." in messages.
func describe(t token) string {
	switch t.kind {
	case tokEOF:
		return "end of input"
	case tokString:
		if len(t.text) > 40 {
			return t.text[:37] + "...\""
		}
		return t.text
	}
	s := t.text
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return "'" + s + "'"
}

// next lexes the next token into p.tok.
func (p *parser) next() {
	src := p.src
	// Skip white space and comments.
	for p.off < len(src) {
		c := src[p.off]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			p.off++
			continue
		}
		if c == '/' && p.off+1 < len(src) && src[p.off+1] == '/' {
			for p.off < len(src) && src[p.off] != '\n' {
				p.off++
			}
			continue
		}
		break
	}
	start := p.off
	if start >= len(src) {
		p.tok = token{kind: tokEOF, pos: start}
		return
	}
	c := src[start]
	switch {
	case isIdentStart(c):
		end := start + 1
		for end < len(src) && isIdentChar(src[end]) {
			end++
		}
		p.tok = token{kind: tokIdent, pos: start, text: string(src[start:end])}
	case c >= '0' && c <= '9' || c == '-':
		end := start + 1
		hex := c == '0' && end < len(src) && (src[end] == 'x' || src[end] == 'X')
		for end < len(src) {
			d := src[end]
			if isIdentStart(d) || d >= '0' && d <= '9' || d == '.' {
				end++
			} else if (d == '+' || d == '-') && !hex && (src[end-1] == 'e' || src[end-1] == 'E') {
				end++
			} else {
				break
			}
		}
		p.tok = token{kind: tokNumber, pos: start, text: string(src[start:end])}
	case c == '%':
		end := start + 1
		for end < len(src) && src[end] >= '0' && src[end] <= '9' {
			end++
		}
		if end == start+1 {
			p.errorf(end, "expected value number after '%%', found %s", describeByte(src, end))
		}
		p.tok = token{kind: tokValue, pos: start, text: string(src[start:end])}
	case c == '"':
		end := start + 1
		for {
			if end >= len(src) || src[end] == '\n' {
				p.errorf(start, "unterminated string")
			}
			if src[end] == '\\' && end+1 < len(src) && src[end+1] != '\n' {
				end += 2
				continue
			}
			end++
			if src[end-1] == '"' {
				break
			}
		}
		text := string(src[start:end])
		val, err := strconv.Unquote(text)
		if err != nil {
			p.errorf(start, "invalid string literal %s", describe(token{kind: tokString, text: text}))
		}
		p.tok = token{kind: tokString, pos: start, text: text, val: val}
	case strings.IndexByte("=,(){}[]<>:@", c) >= 0:
		p.tok = token{kind: tokPunct, pos: start, text: string(c)}
		end := start + 1
		p.off = end
		return
	default:
		p.errorf(start, "unexpected character %s", describeByte(src, start))
	}
	p.off = start + len(p.tok.text)
}

// describeByte describes the character at src[i] for an error message.
func describeByte(src []byte, i int) string {
	if i >= len(src) {
		return "end of input"
	}
	c := src[i]
	if c < ' ' || c >= 0x7f {
		return fmt.Sprintf("byte 0x%02X", c)
	}
	return "'" + string(c) + "'"
}

func (p *parser) isPunct(s string) bool { return p.tok.kind == tokPunct && p.tok.text == s }

func (p *parser) isIdent(s string) bool { return p.tok.kind == tokIdent && p.tok.text == s }

// expect consumes the punctuation s, or fails with "expected 's' <context>, found ...".
func (p *parser) expect(s, context string) {
	if !p.isPunct(s) {
		p.fail("'"+s+"'", context)
	}
	p.next()
}

// fail reports that what was expected (with context) is not the current token.
func (p *parser) fail(what, context string) {
	if context != "" {
		context = " " + context
	}
	p.errorf(p.tok.pos, "expected %s%s, found %s", what, context, describe(p.tok))
}
