package ir

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/tfc-dev/tfc/ir/dim"
	"github.com/tfc-dev/tfc/tensor"
)

// ParseError is a syntax or semantic error in the text form, at a position.
type ParseError struct {
	Filename  string
	Line, Col int // 1-based; Col counts bytes
	Msg       string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.Filename, e.Line, e.Col, e.Msg)
}

// Parse parses a Func in the text form written by Print (see print.go for
// the grammar). filename is used in error messages, which are *ParseError
// values. Parse checks the syntax, that every value is defined once before
// its uses, each opcode's operand and result counts, attribute names,
// kinds and enum values, that no attribute is missing or repeated, that
// output names are unique, and that constants have as many elements as
// their type. It does not run the type rules: call Verify for that. Result
// types are the ones written; a constant's dtype and shape are those of its
// result type, and dense<elided> gives a tensor without data (IsElided).
//
// In element lists, f16 and bf16 values are rounded to their dtype; values
// outside a dtype's range are errors. Parse never panics.
func Parse(filename string, src []byte) (f *Func, err error) {
	p := &parser{filename: filename, src: src, values: make(map[string]*Value)}
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(*ParseError)
			if !ok {
				panic(r)
			}
			f, err = nil, pe
		}
	}()
	p.next()
	return p.function(), nil
}

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

