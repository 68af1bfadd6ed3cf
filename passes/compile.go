package passes

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Pass is one row of the pass table.
type Pass struct {
	Name    string
	Summary string
	// Required passes run even when disabled (the backend depends on
	// what they establish).
	Required bool
	// Final passes run once, after the default pipeline's fixed point:
	// they put the function in the backend's form and are not
	// optimizations, so the other passes never see their output.
	Final bool
	// Exact passes leave every output bit-identical; the others may
	// reassociate float arithmetic (see Tolerance).
	Exact bool
	// Regions passes also run inside every region (the cond and body of
	// a while, the branches of an if), innermost first, each region as a
	// Func of its own: they rewrite values and ops locally, so a region's
	// inputs and outputs, and with them the op that owns it, keep their
	// types. The other passes see an op with regions as one opaque op
	// (layout, for one, stops at its operands and results).
	Regions bool
	// Run runs the pass to its own fixed point: run again at once on
	// what it returns, it changes nothing (TestPassesIdempotent checks
	// every pass on the project's graphs). The pipeline relies on it.
	Run func(f *ir.Func, cfg *Config) (changed bool, err error)
}

// runPass runs p on f, and inside f's regions if p says so.
func runPass(p Pass, f *ir.Func, cfg *Config) (bool, error) {
	changed := false
	if p.Regions {
		for _, op := range f.Ops {
			for _, r := range op.Regions {
				c, err := runPass(p, r, cfg)
				if err != nil {
					return changed, fmt.Errorf("in region @%s of %s loc(%q): %v", r.Name, op.Opcode, op.Loc, err)
				}
				changed = changed || c
			}
		}
	}
	c, err := p.Run(f, cfg)
	return changed || c, err
}

// Tolerance is the relative and absolute error, beyond TensorFlow's own
// tolerance, that a non-exact pass may introduce in float32 outputs.
const Tolerance = 1e-5

// Config holds the knobs passes read.
type Config struct {
	// FoldLimit bounds, in bytes, the constants constant folding may
	// create (one result); larger ones are left as computation.
	FoldLimit int64
	// Precision is the float type the precision pass computes in: f16 or
	// bf16; f32 or Invalid (the default) leave the function alone.
	Precision tensor.DType
	// IOPrecision, if it is the Precision type, makes the function's f32
	// inputs and outputs take it; otherwise they keep their types.
	IOPrecision tensor.DType
	// KeepFP32 are patterns (opcode or TF node name, path.Match syntax,
	// "!" to remove) added after DefaultKeepFP32: ops the precision pass
	// leaves in f32.
	KeepFP32 []string
	// Calibration, if set, is the INT8 range (amax) of conv and matmul
	// data inputs by TF node name (package calib); the int8 pass inserts
	// quantize/dequantize pairs from it.
	Calibration map[string]float64
	// CalibrationFP8 makes the int8 pass quantize to FP8 E4M3 (scale
	// amax/448) instead of INT8.
	CalibrationFP8 bool
	// Warn, if set, receives warnings (weights a precision cannot hold).
	Warn func(string)
}

// DefaultFoldLimit is the default Config.FoldLimit: 64 MiB.
const DefaultFoldLimit = 64 << 20

