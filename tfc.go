// Package tfc is the library face of the tfc compiler, one function per
// step: Load (a TensorFlow frozen GraphDef, binary or text, or tfc IR text
// → verified IR), Optimize (the pass pipeline), Lower (IR → a TensorRT
// network recorded as data and validated). Engines are built, stored,
// loaded and run by package backend/tensorrt (Optimize, Store, Load,
// Engine.Infer), which needs a TensorRT build tag. The stages live in
// their own packages: frontend/tf, ir, passes, backend/lower, backend/trt,
// interp and backend/trt/exec (the CPU reference executors).
package tfc

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/tfc-dev/tfc/backend/lower"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/frontend/tf"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/internal/safeio"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
)

// LoadOptions control Load.
type LoadOptions struct {
	// InputShapes overrides input shapes, by tensor name ("x:0") or node
	// name. Ignored for IR text, whose shapes are fixed.
	InputShapes map[string]tensor.Shape
	// Outputs selects the outputs ("name:0"); empty means the graph's sinks.
	Outputs []string
	// Warn receives warnings such as unknown dimensions set to 1.
	Warn func(string)
	// Symbolic keeps unknown input dimensions (-1 in InputShapes or in the
	// graph) as symbols N, S, D2, ... (see frontend/tf.Options.Symbolic)
	// instead of setting them to 1.
	Symbolic bool
	// Profiles, with Symbolic, are the optimization profiles the program
	// is meant for. Unknown dimensions at one position of two inputs are
	// one symbol (N for dimension 0, S for 1, ...: one size at run time)
	// unless the profiles give them different ranges: then each range has
	// its own symbol (S, S_2, ...; see profileSymbols), so that x:0[N,4]
	// and y:0[N_2,4] may concatenate to [N+N_2,4].
	Profiles []ir.Profile

	// Signature and Tags choose what a SavedModel freezes to (see package
	// frontend/tf/savedmodel): empty means serving_default (or the only
	// signature) of the meta graph tagged "serve" (or the only one).
	// Outputs may also name the signature's output keys.
	Signature string
	Tags      []string
}

// Load reads a model file and returns its IR, verified. path "-" reads
// standard input. A SavedModel directory or a TF1 checkpoint (PREFIX.meta,
// PREFIX.index, PREFIX) is frozen in memory first (see LoadSavedModel).
// Otherwise the format is chosen by content: IR text starts with "func";
// otherwise the file is a GraphDef, binary or text.
func Load(path string, opts LoadOptions) (*ir.Func, error) {
	if IsSavedModel(path) {
		return LoadSavedModel(path, opts)
	}
	m, err := safeio.Map(path, safeio.MaxProtoBytes)
	if err != nil {
		return nil, err
	}
	// The GraphDef aliases the file's weights (tfpb.ParseGraphDef) until
	// the import has decoded them; nothing of it outlives loadBytes.
	defer m.Close()
	if path == "-" {
		path = "<stdin>"
	}
	return loadBytes(path, m.Data, opts, m.Release)
}

// LoadBytes is Load for a model already in memory; name is used in
// messages and to name the IR function.
func LoadBytes(name string, data []byte, opts LoadOptions) (*ir.Func, error) {
	return loadBytes(name, data, opts, nil)
}

// loadBytes is LoadBytes; release, if not nil, is given each weight's
// bytes (a piece of data) once the import has decoded them.
func loadBytes(name string, data []byte, opts LoadOptions, release func([]byte)) (*ir.Func, error) {
	if IsIRText(data) {
		f, err := ir.Parse(name, data)
		if err != nil {
			return nil, err
		}
		if err := ir.Verify(f); err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		if len(opts.Outputs) > 0 {
			if err := selectOutputs(f, opts.Outputs); err != nil {
				return nil, fmt.Errorf("%s: %v", name, err)
			}
		}
		return f, nil
	}
	// A binary GraphDef is parsed lazily: each node is decoded when the
	// import needs it, and dropped once translated, so that a large
	// graph is not held decoded beside its IR. Where a node does not
	// decode, ParseGraphDef reports the error. The warnings wait for the
	// outcome, so that they are given once.
	if lg, ok := tfpb.ParseLazy(data, name); ok {
		var warnings []string
		lazyOpts := opts
		lazyOpts.Warn = func(s string) { warnings = append(warnings, s) }
		f, err := importChecked(name, func(o tf.Options) (*ir.Func, error) { return tf.ImportLazy(lg, o) }, lazyOpts, release)
		if !errors.Is(err, tf.ErrUndecodable) {
			if opts.Warn != nil {
				for _, w := range warnings {
					opts.Warn(w)
				}
			}
			return f, err
		}
	}
	g, err := tfpb.ParseGraphDef(data, name)
	if err != nil {
		return nil, err
	}
	return loadGraph(name, g, opts, release)
}

// LoadGraph translates a parsed GraphDef and returns its IR, verified;
// name is used in messages and to name the IR function. The import drops
// each weight's bytes, and each node, from g once translated (the graph
// is not held beside its IR), so g must not be used afterwards.
func LoadGraph(name string, g *tfpb.GraphDef, opts LoadOptions) (*ir.Func, error) {
	return loadGraph(name, g, opts, nil)
}

func loadGraph(name string, g *tfpb.GraphDef, opts LoadOptions, release func([]byte)) (*ir.Func, error) {
	return importChecked(name, func(o tf.Options) (*ir.Func, error) { return tf.Import(g, o) }, opts, release)
}

