package ir

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/tfc-dev/tfc/tensor"
)

// maxVerifyErrors bounds the number of problems Verify reports.
const maxVerifyErrors = 10

// Verify checks f's invariants (see the package comment and Func):
//   - every op is non-nil, appears once, and has a valid opcode;
//   - every operand is non-nil and defined by an earlier op of f (so f is
//     acyclic and has no dangling uses);
//   - every result is non-nil, is defined once, its Op and Index point
//     back to its op, and its ID is unique in f;
//   - every op's attributes and result types are those InferTypes accepts
//     and computes (same count, dtypes and shapes);
//   - constants hold values representable in their dtype (f16 and bf16
//     values exactly representable, integers within range);
//   - input names are non-empty and unique;
//   - output names are non-empty and unique, and outputs are values of f;
//   - every op has its opcode's number of regions (ops_control.go); each
//     region verifies as a Func by these rules (so it uses only its own
//     values: regions are isolated), appears once in the whole program, and
//     no op appears in two Funcs of it; the opcode's type rule checks the
//     regions' inputs and outputs against the operands and results.
//
// It reports up to 10 problems, one per line, each naming the op as the
// printer numbers its values, with its opcode and location, e.g.
//
//	verify: %12 = conv loc("conv1/Conv2D"): kernel [64,3,7,7] has 3 input channels per group, input has 4 channels in 1 groups
func Verify(f *Func) error {
	if f == nil {
		return errors.New("verify: nil Func")
	}
	return verifyFunc(f, &verifyTree{ops: opSet{slots: make([]*Op, f.NumValueIDs())}, funcs: map[*Func]bool{f: true}})
}

// verifyTree is what the verifiers of a Func and its regions share.
type verifyTree struct {
	ops   opSet          // ops seen in any Func of the tree
	funcs map[*Func]bool // the Func and every region seen
}

func verifyFunc(f *Func, tree *verifyTree) error {
	v := &verifier{
		f:       f,
		tree:    tree,
		defined: NewValueMap[bool](f),
		bad:     make(map[*Value]bool),
		ops:     &tree.ops,
		ids:     make([]*Value, f.NumValueIDs()),
		inputs:  make(map[string]*Value),
		syms:    make(map[string]*Op),
	}
	for i, op := range f.Ops {
		if len(v.errs) > maxVerifyErrors {
			break
		}
		v.op(i, op)
	}
	names := make(map[string]bool)
	for i, o := range f.Outputs {
		what := fmt.Sprintf("output %d %q", i, o.Name)
		switch {
		case o.Name == "":
			v.errorf("output %d has an empty name", i)
		case names[o.Name]:
			v.errorf("duplicate output name %q", o.Name)
		}
		names[o.Name] = true
		switch {
		case o.Value == nil:
			v.errorf("%s: nil value", what)
		case !v.defined.At(o.Value):
			v.errorf("%s: value is not defined in the function", what)
		}
	}
	return v.err()
}

type verifier struct {
	f       *Func
	tree    *verifyTree
	num     map[*Value]int  // printer numbering, built on the first error
	defined *ValueMap[bool] // values defined so far
	bad     map[*Value]bool // values defined by ops with problems
	ops     *opSet
	ids     []*Value       // the first value of each ID in [0, NumValueIDs)
	idsElse map[int]*Value // and of the others
	inputs  map[string]*Value
	syms    map[string]*Op // the op introducing each symbol: an input (the first), a nonzero
	errs    []string
}

// An opSet is a set of ops: an op of the top-level Func in the slot of
// its first result's ID, any other (a region's, an op of no result, one
// whose slot is taken) in a map.
type opSet struct {
	slots []*Op
	other map[*Op]bool
}

func (s *opSet) slot(op *Op) int {
	if len(op.Results) > 0 && op.Results[0] != nil {
		if id := op.Results[0].ID; id >= 0 && id < len(s.slots) {
			return id
		}
	}
	return -1
}

func (s *opSet) has(op *Op) bool {
	if i := s.slot(op); i >= 0 && s.slots[i] == op {
		return true
	}
	return s.other[op]
}

func (s *opSet) add(op *Op) {
	if i := s.slot(op); i >= 0 && (s.slots[i] == nil || s.slots[i] == op) {
		s.slots[i] = op
		return
	}
	if s.other == nil {
		s.other = map[*Op]bool{}
	}
	s.other[op] = true
}

// firstWithID returns the value that had r's ID first, or records r as
// that value and returns nil.
func (v *verifier) firstWithID(r *Value) *Value {
	if id := r.ID; id >= 0 && id < len(v.ids) {
		if v.ids[id] == nil {
			v.ids[id] = r
			return nil
		}
		return v.ids[id]
	}
	if other, dup := v.idsElse[r.ID]; dup {
		return other
	}
	if v.idsElse == nil {
		v.idsElse = map[int]*Value{}
	}
	v.idsElse[r.ID] = r
	return nil
}