// passes is the pass table: the default pipeline, one row per run, in
// order. A name may stand in several rows (cleanups run again after the
// passes that make work for them); its first row carries the summary and
// the others repeat its function and flags (TestPassTable checks both).
// The order obeys passOrder.
var passes = [...]Pass{
	{Name: "shapes", Required: true, Exact: true, Run: inferShapes,
		Summary: "infer every value's static type from the inputs; unknown dimensions are an error"},
	{Name: "fold", Exact: true, Regions: true, Run: fold,
		Summary: "evaluate ops whose operands are all constants (results up to -fold-limit bytes)"},
	{Name: "simplify", Exact: true, Regions: true, Run: simplify,
		Summary: "bit-exact identities (x+0, x-0, x*1, x/1 where exact; neg∘neg; relu/clamp chains), composed and no-op layout ops"},
	{Name: "cse", Exact: true, Regions: true, Run: cse,
		Summary: "merge ops computing the same thing (same opcode, operands, attributes, types) and equal constants"},
	{Name: "keepdims", Exact: true, Run: keepDims,
		Summary: "canonical reductions: reduce/argmax/argmin with keep_dims=false become keep_dims=true followed by a reshape"},
	{Name: "layout", Exact: true, Run: runLayout,
		Summary: "run the body channels-first: push transposes forward through layout-agnostic ops until they cancel; equal operand ranks for elementwise ops"},
	{Name: "fold", Exact: true, Regions: true, Run: fold},
	// Not exact: scaling the weights reassociates.
	{Name: "fuse-bn", Run: fuseBN,
		Summary: "fold per-output-channel mul/div/neg (and the adds and subs around them: batch norm) " +
			"after conv, conv_transpose or matmul into constant weights and the conv bias"},
	// Without an existing bias, conv + c is computed exactly as the
	// kernel adds its bias; summing into an existing bias reassociates
	// ((r + b) + c becomes r + (b + c)), so not exact.
	{Name: "fuse-bias", Run: fuseBias,
		Summary: "fold adds and subs of per-output-channel constants after conv and conv_transpose " +
			"into the bias operand"},
	{Name: "fuse-pad", Exact: true, Run: fusePad,
		Summary: "fold an explicit constant pad of the spatial dimensions into the pads of the conv or pool reading it"},
	// relu, clamp and prelu from min/max/relu are exact (up to the sign of
	// a zero result); gelu and hard_sigmoid are computed in one step in
	// float64 instead of op by op in f32, so not exact.
	{Name: "fuse-activation", Run: fuseActivation,
		Summary: "recognise activations spelled with elementwise ops: min/max with constants → relu/clamp, " +
			"gelu (erf, erfc and tanh forms) → gelu, relu6(x+3)/6 → hard_sigmoid, x*relu6(x+3)/6 → x*hard_sigmoid(x), " +
			"Keras PReLU (relu(x) - alpha*relu(-x), max(x, alpha*x)) → prelu"},
	// Not exact: x / sqrt(s) rounds once where x * rsqrt(s) rounds twice.
	{Name: "fuse-norm", Run: fuseNorm,
		Summary: "recognise L2 normalization spelled with elementwise ops, x * rsqrt(max(sum(x*x), eps)) → l2_normalize"},
	{Name: "int8", Run: int8Pass,
		Summary: "post-training INT8: quantize/dequantize before the conv and matmul inputs named in Config.Calibration, and on their constant weights"},
	{Name: "precision", Run: precision,
		Summary: "compute in f16 or bf16 (Config.Precision): casts at the boundaries, sensitive ops kept in f32, weights converted once"},
	{Name: "simplify", Exact: true, Regions: true, Run: simplify},
	{Name: "dce", Exact: true, Regions: true, Run: dce,
		Summary: "remove ops no output depends on (inputs are kept)"},
	{Name: "weights", Required: true, Final: true, Exact: true, Regions: true, Run: foldWeights,
		Summary: "canonical weights: fold constant expressions read as conv kernels and biases or scatter_nd indices, whatever -fold-limit (FP8 weight pairs stay)"},
}

// A constraint says pass a must run before pass b: the last row of a
// comes before the last row of b (as in cmd/compile's passOrder).
type constraint struct{ a, b string }

// passOrder lists the ordering constraints of the pass table, each with
// its reason; TestPassTable checks the table against them.
var passOrder = [...]constraint{
	// shapes first: every later pass relies on static types.
	{"shapes", "fold"},
	{"shapes", "simplify"},
	{"shapes", "cse"},
	{"shapes", "keepdims"},
	{"shapes", "layout"},
	// layout before the fusions: batch-norm and bias fusion look for a
	// conv followed by channel-wise mul/add in channels-first form, and a
	// pad fuses into a channels-first conv or pool.
	{"layout", "fuse-bn"},
	{"layout", "fuse-bias"},
	{"layout", "fuse-pad"},
	// fold after layout: transposed constant weights become constants.
	{"layout", "fold"},
	// int8 after the fusions: ranges are calibrated on the fused function
	// (and name its conv and matmul ops).
	{"fuse-bn", "int8"},
	{"fuse-bias", "int8"},
	{"fuse-pad", "int8"},
	{"fuse-activation", "int8"},
	// layout before fuse-norm: the reduction's axes are matched once the
	// transposes around it are gone; int8 and precision after it.
	{"layout", "fuse-norm"},
	{"fuse-norm", "int8"},
	{"fuse-norm", "precision"},
	// precision after the fusions and int8: batch norms and biases are
	// folded into the weights in f32, and the weights are then converted
	// once; quantize/dequantize stay f32.
	{"fuse-bn", "precision"},
	{"fuse-bias", "precision"},
	{"int8", "precision"},
	// weights after the passes that put expressions into weights (Q/DQ
	// pairs, casts), so that the backend sees them folded.
	{"int8", "weights"},
	{"precision", "weights"},
	// dce last: the others leave dead ops behind.
	{"simplify", "dce"},
	{"precision", "dce"},
	{"fold", "dce"},
}

