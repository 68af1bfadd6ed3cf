package trt

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Dynamic shapes.
//
// A network input may have dimensions of -1, sized when the network runs
// (TensorRT's dynamic shapes); such a network has at least one
// optimization Profile giving, for every dynamic input, the smallest,
// typical and largest dimensions it runs at. Layer outputs have -1 where
// their size depends on a dynamic input dimension.
//
// tfc checks a dynamic network by instances: Specialize replays its layers,
// with their parameters unchanged, on given input dimensions through the
// Recorder, so the same shape rules compute every tensor's dimensions;
// Validate does that at the min, opt and max of every profile, and the
// reference executor at the dimensions of the inputs it is given.

// A Profile is one IOptimizationProfile: the shapes of every dynamic input.
type Profile []ProfileShapes

// ProfileShapes is one input's shapes in a Profile
// (IOptimizationProfile::setDimensions with kMIN, kOPT and kMAX).
type ProfileShapes struct {
	Input         string
	Min, Opt, Max Dims
}

// Dynamic reports whether some input of d has a dimension of -1.
func (d *Description) Dynamic() bool {
	for _, t := range d.Inputs {
		if t != nil {
			for _, x := range t.Dims {
				if x < 0 {
					return true
				}
			}
		}
	}
	return false
}

// Specialize returns the static instance of d at the given input
// dimensions (by input name; inputs not listed keep their recorded
// dimensions, which must then be static): a new Description whose layers
// have d's types, names and parameters (weights shared, not copied) and
// whose dimensions the shape rules compute. A dimension that contradicts a
// fixed one of d, or a layer that is invalid at these dimensions, is an
// error.
func Specialize(d *Description, dims map[string]Dims) (*Description, error) {
	r := NewRecorder()
	m := make(map[*TensorDesc]Tensor, len(d.Inputs)+2*len(d.Layers))
	for _, in := range d.Inputs {
		x, ok := dims[in.Name]
		if !ok {
			x = in.Dims
		}
		if len(x) != len(in.Dims) {
			return nil, fmt.Errorf("trt: input %q: dimensions %v, want rank %d (%v)", in.Name, x, len(in.Dims), in.Dims)
		}
		for i, v := range in.Dims {
			if x[i] < 0 || (v >= 0 && x[i] != v) {
				return nil, fmt.Errorf("trt: input %q: dimensions %v do not fit %v", in.Name, x, in.Dims)
			}
		}
		m[in] = r.AddInput(in.Name, in.Type, x)
	}
	for _, l := range d.Layers {
		ins := make([]Tensor, len(l.Inputs))
		optional := make([]bool, len(l.Inputs))
		for i, t := range l.Inputs {
			optional[i] = true
			if t != nil {
				if ins[i] = m[t]; ins[i] == nil {
					return nil, fmt.Errorf("trt: layer %q: input %d %q is not defined before it", l.Name, i, t.Name)
				}
			}
		}
		nl := r.addLayer(l.Type, ins, optional, l.Params)
		nl.SetName(l.Name)
		if len(nl.outs) != len(l.Outputs) {
			return nil, fmt.Errorf("trt: layer %q has %d outputs, its instance %d", l.Name, len(l.Outputs), len(nl.outs))
		}
		for i, o := range l.Outputs {
			nl.outs[i].d.Name = o.Name
			m[o] = nl.outs[i]
		}
	}
	for _, o := range d.Outputs {
		if t := m[o]; t != nil {
			r.MarkOutput(t)
		}
	}
	if errs := r.Errs(); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	out := r.Description()
	out.Profiles = nil
	return out, nil
}

// ProfileFor returns the index of the first profile of d whose ranges hold
// the given input dimensions, or an error listing them.
func ProfileFor(d *Description, dims map[string]Dims) (int, error) {
	for k, p := range d.Profiles {
		ok := true
		for _, s := range p {
			x := dims[s.Input]
			if len(x) != len(s.Min) {
				ok = false
				break
			}
			for i := range x {
				if x[i] < s.Min[i] || x[i] > s.Max[i] {
					ok = false
				}
			}
		}
		if ok {
			return k, nil
		}
	}
	var desc []string
	for _, in := range d.Inputs {
		desc = append(desc, in.Name+dims[in.Name].String())
	}
	return -1, fmt.Errorf("trt: input dimensions %s are outside every optimization profile", strings.Join(desc, ","))
}