// symbols checks that every symbol is introduced once: a nonzero's count
// by that op alone, never by an input or another nonzero (see DataSymbols).
func (v *verifier) symbols(op *Op, opErr func(string, ...any)) {
	switch {
	case op.Opcode == OpInput && len(op.Results) == 1 && op.Results[0] != nil:
		for _, d := range op.Results[0].Type.Dims {
			for _, s := range d.Symbols() {
				if prev := v.syms[s]; prev != nil && prev.Opcode == OpNonZero {
					opErr("symbol %s is the count of %s", s, v.describeOp(prev))
				} else if prev == nil {
					v.syms[s] = op
				}
			}
		}
	case op.Opcode == OpNonZero:
		k, ok := op.Attrs.Value("count").(string)
		if !ok {
			return // reported by the attribute check
		}
		if prev := v.syms[k]; prev != nil {
			what := "an input's symbol"
			if prev.Opcode == OpNonZero {
				what = "the count of " + v.describeOp(prev)
			}
			opErr("count %s is already %s; a nonzero introduces a fresh symbol", k, what)
			return
		}
		v.syms[k] = op
	}
}

// numbers returns the printer's value numbering, for messages only.
func (v *verifier) numbers() map[*Value]int {
	if v.num == nil {
		v.num = valueNumbers(v.f)
	}
	return v.num
}

func (v *verifier) errorf(format string, args ...any) {
	v.errs = append(v.errs, "verify: "+fmt.Sprintf(format, args...))
}

func (v *verifier) err() error {
	if len(v.errs) == 0 {
		return nil
	}
	errs := v.errs
	if len(errs) > maxVerifyErrors {
		errs = append(errs[:maxVerifyErrors:maxVerifyErrors], "verify: too many errors")
	}
	return errors.New(strings.Join(errs, "\n"))
}

// describeOp names op for error messages: %3, %4 = topk loc("x").
func (v *verifier) describeOp(op *Op) string {
	var b strings.Builder
	for i, r := range op.Results {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(valueName(v.numbers(), r))
	}
	if len(op.Results) > 0 {
		b.WriteString(" = ")
	}
	b.WriteString(op.Opcode.String())
	if op.Loc != "" {
		b.WriteString(" loc(")
		b.WriteString(strconv.Quote(op.Loc))
		b.WriteString(")")
	}
	return b.String()
}

