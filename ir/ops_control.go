package ir

import (
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

// Control flow: structured regions.
//
// An op with regions owns nested Funcs (Op.Regions), each a region: its
// input ops are the region's arguments (in program order), its outputs
// the values it yields (in order; their names are free, unique within
// the region). Regions are isolated from above: a region's ops use only
// values defined in that region, so every value that crosses a region
// boundary is an explicit operand or result of the op that owns it (as
// StableHLO's while and case, and unlike MLIR scf, which captures). This
// keeps passes honest: a pass that does not know about regions sees a
// while or if as one op with operands and results, and cannot move a value
// into or out of a loop behind its back. Value numbering, input names and
// value IDs are per region.
//
// Types inside regions are static: a loop-carried value keeps its type on
// every iteration (TensorFlow's shape invariants fully known), and both
// branches of an if yield the same types.

func init() {
	register(OpWhile, OpInfo{
		Name: "while", Family: "control", Summary: "loop: carried values, a condition region and a body region",
		MinArgs: 1, MaxArgs: -1, NumResults: -1, NumRegions: 2,
		Infer: inferWhile,
	})
	register(OpIf, OpInfo{
		Name: "if", Family: "control", Summary: "conditional: a predicate and a then and an else region",
		MinArgs: 1, MaxArgs: -1, NumResults: -1, NumRegions: 2,
		Infer: inferIf,
	})
}

// maxCarried bounds the operands of a control-flow op (and so the inputs
// and outputs of its regions); more is a malformed program.
const maxCarried = 1 << 12

// while: a loop over carried values.
//
//	%r0, ..., %rn = while(%v0, ..., %vn) : T0, ..., Tn {
//	  func @cond { n+1 inputs of types T0..Tn; return one bool[] }
//	  func @body { n+1 inputs of types T0..Tn; return n+1 values of types T0..Tn }
//	}
//
// Operands: the initial values v0..vn (at least one) of the carried
// values; any value types, static shapes. Regions: exactly two, cond and
// body. cond has one input per operand, of the operand's type (in order),
// and exactly one output, a bool scalar (bool[]). body has the same inputs
// and one output per operand, output i of operand i's type. Results: one
// per operand, of the operand's type.
//
// Semantics (TensorFlow's While): c := (v0..vn); while cond(c) is true,
// c := body(c); the results are c. If cond(v) is false at once the body
// never runs and the results are the operands (a zero-trip loop). Regions
// are pure functions of their inputs, so evaluating cond and body in this
// order is all there is; a carried value the body yields unchanged (output
// i is input i) is loop-invariant. A loop that does not end is not an
// error of the program but of the run: the interpreter bounds iterations
// (interp.MaxIterations).
//
// Errors: no operands, region count other than two, region input or
// output counts or types that do not match, a cond output that is not
// bool[], symbolic operand types.
func inferWhile(op *Op) ([]Type, error) {
	types, err := regionOperandTypes(op, op.Args)
	if err != nil {
		return nil, err
	}
	cond, body := op.Regions[0], op.Regions[1]
	if err := checkRegionInputs("cond", cond, types); err != nil {
		return nil, err
	}
	if err := checkRegionInputs("body", body, types); err != nil {
		return nil, err
	}
	if len(cond.Outputs) != 1 {
		return nil, fmt.Errorf("cond region returns %d values, want 1 (a bool[] predicate)", len(cond.Outputs))
	}
	if t := cond.Outputs[0].Value.Type; t.DType != tensor.Bool || t.Rank() != 0 {
		return nil, fmt.Errorf("cond region returns %v, want bool[]", t)
	}
	if err := checkRegionOutputs("body", body, types); err != nil {
		return nil, err
	}
	return types, nil
}

// if: a two-way conditional.
//
//	%r0, ..., %rm = if(%pred, %x0, ..., %xn) : U0, ..., Um {
//	  func @then { n+1 inputs of types T0..Tn (the xs); return m+1 values of types U0..Um }
//	  func @else { the same inputs; return m+1 values of types U0..Um }
//	}
//
// Operands: pred, a bool scalar (bool[]), then the values x0..xn (none or
// more) passed to the branch. Regions: exactly two, then and else, each
// with one input per x, of its type (in order), and the same number (at
// least one) of outputs, output j of one type Uj in both. Results: one per
// output, of type Uj.
//
// Semantics (TensorFlow's If): the results are then(x) if pred is true,
// else else(x). Only the taken branch is evaluated; since regions are pure,
// evaluating both and selecting gives the same results (a lowering may do
// that).
//
// Errors: pred not bool[], region count other than two, input or output
// counts or types that do not match, branches without outputs, symbolic
// operand types.
func inferIf(op *Op) ([]Type, error) {
	pred := op.Args[0].Type
	if pred.DType != tensor.Bool || pred.Rank() != 0 {
		return nil, fmt.Errorf("predicate is %v, want bool[]", pred)
	}
	types, err := regionOperandTypes(op, op.Args[1:])
	if err != nil {
		return nil, err
	}
	then, els := op.Regions[0], op.Regions[1]
	if err := checkRegionInputs("then", then, types); err != nil {
		return nil, err
	}
	if err := checkRegionInputs("else", els, types); err != nil {
		return nil, err
	}
	if len(then.Outputs) == 0 {
		return nil, fmt.Errorf("then region returns no values")
	}
	out := make([]Type, len(then.Outputs))
	for i, o := range then.Outputs {
		out[i] = o.Value.Type
	}
	if err := checkRegionOutputs("else", els, out); err != nil {
		return nil, err
	}
	return out, nil
}

// regionOperandTypes checks the shared structure of an op with regions and
// returns the types of the values passed to its regions.
func regionOperandTypes(op *Op, args []*Value) ([]Type, error) {
	info := op.Info()
	if len(op.Regions) != info.NumRegions {
		return nil, fmt.Errorf("has %d regions, want %d", len(op.Regions), info.NumRegions)
	}
	for i, r := range op.Regions {
		if r == nil {
			return nil, fmt.Errorf("region %d is nil", i)
		}
		for j, o := range r.Outputs {
			if o.Value == nil {
				return nil, fmt.Errorf("region %d output %d is nil", i, j)
			}
		}
	}
	if len(args) > maxCarried {
		return nil, fmt.Errorf("%d values passed to regions, at most %d", len(args), maxCarried)
	}
	types := make([]Type, len(args))
	for i, a := range args {
		if a.Type.Symbolic() {
			return nil, fmt.Errorf("operand %d has symbolic type %v; control flow needs static types", i, a.Type)
		}
		types[i] = a.Type
	}
	return types, nil
}

// checkRegionInputs checks that region r has one input per type, in order.
func checkRegionInputs(name string, r *Func, types []Type) error {
	in := r.Inputs()
	if len(in) != len(types) {
		return fmt.Errorf("%s region has %d inputs, want %d", name, len(in), len(types))
	}
	for i, op := range in {
		if len(op.Results) != 1 || op.Results[0] == nil {
			return fmt.Errorf("%s region input %d is malformed", name, i)
		}
		if got := op.Results[0].Type; !got.Equal(types[i]) {
			return fmt.Errorf("%s region input %d (%q) is %v, want %v", name, i, op.Attrs.Value("name"), got, types[i])
		}
	}
	return nil
}

// checkRegionOutputs checks that region r returns one value per type, in order.
func checkRegionOutputs(name string, r *Func, types []Type) error {
	if len(r.Outputs) != len(types) {
		return fmt.Errorf("%s region returns %d values, want %d", name, len(r.Outputs), len(types))
	}
	for i, o := range r.Outputs {
		if got := o.Value.Type; !got.Equal(types[i]) {
			return fmt.Errorf("%s region output %d (%q) is %v, want %v", name, i, o.Name, got, types[i])
		}
	}
	return nil
}

// LoopInvariant reports, for a while op, which carried values the body
// yields unchanged (body output i is body input i): their value is the
// operand on every iteration.
func LoopInvariant(op *Op) []bool {
	inv := make([]bool, len(op.Args))
	if op.Opcode != OpWhile || len(op.Regions) != 2 {
		return inv
	}
	body := op.Regions[1]
	in := body.Inputs()
	for i := range inv {
		if i < len(in) && i < len(body.Outputs) && body.Outputs[i].Value == in[i].Results[0] {
			inv[i] = true
		}
	}
	return inv
}
