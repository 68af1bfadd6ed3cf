package ir

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tfc-dev/tfc/ir/dim"
	"github.com/tfc-dev/tfc/tensor"
)

// Type rules on symbolic operands.
//
// The type rules are written on static shapes. An opcode whose rule is
// dimension-parametric — it only copies operand dimensions to the result,
// compares them for equality or with 1, or computes result dimensions from
// attributes and constant dimensions alone — extends to symbolic operands
// exactly: its result has the same dimensions whichever values the symbols
// take. inferSymbolic applies such a rule by probing: it binds every
// symbol to a large prime, runs the static rule, does it again with other
// primes, and reads each result dimension back as
//
//   - the operand dimension expression whose values it equals in both runs
//     (there must be exactly one such expression), or
//   - a constant, when it has one value in both runs and no operand
//     expression matches, or
//   - c1*e + c0 for the one operand expression e and integers c1 ≠ 0, c0
//     that give its values in both runs and in a third run with other
//     primes (a tiled or concatenated symbolic axis: 2*N, a padded one:
//     N+2), or
//   - an error otherwise: the dimension is computed from symbolic ones in
//     a way the probe cannot express (a strided spatial size, N+M); such
//     rules need a symbolic rule of their own (concat has one: N+M).
//
// An error of the static rule in either run is an error: the rule cannot
// prove the program valid for every value of the symbols (e.g. broadcasting
// N against M or against 3). gather and gather_nd are parametric too (they
// copy the dimensions of indices and data; an index tuple's length must be
// a constant, and indices outside a symbolic dimension are a run-time
// error, as outside a static one). Opcodes that are not
// dimension-parametric (slice, which clamps to the dimension; reshape,
// which divides sizes; top_k; resize) reject symbolic operands.
var parametricOps = map[Opcode]bool{
	OpCast: true, OpSelect: true, OpTranspose: true, OpPad: true,
	OpTile: true, OpBroadcast: true, OpReduce: true, OpArgMax: true, OpArgMin: true,
	OpSoftmax: true, OpLogSoftmax: true, OpL2Normalize: true, OpMatMul: true, OpEinsum: true, OpConv: true, OpPool: true,
	OpCumulative: true, OpQuantize: true, OpDequantize: true, OpGather: true, OpGatherND: true,
}

// dimParametric reports whether opc's type rule may be probed (see above).
func dimParametric(opc Opcode) bool {
	if parametricOps[opc] {
		return true
	}
	f := opc.Info().Family
	return f == "unary" || (f == "elementwise" && opc != OpSelect)
}

// probePrimes are the symbol values of the two probing runs: primes, far
// from each other and from the small constants of typical shapes, and
// small enough that a tensor of a few symbolic dimensions stays below
// tensor.MaxElements.
var probePrimes = [3][]int64{
	{1009, 1013, 1019, 1021, 1031, 1033, 1039, 1049, 1051, 1061, 1063, 1069, 1087, 1091, 1093, 1097},
	{1699, 1709, 1721, 1723, 1733, 1741, 1747, 1753, 1759, 1777, 1783, 1787, 1789, 1801, 1811, 1823},
	{1301, 1303, 1307, 1319, 1321, 1327, 1361, 1367, 1373, 1381, 1399, 1409, 1423, 1427, 1429, 1433},
}

