package codegen

import (
	"go/token"
	"strconv"
	"strings"
	"unicode"
)

// namer turns TensorFlow and TensorRT names into unique, valid Go
// identifiers: "conv1/Conv2D" → conv1_Conv2D, "x:0" → x_0, "1x1" → l_1x1,
// "type" → type_, and a second "a/b" or "a_b" → a_b_2.
type namer struct {
	used map[string]bool
	next map[string]int // per sanitised name, the next suffix to try
}

// reserved are identifiers generated code uses or must not shadow.
var reserved = []string{
	"net", "w", "err", "size", "weights", "trt", "weightsfile", "io", "fmt", "os", "bytes", "math",
	"embedded", "path", "f", "st",
	// predeclared identifiers
	"any", "append", "bool", "byte", "cap", "clear", "close", "comparable", "complex", "complex64",
	"complex128", "copy", "delete", "error", "false", "float32", "float64", "imag", "int", "int8",
	"int16", "int32", "int64", "iota", "len", "make", "max", "min", "new", "nil", "panic", "print",
	"println", "real", "recover", "rune", "string", "true", "uint", "uint8", "uint16", "uint32",
	"uint64", "uintptr",
}

func newNamer() *namer {
	n := &namer{used: map[string]bool{}, next: map[string]int{}}
	for _, r := range reserved {
		n.used[r] = true
	}
	return n
}

// sanitize maps a name to a valid Go identifier (not yet unique).
func sanitize(name, prefix string) string {
	var b strings.Builder
	lastUnderscore := false
	for _, r := range name {
		ok := r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
		if r > unicode.MaxASCII {
			ok = false // keep identifiers ASCII: readable everywhere
		}
		if !ok {
			r = '_'
		}
		if r == '_' && lastUnderscore {
			continue
		}
		lastUnderscore = r == '_'
		b.WriteRune(r)
	}
	s := strings.Trim(b.String(), "_")
	if s == "" {
		s = prefix
	}
	if s[0] >= '0' && s[0] <= '9' {
		s = prefix + "_" + s
	}
	if token.IsKeyword(s) {
		s += "_"
	}
	return s
}

// name returns a unique identifier for name. Suffixes continue where the
// last collision on the same sanitised name stopped, so N layers sharing a
// name cost O(N), not O(N²).
func (n *namer) name(name, prefix string) string {
	s := sanitize(name, prefix)
	if n.used[s] {
		i := max(n.next[s], 2)
		for n.used[s+"_"+strconv.Itoa(i)] {
			i++
		}
		n.next[s] = i + 1
		s += "_" + strconv.Itoa(i)
	}
	n.used[s] = true
	return s
}
