package passes

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"slices"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// cse is common subexpression elimination. Two ops are the same
// computation when they have the same opcode, the same operand values
// (after the replacements made so far), equal attributes (tensors
// compared by dtype, shape and element bits, floats by bits) and equal
// result types; the later one is replaced by the earlier one, which keeps
// its Loc. Constants with equal data merge the same way. Input ops never
// merge (each is a distinct argument). Elided constants have no data to
// compare and never merge.
//
// For add, mul, equal, not_equal, and, or and xor the operand order does
// not matter: these are commutative bit for bit (IEEE addition and
// multiplication are; NaN payloads, which no op specifies, aside). max and
// min are not treated as commutative (max(+0, -0) may be either zero).
//
// One forward walk with a hash table keyed by a 64-bit hash of opcode,
// operand IDs, attributes and result types (tensors enter it by a hash of
// their data); ops whose keys collide are compared in full.
func cse(f *ir.Func, _ *Config) (bool, error) {
	uses := useCounts(f)
	if !cseKeysRepeat(f, uses) {
		return false, nil
	}
	repl, ok := cseWalk(f, uses)
	if !ok {
		repl, _ = cseWalk(f, nil)
	}
	if len(repl) == 0 {
		return false, nil
	}
	f.ReplaceValues(repl)
	f.RemoveDead()
	return true, nil
}

// cseWalk is cse's walk; it returns the replacements. With uses (the
// function's use counts) it leaves out of the table the ops whose every
// operand has no other use: no other op has their operands, so none
// equals them, as long as nothing is replaced (a replacement gives a
// value the uses of another): it leaves ops out only before the first
// replacement, and at that replacement, if it has left one out, it stops
// (nothing is changed yet) with ok false, and the caller walks again
// without uses.
func cseWalk(f *ir.Func, uses useCount) (repl map[*ir.Value]*ir.Value, ok bool) {
	repl = make(map[*ir.Value]*ir.Value)
	table := make(map[uint64]*ir.Op, len(f.Ops)) // the first op of each key
	more := make(map[uint64][]*ir.Op)            // the others (keys collide, or ops differ in a tensor)
	var k cseKeyer
	left := false // an op was left out of the table
	for _, op := range f.Ops {
		resolveArgs(op, repl)
		if !cseCandidate(op) {
			continue
		}
		if uses != nil && len(repl) == 0 && soleUser(op, uses) {
			left = true
			continue
		}
		key := k.key(op)
		var same *ir.Op
		first, seen := table[key]
		if seen && sameComputation(first, op) {
			same = first
		}
		if seen && same == nil {
			for _, c := range more[key] {
				if sameComputation(c, op) {
					same = c
					break
				}
			}
		}
		if same == nil {
			if !seen {
				table[key] = op
			} else {
				more[key] = append(more[key], op)
			}
			continue
		}
		if left && len(repl) == 0 {
			return nil, false
		}
		for i, r := range op.Results {
			repl[r] = same.Results[i]
		}
	}
	return repl, true
}

// cseKeysRepeat reports whether two ops that cseWalk would enter in its
// table have the same key before any replacement. If none do, the walk
// finds no op equal to an earlier one, so it replaces nothing and no key
// changes: cse has nothing to do. Sorting the keys costs less than a
// million lookups in a table that does not fit in the cache (the check
// of an unchanged function, as each fixed-point round ends).
func cseKeysRepeat(f *ir.Func, uses useCount) bool {
	keys := make([]uint64, 0, len(f.Ops))
	var k cseKeyer
	for _, op := range f.Ops {
		if !cseCandidate(op) || soleUser(op, uses) {
			continue
		}
		keys = append(keys, k.key(op))
	}
	slices.Sort(keys)
	for i := 1; i < len(keys); i++ {
		if keys[i] == keys[i-1] {
			return true
		}
	}
	return false
}

// cseCandidate reports whether op may merge with an equal op: not an
// input (each is a distinct argument), an elided constant (no data to
// compare) or an op with regions (two loops with equal operands may have
// different bodies).
func cseCandidate(op *ir.Op) bool {
	return op.Opcode != ir.OpInput && (op.Opcode != ir.OpConst || constOf(op.Result()) != nil) && len(op.Regions) == 0
}

// soleUser reports whether op has operands and is the only use of each
// (counted by ID: values of equal IDs count together).
func soleUser(op *ir.Op, uses useCount) bool {
	for _, a := range op.Args {
		if a.ID < 0 || a.ID >= len(uses) || uses[a.ID] != 1 {
			return false
		}
	}
	return len(op.Args) > 0
}

// commutative opcodes: op(a, b) == op(b, a) bit for bit.
var commutative = map[ir.Opcode]bool{
	ir.OpAdd: true, ir.OpMul: true, ir.OpEqual: true, ir.OpNotEqual: true,
	ir.OpAnd: true, ir.OpOr: true, ir.OpXor: true,
}

// cseKeyer builds hash-table keys, reusing its buffer.
type cseKeyer struct {
	buf   []byte
	elems []byte // a constant's elements' bits (tensor)
}

var cseSeed = maphash.MakeSeed()

func (k *cseKeyer) int(x int) { k.buf = binary.AppendVarint(k.buf, int64(x)) }