// validateDynamic checks a dynamic network: its profiles, then its static
// instances at the min, opt and max of each profile (Validate), whose
// dimensions must agree with d's wherever d's are not -1.
func validateDynamic(d *Description) error {
	v := &validator{}
	if len(d.Profiles) == 0 {
		v.errorf("the network has dynamic inputs but no optimization profile")
	}
	dynamic := map[string]*TensorDesc{}
	for _, in := range d.Inputs {
		for _, x := range in.Dims {
			if x < 0 {
				dynamic[in.Name] = in
			}
		}
	}
	for k, p := range d.Profiles {
		seen := map[string]bool{}
		for _, s := range p {
			in := dynamic[s.Input]
			if in == nil {
				v.errorf("profile %d: %q is not a dynamic input", k, s.Input)
				continue
			}
			seen[s.Input] = true
			for _, x := range []Dims{s.Min, s.Opt, s.Max} {
				if len(x) != len(in.Dims) {
					v.errorf("profile %d: input %q: dimensions %v, want rank %d", k, s.Input, x, len(in.Dims))
				}
			}
			if len(s.Min) != len(in.Dims) || len(s.Opt) != len(in.Dims) || len(s.Max) != len(in.Dims) {
				continue
			}
			for i, f := range in.Dims {
				if f >= 0 && (s.Min[i] != f || s.Opt[i] != f || s.Max[i] != f) {
					v.errorf("profile %d: input %q: dimension %d is fixed at %d", k, s.Input, i, f)
				}
				if s.Min[i] < 0 || s.Min[i] > s.Opt[i] || s.Opt[i] > s.Max[i] {
					v.errorf("profile %d: input %q: dimension %d has min %d, opt %d, max %d", k, s.Input, i, s.Min[i], s.Opt[i], s.Max[i])
				}
			}
		}
		for name := range dynamic {
			if !seen[name] {
				v.errorf("profile %d: dynamic input %q has no shapes", k, name)
			}
		}
	}
	if len(v.errs) > 0 {
		return v.result()
	}
	for k, p := range d.Profiles {
		for w, which := range []string{"min", "opt", "max"} {
			dims := map[string]Dims{}
			for _, s := range p {
				dims[s.Input] = [3]Dims{s.Min, s.Opt, s.Max}[w]
			}
			inst, err := Specialize(d, dims)
			if err == nil {
				err = Validate(inst)
			}
			if err == nil {
				err = agree(d, inst)
			}
			if err != nil {
				v.errorf("profile %d at its %s shapes: %v", k, which, err)
			}
		}
	}
	return v.result()
}

// agree checks that inst's tensors have d's dimensions wherever d's are
// not -1.
func agree(d, inst *Description) error {
	check := func(a, b *TensorDesc) error {
		if len(a.Dims) != len(b.Dims) {
			return fmt.Errorf("tensor %q has rank %d, its instance %d", a.Name, len(a.Dims), len(b.Dims))
		}
		for i, x := range a.Dims {
			if x >= 0 && b.Dims[i] != x {
				return fmt.Errorf("tensor %q has dimensions %v, its instance %v", a.Name, a.Dims, b.Dims)
			}
		}
		return nil
	}
	for i, l := range d.Layers {
		for j, o := range l.Outputs {
			if err := check(o, inst.Layers[i].Outputs[j]); err != nil {
				return err
			}
		}
	}
	return nil
}

// Generalize merges two static instances of one network, built at two
// different sizes of its dynamic dimensions, into the dynamic network: a's
// structure with -1 wherever a and b differ in a dimension. The two must
// have the same inputs, layers (kinds, names, parameters) and outputs: a
// parameter that differs depends on the sizes and cannot be expressed
// here, which is an error naming the layer.
func Generalize(a, b *Description, profiles []Profile) (*Description, error) {
	if len(a.Inputs) != len(b.Inputs) || len(a.Layers) != len(b.Layers) || len(a.Outputs) != len(b.Outputs) {
		return nil, fmt.Errorf("trt: the instances differ in structure (%d/%d inputs, %d/%d layers, %d/%d outputs)",
			len(a.Inputs), len(b.Inputs), len(a.Layers), len(b.Layers), len(a.Outputs), len(b.Outputs))
	}
	merge := func(x, y *TensorDesc) error {
		if x.Name != y.Name || x.Type != y.Type || len(x.Dims) != len(y.Dims) {
			return fmt.Errorf("trt: tensor %q differs between the instances", x.Name)
		}
		for i := range x.Dims {
			if x.Dims[i] != y.Dims[i] {
				x.Dims[i] = -1
			}
		}
		if !slices.Equal(x.ShapeValues, y.ShapeValues) {
			x.ShapeValues = nil // computed when the network runs
		}
		return nil
	}
	for i, in := range a.Inputs {
		if err := merge(in, b.Inputs[i]); err != nil {
			return nil, err
		}
	}
	for i, l := range a.Layers {
		m := b.Layers[i]
		if l.Type != m.Type || l.Name != m.Name || len(l.Outputs) != len(m.Outputs) || len(l.Inputs) != len(m.Inputs) {
			return nil, fmt.Errorf("trt: layer %d %q differs between the instances", i, l.Name)
		}
		if !reflect.DeepEqual(l.Params, m.Params) {
			return nil, fmt.Errorf("trt: layer %d %q (%v): its parameters depend on the dynamic sizes (%s vs %s), which needs shape tensors (not supported yet)", i, l.Name, l.Type, paramText(l.Params), paramText(m.Params))
		}
		for j, o := range l.Outputs {
			if err := merge(o, m.Outputs[j]); err != nil {
				return nil, err
			}
		}
	}
	a.Profiles = profiles
	return a, nil
}