// inferSymbolic infers the result types of op, some of whose operands
// have symbolic types.
func inferSymbolic(op *Op, info *OpInfo) ([]Type, error) {
	sym := -1
	var syms []string
	for i, a := range op.Args {
		if !a.Type.DType.Valid() {
			return nil, fmt.Errorf("operand %d has invalid element type", i)
		}
		if a.Type.Symbolic() {
			if err := checkSymbolicType(a.Type); err != nil {
				return nil, fmt.Errorf("operand %d: %v", i, err)
			}
			if sym < 0 {
				sym = i
			}
			for _, d := range a.Type.Dims {
				syms = append(syms, d.Symbols()...)
			}
		}
	}
	if !dimParametric(op.Opcode) {
		return nil, fmt.Errorf("operand %d has symbolic type %v; %s has no type rule for symbolic dimensions", sym, op.Args[sym].Type, info.Name)
	}
	slices.Sort(syms)
	syms = slices.Compact(syms)
	if len(syms) > len(probePrimes[0]) {
		return nil, fmt.Errorf("operands mention %d symbols, at most %d are supported", len(syms), len(probePrimes[0]))
	}
	var runs [3][]Type
	for r := range runs {
		bind := func(s string) (int64, bool) {
			i, ok := slices.BinarySearch(syms, s)
			return probePrimes[r][i], ok
		}
		probe := *op
		probe.Args = make([]*Value, len(op.Args))
		for i, a := range op.Args {
			t := a.Type
			if t.Symbolic() {
				shape := make(tensor.Shape, t.Rank())
				for j, d := range t.Dims {
					v, err := d.Eval(bind)
					if err != nil {
						return nil, fmt.Errorf("operand %d: %v", i, err)
					}
					shape[j] = int(v)
				}
				t = Type{DType: t.DType, Shape: shape}
			}
			probe.Args[i] = &Value{Type: t, Op: a.Op, Index: a.Index, ID: a.ID}
		}
		types, err := InferTypes(&probe)
		if err != nil {
			return nil, fmt.Errorf("%v (with symbols %s)", strings.TrimPrefix(err.Error(), info.Name+": "), probeText(syms, probePrimes[r]))
		}
		runs[r] = types
	}
	// The operand expressions a result dimension may be, with their values.
	type cand struct {
		e       dim.Expr
		a, b, c int64
	}
	var cands []cand
	for _, a := range op.Args {
		for _, d := range a.Type.Dims {
			if d.IsConst() || slices.ContainsFunc(cands, func(c cand) bool { return c.e.Equal(d) }) {
				continue
			}
			c := cand{e: d}
			c.a, _ = d.Eval(func(s string) (int64, bool) { i, _ := slices.BinarySearch(syms, s); return probePrimes[0][i], true })
			c.b, _ = d.Eval(func(s string) (int64, bool) { i, _ := slices.BinarySearch(syms, s); return probePrimes[1][i], true })
			c.c, _ = d.Eval(func(s string) (int64, bool) { i, _ := slices.BinarySearch(syms, s); return probePrimes[2][i], true })
			cands = append(cands, c)
		}
	}
	out := make([]Type, len(runs[0]))
	for k, t := range runs[0] {
		u, w := runs[1][k], runs[2][k]
		if t.DType != u.DType || t.Rank() != u.Rank() || t.DType != w.DType || t.Rank() != w.Rank() {
			return nil, fmt.Errorf("result %d: element type or rank depends on the symbols' values", k)
		}
		dims := make([]dim.Expr, t.Rank())
		for j := range dims {
			a, b, z := int64(t.Shape[j]), int64(u.Shape[j]), int64(w.Shape[j])
			var match, affine []dim.Expr
			for _, c := range cands {
				if c.a == a && c.b == b && c.c == z {
					match = append(match, c.e)
				} else if e, ok := affineOf(c.e, c.a, c.b, c.c, a, b, z); ok {
					affine = append(affine, e)
				}
			}
			switch {
			case len(match) == 1 && a != b:
				dims[j] = match[0]
			case len(match) == 0 && a == b && b == z:
				dims[j] = dim.Const(a)
			case len(match) == 0 && len(affine) == 1:
				dims[j] = affine[0]
			default:
				return nil, fmt.Errorf("result %d dimension %d is computed from symbolic dimensions (%d with symbols %s, %d with %s); %s has no type rule for that yet",
					k, j, a, probeText(syms, probePrimes[0]), b, probeText(syms, probePrimes[1]), info.Name)
			}
		}
		out[k] = SymbolicType(t.DType, dims)
	}
	return out, nil
}

// affineOf returns c1*e + c0 when the values (a, b, z) of a result
// dimension are c1*(ea, eb, ez) + c0 for integers c1 ≠ 0 and c0.
func affineOf(e dim.Expr, ea, eb, ez, a, b, z int64) (dim.Expr, bool) {
	if ea == eb || (a-b)%(ea-eb) != 0 {
		return dim.Expr{}, false
	}
	c1 := (a - b) / (ea - eb)
	c0 := a - c1*ea
	if c1 == 0 || c1*ez+c0 != z {
		return dim.Expr{}, false
	}
	m, err := dim.MulConst(e, c1)
	if err != nil {
		return dim.Expr{}, false
	}
	r, err := dim.Add(m, dim.Const(c0))
	return r, err == nil
}

func probeText(syms []string, vals []int64) string {
	var b strings.Builder
	for i, s := range syms {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%s=%d", s, vals[i])
	}
	return b.String()
}

