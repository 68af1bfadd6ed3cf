package ir

// The text form of a Func.
//
// Print writes a Func in the form below and Parse reads it back; for every
// Func f that verifies, Print(Parse(Print(f))) is byte-identical to
// Print(f), with or without elision. Example:
//
//	func @resnet {
//	  %0 = input {name="x:0"} : f32[1,8,8,3]
//	  %1 = const {value=dense<[1, 2]>} : i32[2]
//	  %2 = transpose(%0) {perm=[0,3,1,2]} : f32[1,3,8,8] loc("conv/Conv2D")
//	  %3 = add(%2, %2) : f32[1,3,8,8] loc("add")
//	  %4, %5 = topk(%3) {axis=3, k=2} : f32[1,3,8,2], i32[1,3,8,2]
//	  %6 = const {value=dense<elided>} : f32[64,3,7,7] loc("conv1/kernel")
//	  return "y:0" = %3, "z:0" = %4
//	}
//
// Grammar (EBNF; tokens may be separated by any white space, and // starts
// a comment that runs to the end of the line):
//
//	func     = "func" "@" name "{" { op } return "}" .
//	name     = ident | string .
//	op       = value { "," value } "=" opname [ "(" [ value { "," value } ] ")" ]
//	           [ "{" [ attr { "," attr } ] "}" ] ":" type { "," type } [ loc ]
//	           [ "{" func { func } "}" ] .      (regions: while, if)
//	attr     = ident "=" attrval .
//	attrval  = int | ints | float | bool | string | dtype | tensor .
//	ints     = "[" [ int { "," int } ] "]" .
//	float    = number | "nan" | "inf" | "-inf" .
//	bool     = "true" | "false" .
//	tensor   = "dense" "<" ( "[" [ elem { "," elem } ] "]" | hex | "elided" ) ">" .
//	elem     = float | bool .
//	type     = dtype "[" [ int { "," int } ] "]" .
//	loc      = "loc" "(" string ")" .
//	return   = "return" [ output { "," output } ] .
//	output   = string "=" value .
//
//	value    = "%" digit { digit } .      (any numbering; the printer renumbers)
//	ident    = letter { letter | digit | "." | "-" } .    (letter: A-Z a-z _)
//	int      = [ "-" ] digit { digit } .
//	number   = int [ "." digit { digit } ] [ ( "e" | "E" ) [ "+" | "-" ] digit { digit } ] .
//	hex      = "0x" { hexdigit hexdigit } .
//	string   = a Go double-quoted string literal (strconv.Quote / strconv.Unquote) .
//	dtype    = f32 | f16 | bf16 | f64 | i8 | i16 | i32 | i64 | u8 | u16 | u32 | bool .
//	opname   = an OpInfo.Name, e.g. conv .
//
// Printing conventions (the parser accepts a little more, e.g. attributes
// in any order, "()" and "{}" when empty, hex for small tensors):
//   - Values are numbered %0, %1, ... in order of definition (Value.ID is
//     not printed). An op without operands has no parentheses.
//   - The attribute block lists every attribute in the order of the
//     opcode's OpInfo.Attrs, "name=value" separated by ", ", and is
//     omitted for opcodes without attributes. int: decimal; ints: [1,2,3]
//     without spaces; float: strconv.FormatFloat(v, 'g', -1, 64), or nan,
//     inf, -inf; bool: true, false; string: strconv.Quote; dtype: bare
//     (f32); tensor: dense<...>.
//   - A tensor is written dense<[v, v, ...]>, its elements in row-major
//     order separated by ", ", when it has at most 16 elements (a scalar is
//     dense<[v]>). f32, f16 and bf16 elements are written with
//     strconv.FormatFloat(float64(v), 'g', -1, 32) (f16 and bf16 values are
//     held as float32, so this is exact), f64 elements with bitSize 64,
//     integers in decimal, bools as true/false, and nan, inf, -inf.
//     Larger tensors are written dense<0x...>: upper-case hex of their
//     little-endian bytes in the dtype's natural encoding (f16 as IEEE half
//     bits, bf16 as bfloat16 bits, bool as one byte 0 or 1), unless they
//     are elided: dense<elided> stands for a constant whose data was left
//     out (by PrintOptions.ElideOver, or because it had none, see
//     IsElided). The tensor's dtype and shape are those of the op's
//     (first) result type.
//   - Result types follow " : ", separated by ", ". loc("...") is
//     printed only when Op.Loc is not empty.
//   - return lists the outputs as "name" = %v separated by ", ", or is
//     bare when there are none.
//   - An op with regions (while, if; see ops_control.go) prints them after
//     its loc as " {", one func per region indented two spaces more than
//     the op, and "  }" at the op's indentation. Each region numbers its
//     values from %0 on its own: regions are isolated, so a name never
//     refers to a value of an enclosing func.
//   - The function name is printed bare if it is a plain identifier
//     ([A-Za-z_][A-Za-z0-9_.-]*) and Go-quoted otherwise.
//
// Parse reports errors as "file:line:col: message" (line and column
// 1-based, the column counting bytes).

