package ir

// Tensor literals in the text form: dense<[...]>, dense<0x...> and dense<elided>.

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/tfc-dev/tfc/tensor"
)

// rawTensor is a tensor literal as written, converted once the op's result
// type is known.
type rawTensor struct {
	pos    int
	elided bool
	hex    *token  // dense<0x...>
	elems  []token // dense<[...]>
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
