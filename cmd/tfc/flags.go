package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
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
		s[item[:i]] = shape
	}
	return nil
}

// profileFlag collects the occurrences of one of -min-shapes, -opt-shapes
// and -max-shapes: occurrence k belongs to optimization profile k.
type profileFlag []shapesFlag

func (p *profileFlag) String() string {
	var parts []string
	for _, s := range *p {
		parts = append(parts, s.String())
	}
	return strings.Join(parts, " ")
}

func (p *profileFlag) Set(v string) error {
	s := shapesFlag{}
	if err := s.Set(v); err != nil {
		return err
	}
	for name, shape := range s {
		if !shape.Known() {
			return fmt.Errorf("%s%v: a profile shape gives every dimension", name, shape)
		}
	}
	*p = append(*p, s)
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

	profileFlags
}

// profileFlags are the optimization profile flags: the k-th -min-shapes,
// -opt-shapes and -max-shapes form profile k.
type profileFlags struct {
	minShapes, optShapes, maxShapes profileFlag
	profiles                        []ir.Profile // set by collectProfiles
}

func (p *profileFlags) add(fs *flag.FlagSet) {
	fs.Var(&p.minShapes, "min-shapes", "smallest input shapes of an optimization profile, `name:0[1,224,224,3],...`; with profiles, unknown dims stay dynamic (symbols N, S, D2...); repeat the three flags for more profiles (the k-th of each forms profile k)")
	fs.Var(&p.optShapes, "opt-shapes", "typical input shapes of an optimization profile, `name:0[8,224,224,3],...`")
	fs.Var(&p.maxShapes, "max-shapes", "largest input shapes of an optimization profile, `name:0[32,224,224,3],...`")
}

// dynamic reports whether profiles were given (so unknown dimensions stay
// symbolic).
func (p *profileFlags) dynamic() bool { return len(p.minShapes) > 0 }

// contains reports whether the shapes of in lie inside one of the profiles.
func (p *profileFlags) contains(in map[string]*tensor.Tensor) error {
	shapes := map[string]tensor.Shape{}
	var desc []string
	for name, t := range in {
		shapes[name] = t.Shape
		desc = append(desc, name+t.Shape.String())
	}
	for _, pr := range p.profiles {
		if pr.Contains(shapes) {
			return nil
		}
	}
	slices.Sort(desc)
	return fmt.Errorf("input shapes %s are outside every optimization profile (-min-shapes .. -max-shapes)", strings.Join(desc, ","))
}

func addModelFlags(fs *flag.FlagSet) *modelFlags {
	m := &modelFlags{inputs: shapesFlag{}}
	fs.Var(m.inputs, "inputs", "input shapes, `name:0[1,224,224,3],...` (overrides the graph's; unknown dims default to 1 unless profiles are given; -1 or ? keeps a dimension dynamic and needs profiles)")
	m.profileFlags.add(fs)
	fs.Var(&m.outputs, "outputs", "outputs to compute, `name:0,...` (default: the graph's sinks)")
	addSavedModelFlags(fs, &m.signature, &m.tags)
	addMemoryFlag(fs)
	return m
}

func (m *modelFlags) load(path string, stderr io.Writer) (*ir.Func, error) {
	if err := m.collectProfiles(m.inputs); err != nil {
		return nil, err
	}
	raiseGCFloor(path)
	f, err := tfc.Load(path, m.loadOptions(stderr))
	if err != nil {
		return nil, err
	}
	if len(m.profiles) > 0 {
		if err := ir.CheckProfiles(f, m.profiles); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// collectProfiles pairs the profile flags into m.profiles and requires
// profiles where inputs (-inputs) leaves a dimension dynamic.
func (m *profileFlags) collectProfiles(inputs shapesFlag) error {
	n := len(m.minShapes)
	if len(m.optShapes) != n || len(m.maxShapes) != n {
		return fmt.Errorf("-min-shapes, -opt-shapes and -max-shapes are given %d, %d and %d times; each profile needs all three", n, len(m.optShapes), len(m.maxShapes))
	}
	m.profiles = nil
	for k := range n {
		p := ir.Profile{}
		for name, s := range m.minShapes[k] {
			opt, okOpt := m.optShapes[k][name]
			max, okMax := m.maxShapes[k][name]
			if !okOpt || !okMax {
				return fmt.Errorf("profile %d: input %s is in -min-shapes but not in both -opt-shapes and -max-shapes", k, name)
			}
			p[name] = ir.ShapeRange{Min: s, Opt: opt, Max: max}
		}
		for _, other := range []shapesFlag{m.optShapes[k], m.maxShapes[k]} {
			for name := range other {
				if _, ok := p[name]; !ok {
					return fmt.Errorf("profile %d: input %s is in -opt-shapes or -max-shapes but not in -min-shapes", k, name)
				}
			}
		}
		m.profiles = append(m.profiles, p)
	}
	if n == 0 {
		for name, s := range inputs {
			if !s.Known() {
				example := s.Clone()
				for i := range example {
					example[i] = max(example[i], 1)
				}
				return fmt.Errorf("-inputs %s%v leaves a dimension dynamic; give its range with -min-shapes %s%v -opt-shapes %s[...] -max-shapes %s[...]", name, s, name, example, name, name)
			}
		}
	}
	return nil
}

func (m *modelFlags) loadOptions(stderr io.Writer) tfc.LoadOptions {
	return tfc.LoadOptions{
		InputShapes: m.inputs,
		Outputs:     m.outputs,
		Signature:   m.signature,
		Tags:        m.tags,
		Warn:        func(s string) { fmt.Fprintf(stderr, "tfc: warning: %s\n", s) },
		Symbolic:    m.dynamic(),
		Profiles:    m.profiles,
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