import (
	"bufio"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/tfc-dev/tfc/tensor"
)

// PrintOptions control Print.
type PrintOptions struct {
	// ElideOver is the number of elements above which a constant tensor
	// is printed as dense<elided>. 0 means the default, 16; a negative
	// value (-1) means never elide.
	ElideOver int
}

// DefaultElideOver is the elision threshold used when
// PrintOptions.ElideOver is 0.
const DefaultElideOver = 16

// maxListElements is the largest tensor printed as an element list rather
// than as hex.
const maxListElements = 16

// Print writes f in the text form (see the top of print.go). It prints
// Funcs that do not verify as well as it can, for debugging; only Funcs
// that verify are guaranteed to parse back. The error is the writer's,
// or says that f is nil.
func Print(w io.Writer, f *Func, opts PrintOptions) error {
	if f == nil {
		return errors.New("ir: Print of a nil Func")
	}
	elide := opts.ElideOver
	if elide == 0 {
		elide = DefaultElideOver
	}
	bw := bufio.NewWriter(w)
	p := &printer{w: bw, num: valueNumbers(f), elideOver: elide}
	p.function(f)
	return bw.Flush()
}

// String returns f printed with the default options.
func (f *Func) String() string {
	var b strings.Builder
	if err := Print(&b, f, PrintOptions{}); err != nil {
		return "<" + err.Error() + ">"
	}
	return b.String()
}

// valueNumbers numbers f's values the way the printer shows them: %0, %1,
// ... in order of definition, op by op, result by result. Nil ops and nil
// results get no number; a value listed as the result of several ops keeps
// the number of its first definition.
func valueNumbers(f *Func) map[*Value]int {
	num := make(map[*Value]int, len(f.Ops))
	n := 0
	for _, op := range f.Ops {
		if op == nil {
			continue
		}
		for _, r := range op.Results {
			if r == nil {
				continue
			}
			if _, dup := num[r]; !dup {
				num[r] = n
				n++
			}
		}
	}
	return num
}

// valueName returns how the printer names v: %N, or %? for a value not
// defined in the Func, or %nil.
func valueName(num map[*Value]int, v *Value) string {
	if v == nil {
		return "%nil"
	}
	if n, ok := num[v]; ok {
		return "%" + strconv.Itoa(n)
	}
	return "%?"
}

type printer struct {
	w         *bufio.Writer
	num       map[*Value]int
	elideOver int    // < 0: never elide
	indent    string // before every line: two spaces per region level
}

func (p *printer) str(s string) { p.w.WriteString(s) }

func (p *printer) function(f *Func) {
	p.str(p.indent)
	p.str("func @")
	if isPlainIdent(f.Name) {
		p.str(f.Name)
	} else {
		p.str(strconv.Quote(f.Name))
	}
	p.str(" {\n")
	for _, op := range f.Ops {
		p.op(op)
	}
	p.str(p.indent)
	p.str("  return")
	for i, o := range f.Outputs {
		if i > 0 {
			p.str(",")
		}
		p.str(" ")
		p.str(strconv.Quote(o.Name))
		p.str(" = ")
		p.str(valueName(p.num, o.Value))
	}
	p.str("\n")
	p.str(p.indent)
	p.str("}\n")
}

// regions prints an op's regions, each a func indented one level deeper
// than the op, numbered on its own.
func (p *printer) regions(op *Op) {
	p.str(" {\n")
	for _, r := range op.Regions {
		if r == nil {
			p.str(p.indent + "    <nil region>\n")
			continue
		}
		sub := &printer{w: p.w, num: valueNumbers(r), elideOver: p.elideOver, indent: p.indent + "    "}
		sub.function(r)
	}
	p.str(p.indent)
	p.str("  }")
}

func (p *printer) op(op *Op) {
	p.str(p.indent)
	p.str("  ")
	if op == nil {
		p.str("<nil op>\n")
		return
	}
	for i, r := range op.Results {
		if i > 0 {
			p.str(", ")
		}
		p.str(valueName(p.num, r))
	}
	if len(op.Results) > 0 {
		p.str(" = ")
	}
	p.str(op.Opcode.String())
	if len(op.Args) > 0 {
		p.str("(")
		for i, a := range op.Args {
			if i > 0 {
				p.str(", ")
			}
			p.str(valueName(p.num, a))
		}
		p.str(")")
	}
	if names := attrOrder(op); len(names) > 0 {
		p.str(" {")
		for i, name := range names {
			if i > 0 {
				p.str(", ")
			}
			p.str(name)
			p.str("=")
			p.attr(op.Attrs.Value(name))
		}
		p.str("}")
	}
	p.str(" : ")
	for i, r := range op.Results {
		if i > 0 {
			p.str(", ")
		}
		if r == nil {
			p.str("<nil>")
		} else {
			p.str(r.Type.String())
		}
	}
	if op.Loc != "" {
		p.str(" loc(")
		p.str(strconv.Quote(op.Loc))
		p.str(")")
	}
	if len(op.Regions) > 0 {
		p.regions(op)
	}
	p.str("\n")
}