// result returns v's violations as a *ValidationError, or nil.
func (v *validator) result() error {
	if len(v.errs) == 0 {
		return nil
	}
	return &ValidationError{Errs: v.errs, Truncated: v.truncated}
}

// RecordDynamic records the dynamic network that build makes (a generated
// builder, whose inputs have dimensions of -1) with the given profiles, as
// tfc's lowering does: build runs twice on Recorders whose AddInput puts
// sizes in place of the -1 dimensions (InstanceSizes of profile 0's
// ranges, as lower.LowerDynamic binds the symbols), and Generalize merges
// the two instances. An input dimension
// of -1 that profile 0 does not give is an error.
func RecordDynamic(build func(Network) error, profiles []Profile) (*Description, error) {
	if len(profiles) == 0 {
		return nil, errors.New("trt: RecordDynamic needs an optimization profile")
	}
	var inst [2]*Description
	for i := range inst {
		r := &instanceRecorder{Recorder: NewRecorder(), profile: profiles[0], second: i == 1}
		if err := build(r); err != nil {
			return nil, err
		}
		if r.err != nil {
			return nil, r.err
		}
		if errs := r.Errs(); len(errs) > 0 {
			return nil, errors.Join(errs...)
		}
		inst[i] = r.Description()
	}
	// Every -1 input dimension has different sizes in the two instances,
	// so Generalize gives it -1 again.
	return Generalize(inst[0], inst[1], profiles)
}

// instanceRecorder is a Recorder whose inputs take sizes from a profile
// in place of their -1 dimensions.
type instanceRecorder struct {
	*Recorder
	profile Profile
	second  bool
	err     error
}

func (r *instanceRecorder) AddInput(name string, typ DataType, dims Dims) Tensor {
	x := append(Dims{}, dims...)
	for i, v := range dims {
		if v >= 0 {
			continue
		}
		var s *ProfileShapes
		for k := range r.profile {
			if r.profile[k].Input == name {
				s = &r.profile[k]
			}
		}
		if s == nil || len(s.Opt) != len(dims) || len(s.Min) != len(dims) || len(s.Max) != len(dims) {
			if r.err == nil {
				r.err = fmt.Errorf("trt: input %q has dimensions %v, but profile 0 gives it no shapes of rank %d", name, dims, len(dims))
			}
			x[i] = 1
			continue
		}
		a, b := InstanceSizes(s.Min[i], s.Opt[i], s.Max[i])
		x[i] = a
		if r.second {
			x[i] = b
		}
	}
	return r.Recorder.AddInput(name, typ, x)
}

// InstanceSizes picks the two sizes of a dynamic dimension whose range in
// profile 0 is [lo, hi] (typical opt) at which a dynamic network is built
// as two static instances (lower.LowerDynamic, RecordDynamic): opt and
// another size in the range, preferring sizes ≥ 2 — at a size of 1 a
// lowering cannot tell a dimension that broadcasts from one that is
// merely 1 (dynamic_broadcast's strides) — and opt+1 when the range has
// one size.
func InstanceSizes(lo, opt, hi int64) (a, b int64) {
	a = opt
	if a < 2 && hi >= 2 {
		a = max(lo, 2)
	}
	for _, c := range []int64{hi, lo, a + 1, a - 1} {
		if c != a && c >= lo && c <= hi && c >= 2 {
			return a, c
		}
	}
	for _, c := range []int64{hi, lo} {
		if c != a {
			return a, c
		}
	}
	return a, a + 1
}
