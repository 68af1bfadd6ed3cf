package ir

import (
	"fmt"

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

type parser struct {
	filename string
	src      []byte
	off      int // lexer position
	tok      token

	f      *Func
	values map[string]*Value // by source name (%12), in the func being parsed
	depth  int               // region nesting
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

	op := &Op{Opcode: opc}
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
				if _, dup := op.Attrs.Get(spec.Name); dup {
					p.errorf(nameTok.pos, "duplicate attribute %q", spec.Name)
				}
				p.next()
				p.expect("=", "after attribute name")
				if spec.Kind == AttrTensor {
					if tensors == nil {
						tensors = make(map[string]*rawTensor)
					}
					tensors[spec.Name] = p.tensorLit(spec.Name)
					op.Attrs.Set(spec.Name, (*tensor.Tensor)(nil)) // placeholder
				} else {
					op.Attrs.Set(spec.Name, p.attrValue(info, spec))
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
		if _, ok := op.Attrs.Get(s.Name); !ok {
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
		op.Attrs.Set(name, p.makeTensor(raw, types[0]))
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