// checkSymbolicType checks a symbolic type's representation: one
// expression per dimension, Shape holding the constant ones and
// tensor.Unknown for the others, no negative constants, and at least one
// dimension that is not a constant.
func checkSymbolicType(t Type) error {
	if len(t.Dims) != len(t.Shape) {
		return fmt.Errorf("type has %d dimension expressions for rank %d", len(t.Dims), len(t.Shape))
	}
	symbolic := false
	for i, d := range t.Dims {
		v, ok := d.Value()
		switch {
		case ok && (v < 0 || v > tensor.MaxElements):
			return fmt.Errorf("dimension %d is %d", i, v)
		case ok && int64(t.Shape[i]) != v, !ok && t.Shape[i] != tensor.Unknown:
			return fmt.Errorf("dimension %d is %v but its shape entry is %d", i, d, t.Shape[i])
		}
		symbolic = symbolic || !ok
	}
	if !symbolic {
		return fmt.Errorf("type %v has only constant dimensions but is marked symbolic", t)
	}
	return nil
}

// Data symbols.
//
// Two kinds of op introduce symbols: an input, whose symbols are sizes
// chosen when the program runs (bound by BindInputs from the input
// tensors, ranged by optimization profiles), and a nonzero, whose count
// symbol is data-dependent: known only once the op has run. A data symbol
// has an upper bound, the size of the nonzero's operand, which may itself
// mention input symbols and earlier data symbols (dim.UpperBound). Every
// symbol is introduced once (Verify): a nonzero's count is not an input
// symbol nor another nonzero's. Specialize binds input symbols only; a
// specialized program keeps its data symbols, which the interpreter binds
// as the nonzero ops run and which the lowering makes TensorRT's
// data-dependent dimensions.

// DataSymbols returns the nonzero op introducing each data symbol of f
// (not of its regions, which have their own).
func DataSymbols(f *Func) map[string]*Op {
	m := map[string]*Op{}
	for _, op := range f.Ops {
		if op.Opcode == OpNonZero {
			m[op.Str("count")] = op
		}
	}
	return m
}

// DataBounds returns the upper bound of every data symbol of f given the
// values of its input symbols (bind; nil for a program without them): the
// size of each nonzero's operand at the inputs' sizes and the bounds of
// earlier data symbols.
func DataBounds(f *Func, bind map[string]int64) (map[string]int64, error) {
	bounds := map[string]int64{}
	max := func(s string) (int64, bool) {
		if v, ok := bind[s]; ok {
			return v, true
		}
		v, ok := bounds[s]
		return v, ok
	}
	for _, op := range f.Ops {
		if op.Opcode != OpNonZero {
			continue
		}
		size := dim.Const(1)
		for _, d := range op.Args[0].Type.DimExprs() {
			var err error
			if size, err = dim.Mul(size, d); err != nil {
				return nil, fmt.Errorf("nonzero loc(%q): %v", op.Loc, err)
			}
		}
		b, err := dim.UpperBound(size, max)
		if err != nil {
			return nil, fmt.Errorf("nonzero loc(%q): bound of %s: %v", op.Loc, op.Str("count"), err)
		}
		bounds[op.Str("count")] = b
	}
	return bounds, nil
}

// MaxShape returns t's shape with every symbol at its maximum (input
// symbols at bind, data symbols at their bounds): the most memory a value
// of type t can take.
func MaxShape(t Type, max map[string]int64) (tensor.Shape, error) {
	if !t.Symbolic() {
		return t.Shape, nil
	}
	s := make(tensor.Shape, t.Rank())
	for i, d := range t.Dims {
		v, err := dim.UpperBound(d, func(s string) (int64, bool) { v, ok := max[s]; return v, ok })
		if err != nil {
			return nil, err
		}
		s[i] = int(v)
	}
	return s, nil
}

// HasSymbolicInputs reports whether some input of f has a symbolic type
// (its program needs optimization profiles; data symbols alone do not).
func (f *Func) HasSymbolicInputs() bool {
	for _, op := range f.Inputs() {
		if op.Results[0].Type.Symbolic() {
			return true
		}
	}
	return false
}

// Symbolic reports whether some value of f has a symbolic type.
func (f *Func) Symbolic() bool {
	for _, op := range f.Ops {
		for _, r := range op.Results {
			if r != nil && r.Type.Symbolic() {
				return true
			}
		}
	}
	return false
}