func (k *cseKeyer) key(op *ir.Op) uint64 {
	k.buf = k.buf[:0]
	k.int(int(op.Opcode))
	k.int(len(op.Args))
	ids := make([]int, 0, 4)
	for _, a := range op.Args {
		ids = append(ids, a.ID)
	}
	if commutative[op.Opcode] && len(ids) == 2 && ids[0] > ids[1] {
		ids[0], ids[1] = ids[1], ids[0]
	}
	for _, id := range ids {
		k.int(id)
	}
	for _, spec := range op.Info().Attrs {
		switch v := op.Attrs.Value(spec.Name).(type) {
		case int:
			k.int(v)
		case []int:
			k.int(len(v))
			for _, x := range v {
				k.int(x)
			}
		case float64:
			k.buf = binary.LittleEndian.AppendUint64(k.buf, math.Float64bits(v))
		case bool:
			if v {
				k.int(1)
			} else {
				k.int(0)
			}
		case string:
			k.int(len(v))
			k.buf = append(k.buf, v...)
		case tensor.DType:
			k.int(int(v))
		case *tensor.Tensor:
			k.tensor(v)
		}
	}
	for _, r := range op.Results {
		k.typ(r.Type)
	}
	return maphash.Bytes(cseSeed, k.buf)
}

func (k *cseKeyer) typ(t ir.Type) {
	k.int(int(t.DType))
	k.int(len(t.Shape))
	for _, d := range t.Shape {
		k.int(d)
	}
}

// cseSample bounds how many elements of a constant the key hashes.
const cseSample = 4096

// tensor appends dtype, shape and a hash of the data: the elements' bits
// gathered in the keyer's reused buffer (at most cseSample of them) and
// hashed at once.
func (k *cseKeyer) tensor(t *tensor.Tensor) {
	k.typ(ir.Type{DType: t.DType, Shape: t.Shape})
	// Big constants (weights) are hashed on a sample of cseSample
	// evenly spaced elements: equal keys are compared in full anyway, so
	// a sample only risks an extra comparison, and hashing stays cheap on
	// ResNet50's 25M weights.
	n := t.Len()
	step := 1
	if n > cseSample {
		step = n / cseSample
	}
	bits := k.elems[:0]
	switch t.DType.Storage() {
	case tensor.StoreF32:
		for i := 0; i < n; i += step {
			bits = binary.LittleEndian.AppendUint32(bits, math.Float32bits(t.F32[i]))
		}
	case tensor.StoreI32:
		for i := 0; i < n; i += step {
			bits = binary.LittleEndian.AppendUint32(bits, uint32(t.I32[i]))
		}
	default:
		for i := 0; i < n; i += step {
			bits = binary.LittleEndian.AppendUint64(bits, elemBits(t, i))
		}
	}
	k.elems = bits
	k.buf = binary.LittleEndian.AppendUint64(k.buf, maphash.Bytes(cseSeed, bits))
}

// elemBits returns element i's bits (floats by bit pattern, so -0 and +0
// differ).
func elemBits(t *tensor.Tensor, i int) uint64 {
	switch t.DType.Storage() {
	case tensor.StoreF32:
		return uint64(math.Float32bits(t.F32[i]))
	case tensor.StoreF64:
		return math.Float64bits(t.F64[i])
	case tensor.StoreI32:
		return uint64(t.I32[i])
	case tensor.StoreI64:
		return uint64(t.I64[i])
	case tensor.StoreBool:
		if t.B[i] {
			return 1
		}
	}
	return 0
}

// sameComputation compares two ops fully.
func sameComputation(a, b *ir.Op) bool {
	if a.Opcode != b.Opcode || len(a.Args) != len(b.Args) || len(a.Results) != len(b.Results) {
		return false
	}
	sameArgs := true
	for i := range a.Args {
		sameArgs = sameArgs && a.Args[i] == b.Args[i]
	}
	if !sameArgs && !(commutative[a.Opcode] && len(a.Args) == 2 && a.Args[0] == b.Args[1] && a.Args[1] == b.Args[0]) {
		return false
	}
	for i := range a.Results {
		if !a.Results[i].Type.Equal(b.Results[i].Type) {
			return false
		}
	}
	for _, spec := range a.Info().Attrs {
		if !attrEqual(a.Attrs.Value(spec.Name), b.Attrs.Value(spec.Name)) {
			return false
		}
	}
	return true
}

// attrEqual compares attribute values of the same kind.
func attrEqual(x, y any) bool {
	switch x := x.(type) {
	case []int:
		y, ok := y.([]int)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	case float64:
		y, ok := y.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y)
	case *tensor.Tensor:
		y, ok := y.(*tensor.Tensor)
		return ok && tensorsEqual(x, y)
	}
	return x == y // int, bool, string, tensor.DType
}

// tensorsEqual compares dtype, shape and element bits.
func tensorsEqual(a, b *tensor.Tensor) bool {
	if a == b {
		return true
	}
	if a.DType != b.DType || !a.Shape.Equal(b.Shape) || a.Len() != b.Len() || ir.IsElided(a) || ir.IsElided(b) {
		return false
	}
	for i := range a.Len() {
		if elemBits(a, i) != elemBits(b, i) {
			return false
		}
	}
	return true
}