// importChecked runs an import of the graph with the options opts give
// and verifies the result.
func importChecked(name string, imp func(tf.Options) (*ir.Func, error), opts LoadOptions, release func([]byte)) (*ir.Func, error) {
	f, err := imp(tf.Options{
		Name:        funcName(name),
		InputShapes: opts.InputShapes,
		Outputs:     opts.Outputs,
		UnknownDim:  1,
		Symbolic:    opts.Symbolic,
		Symbols:     profileSymbols(opts.Profiles),
		Warn:        opts.Warn,
		// The graph is ours: let the importer drop each weight's bytes,
		// and each node, from it once translated, so that neither the
		// weights nor the graph are held twice.
		ReleaseConsts: true,
		ReleaseNodes:  true,
		Release:       release,
	})
	if errors.Is(err, tf.ErrUndecodable) {
		return nil, err // the caller parses the graph again
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if err := ir.Verify(f); err != nil {
		return nil, fmt.Errorf("%s: internal error: the imported IR does not verify: %v", name, err)
	}
	return f, nil
}

// profileSymbols names the symbols of the inputs' dimensions from
// profiles (see LoadOptions.Profiles): per dimension position, the inputs
// whose ranges in every profile are the same share a symbol; the first
// such group has tf.SymbolName's name, the k-th (k ≥ 2) that name and _k.
// Groups whose sizes vary come first (by input name), then those of one
// size in every profile (where the graph's fixed dimensions are too, which
// take no symbol), so a dynamic dimension keeps the plain name where it
// can. Inputs at the default name are left out.
func profileSymbols(profiles []ir.Profile) map[string][]string {
	if len(profiles) == 0 {
		return nil
	}
	var names []string
	for name := range profiles[0] {
		names = append(names, name)
	}
	sort.Strings(names)
	out := map[string][]string{}
	groups := map[int][]string{} // per position: the range keys met, in order
	for _, varying := range []bool{true, false} {
		for _, name := range names {
			rank := len(profiles[0][name].Min)
			for i := range rank {
				var key strings.Builder
				fixed := true
				for _, p := range profiles {
					r, ok := p[name]
					if !ok || len(r.Min) != rank || len(r.Opt) != rank || len(r.Max) != rank {
						key.WriteString("?;")
						continue
					}
					fmt.Fprintf(&key, "%d,%d,%d;", r.Min[i], r.Opt[i], r.Max[i])
					fixed = fixed && r.Min[i] == r.Max[i]
				}
				if fixed == varying {
					continue
				}
				k := slices.Index(groups[i], key.String())
				if k < 0 {
					k = len(groups[i])
					groups[i] = append(groups[i], key.String())
				}
				if k == 0 {
					continue
				}
				if out[name] == nil {
					out[name] = make([]string, rank)
				}
				out[name][i] = fmt.Sprintf("%s_%d", tf.SymbolName(i), k+1)
			}
		}
	}
	return out
}

// IsIRText reports whether data looks like tfc IR text: after blank lines
// and // comments, it starts with "func".
func IsIRText(data []byte) bool {
	for len(data) > 0 {
		data = bytes.TrimLeft(data, " \t\r\n")
		if bytes.HasPrefix(data, []byte("//")) {
			i := bytes.IndexByte(data, '\n')
			if i < 0 {
				return false
			}
			data = data[i+1:]
			continue
		}
		return bytes.HasPrefix(data, []byte("func ")) || bytes.HasPrefix(data, []byte("func@"))
	}
	return false
}

// funcName derives an IR function name from a file name.
func funcName(path string) string {
	base := filepath.Base(path)
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	var b strings.Builder
	for _, r := range base {
		if r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 || base == "<stdin>" {
		return "main"
	}
	return b.String()
}

// selectOutputs keeps only the named outputs of an IR function.
func selectOutputs(f *ir.Func, names []string) error {
	byName := map[string]*ir.Value{}
	for _, o := range f.Outputs {
		byName[o.Name] = o.Value
	}
	var outs []ir.Output
	for _, n := range names {
		if !strings.Contains(n, ":") {
			n += ":0"
		}
		v, ok := byName[n]
		if !ok {
			return fmt.Errorf("no output named %q", n)
		}
		outs = append(outs, ir.Output{Name: n, Value: v})
	}
	f.Outputs = outs
	f.RemoveDead()
	return nil
}

// Optimize runs the default pass pipeline on f (in place).
func Optimize(f *ir.Func, opts passes.Options) (*passes.Report, error) {
	return passes.Run(f, opts)
}

// Lower translates f into a TensorRT network, recorded as plain data, and
// checks it against TensorRT's documented restrictions. f must be
// canonical: Optimize's output (or that of passes.Required() alone; see
// backend/lower).
//
// A Func with symbolic input dimensions needs profiles: it becomes a network
// with dynamic inputs and those optimization profiles
// (lower.LowerDynamic), validated at the min, opt and max of each.
func Lower(f *ir.Func, profiles ...ir.Profile) (*trt.Description, error) {
	return LowerWith(f, lower.Options{}, profiles...)
}

// LowerWith is Lower with lowering strategies other than the default
// (lower.Options: TF32x3), or with Consume, which releases f as it is
// lowered (f must not be used afterwards; tfc compile uses it).
func LowerWith(f *ir.Func, opts lower.Options, profiles ...ir.Profile) (*trt.Description, error) {
	var d *trt.Description
	if f.HasSymbolicInputs() {
		var err error
		if d, err = lower.LowerDynamicWith(f, profiles, opts); err != nil {
			return nil, err
		}
	} else {
		net := trt.NewRecorder()
		if err := lower.LowerWith(f, net, opts); err != nil {
			return nil, err
		}
		d = net.Description()
	}
	if err := trt.Validate(d); err != nil {
		return nil, fmt.Errorf("internal error: the lowered network breaks a TensorRT rule:\n%v", err)
	}
	return d, nil
}