// checkOrder reports the first constraint the table breaks.
func checkOrder(table []Pass, order []constraint) error {
	last := map[string]int{}
	for i, p := range table {
		last[p.Name] = i
	}
	for _, c := range order {
		i, okA := last[c.a]
		j, okB := last[c.b]
		switch {
		case !okA || !okB:
			return fmt.Errorf("pass order constraint %s before %s names a pass not in the table", c.a, c.b)
		case i >= j:
			return fmt.Errorf("passes %s and %s out of order", c.a, c.b)
		}
	}
	return nil
}

// MaxRounds bounds the fixed-point iteration of the pipeline.
const MaxRounds = 10

// Lookup returns the pass with the given name (its first row).
func Lookup(name string) (Pass, bool) {
	for _, p := range passes {
		if p.Name == name {
			return p, true
		}
	}
	return Pass{}, false
}

// Required lists the required passes, in pipeline order (each once):
// Run(f, Options{Passes: Required()}) makes f canonical, the form the
// backend takes (see backend/lower), with no optimization besides.
func Required() []string {
	var out []string
	for _, p := range Passes() {
		if p.Required {
			out = append(out, p.Name)
		}
	}
	return out
}

// Passes lists every pass, in default pipeline order (each once).
func Passes() []Pass {
	var out []Pass
	seen := map[string]bool{}
	for _, p := range passes {
		if !seen[p.Name] {
			seen[p.Name] = true
			out = append(out, p)
		}
	}
	return out
}

// Options control Run.
type Options struct {
	Config
	// Passes, if non-nil, is a custom pipeline (pass names, in order),
	// run once rather than to a fixed point.
	Passes []string
	// Disable names passes to skip (required passes still run).
	Disable []string
	// PrintAfter names passes after which the IR is printed to PrintTo;
	// "all" prints after every pass.
	PrintAfter []string
	PrintTo    io.Writer
	// VerifyEach runs ir.Verify after every pass.
	VerifyEach bool
	// AfterPass, if set, is called after every pass run with the IR as
	// that pass left it (tfc compile -html records it); an error stops
	// the pipeline.
	AfterPass func(run PassRun, f *ir.Func) error
}

// PassRun records one execution of a pass.
type PassRun struct {
	Name      string
	Round     int
	Duration  time.Duration
	OpsBefore int
	OpsAfter  int
	Changed   bool
}

// Report says what Run did.
type Report struct {
	Runs   []PassRun
	Rounds int
	Before map[string]int // op counts by opcode before
	After  map[string]int // and after
}

