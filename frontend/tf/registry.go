package tf

import (
	"sort"
)

// A converter translates one node. It reads inputs with c.input /
// c.constInput, emits IR with c.emit, and binds every output with c.bind.
type converter func(c *ctx, n *node) error

// opEntry is one row of the registry.
type opEntry struct {
	convert converter
	// lowersTo says, for `tfc ops`, what the op becomes in the IR, e.g.
	// "transpose + conv + transpose".
	lowersTo string
	// file is the ops_*.go file that holds the converter (for `tfc ops`).
	family string
}

var registry = map[string]opEntry{}

// register adds converters for TF op types. Family files call it from init.
func register(family, lowersTo string, fn converter, tfOps ...string) {
	for _, name := range tfOps {
		if _, dup := registry[name]; dup {
			panic("tf: op registered twice: " + name)
		}
		registry[name] = opEntry{convert: fn, lowersTo: lowersTo, family: family}
	}
}

// differences holds, per TF op type, how tfc's translation knowingly
// differs from TensorFlow (for `tfc ops -markdown`).
var differences = map[string]string{}

// differs records a known semantic difference of supported TF ops.
// Family files call it from init, after register.
func differs(text string, tfOps ...string) {
	for _, name := range tfOps {
		if _, ok := registry[name]; !ok {
			panic("tf: difference noted for an op not registered: " + name)
		}
		if d := differences[name]; d != "" {
			text = d + " " + text
		}
		differences[name] = text
	}
}

// OpSupport describes one supported TensorFlow op.
type OpSupport struct {
	Op       string // TensorFlow op type, e.g. "Conv2D"
	LowersTo string // what it becomes in the IR
	Family   string // frontend/tf/ops_<family>.go holds its converter
	// Differs says how tfc knowingly differs from TensorFlow ("" if in
	// no known way).
	Differs string
}

// SupportedOps lists every TensorFlow op the frontend translates, sorted by name.
func SupportedOps() []OpSupport {
	var out []OpSupport
	for name, e := range registry {
		out = append(out, OpSupport{Op: name, LowersTo: e.lowersTo, Family: e.family, Differs: differences[name]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Op < out[j].Op })
	return out
}

// Supported reports whether op is a TensorFlow op type the frontend translates.
func Supported(op string) bool {
	_, ok := registry[op]
	return ok
}