// Specialize returns a static copy of f in which every symbol has the value
// bind gives it: each input's type is evaluated, and every other op's
// result types are inferred again by its static type rule, so a size for
// which the program is invalid (a broadcast that no longer holds, a
// window larger than its input) is an error naming the op. Ops share their
// attributes (not copied) with f. Every symbol of f's inputs must be bound,
// to a value ≥ 0. A static f is copied the same way. Data symbols (nonzero
// counts) stay symbols: the result is static only if f has none.
func Specialize(f *Func, bind map[string]int64) (*Func, error) {
	g := NewFunc(f.Name)
	vals := make(map[*Value]*Value, len(f.Ops))
	lookup := func(s string) (int64, bool) { v, ok := bind[s]; return v, ok }
	for s, v := range bind {
		if v < 0 || v > tensor.MaxElements {
			return nil, fmt.Errorf("specialize: symbol %s = %d is out of range", s, v)
		}
	}
	for _, op := range f.Ops {
		args := make([]*Value, len(op.Args))
		for i, a := range op.Args {
			if args[i] = vals[a]; args[i] == nil {
				return nil, fmt.Errorf("specialize: %s: operand %d is not defined earlier", op.Opcode, i)
			}
		}
		var nop *Op
		if op.Opcode == OpInput {
			t := op.Results[0].Type
			if t.Symbolic() {
				shape := make(tensor.Shape, t.Rank())
				for i, d := range t.Dims {
					v, err := d.Eval(lookup)
					if err != nil {
						return nil, fmt.Errorf("specialize: input %q: %v", op.Str("name"), err)
					}
					shape[i] = int(v)
				}
				t = Type{DType: t.DType, Shape: shape}
				if _, err := shape.NumElements(); err != nil {
					return nil, fmt.Errorf("specialize: input %q: %v", op.Str("name"), err)
				}
			}
			nop = &Op{Opcode: OpInput, Attrs: op.Attrs, Loc: op.Loc}
			g.Append(nop, []Type{t})
		} else {
			var err error
			if len(op.Regions) > 0 {
				// Regions are static (their operands are): shared, copied.
				regions := make([]*Func, len(op.Regions))
				for i, r := range op.Regions {
					regions[i] = r.Clone()
				}
				nop, err = g.NewRegionOp(op.Opcode, args, regions, op.Loc)
			} else {
				nop, err = g.NewOp(op.Opcode, args, op.Attrs.Map(), op.Loc)
			}
			if err != nil {
				where := op.Loc
				if where == "" {
					where = op.Opcode.String()
				}
				return nil, fmt.Errorf("specialize: op %q (%s) at %s: %v", where, op.Opcode, probeText(sortedKeys(bind), sortedValues(bind)), err)
			}
		}
		for i, r := range op.Results {
			vals[r] = nop.Results[i]
		}
	}
	for _, o := range f.Outputs {
		g.AddOutput(o.Name, vals[o.Value])
	}
	return g, nil
}

// BindInputs returns the value of every symbol of f's inputs given the
// shapes of the tensors supplied for them (by input name). A tensor whose
// rank or constant dimensions differ from its input's type, or two inputs
// giving one symbol two values, are errors.
func BindInputs(f *Func, shapes map[string]tensor.Shape) (map[string]int64, error) {
	bind := map[string]int64{}
	for _, op := range f.Inputs() {
		name, t := op.Str("name"), op.Results[0].Type
		s, ok := shapes[name]
		if !ok {
			continue // reported by the caller, who knows what is missing
		}
		if len(s) != t.Rank() {
			return nil, fmt.Errorf("input %q has shape %v, want rank %d (%v)", name, s, t.Rank(), t)
		}
		for i := range s {
			d := t.Dim(i)
			if c, ok := d.Value(); ok {
				if int64(s[i]) != c {
					return nil, fmt.Errorf("input %q has shape %v, want %v", name, s, t)
				}
				continue
			}
			sym := d.Symbols()[0]
			if prev, ok := bind[sym]; ok && prev != int64(s[i]) {
				return nil, fmt.Errorf("input %q has shape %v: %s is %d there, but %d in another input", name, s, sym, s[i], prev)
			}
			bind[sym] = int64(s[i])
		}
	}
	return bind, nil
}

func sortedKeys(m map[string]int64) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func sortedValues(m map[string]int64) []int64 {
	var vs []int64
	for _, k := range sortedKeys(m) {
		vs = append(vs, m[k])
	}
	return vs
}