// attrOrder returns the names of op's attributes in print order: those the
// opcode declares, in declaration order, then any others (which do not
// verify) sorted.
func attrOrder(op *Op) []string {
	info := op.Info()
	var names []string
	for _, s := range info.Attrs {
		if _, ok := op.Attrs.Get(s.Name); ok {
			names = append(names, s.Name)
		}
	}
	var extra []string
	for _, a := range op.Attrs {
		if info.Attr(a.Name) == nil {
			extra = append(extra, a.Name)
		}
	}
	slices.Sort(extra)
	return append(names, extra...)
}

func (p *printer) attr(v any) {
	switch v := v.(type) {
	case int:
		p.str(strconv.Itoa(v))
	case []int:
		p.str("[")
		for i, x := range v {
			if i > 0 {
				p.str(",")
			}
			p.str(strconv.Itoa(x))
		}
		p.str("]")
	case float64:
		p.str(formatFloat(v, 64))
	case bool:
		p.str(strconv.FormatBool(v))
	case string:
		p.str(strconv.Quote(v))
	case tensor.DType:
		p.str(v.String())
	case *tensor.Tensor:
		p.tensor(v)
	default:
		// Not an attribute type: does not verify; show what it is.
		p.str("<bad attribute>")
	}
}

// formatFloat formats a float attribute or tensor element.
func formatFloat(v float64, bitSize int) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, 'g', -1, bitSize)
}

func (p *printer) tensor(t *tensor.Tensor) {
	if t == nil {
		p.str("dense<nil>")
		return
	}
	if IsElided(t) {
		p.str("dense<elided>")
		return
	}
	if err := t.Check(); err != nil {
		p.str("dense<invalid>")
		return
	}
	n := t.Len()
	switch {
	case p.elideOver >= 0 && n > p.elideOver:
		p.str("dense<elided>")
	case n <= maxListElements:
		p.str("dense<[")
		for i := range n {
			if i > 0 {
				p.str(", ")
			}
			p.str(formatElem(t, i))
		}
		p.str("]>")
	default:
		p.str("dense<0x")
		const digits = "0123456789ABCDEF"
		buf := make([]byte, 0, 2*8)
		for i := range n {
			buf = appendElemBytes(buf[:0], t, i)
			for _, b := range buf {
				p.w.WriteByte(digits[b>>4])
				p.w.WriteByte(digits[b&15])
			}
		}
		p.str(">")
	}
}

// formatElem formats element i of a checked tensor.
func formatElem(t *tensor.Tensor, i int) string {
	switch t.DType.Storage() {
	case tensor.StoreF32:
		return formatFloat(float64(t.F32[i]), 32)
	case tensor.StoreF64:
		return formatFloat(t.F64[i], 64)
	case tensor.StoreI32:
		return strconv.FormatInt(int64(t.I32[i]), 10)
	case tensor.StoreI64:
		return strconv.FormatInt(t.I64[i], 10)
	case tensor.StoreBool:
		return strconv.FormatBool(t.B[i])
	}
	return "?"
}

// appendElemBytes appends the little-endian natural encoding of element i
// of a checked tensor (DType.Size bytes).
func appendElemBytes(b []byte, t *tensor.Tensor, i int) []byte {
	var u uint64
	switch t.DType {
	case tensor.Float32:
		u = uint64(math.Float32bits(t.F32[i]))
	case tensor.Float16:
		u = uint64(tensor.F16Bits(t.F32[i]))
	case tensor.BFloat16:
		u = uint64(tensor.BF16Bits(t.F32[i]))
	case tensor.Float64:
		u = math.Float64bits(t.F64[i])
	case tensor.Int8, tensor.Int16, tensor.Int32, tensor.Uint8, tensor.Uint16:
		u = uint64(t.I32[i])
	case tensor.Int64, tensor.Uint32:
		u = uint64(t.I64[i])
	case tensor.Bool:
		if t.B[i] {
			u = 1
		}
	}
	for range t.DType.Size() {
		b = append(b, byte(u))
		u >>= 8
	}
	return b
}

// isPlainIdent reports whether s is printed without quotes as a function
// name: [A-Za-z_][A-Za-z0-9_.-]*.
func isPlainIdent(s string) bool {
	if s == "" || !isIdentStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isIdentChar(s[i]) {
			return false
		}
	}
	return true
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isIdentChar(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '.' || c == '-'
}