type parser struct {
	filename string
	src      []byte
	off      int // lexer position
	tok      token

	f      *Func
	values map[string]*Value // by source name (%12), in the func being parsed
	depth  int               // region nesting
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

func (p *parser) function() *Func {
	f := p.funcDef()
	if p.tok.kind != tokEOF {
		p.fail("end of input", "after '}'")
	}
	return f
}

// maxRegionDepth bounds the nesting of regions in the text form, so that
// hostile input cannot exhaust the stack.
const maxRegionDepth = 64

// funcDef parses one func (the whole program, or a region) with its own
// value names.
func (p *parser) funcDef() *Func {
	if !p.isIdent("func") {
		p.fail("'func'", "")
	}
	p.next()
	p.expect("@", "after 'func'")
	var name string
	switch p.tok.kind {
	case tokIdent:
		name = p.tok.text
	case tokString:
		name = p.tok.val
	default:
		p.fail("function name", "after '@'")
	}
	p.next()
	outerF, outerValues := p.f, p.values
	p.f, p.values = NewFunc(name), make(map[string]*Value)
	p.expect("{", "after function name")
	for {
		switch {
		case p.tok.kind == tokValue:
			p.op()
			continue
		case p.isIdent("return"):
			p.ret()
		default:
			p.fail("value definition or 'return'", "")
		}
		break
	}
	p.expect("}", "after return")
	f := p.f
	p.f, p.values = outerF, outerValues
	return f
}

// regions parses "{" func { func } "}" after an op.
func (p *parser) regions(op *Op) {
	open := p.tok.pos
	p.next() // "{"
	p.depth++
	if p.depth > maxRegionDepth {
		p.errorf(open, "regions nested more than %d deep", maxRegionDepth)
	}
	for p.isIdent("func") {
		op.Regions = append(op.Regions, p.funcDef())
	}
	if len(op.Regions) == 0 {
		p.fail("'func'", "in regions")
	}
	p.expect("}", "after regions")
	p.depth--
}

// lookup resolves a value reference token.
func (p *parser) lookup(t token) *Value {
	v, ok := p.values[t.text]
	if !ok {
		p.errorf(t.pos, "undefined value %s", t.text)
	}
	return v
}

// rawTensor is a tensor literal as written, converted once the op's result
// type is known.
type rawTensor struct {
	pos    int
	elided bool
	hex    *token  // dense<0x...>
	elems  []token // dense<[...]>
}

func (p *parser) op() {
	var results []token
	for {
		if p.tok.kind != tokValue {
			p.fail("result value", "")
		}
		for _, r := range results {
			if r.text == p.tok.text {
				p.errorf(p.tok.pos, "value %s defined twice", p.tok.text)
			}
		}
		if _, ok := p.values[p.tok.text]; ok {
			p.errorf(p.tok.pos, "value %s defined twice", p.tok.text)
		}
		results = append(results, p.tok)
		p.next()
		if !p.isPunct(",") {
			break
		}
		p.next()
	}
	if !p.isPunct("=") {
		p.fail("',' or '='", "after result value")
	}
	p.next()

	opTok := p.tok
	if opTok.kind != tokIdent {
		p.fail("op name", "after '='")
	}
	opc, ok := LookupOpcode(opTok.text)
	if !ok {
		p.errorf(opTok.pos, "unknown op %q", opTok.text)
	}
	info := opc.Info()
	p.next()
	if info.NumResults >= 0 && len(results) != info.NumResults {
		p.errorf(results[0].pos, "%s has %d results, found %d", info.Name, info.NumResults, len(results))
	}

	op := &Op{Opcode: opc, Attrs: Attrs{}}
	if p.isPunct("(") {
		p.next()
		if !p.isPunct(")") {
			for {
				if p.tok.kind != tokValue {
					p.fail("operand value", "")
				}
				op.Args = append(op.Args, p.lookup(p.tok))
				p.next()
				if !p.isPunct(",") {
					break
				}
				p.next()
			}
		}
		p.expect(")", "after operands")
	}
	if n := len(op.Args); n < info.MinArgs || info.MaxArgs >= 0 && n > info.MaxArgs {
		switch {
		case info.MinArgs == info.MaxArgs:
			p.errorf(opTok.pos, "%s takes %d operands, found %d", info.Name, info.MinArgs, n)
		case info.MaxArgs < 0:
			p.errorf(opTok.pos, "%s takes at least %d operands, found %d", info.Name, info.MinArgs, n)
		default:
			p.errorf(opTok.pos, "%s takes %d to %d operands, found %d", info.Name, info.MinArgs, info.MaxArgs, n)
		}
	}

	var tensors map[string]*rawTensor
	if p.isPunct("{") {
		p.next()
		if !p.isPunct("}") {
			for {
				if p.tok.kind != tokIdent {
					p.fail("attribute name", "")
				}
				nameTok := p.tok
				spec := info.Attr(nameTok.text)
				if spec == nil {
					p.errorf(nameTok.pos, "unknown attribute %q for %s", nameTok.text, info.Name)
				}
				if _, dup := op.Attrs[spec.Name]; dup {
					p.errorf(nameTok.pos, "duplicate attribute %q", spec.Name)
				}
				p.next()
				p.expect("=", "after attribute name")
				if spec.Kind == AttrTensor {
					if tensors == nil {
						tensors = make(map[string]*rawTensor)
					}
					tensors[spec.Name] = p.tensorLit(spec.Name)
					op.Attrs[spec.Name] = (*tensor.Tensor)(nil) // placeholder
				} else {
					op.Attrs[spec.Name] = p.attrValue(info, spec)
				}
				if !p.isPunct(",") {
					break
				}
				p.next()
			}
		}
		if !p.isPunct("}") {
			p.fail("',' or '}'", "after attribute")
		}
		p.next()
	}
	for _, s := range info.Attrs {
		if _, ok := op.Attrs[s.Name]; !ok {
			p.errorf(opTok.pos, "missing attribute %q for %s", s.Name, info.Name)
		}
	}

	p.expect(":", "before result types")
	var types []Type
	typesPos := p.tok.pos
	for {
		types = append(types, p.typ())
		if !p.isPunct(",") {
			break
		}
		p.next()
	}
	if len(types) != len(results) {
		p.errorf(typesPos, "expected %d result types, found %d", len(results), len(types))
	}
	if p.isIdent("loc") {
		p.next()
		p.expect("(", "after 'loc'")
		if p.tok.kind != tokString {
			p.fail("string", "in loc(...)")
		}
		op.Loc = p.tok.val
		p.next()
		p.expect(")", "after location")
	}
	if p.isPunct("{") {
		if opc.Info().NumRegions == 0 {
			p.errorf(p.tok.pos, "%s has no regions", info.Name)
		}
		p.regions(op)
	}
	for name, raw := range tensors {
		op.Attrs[name] = p.makeTensor(raw, types[0])
	}
	p.f.Append(op, types)
	for i, r := range results {
		p.values[r.text] = op.Results[i]
	}
}

func (p *parser) ret() {
	p.next() // "return"
	if p.isPunct("}") {
		return
	}
	if p.tok.kind != tokString {
		p.fail("output name (a string) or '}'", "after 'return'")
	}
	names := make(map[string]bool)
	for {
		if p.tok.kind != tokString {
			p.fail("output name (a string)", "")
		}
		name := p.tok
		if names[name.val] {
			p.errorf(name.pos, "duplicate output name %s", name.text)
		}
		names[name.val] = true
		p.next()
		p.expect("=", "after output name")
		if p.tok.kind != tokValue {
			p.fail("output value", "")
		}
		p.f.AddOutput(name.val, p.lookup(p.tok))
		p.next()
		if !p.isPunct(",") {
			break
		}
		p.next()
	}
	if !p.isPunct("}") {
		p.fail("',' or '}'", "after output")
	}
}

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

// tensorLit parses dense<...> into a rawTensor.
func (p *parser) tensorLit(attr string) *rawTensor {
	if !p.isIdent("dense") {
		p.fail("a tensor dense<...>", "for attribute "+attr)
	}
	raw := &rawTensor{pos: p.tok.pos}
	p.next()
	p.expect("<", "after 'dense'")
	switch {
	case p.isIdent("elided"):
		raw.elided = true
		p.next()
	case p.tok.kind == tokNumber && (strings.HasPrefix(p.tok.text, "0x") || strings.HasPrefix(p.tok.text, "0X")):
		t := p.tok
		raw.hex = &t
		p.next()
	case p.isPunct("["):
		p.next()
		raw.elems = []token{}
		if !p.isPunct("]") {
			for {
				if p.tok.kind != tokNumber && p.tok.kind != tokIdent {
					p.fail("tensor element", "")
				}
				raw.elems = append(raw.elems, p.tok)
				p.next()
				if !p.isPunct(",") {
					break
				}
				p.next()
			}
		}
		if !p.isPunct("]") {
			p.fail("',' or ']'", "in tensor literal")
		}
		p.next()
	default:
		p.fail("'[', hex data or 'elided'", "in tensor literal")
	}
	p.expect(">", "after tensor data")
	return raw
}

// makeTensor converts a tensor literal to a tensor of type t.
func (p *parser) makeTensor(raw *rawTensor, t Type) *tensor.Tensor {
	if t.DType.Storage() == tensor.NoStorage {
		p.errorf(raw.pos, "tensors of element type %v are not supported", t.DType)
	}
	if t.Symbolic() {
		p.errorf(raw.pos, "a tensor attribute has static dimensions, not %v", t)
	}
	n := t.Shape.Size() // checked by typ
	if raw.elided {
		if n == 0 {
			return tensor.MustNew(t.DType, t.Shape)
		}
		return &tensor.Tensor{DType: t.DType, Shape: t.Shape.Clone()}
	}
	if raw.hex != nil {
		digits := raw.hex.text[2:]
		size := t.DType.Size()
		if len(digits)%2 != 0 || len(digits)/2 != n*size {
			p.errorf(raw.hex.pos, "hex data has %s, type %v needs %d bytes", hexLen(digits), t, n*size)
		}
		for i := 0; i < len(digits); i++ {
			if unhex(digits[i]) < 0 {
				p.errorf(raw.hex.pos+2+i, "invalid hex digit %q", digits[i])
			}
		}
		tt := tensor.MustNew(t.DType, t.Shape)
		for i := range n {
			var u uint64
			for j := size - 1; j >= 0; j-- {
				k := 2 * (i*size + j)
				u = u<<8 | uint64(unhex(digits[k])<<4|unhex(digits[k+1]))
			}
			if !p.setBits(tt, i, u) {
				p.errorf(raw.hex.pos, "hex data: element %d of bool tensor is %d, want 0 or 1", i, u)
			}
		}
		return tt
	}
	if len(raw.elems) != n {
		p.errorf(raw.pos, "tensor literal has %d elements, type %v needs %d", len(raw.elems), t, n)
	}
	tt := tensor.MustNew(t.DType, t.Shape)
	for i, e := range raw.elems {
		p.setElem(tt, i, e)
	}
	return tt
}

func hexLen(digits string) string {
	if len(digits)%2 != 0 {
		return fmt.Sprintf("an odd number of digits (%d)", len(digits))
	}
	return fmt.Sprintf("%d bytes", len(digits)/2)
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// setBits sets element i of tt from its little-endian natural encoding u.
// It returns false for a bool byte other than 0 or 1.
func (p *parser) setBits(tt *tensor.Tensor, i int, u uint64) bool {
	switch tt.DType {
	case tensor.Float32:
		tt.F32[i] = math.Float32frombits(uint32(u))
	case tensor.Float16:
		tt.F32[i] = tensor.F16FromBits(uint16(u))
	case tensor.BFloat16:
		tt.F32[i] = tensor.BF16FromBits(uint16(u))
	case tensor.Float64:
		tt.F64[i] = math.Float64frombits(u)
	case tensor.Int8:
		tt.I32[i] = int32(int8(u))
	case tensor.Int16:
		tt.I32[i] = int32(int16(u))
	case tensor.Int32:
		tt.I32[i] = int32(u)
	case tensor.Uint8:
		tt.I32[i] = int32(uint8(u))
	case tensor.Uint16:
		tt.I32[i] = int32(uint16(u))
	case tensor.Int64:
		tt.I64[i] = int64(u)
	case tensor.Uint32:
		tt.I64[i] = int64(uint32(u))
	case tensor.Bool:
		if u > 1 {
			return false
		}
		tt.B[i] = u == 1
	}
	return true
}

// setElem sets element i of tt from the token e.
func (p *parser) setElem(tt *tensor.Tensor, i int, e token) {
	dt := tt.DType
	want := func() {
		p.errorf(e.pos, "expected %v element, found %s", dt, describe(e))
	}
	outOfRange := func() {
		p.errorf(e.pos, "value %s out of range for %v", e.text, dt)
	}
	switch dt.Storage() {
	case tensor.StoreF32:
		v, ok, inRange := floatToken(e, 32)
		if !ok {
			want()
		}
		f := float32(v)
		switch dt {
		case tensor.Float16:
			f = tensor.RoundF16(f)
		case tensor.BFloat16:
			f = tensor.RoundBF16(f)
		}
		if !inRange || math.IsInf(float64(f), 0) && !math.IsInf(v, 0) {
			outOfRange()
		}
		tt.F32[i] = f
	case tensor.StoreF64:
		v, ok, inRange := floatToken(e, 64)
		if !ok {
			want()
		}
		if !inRange {
			outOfRange()
		}
		tt.F64[i] = v
	case tensor.StoreI32, tensor.StoreI64:
		if e.kind != tokNumber || !isIntText(e.text) {
			want()
		}
		v, err := strconv.ParseInt(e.text, 10, 64)
		lo, hi := dt.IntRange()
		if err != nil || v < lo || v > hi {
			outOfRange()
		}
		if dt.Storage() == tensor.StoreI32 {
			tt.I32[i] = int32(v)
		} else {
			tt.I64[i] = v
		}
	case tensor.StoreBool:
		switch {
		case e.kind == tokIdent && e.text == "true":
			tt.B[i] = true
		case e.kind == tokIdent && e.text == "false":
		default:
			want()
		}
	}
}
