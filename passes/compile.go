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
	// Exact passes leave every output bit-identical; the others may
	// reassociate float arithmetic (see Tolerance).
	Exact bool
	Run   func(f *ir.Func, cfg *Config) (changed bool, err error)
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

// register records a pass; each pass file calls it from init. Where a
// pass runs is decided by passOrder alone.
func register(p Pass) { registered[p.Name] = p }

var registered = map[string]Pass{}

// passOrder is the pass table: the default pipeline, in order. A name may
// appear twice (cleanups run again after the passes that make work for
// them). Ordering constraints:
//   - shapes first: every later pass relies on static types;
//   - layout before the fusions: batch-norm and bias fusion look for a
//     conv followed by channel-wise mul/add in channels-first form;
//   - fold after layout: transposed constant weights become constants;
//   - int8 after the fusions: ranges are calibrated on the fused function
//     (and name its conv and matmul ops);
//   - precision after the fusions and int8: batch norms and biases are
//     folded into the weights in f32, and the weights are then converted
//     once; quantize/dequantize stay f32;
//   - dce last: the others leave dead ops behind.
var passOrder = []string{
	"shapes",
	"fold",
	"simplify",
	"cse",
	"keepdims",
	"layout",
	"fold",
	"fuse-bn",
	"fuse-bias",
	"fuse-pad",
	"fuse-activation",
	"int8",
	"precision",
	"simplify",
	"dce",
}

// MaxRounds bounds the fixed-point iteration of the pipeline.
const MaxRounds = 10

func pipeline() []Pass {
	var out []Pass
	for _, name := range passOrder {
		if p, ok := registered[name]; ok {
			out = append(out, p)
		}
	}
	return out
}

// Lookup returns the registered pass with the given name.
func Lookup(name string) (Pass, bool) {
	p, ok := registered[name]
	return p, ok
}

// Passes lists every registered pass, in default pipeline order (each once).
func Passes() []Pass {
	var out []Pass
	seen := map[string]bool{}
	for _, p := range pipeline() {
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
		list = pipeline()
	} else {
		for _, name := range opts.Passes {
			p, ok := registered[name]
			if !ok {
				return nil, fmt.Errorf("unknown pass %q (tfc passes lists them)", name)
			}
			list = append(list, p)
		}
	}
	for _, name := range append(append([]string(nil), opts.Disable...), opts.PrintAfter...) {
		if _, ok := registered[name]; !ok && name != "all" {
			return nil, fmt.Errorf("unknown pass %q (tfc passes lists them)", name)
		}
	}
	printAll := slices.Contains(opts.PrintAfter, "all")
	for round := 1; ; round++ {
		changedRound := false
		for _, p := range list {
			if !p.Required && slices.Contains(opts.Disable, p.Name) {
				continue
			}
			run := PassRun{Name: p.Name, Round: round, OpsBefore: len(f.Ops)}
			t0 := time.Now()
			changed, err := p.Run(f, &opts.Config)
			run.Duration = time.Since(t0)
			run.OpsAfter = len(f.Ops)
			run.Changed = changed
			rep.Runs = append(rep.Runs, run)
			if err != nil {
				return rep, fmt.Errorf("pass %s: %v", p.Name, err)
			}
			if opts.VerifyEach {
				if err := ir.Verify(f); err != nil {
					return rep, fmt.Errorf("pass %s broke the IR:\n%v", p.Name, err)
				}
			}
			if opts.PrintTo != nil && (printAll || slices.Contains(opts.PrintAfter, p.Name)) {
				fmt.Fprintf(opts.PrintTo, "// after %s (round %d)\n", p.Name, round)
				if err := ir.Print(opts.PrintTo, f, ir.PrintOptions{}); err != nil {
					return rep, err
				}
			}
			if opts.AfterPass != nil {
				if err := opts.AfterPass(run, f); err != nil {
					return rep, err
				}
			}
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
