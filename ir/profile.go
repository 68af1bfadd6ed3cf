package ir

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tfc-dev/tfc/tensor"
)

// A Profile is one optimization profile (TensorRT's term): for each input
// with symbolic dimensions, by input name, the smallest, the typical and
// the largest shape the program will run at. A program runs at input
// shapes that lie, dimension by dimension, between Min and Max of one of
// its profiles.
type Profile map[string]ShapeRange

// ShapeRange is the shapes of one input in a Profile.
type ShapeRange struct {
	Min, Opt, Max tensor.Shape
}

// CheckProfiles checks profiles against f's inputs and returns every
// problem at once, one line each: a name that is not an input, a rank that
// differs from the input's, a dimension the graph fixes given another
// value, a dimension with min > opt or opt > max, a symbolic input missing
// from a profile, and one symbol given different ranges in two inputs.
// Errors name the profile by index and the flag (min, opt, max) at fault.
func CheckProfiles(f *Func, profiles []Profile) error {
	inputs := map[string]Type{}
	var names []string
	for _, op := range f.Inputs() {
		inputs[op.Str("name")] = op.Results[0].Type
		names = append(names, op.Str("name"))
	}
	var errs []error
	bad := func(k int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("profile %d: %s", k, fmt.Sprintf(format, args...)))
	}
	for k, p := range profiles {
		given := make([]string, 0, len(p))
		for name := range p {
			given = append(given, name)
		}
		slices.Sort(given)
		type bound struct {
			input string
			v     [3]int
		}
		symbols := map[string]bound{}
		for _, name := range given {
			r := p[name]
			t, ok := inputs[name]
			if !ok {
				bad(k, "%q is not an input (inputs: %s)", name, strings.Join(names, ", "))
				continue
			}
			shapes := [3]tensor.Shape{r.Min, r.Opt, r.Max}
			rankOK := true
			for i, s := range shapes {
				if len(s) != t.Rank() {
					bad(k, "input %q: %s shape %v has rank %d, the input %v has rank %d", name, whichShape[i], s, len(s), t, t.Rank())
					rankOK = false
				}
			}
			if !rankOK {
				continue
			}
			for d := range t.Rank() {
				v := [3]int{r.Min[d], r.Opt[d], r.Max[d]}
				if c, ok := t.Dim(d).Value(); ok {
					for i := range v {
						if int64(v[i]) != c {
							bad(k, "input %q: dimension %d is fixed at %d by the graph, but the %s shape %v gives %d", name, d, c, whichShape[i], shapes[i], v[i])
						}
					}
					continue
				}
				if v[0] < 0 || v[0] > v[1] || v[1] > v[2] {
					bad(k, "input %q: dimension %d has min %d, opt %d, max %d; want 0 ≤ min ≤ opt ≤ max", name, d, v[0], v[1], v[2])
					continue
				}
				sym := t.Dim(d).Symbols()[0]
				if prev, ok := symbols[sym]; ok && prev.v != v {
					bad(k, "input %q: dimension %d is %s, which input %q gives as min/opt/max %d/%d/%d, not %d/%d/%d",
						name, d, sym, prev.input, prev.v[0], prev.v[1], prev.v[2], v[0], v[1], v[2])
				} else if !ok {
					symbols[sym] = bound{name, v}
				}
			}
			if _, err := r.Max.NumElements(); err != nil {
				bad(k, "input %q: max shape %v: %v", name, r.Max, err)
			}
		}
		for _, name := range names {
			if t := inputs[name]; t.Symbolic() && p[name].Min == nil {
				bad(k, "input %q (%v) has no shapes; give it in -min-shapes, -opt-shapes and -max-shapes", name, t)
			}
		}
	}
	return errors.Join(errs...)
}

var whichShape = [3]string{"min", "opt", "max"}

// Contains reports whether the shapes given for p's inputs lie between
// their Min and Max, dimension by dimension.
func (p Profile) Contains(shapes map[string]tensor.Shape) bool {
	for name, r := range p {
		s, ok := shapes[name]
		if !ok || len(s) != len(r.Min) {
			return false
		}
		for d := range s {
			if s[d] < r.Min[d] || s[d] > r.Max[d] {
				return false
			}
		}
	}
	return true
}
