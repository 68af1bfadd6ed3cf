package trt

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tfc-dev/tfc/internal/strset"
)

// MaxValidationErrors is how many violations Validate reports at most.
const MaxValidationErrors = 20

// ValidationError lists the violations Validate found (at most
// MaxValidationErrors; Truncated tells whether there were more).
type ValidationError struct {
	Errs      []error
	Truncated bool
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "trt: invalid network: %d violation", len(e.Errs))
	if len(e.Errs) != 1 {
		b.WriteByte('s')
	}
	if e.Truncated {
		b.WriteString(" (more not shown)")
	}
	for _, err := range e.Errs {
		b.WriteString("\n\t")
		b.WriteString(strings.TrimPrefix(err.Error(), "trt: "))
	}
	return b.String()
}

// Unwrap returns the violations, for errors.Is/As.
func (e *ValidationError) Unwrap() []error { return e.Errs }

type validator struct {
	errs      []error
	truncated bool
}

func (v *validator) add(err error) {
	if len(v.errs) >= MaxValidationErrors {
		v.truncated = true
		return
	}
	v.errs = append(v.errs, err)
}

func (v *validator) errorf(format string, args ...any) {
	v.add(fmt.Errorf("trt: "+format, args...))
}

func (v *validator) layerf(l *LayerDesc, index int, format string, args ...any) {
	v.add(&LayerError{Index: index, Name: l.Name, Type: l.Type, Rule: fmt.Sprintf(format, args...)})
}

