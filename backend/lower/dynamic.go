package lower

import (
	"fmt"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
)

// LowerDynamic lowers a Func with symbolic dimensions to a TensorRT network
// with dynamic inputs (dimensions of -1) and one optimization profile per
// element of profiles (checked with ir.CheckProfiles).
//
// It lowers two static instances of f (ir.Specialize) at two different
// sizes of every symbol (trt.InstanceSizes), and merges them with trt.Generalize: the dimensions that differ
// become -1, and every layer must have the same parameters in both (a
// parameter that depends on the sizes, such as a reshape to a batch-sized
// shape, would need shape tensors, which the lowering does not build yet;
// that is an error naming the layer). The result is validated at the min,
// opt and max of every profile.
//
// First f itself must be valid (ir.Specialize) at the min and the max of
// every profile: some type rules hold only from a size on (a slice of
// x[:, -3:] needs S ≥ 3), and a TensorRT layer may not fail where the
// program does (a kWRAP slice wraps). The type rules' conditions on sizes
// are lower bounds, so holding at the min and the max they hold between.
func LowerDynamic(f *ir.Func, profiles []ir.Profile) (*trt.Description, error) {
	return LowerDynamicWith(f, profiles, Options{})
}

// LowerDynamicWith is LowerDynamic with lowering strategies other than
// the default (Options).
func LowerDynamicWith(f *ir.Func, profiles []ir.Profile, opts Options) (*trt.Description, error) {
	if len(profiles) == 0 {
		return nil, fmt.Errorf("lower: %s has symbolic dimensions; give optimization profiles (-min-shapes, -opt-shapes, -max-shapes)", firstSymbolic(f))
	}
	if err := ir.CheckProfiles(f, profiles); err != nil {
		return nil, err
	}
	if err := checkProfileBounds(f, profiles); err != nil {
		return nil, err
	}
	bindA, bindB := map[string]int64{}, map[string]int64{}
	var ranges []trt.ProfileShapes // profile 0, to copy for each profile
	for _, op := range f.Inputs() {
		t, name := op.Results[0].Type, op.Str("name")
		if !t.Symbolic() {
			continue
		}
		r := profiles[0][name]
		for i, d := range t.Dims {
			if d.IsConst() {
				continue
			}
			s := d.Symbols()[0]
			bindA[s], bindB[s] = trt.InstanceSizes(int64(r.Min[i]), int64(r.Opt[i]), int64(r.Max[i]))
		}
		ranges = append(ranges, trt.ProfileShapes{Input: name})
	}
	var inst [2]*trt.Description
	for i, bind := range []map[string]int64{bindA, bindB} {
		g, err := ir.Specialize(f, bind)
		if err != nil {
			return nil, fmt.Errorf("lower: %v", err)
		}
		net := trt.NewRecorder()
		sym := make(map[*ir.Op]*ir.Op, len(g.Ops))
		for k, op := range g.Ops {
			sym[op] = f.Ops[k] // Specialize makes one op per op, in order
		}
		if err := lowerFunc(g, net, sym, opts); err != nil {
			return nil, err
		}
		inst[i] = net.Description()
	}
	var tps []trt.Profile
	for _, p := range profiles {
		var tp trt.Profile
		for _, r := range ranges {
			s := p[r.Input]
			tp = append(tp, trt.ProfileShapes{Input: r.Input, Min: dims(s.Min), Opt: dims(s.Opt), Max: dims(s.Max)})
		}
		tps = append(tps, tp)
	}
	d, err := trt.Generalize(inst[0], inst[1], tps)
	if err != nil {
		return nil, fmt.Errorf("lower: %v", err)
	}
	return d, nil
}

// checkProfileBounds specializes f at the min and the max of every
// profile.
func checkProfileBounds(f *ir.Func, profiles []ir.Profile) error {
	for k, p := range profiles {
		for _, which := range []string{"min", "max"} {
			bind := map[string]int64{}
			for _, op := range f.Inputs() {
				t, name := op.Results[0].Type, op.Str("name")
				r := p[name]
				s := r.Min
				if which == "max" {
					s = r.Max
				}
				for i, d := range t.Dims {
					if !d.IsConst() {
						bind[d.Symbols()[0]] = int64(s[i])
					}
				}
			}
			if _, err := ir.Specialize(f, bind); err != nil {
				return fmt.Errorf("lower: profile %d: at the %s shapes: %v", k, which, err)
			}
		}
	}
	return nil
}

func firstSymbolic(f *ir.Func) string {
	for _, op := range f.Inputs() {
		if t := op.Results[0].Type; t.Symbolic() {
			return fmt.Sprintf("input %q (%v)", op.Str("name"), t)
		}
	}
	return "the function"
}
