package passes

import (
	"fmt"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// DefaultKeepFP32 is the rule of which ops the precision pass leaves in
// float32, as -keep-fp32 patterns: the ops whose results lose most from a
// short mantissa or a small exponent range. softmax and log_softmax
// exponentiate and normalise; reduce accumulates sums, means and products
// (and computes normalisation statistics, as in layer norm); exp, expm1,
// log, log1p and pow overflow or lose their relative accuracy in f16.
var DefaultKeepFP32 = []string{"softmax", "log_softmax", "reduce", "exp", "expm1", "log", "log1p", "pow"}

// precisionChain lists the opcodes that stay in f32 with their operands:
// cheap elementwise and layout ops whose non-constant float operands all
// come from ops kept in f32 (see precision).
var precisionChain = map[ir.Opcode]bool{
	ir.OpAdd: true, ir.OpSub: true, ir.OpMul: true, ir.OpDiv: true, ir.OpMax: true, ir.OpMin: true,
	ir.OpSqrt: true, ir.OpRsqrt: true, ir.OpReciprocal: true, ir.OpNeg: true, ir.OpAbs: true,
	ir.OpReshape: true, ir.OpTranspose: true, ir.OpBroadcast: true, ir.OpSlice: true,
	ir.OpConcat: true, ir.OpTile: true, ir.OpSelect: true,
}

// movement lists the ops that only move or select elements: exact in any
// float type, they take the precision of their operands.
var movement = map[ir.Opcode]bool{
	ir.OpReshape: true, ir.OpTranspose: true, ir.OpSlice: true, ir.OpBroadcast: true, ir.OpTile: true,
	ir.OpConcat: true, ir.OpGather: true, ir.OpPad: true, ir.OpSelect: true,
}

// precision rewrites float32 computation into Config.Precision (f16 or
// bf16; nothing happens for f32 or when unset), the way a reduced-precision
// TensorRT network computes:
//
//   - Every op that computes on f32 values is computed in the low type,
//     except the ops the keep rule names (Config.KeepFP32 after
//     DefaultKeepFP32; patterns match the opcode name or the TF node name
//     in the op's loc, with path.Match syntax, and a leading "!" removes a
//     match: the last matching pattern decides) and the statistics chains
//     fed by them: an elementwise or layout op (precisionChain) whose
//     non-constant float operands all come from ops kept in f32 stays in
//     f32 too (layer norm's mean → var + epsilon → rsqrt). An op whose type
//     rule does not accept the low type stays in f32, and so does one
//     without float results whose operands are all f32 (an argmax of
//     f32 probabilities, a comparison of f32 values), and so does an op
//     that only moves elements (movement: reshape, transpose, ...) when
//     no operand was made low: it takes its operands' precision, so a
//     transpose of a function input stays f32 and the cast follows it
//     (where the layout pass puts transposes). A cast from an
//     integer or bool to f32 now casts to the low type; a cast between
//     float types is a precision boundary the graph chose, and stays.
//   - Constant operands of a low op are converted once to new low
//     constants (round to nearest even); the values that overflow to ±inf
//     or flush to zero are reported through Config.Warn, by constant.
//   - Where a low value meets an f32 op, and at every output, a cast to
//     f32 is inserted; where an f32 value (a kept op's result, a function
//     input) meets a low op, a cast to the low type. Inputs and outputs
//     thus keep their types, unless Config.IOPrecision is the low type:
//     then f32 inputs and outputs take it.
//
// The pass is idempotent: after it, every op on f32 values is kept by the
// same rule or is a float-to-float cast.
func precision(f *ir.Func, cfg *Config) (bool, error) {
	low := cfg.Precision
	if low == tensor.Invalid || low == tensor.Float32 {
		return false, nil
	}
	if low != tensor.Float16 && low != tensor.BFloat16 {
		return false, fmt.Errorf("precision %v: want f32, f16 or bf16", low)
	}
	if io := cfg.IOPrecision; io != tensor.Invalid && io != tensor.Float32 && io != low {
		return false, fmt.Errorf("I/O precision %v: want f32 or the compute precision %v", io, low)
	}
	keep, err := keepRule(cfg.KeepFP32)
	if err != nil {
		return false, err
	}
	p := &precisionRewrite{f: f, low: low, lowOf: map[*ir.Value]*ir.Value{}, f32Of: map[*ir.Value]*ir.Value{},
		lowered: map[*ir.Value]bool{}, f32Side: map[*ir.Op]bool{}}
	ops := f.Ops
	changed := false
	if cfg.IOPrecision == low {
		for _, op := range ops {
			if op.Opcode == ir.OpInput && op.Result().Type.DType == tensor.Float32 {
				op.Result().Type.DType = low
				p.lowered[op.Result()] = true
				changed = true
			}
		}
	}
	for _, op := range ops {
		if !usesF32(op) {
			continue
		}
		if p.decide(op, keep) {
			if err := p.lower(op); err != nil {
				return false, err
			}
			changed = true
			continue
		}
		for i, a := range op.Args {
			if p.lowered[a] {
				op.Args[i] = p.toF32(a)
				changed = true
			}
		}
	}
	if cfg.IOPrecision != low {
		for i, o := range f.Outputs {
			if p.lowered[o.Value] {
				f.Outputs[i].Value = p.toF32(o.Value)
				changed = true
			}
		}
	}
	if len(p.flushed) > 0 && cfg.Warn != nil {
		sort.Strings(p.flushed)
		cfg.Warn(fmt.Sprintf("precision %v: %d weight constant(s) do not fit: %s", low, len(p.flushed), strings.Join(p.flushed, "; ")))
	}
	if !changed {
		return false, nil
	}
	if err := f.TopoSort(); err != nil {
		return false, err
	}
	f.RemoveDead()
	return true, nil
}

// PrecisionTolerance is the default relative and absolute tolerance of
// outputs computed in dt (f16: 1e-2, about 20 units in the last place of
// f16's 11-bit significand; bf16: 6.25e-2, 16 units of its 8 bits; f32:
// 0, the caller's own), applied against float32 results.
func PrecisionTolerance(dt tensor.DType) float64 {
	switch dt {
	case tensor.Float16:
		return 1e-2
	case tensor.BFloat16:
		return 6.25e-2
	}
	return 0
}

// decide reports whether op, which has an f32 operand or result, is to
// compute in the low type, and records the ops left on the f32 side.
func (p *precisionRewrite) decide(op *ir.Op, keep func(*ir.Op) bool) bool {
	switch {
	case op.Opcode == ir.OpInput || op.Opcode == ir.OpConst:
	case op.Opcode == ir.OpCast:
		return !op.Args[0].Type.DType.IsFloat() && op.DType("to") == tensor.Float32
	case keep(op), p.statistics(op):
		p.f32Side[op] = true
	case movement[op.Opcode] && !p.anyLowered(op):
		// exact in any type: follows its operands' precision.
	case !floatResult(op) && !p.anyLowered(op):
		// argmax, a comparison: reads f32 operands as they are.
	case p.accepts(op):
		return true
	default:
		p.f32Side[op] = true
	}
	return false
}

// floatResult reports whether op has a float result.
func floatResult(op *ir.Op) bool {
	for _, r := range op.Results {
		if r.Type.DType.IsFloat() {
			return true
		}
	}
	return false
}

// anyLowered reports whether an operand of op was made low by the pass.
func (p *precisionRewrite) anyLowered(op *ir.Op) bool {
	for _, a := range op.Args {
		if p.lowered[a] {
			return true
		}
	}
	return false
}

// usesF32 reports whether op has an f32 operand or result.
func usesF32(op *ir.Op) bool {
	for _, a := range op.Args {
		if a.Type.DType == tensor.Float32 {
			return true
		}
	}
	for _, r := range op.Results {
		if r.Type.DType == tensor.Float32 {
			return true
		}
	}
	return false
}

// keepRule compiles DefaultKeepFP32 followed by extra into a predicate.
func keepRule(extra []string) (func(*ir.Op) bool, error) {
	pats := append(append([]string(nil), DefaultKeepFP32...), extra...)
	for _, p := range pats {
		if _, err := path.Match(strings.TrimPrefix(p, "!"), ""); err != nil {
			return nil, fmt.Errorf("keep-fp32 pattern %q: %v", p, err)
		}
	}
	return func(op *ir.Op) bool {
		keep := false
		for _, p := range pats {
			neg := strings.HasPrefix(p, "!")
			p = strings.TrimPrefix(p, "!")
			if m, _ := path.Match(p, op.Opcode.String()); m {
				keep = !neg
			} else if m, _ := path.Match(p, op.Loc); m && op.Loc != "" {
				keep = !neg
			}
		}
		return keep
	}, nil
}

// precisionRewrite is the state of one run of the precision pass.
type precisionRewrite struct {
	f   *ir.Func
	low tensor.DType
	// lowOf and f32Of cache the low and f32 versions of values (converted
	// constants and inserted casts).
	lowOf, f32Of map[*ir.Value]*ir.Value
	// lowered holds the values whose type the pass changed to low.
	lowered map[*ir.Value]bool
	// f32Side holds the ops left computing in f32.
	f32Side map[*ir.Op]bool
	flushed []string // warnings, one per constant
}

// statistics reports whether op continues a chain of f32 computation:
// a precisionChain op whose non-constant float operands all come from
// ops kept in f32 (and at least one does).
func (p *precisionRewrite) statistics(op *ir.Op) bool {
	if !precisionChain[op.Opcode] {
		return false
	}
	n := 0
	for _, a := range op.Args {
		if !a.Type.DType.IsFloat() || a.Op.Opcode == ir.OpConst {
			continue
		}
		if !p.f32Side[a.Op] {
			return false
		}
		n++
	}
	return n > 0
}

// accepts reports whether op's type rule takes its f32 operands as low.
func (p *precisionRewrite) accepts(op *ir.Op) bool {
	trial := *op
	trial.Args = make([]*ir.Value, len(op.Args))
	for i, a := range op.Args {
		trial.Args[i] = a
		if a.Type.DType == tensor.Float32 {
			trial.Args[i] = &ir.Value{Type: ir.Type{DType: p.low, Shape: a.Type.Shape, Dims: a.Type.Dims}, Op: a.Op}
		}
	}
	types, err := ir.InferTypes(&trial)
	if err != nil {
		return false
	}
	for _, t := range types {
		if t.DType == tensor.Float32 {
			return false
		}
	}
	return true
}

// lower makes op compute in the low type.
func (p *precisionRewrite) lower(op *ir.Op) error {
	for i, a := range op.Args {
		if a.Type.DType == tensor.Float32 {
			v, err := p.toLow(a)
			if err != nil {
				return err
			}
			op.Args[i] = v
		}
	}
	if op.Opcode == ir.OpCast {
		setAttr(op, "to", p.low)
	}
	types, err := ir.InferTypes(op)
	if err != nil {
		return fmt.Errorf("%s %q in %v: %v", op.Opcode, op.Loc, p.low, err)
	}
	for i, r := range op.Results {
		if r.Type.DType != types[i].DType {
			p.lowered[r] = true
		}
		r.Type = types[i]
	}
	return nil
}

// toLow returns v (f32) as a low value: a converted constant or a cast.
func (p *precisionRewrite) toLow(v *ir.Value) (*ir.Value, error) {
	if r, ok := p.lowOf[v]; ok {
		return r, nil
	}
	var r *ir.Value
	if t := constOf(v); t != nil {
		c, msg := convertWeights(t, p.low)
		if msg != "" {
			name := v.Op.Loc
			if name == "" {
				name = fmt.Sprintf("%%%d", v.ID)
			}
			p.flushed = append(p.flushed, name+": "+msg)
		}
		r = p.f.Const(c, v.Op.Loc)
	} else {
		loc := v.Op.Loc
		if v.Op.Opcode == ir.OpInput {
			loc = v.Op.Str("name")
		}
		var err error
		if r, err = p.f.Emit(ir.OpCast, []*ir.Value{v}, ir.Attrs{"to": p.low}, loc); err != nil {
			return nil, err
		}
	}
	p.lowOf[v] = r
	return r, nil
}

// toF32 returns the low value v as f32, through one cast per value.
func (p *precisionRewrite) toF32(v *ir.Value) *ir.Value {
	if r, ok := p.f32Of[v]; ok {
		return r
	}
	r, err := p.f.Emit(ir.OpCast, []*ir.Value{v}, ir.Attrs{"to": tensor.Float32}, v.Op.Loc)
	if err != nil {
		panic("passes: precision: cast to f32: " + err.Error()) // a float value always casts
	}
	p.f32Of[v] = r
	return r
}

// convertWeights rounds an f32 tensor to dt and describes the elements
// that did not survive: finite values that became ±inf, and non-zero
// values that became zero. Large tensors are converted on all cores.
func convertWeights(t *tensor.Tensor, dt tensor.DType) (*tensor.Tensor, string) {
	c := tensor.MustNew(dt, t.Shape)
	round := tensor.RoundF16
	if dt == tensor.BFloat16 {
		round = tensor.RoundBF16
	}
	n := len(t.F32)
	chunks := 1
	if n >= 1<<16 {
		chunks = runtime.GOMAXPROCS(0)
	}
	over, under := make([]int, chunks), make([]int, chunks)
	var wg sync.WaitGroup
	for k := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			src, dst := t.F32[k*n/chunks:(k+1)*n/chunks], c.F32[k*n/chunks:(k+1)*n/chunks]
			for i, v := range src {
				r := round(v)
				dst[i] = r
				if r == 0 && v != 0 {
					under[k]++
				} else if r-r != 0 && v-v == 0 { // r is ±inf (or NaN), v finite
					over[k]++
				}
			}
		}()
	}
	wg.Wait()
	o, u := 0, 0
	for k := range chunks {
		o, u = o+over[k], u+under[k]
	}
	var parts []string
	if o > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d overflow to ±inf", o, n))
	}
	if u > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d flush to zero", u, n))
	}
	return c, strings.Join(parts, ", ")
}