func (v *verifier) op(i int, op *Op) {
	if op == nil {
		v.errorf("op %d is nil", i)
		return
	}
	opErr := func(format string, args ...any) {
		v.errorf("%s: %s", v.describeOp(op), fmt.Sprintf(format, args...))
	}
	if v.ops.has(op) {
		opErr("op appears more than once in the function (op %d)", i)
		return
	}
	nerrs := len(v.errs)
	v.ops.add(op)
	info := op.Info()
	ok := true      // structure fine: type rules can run
	typesOK := true // operand types trustworthy
	if info.Name == "" {
		opErr("invalid opcode %d", op.Opcode)
		ok = false
	}

	for j, a := range op.Args {
		switch {
		case a == nil:
			opErr("operand %d is nil", j)
			ok = false
		case v.defined.At(a):
			// If a's defining op is wrong, so may be a's type: do not
			// check op against it (the problem is already reported).
			if v.bad[a] || !staticType(a.Type) {
				typesOK = false
			}
		default:
			if _, inF := v.numbers()[a]; inF {
				opErr("operand %d (%s) is used before its definition", j, valueName(v.numbers(), a))
			} else {
				opErr("operand %d is not defined in this function", j)
			}
			ok = false
		}
	}

	for j, r := range op.Results {
		if r == nil {
			opErr("result %d is nil", j)
			ok = false
			continue
		}
		name := func() string { return valueName(v.numbers(), r) } // only for messages
		switch {
		case v.defined.At(r):
			opErr("result %d (%s) is already defined by an earlier op", j, name())
			ok = false
			continue
		case r.Op != op:
			opErr("result %d (%s): Value.Op points to another op", j, name())
			ok = false
		case r.Index != j:
			opErr("result %d (%s): Value.Index is %d", j, name(), r.Index)
			ok = false
		}
		if other := v.firstWithID(r); other != nil {
			opErr("result %d (%s) has ID %d, like %s", j, name(), r.ID, valueName(v.numbers(), other))
		}
	}

	if info.Name != "" && len(op.Regions) != info.NumRegions {
		opErr("has %d regions, want %d", len(op.Regions), info.NumRegions)
		ok = false
	}
	for j, r := range op.Regions {
		switch {
		case r == nil:
			opErr("region %d is nil", j)
			ok = false
		case v.tree.funcs[r]:
			opErr("region %d (@%s) appears more than once in the program", j, r.Name)
			ok = false
		default:
			v.tree.funcs[r] = true
			if err := verifyFunc(r, v.tree); err != nil {
				for _, line := range strings.Split(err.Error(), "\n") {
					opErr("region %d (@%s): %s", j, r.Name, strings.TrimPrefix(line, "verify: "))
				}
				typesOK = false
			}
		}
	}

	if ok && !typesOK {
		// Check what does not depend on the operand types.
		if err := checkArity(info, len(op.Args)); err != nil {
			opErr("%v", err)
		} else if err := checkAttrs(op); err != nil {
			opErr("%v", err)
		}
	}
	if ok && typesOK {
		want, err := InferTypes(op)
		switch {
		case err != nil:
			opErr("%s", strings.TrimPrefix(err.Error(), info.Name+": "))
		case len(want) != len(op.Results):
			opErr("has %d results, want %d", len(op.Results), len(want))
		default:
			for j, t := range want {
				if !staticType(t) {
					opErr("result %d has type %v, which is not a valid value type", j, t)
					continue
				}
				if got := op.Results[j].Type; !got.Equal(t) {
					if len(want) == 1 {
						opErr("result type is %v, want %v", got, t)
					} else {
						opErr("result %d has type %v, want %v", j, got, t)
					}
				}
			}
		}
		if err == nil && op.Opcode == OpConst {
			if t := op.Tensor("value"); !IsElided(t) {
				if err := checkValues(t); err != nil {
					opErr("value: %v", err)
				}
			}
		}
	}

	v.symbols(op, opErr)

	if op.Opcode == OpInput && len(op.Results) == 1 && op.Results[0] != nil {
		if name, isStr := op.Attrs.Value("name").(string); isStr && name != "" {
			if prev, dup := v.inputs[name]; dup {
				opErr("input name %q is already used by %s", name, valueName(v.numbers(), prev))
			} else {
				v.inputs[name] = op.Results[0]
			}
		}
	}

	for _, r := range op.Results {
		if r != nil {
			v.defined.Set(r, true)
			if len(v.errs) > nerrs {
				v.bad[r] = true
			}
		}
	}
}

// checkArity checks an op's operand count as InferTypes does.
func checkArity(info *OpInfo, n int) error {
	if n >= info.MinArgs && (info.MaxArgs < 0 || n <= info.MaxArgs) {
		return nil
	}
	switch {
	case info.MinArgs == info.MaxArgs:
		return fmt.Errorf("%s takes %d operands, has %d", info.Name, info.MinArgs, n)
	case info.MaxArgs < 0:
		return fmt.Errorf("%s takes at least %d operands, has %d", info.Name, info.MinArgs, n)
	}
	return fmt.Errorf("%s takes %d to %d operands, has %d", info.Name, info.MinArgs, info.MaxArgs, n)
}

// staticType reports whether t is a valid value type: a known dtype and a
// fully known shape within tensor.MaxElements, or well-formed symbolic
// dimensions (checkSymbolicType). The type rules assume their operands have
// such types.
func staticType(t Type) bool {
	if t.Symbolic() {
		return t.DType.Valid() && checkSymbolicType(t) == nil
	}
	_, err := t.Shape.NumElements()
	return err == nil && t.DType.Valid()
}

// checkValues checks that a (checked, non-elided) tensor's elements are
// representable in its dtype, as package tensor requires.
func checkValues(t *tensor.Tensor) error {
	bad := func(i int, v any) error {
		return fmt.Errorf("element %d (%v) is not representable in %v", i, v, t.DType)
	}
	switch t.DType {
	case tensor.Float16, tensor.BFloat16:
		round := tensor.RoundF16
		if t.DType == tensor.BFloat16 {
			round = tensor.RoundBF16
		}
		for i, x := range t.F32 {
			if round(x) != x && !math.IsNaN(float64(x)) {
				return bad(i, x)
			}
		}
	case tensor.Int8, tensor.Int16, tensor.Uint8, tensor.Uint16:
		lo, hi := t.DType.IntRange()
		for i, x := range t.I32 {
			if int64(x) < lo || int64(x) > hi {
				return bad(i, x)
			}
		}
	case tensor.Uint32:
		lo, hi := t.DType.IntRange()
		for i, x := range t.I64 {
			if x < lo || x > hi {
				return bad(i, x)
			}
		}
	}
	return nil
}
