package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// This file holds what the TF1 loop reconstruction (controlflow_v1.go) and
// the run-time TF1 conditionals (ops_cond_runtime.go) share: a subgraph
// imported on its own becomes a region function of the enclosing import.

// chainWeights looks a constant up in local first (the constants a region's
// subgraph reads from outside it), then in outer (the import's own lookup).
func chainWeights(local map[string]*tensor.Tensor, outer func(string) (*tensor.Tensor, error)) func(string) (*tensor.Tensor, error) {
	return func(name string) (*tensor.Tensor, error) {
		if t, ok := local[name]; ok {
			return t, nil
		}
		if outer != nil {
			return outer(name)
		}
		return nil, nil
	}
}

// regionFunc copies f, a subgraph imported on its own, into a new function
// named kind whose inputs are args (named names): f's input op named X
// becomes input argNode[X]. input vets each input name first (a name not in
// argNode included) and returns the error to report.
func regionFunc(kind string, f *ir.Func, names []string, args []*ir.Value, argNode map[string]int, outNames []string, input func(name string) error) (*ir.Func, error) {
	r := ir.NewFunc(kind)
	m := make(map[*ir.Value]*ir.Value, len(f.Ops))
	ins := make([]*ir.Value, len(args))
	for i := range args {
		ins[i] = r.Input(names[i], args[i].Type)
	}
	for _, op := range f.Ops {
		if op.Opcode == ir.OpInput {
			name := op.Str("name")
			if err := input(name); err != nil {
				return nil, err
			}
			m[op.Results[0]] = ins[argNode[name]]
			continue
		}
		r.AppendCopy(op, m)
	}
	for j, o := range f.Outputs {
		r.AddOutput(outNames[j], m[o.Value])
	}
	return r, nil
}