// Run applies the pipeline to f in place.
func Run(f *ir.Func, opts Options) (*Report, error) {
	if opts.FoldLimit == 0 {
		opts.FoldLimit = DefaultFoldLimit
	}
	rep := &Report{Before: OpCounts(f)}
	var list []Pass
	fixedPoint := opts.Passes == nil
	if fixedPoint {
		list = passes[:]
	} else {
		for _, name := range opts.Passes {
			p, ok := Lookup(name)
			if !ok {
				return nil, fmt.Errorf("unknown pass %q (tfc passes lists them)", name)
			}
			list = append(list, p)
		}
	}
	for _, name := range append(append([]string(nil), opts.Disable...), opts.PrintAfter...) {
		if _, ok := Lookup(name); !ok && name != "all" {
			return nil, fmt.Errorf("unknown pass %q (tfc passes lists them)", name)
		}
	}
	printAll := slices.Contains(opts.PrintAfter, "all")
	// one runs pass p in the given round.
	one := func(p Pass, round int) (changed bool, err error) {
		run := PassRun{Name: p.Name, Round: round, OpsBefore: len(f.Ops)}
		t0 := time.Now()
		changed, err = runPass(p, f, &opts.Config)
		run.Duration = time.Since(t0)
		run.OpsAfter = len(f.Ops)
		run.Changed = changed
		rep.Runs = append(rep.Runs, run)
		if err != nil {
			return changed, fmt.Errorf("pass %s: %v", p.Name, err)
		}
		if opts.VerifyEach {
			if err := ir.Verify(f); err != nil {
				return changed, fmt.Errorf("pass %s broke the IR:\n%v", p.Name, err)
			}
		}
		if opts.PrintTo != nil && (printAll || slices.Contains(opts.PrintAfter, p.Name)) {
			fmt.Fprintf(opts.PrintTo, "// after %s (round %d)\n", p.Name, round)
			if err := ir.Print(opts.PrintTo, f, ir.PrintOptions{}); err != nil {
				return changed, err
			}
		}
		if opts.AfterPass != nil {
			if err := opts.AfterPass(run, f); err != nil {
				return changed, err
			}
		}
		return changed, nil
	}
	// A pass would change nothing if run again on what its last run left
	// (passes are functions of the IR, run to their own fixed point: see
	// Pass.Run), so with no change by another pass since, later rounds
	// skip it: the round that confirms the fixed point reruns only the
	// passes before the last change, not the pass that made it.
	seq, lastChange := 0, 0   // runs so far; the run that last changed f
	clean := map[string]int{} // pass → its last run
	for round := 1; ; round++ {
		changedRound := false
		for _, p := range list {
			if !p.Required && slices.Contains(opts.Disable, p.Name) || fixedPoint && p.Final {
				continue
			}
			if at, ok := clean[p.Name]; ok && at >= lastChange {
				continue
			}
			changed, err := one(p, round)
			if err != nil {
				return rep, err
			}
			seq++
			if changed {
				lastChange = seq
			}
			clean[p.Name] = seq
			changedRound = changedRound || changed
		}
		rep.Rounds = round
		if !fixedPoint || !changedRound {
			break
		}
		if round == MaxRounds {
			return rep, fmt.Errorf("pipeline did not reach a fixed point in %d rounds (a pass keeps reporting changes)", MaxRounds)
		}
	}
	if fixedPoint {
		for _, p := range list {
			if p.Final && (p.Required || !slices.Contains(opts.Disable, p.Name)) {
				if _, err := one(p, rep.Rounds); err != nil {
					return rep, err
				}
			}
		}
	}
	rep.After = OpCounts(f)
	return rep, nil
}

// OpCounts counts ops by opcode name.
func OpCounts(f *ir.Func) map[string]int {
	m := map[string]int{}
	for _, op := range f.Ops {
		m[op.Opcode.String()]++
	}
	return m
}

// WriteTimes writes the -time-passes table: per pass, the total time and
// the op count change, summed over rounds.
func (r *Report) WriteTimes(w io.Writer) {
	type agg struct {
		d       time.Duration
		runs    int
		delta   int
		changed int
	}
	var order []string
	sum := map[string]*agg{}
	var total time.Duration
	for _, run := range r.Runs {
		a, ok := sum[run.Name]
		if !ok {
			a = &agg{}
			sum[run.Name] = a
			order = append(order, run.Name)
		}
		a.d += run.Duration
		a.runs++
		a.delta += run.OpsAfter - run.OpsBefore
		if run.Changed {
			a.changed++
		}
		total += run.Duration
	}
	// Times in milliseconds, aligned on the decimal point: 0.088 ms, 3.927 ms.
	ms := func(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond)) }
	fmt.Fprintf(w, "%-18s %12s %6s %8s %8s\n", "pass", "time", "runs", "changed", "Δops")
	for _, name := range order {
		a := sum[name]
		fmt.Fprintf(w, "%-18s %12s %6d %8d %+8d\n", name, ms(a.d), a.runs, a.changed, a.delta)
	}
	fmt.Fprintf(w, "%-18s %12s   (%d rounds)\n", "total", ms(total), r.Rounds)
}

// WriteStats writes the -stats table: op counts by opcode before and after.
func (r *Report) WriteStats(w io.Writer) {
	var names []string
	for k := range r.Before {
		names = append(names, k)
	}
	for k := range r.After {
		if _, ok := r.Before[k]; !ok {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	fmt.Fprintf(w, "%-18s %8s %8s\n", "op", "before", "after")
	tb, ta := 0, 0
	for _, n := range names {
		fmt.Fprintf(w, "%-18s %8d %8d\n", n, r.Before[n], r.After[n])
		tb += r.Before[n]
		ta += r.After[n]
	}
	fmt.Fprintf(w, "%-18s %8d %8d\n", "total", tb, ta)
}

// ParseList splits a comma-separated pass list.
func ParseList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
