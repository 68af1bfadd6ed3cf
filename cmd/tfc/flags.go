package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// shapesFlag parses -inputs name:0[1,224,224,3],other:0[1,10] (the
// trtexec/polygraphy convention). It may be given several times.
type shapesFlag map[string]tensor.Shape

func (s shapesFlag) String() string {
	var parts []string
	for k, v := range s {
		parts = append(parts, k+v.String())
	}
	return strings.Join(parts, ",")
}

func (s shapesFlag) Set(v string) error {
	for _, item := range splitTop(v) {
		i := strings.IndexByte(item, '[')
		if i <= 0 || !strings.HasSuffix(item, "]") {
			return fmt.Errorf("%q: want name:0[d0,d1,...]", item)
		}
		shape, err := tensor.ParseShape(item[i:])
		if err != nil {
			return err
		}
		if !shape.Known() {
			return fmt.Errorf("%q: every dimension must be given", item)
		}
		s[item[:i]] = shape
	}
	return nil
}

// splitTop splits at commas that are not inside brackets.
func splitTop(v string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range v {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(v[start:i]))
				start = i + 1
			}
		}
	}
	if s := strings.TrimSpace(v[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// listFlag collects comma-separated names, possibly repeated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// tensorName normalises "name" to "name:0".
func tensorName(s string) string {
	if i := strings.LastIndexByte(s, ':'); i > 0 {
		rest := s[i+1:]
		if rest != "" && strings.Trim(rest, "0123456789") == "" {
			return s
		}
	}
	return s + ":0"
}

// sanitize turns a tensor name into a file name: "dense/Softmax:0" →
// "dense_Softmax_0".
func sanitize(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// modelFlags are the flags every command that loads a model shares.
type modelFlags struct {
	inputs    shapesFlag
	outputs   listFlag
	signature string   // SavedModels (freeze.go)
	tags      listFlag // SavedModels (freeze.go)
}

func addModelFlags(fs *flag.FlagSet) *modelFlags {
	m := &modelFlags{inputs: shapesFlag{}}
	fs.Var(m.inputs, "inputs", "input shapes, `name:0[1,224,224,3],...` (overrides the graph's; unknown dims default to 1)")
	fs.Var(&m.outputs, "outputs", "outputs to compute, `name:0,...` (default: the graph's sinks)")
	addSavedModelFlags(fs, &m.signature, &m.tags)
	addMemoryFlag(fs)
	return m
}

func (m *modelFlags) load(path string, stderr io.Writer) (*ir.Func, error) {
	return tfc.Load(path, m.loadOptions(stderr))
}

func (m *modelFlags) loadOptions(stderr io.Writer) tfc.LoadOptions {
	return tfc.LoadOptions{
		InputShapes: m.inputs,
		Outputs:     m.outputs,
		Signature:   m.signature,
		Tags:        m.tags,
		Warn:        func(s string) { fmt.Fprintf(stderr, "tfc: warning: %s\n", s) },
	}
}

// optFloat is a float flag that may be left unset; -h then shows no
// default (the usage text says where the value comes from instead).
type optFloat struct {
	v   float64
	set bool
}

func (o *optFloat) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.FormatFloat(o.v, 'g', -1, 64)
}

func (o *optFloat) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return errors.New("not a number")
	}
	if v < 0 {
		return errors.New("must not be negative")
	}
	o.v, o.set = v, true
	return nil
}

// orElse returns a function giving the value, or def when unset (read
// after parsing).
func (o *optFloat) orElse(def float64) func() float64 {
	return func() float64 {
		if o.set {
			return o.v
		}
		return def
	}
}