// Validate checks a whole Description against TensorRT's documented
// restrictions and reports every violation (up to MaxValidationErrors) as a
// *ValidationError, each naming the layer (index, name, kind) or tensor and
// the rule broken. It applies the same per-layer rules as the Recorder (so a
// Description the Recorder built without error passes the layer rules) and
// in addition checks the graph: every layer input is a network input or an
// output of an earlier layer, every recorded output type and dimensions
// equal what the layer's rule computes, layer names are unique and
// non-empty, network input and output names are unique and non-empty,
// outputs are marked at most once and are not network inputs, the network
// has at least one output, every tensor has rank ≤ MaxDims and dimensions
// ≥ 0 (but a layer output's DataDependent dimensions, which follow from an
// NMS or NonZero layer's count; such a network output is sized when the
// network runs), and no layer
// is dead (none of its outputs consumed or marked).
func Validate(d *Description) error {
	v := &validator{}
	if d == nil {
		return &ValidationError{Errs: []error{fmt.Errorf("trt: nil Description")}}
	}
	if d.Dynamic() {
		return validateDynamic(d)
	}
	if len(d.Profiles) > 0 {
		return &ValidationError{Errs: []error{fmt.Errorf("trt: a network with no dynamic input has optimization profiles")}}
	}
	// Tensors are looked up by ID (dense in a Recorder's Description),
	// not hashed by pointer: this runs on every network built.
	n := maxTensorID(d) + 1
	avail, used := newTensorSet(n), newTensorSet(n)
	ids := newTensorsByID(n)
	// where describes the tensor's place for messages; it is only
	// called when something is wrong (formatting every tensor's place
	// up front was a tenth of compiling a large graph).
	checkTensor := func(t *TensorDesc, where func() string) {
		if prev := ids.get(t.ID); prev != nil {
			v.errorf("%s: tensor %q has ID %d, already used by tensor %q", where(), t.Name, t.ID, prev.Name)
		}
		ids.set(t.ID, t)
		if len(t.Dims) <= MaxDims && knownType(t.Type) {
			ok := true
			for _, x := range t.Dims {
				ok = ok && (x >= 0 || x == DataDependent && dataDependent(t))
			}
			if ok {
				return
			}
		}
		if len(t.Dims) > MaxDims {
			v.errorf("%s: tensor %q has rank %d > MaxDims %d", where(), t.Name, len(t.Dims), MaxDims)
		}
		for _, x := range t.Dims {
			if x < 0 {
				v.errorf("%s: tensor %q has dimensions %v with a negative value", where(), t.Name, t.Dims)
				break
			}
		}
		if !knownType(t.Type) {
			v.errorf("%s: tensor %q has unknown type %v", where(), t.Name, t.Type)
		}
	}

	inputNames := map[string]bool{}
	for i, t := range d.Inputs {
		if t == nil {
			v.errorf("network input %d is nil", i)
			continue
		}
		where := fmt.Sprintf("network input %d", i)
		if t.Name == "" {
			v.errorf("%s has an empty name", where)
		} else if inputNames[t.Name] {
			v.errorf("%s: duplicate input name %q", where, t.Name)
		}
		inputNames[t.Name] = true
		if t.Producer != nil {
			v.errorf("%s %q has a producer layer %q", where, t.Name, t.Producer.Name)
		}
		if avail.has(t) {
			v.errorf("%s %q is listed twice", where, t.Name)
		}
		checkTensor(t, func() string { return where })
		avail.add(t)
	}

	type backEdge struct {
		l *LayerDesc
		i int
		t *TensorDesc
	}
	var backEdges []backEdge
	names := strset.New(len(d.Layers))
	for i, l := range d.Layers {
		if l == nil {
			v.errorf("layer %d is nil", i)
			continue
		}
		if l.ID != i {
			v.layerf(l, i, "has ID %d, want its index %d", l.ID, i)
		}
		// One hash per layer: the insertion, which grows the set only
		// for a new name; the last earlier layer of a name met again is
		// looked for only then.
		added := names.Add(l.Name)
		if l.Name == "" {
			v.layerf(l, i, "has an empty name")
		} else if !added {
			j := i - 1
			for d.Layers[j] == nil || d.Layers[j].Name != l.Name {
				j--
			}
			v.layerf(l, i, "name is not unique: layer %d has the same name", j)
		}
		for j, t := range l.Inputs {
			if t == nil {
				continue // absent optional input; the rule reports required ones
			}
			used.add(t)
			if _, rec := l.Params.(Recurrence); rec && j == 1 {
				backEdges = append(backEdges, backEdge{l, i, t})
				continue // the back edge: checked at the end
			}
			if !avail.has(t) {
				v.layerf(l, i, "input %d %q is neither a network input nor an output of an earlier layer", j, t.Name)
			}
		}
		c := &checker{}
		params, outs := inferLayer(c, l.Type, l.Inputs, l.Params)
		var values [][]int64
		if len(c.msgs) == 0 {
			values = shapeValues(l.Type, l.Inputs, params, outs)
		}
		for _, m := range c.msgs {
			v.layerf(l, i, "%s", m)
		}
		if len(l.Outputs) != len(outs) {
			v.layerf(l, i, "has %d outputs, want %d", len(l.Outputs), len(outs))
		}
		for j, t := range l.Outputs {
			if t == nil {
				v.layerf(l, i, "output %d is nil", j)
				continue
			}
			if t.Producer != l || t.Index != j {
				v.layerf(l, i, "output %d %q does not record this layer as its producer (index %d)", j, t.Name, t.Index)
			}
			if avail.has(t) {
				v.layerf(l, i, "output %d %q is already defined", j, t.Name)
			}
			checkTensor(t, func() string { return fmt.Sprintf("layer %d %q (%v) output %d", i, l.Name, l.Type, j) })
			if j < len(outs) {
				if t.Type != outs[j].Type {
					v.layerf(l, i, "output %d %q has type %v, the layer computes %v", j, t.Name, t.Type, outs[j].Type)
				}
				if !t.Dims.Equal(outs[j].Dims) && outs[j].Dims != nil {
					v.layerf(l, i, "output %d %q has dimensions %v, the layer computes %v", j, t.Name, t.Dims, outs[j].Dims)
				}
				var want []int64
				if j < len(values) {
					want = values[j]
				}
				if !slices.Equal(t.ShapeValues, want) {
					v.layerf(l, i, "output %d %q has shape values %v, the layer computes %v", j, t.Name, t.ShapeValues, want)
				}
			}
			avail.add(t)
		}
	}

	for _, e := range backEdges {
		if !avail.has(e.t) {
			v.layerf(e.l, e.i, "next value %q is not a tensor of this network", e.t.Name)
		}
	}
	if len(v.errs) == 0 {
		v.validateControlFlow(d)
	}
	if len(d.Outputs) == 0 {
		v.errorf("the network has no outputs")
	}
	outNames := map[string]bool{}
	marked := map[*TensorDesc]bool{}
	for i, t := range d.Outputs {
		if t == nil {
			v.errorf("network output %d is nil", i)
			continue
		}
		where := fmt.Sprintf("network output %d %q", i, t.Name)
		switch {
		case t.Name == "":
			v.errorf("network output %d has an empty name", i)
		case outNames[t.Name]:
			v.errorf("%s: duplicate output name", where)
		case inputNames[t.Name]:
			v.errorf("%s: the name is also a network input's", where)
		}
		outNames[t.Name] = true
		if marked[t] {
			v.errorf("%s is marked twice", where)
		}
		marked[t] = true
		switch {
		case !avail.has(t):
			v.errorf("%s is not a tensor of this network", where)
		case t.Producer == nil:
			v.errorf("%s is a network input; marking an input as an output is an error", where)
		}
	}

	for i, l := range d.Layers {
		if l == nil || len(l.Outputs) == 0 {
			continue
		}
		live := false
		for _, t := range l.Outputs {
			if t != nil && (used.has(t) || marked[t]) {
				live = true
			}
		}
		if !live {
			v.layerf(l, i, "is dead: none of its outputs is consumed or marked as a network output")
		}
	}

	if len(v.errs) == 0 {
		return nil
	}
	return &ValidationError{Errs: v.errs, Truncated: v.truncated}
}

