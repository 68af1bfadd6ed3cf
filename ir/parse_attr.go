package ir

// Attribute values in the text form, by attribute kind, and number tokens.

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/tfc-dev/tfc/tensor"
)

// kindWant describes what an attribute of kind k is written as.
func kindWant(k AttrKind) string {
	switch k {
	case AttrInt:
		return "an integer"
	case AttrInts:
		return "an integer list [...]"
	case AttrFloat:
		return "a number"
	case AttrBool:
		return "true or false"
	case AttrString:
		return "a string"
	case AttrDType:
		return "an element type"
	case AttrTensor:
		return "a tensor dense<...>"
	}
	return k.String()
}

// attrValue parses a value of spec's kind (not a tensor).
func (p *parser) attrValue(info *OpInfo, spec *AttrSpec) any {
	bad := func() {
		p.fail(kindWant(spec.Kind), fmt.Sprintf("for attribute %s of %s", spec.Name, info.Name))
	}
	switch spec.Kind {
	case AttrInt:
		if p.tok.kind != tokNumber || !isIntText(p.tok.text) {
			bad()
		}
		v := p.intValue()
		p.next()
		return v
	case AttrInts:
		if !p.isPunct("[") {
			bad()
		}
		p.next()
		v := []int{}
		if !p.isPunct("]") {
			for {
				if p.tok.kind != tokNumber || !isIntText(p.tok.text) {
					p.fail("an integer", fmt.Sprintf("in attribute %s of %s", spec.Name, info.Name))
				}
				v = append(v, p.intValue())
				p.next()
				if !p.isPunct(",") {
					break
				}
				p.next()
			}
		}
		if !p.isPunct("]") {
			p.fail("',' or ']'", fmt.Sprintf("in attribute %s of %s", spec.Name, info.Name))
		}
		p.next()
		return v
	case AttrFloat:
		v, ok := p.floatValue()
		if !ok {
			bad()
		}
		p.next()
		return v
	case AttrBool:
		var v bool
		switch {
		case p.isIdent("true"):
			v = true
		case p.isIdent("false"):
		default:
			bad()
		}
		p.next()
		return v
	case AttrString:
		if p.tok.kind != tokString {
			bad()
		}
		v := p.tok.val
		if spec.Enum != nil && !containsString(spec.Enum, v) {
			quoted := make([]string, len(spec.Enum))
			for i, e := range spec.Enum {
				quoted[i] = strconv.Quote(e)
			}
			p.errorf(p.tok.pos, "attribute %s of %s must be one of %s, found %s", spec.Name, info.Name, strings.Join(quoted, ", "), p.tok.text)
		}
		p.next()
		return v
	case AttrDType:
		if p.tok.kind != tokIdent {
			bad()
		}
		dt, ok := tensor.ParseDType(p.tok.text)
		if !ok {
			p.errorf(p.tok.pos, "unknown element type %q", p.tok.text)
		}
		p.next()
		return dt
	}
	p.errorf(p.tok.pos, "attribute %s of %s has unsupported kind %v", spec.Name, info.Name, spec.Kind)
	return nil
}

func containsString(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// intValue converts the current (int-syntax) number token.
func (p *parser) intValue() int {
	v, err := strconv.ParseInt(p.tok.text, 10, 64)
	if err != nil {
		p.errorf(p.tok.pos, "integer %s out of range", p.tok.text)
	}
	return int(v)
}

// floatValue converts the current token if it is a float (number, nan,
// inf, -inf); out-of-range values are errors.
func (p *parser) floatValue() (float64, bool) {
	v, ok, inRange := floatToken(p.tok, 64)
	if ok && !inRange {
		p.errorf(p.tok.pos, "number %s out of range", p.tok.text)
	}
	return v, ok
}

// floatToken converts t if it is a float (number, nan, inf, -inf) of the
// given bit size. ok is false if t is not a float, inRange if it is but
// overflows.
func floatToken(t token, bitSize int) (v float64, ok, inRange bool) {
	switch {
	case t.kind == tokIdent && t.text == "nan":
		return math.NaN(), true, true
	case t.kind == tokIdent && t.text == "inf":
		return math.Inf(1), true, true
	case t.kind == tokNumber && t.text == "-inf":
		return math.Inf(-1), true, true
	case t.kind != tokNumber || !isFloatText(t.text):
		return 0, false, false
	}
	v, err := strconv.ParseFloat(t.text, bitSize)
	return v, true, err == nil
}

// isIntText reports whether s is -?[0-9]+.
func isIntText(s string) bool {
	s = strings.TrimPrefix(s, "-")
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// isFloatText reports whether s is -?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func isFloatText(s string) bool {
	s = strings.TrimPrefix(s, "-")
	digits := func() bool {
		n := 0
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		s = s[n:]
		return n > 0
	}
	if !digits() {
		return false
	}
	if strings.HasPrefix(s, ".") {
		s = s[1:]
		if !digits() {
			return false
		}
	}
	if strings.HasPrefix(s, "e") || strings.HasPrefix(s, "E") {
		s = s[1:]
		if strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-") {
			s = s[1:]
		}
		if !digits() {
			return false
		}
	}
	return s == ""
}