// dataDependent reports whether t may have DataDependent dimensions: a
// layer output (whose rule computed them from an NMS or NonZero layer's
// count), never a network input.
func dataDependent(t *TensorDesc) bool {
	return t.Producer != nil
}

// maxTensorID is the largest ID of d's network inputs and layer outputs
// (-1 if none), at most a bound proportional to their number: IDs beyond
// it are looked up by pointer.
func maxTensorID(d *Description) int {
	count, id := len(d.Inputs), -1
	for _, l := range d.Layers {
		if l != nil {
			count += len(l.Outputs)
		}
	}
	see := func(t *TensorDesc) {
		if t != nil && t.ID > id && t.ID < 2*count+16 {
			id = t.ID
		}
	}
	for _, t := range d.Inputs {
		see(t)
	}
	for _, l := range d.Layers {
		if l != nil {
			for _, t := range l.Outputs {
				see(t)
			}
		}
	}
	return id
}

// A tensorSet is a set of tensors: in a slot by ID where the tensor is
// the first of its ID and the ID is below the slots' count, else by
// pointer.
type tensorSet struct {
	byID  []*TensorDesc
	other map[*TensorDesc]bool
}

func newTensorSet(n int) tensorSet { return tensorSet{byID: make([]*TensorDesc, n)} }

func (s *tensorSet) has(t *TensorDesc) bool {
	if t.ID >= 0 && t.ID < len(s.byID) && s.byID[t.ID] == t {
		return true
	}
	return s.other[t]
}

func (s *tensorSet) add(t *TensorDesc) {
	if t.ID >= 0 && t.ID < len(s.byID) {
		switch s.byID[t.ID] {
		case nil:
			s.byID[t.ID] = t
			return
		case t:
			return
		}
	}
	if s.other == nil {
		s.other = map[*TensorDesc]bool{}
	}
	s.other[t] = true
}

// tensorsByID maps IDs to tensors, in a slice below its count.
type tensorsByID struct {
	low  []*TensorDesc
	high map[int]*TensorDesc
}

func newTensorsByID(n int) tensorsByID { return tensorsByID{low: make([]*TensorDesc, n)} }

func (m *tensorsByID) get(id int) *TensorDesc {
	if id >= 0 && id < len(m.low) {
		return m.low[id]
	}
	return m.high[id]
}

func (m *tensorsByID) set(id int, t *TensorDesc) {
	if id >= 0 && id < len(m.low) {
		m.low[id] = t
		return
	}
	if m.high == nil {
		m.high = map[int]*TensorDesc{}
	}
	m.high[id] = t
}
