package passes

import (
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// foldWeights establishes the canonical form's weights rule, which the
// backend relies on (backend/lower checks it): an operand the backend
// needs as data — the kernel and the bias of conv and conv_transpose
// (TensorRT Weights) and the indices of scatter_nd — is a const, a kernel
// that is an FP8 weight pair (IsFP8WeightPair: TensorRT runs it as its FP8
// convolution), or computed from an input. So every other constant
// expression in such an operand is folded here, whatever cfg.FoldLimit, op
// by op with interp.EvalOp as fold does (bit for bit what it computes at
// run time). Only the operand is replaced: other users of the expression
// keep it. An expression with an elided constant or an op with regions is
// left alone, and so is one whose evaluation fails (the backend then
// reports it).
func foldWeights(f *ir.Func, _ *Config) (bool, error) {
	w := weightFolder{f: f, foldable: map[*ir.Op]bool{}, vals: map[*ir.Value]*tensor.Tensor{}}
	changed := false
	ops := f.Ops // f.Const appends to f.Ops
	for _, op := range ops {
		for _, i := range WeightOperands(op) {
			v := op.Args[i]
			if v.Op.Opcode == ir.OpConst || i == 1 && IsFP8WeightPair(v) || !w.isFoldable(v.Op) {
				continue
			}
			t, ok := w.eval(v)
			if !ok {
				continue
			}
			op.Args[i] = f.Const(t, v.Op.Loc)
			changed = true
		}
	}
	if !changed {
		return false, nil
	}
	if err := f.TopoSort(); err != nil {
		return true, err
	}
	f.RemoveDead()
	return true, nil
}

// WeightOperands returns the indices of op's operands that the backend
// needs as data (see foldWeights): 1 and 2 of conv and conv_transpose,
// 0 of scatter_nd.
func WeightOperands(op *ir.Op) []int {
	switch op.Opcode {
	case ir.OpConv, ir.OpConvTranspose:
		if len(op.Args) == 3 {
			return []int{1, 2}
		}
		return []int{1}
	case ir.OpScatterND:
		return []int{0}
	}
	return nil
}

// IsFP8WeightPair reports whether v is the dequantize of an f8e4m3
// quantize: as a conv kernel, TensorRT's FP8 convolution pattern (Constant
// → Quantize → Dequantize → the kernel input), which stays layers, and
// fold keeps such pairs too. (TensorRT-RTX refuses the same pattern in
// INT8, so INT8 weight pairs are folded.)
func IsFP8WeightPair(v *ir.Value) bool {
	return v.Op.Opcode == ir.OpDequantize && v.Op.Args[0].Op.Opcode == ir.OpQuantize && v.Op.Args[0].Op.Str("type") == "f8e4m3"
}

// weightFolder evaluates the constant expressions of one Func.
type weightFolder struct {
	f        *ir.Func
	foldable map[*ir.Op]bool // op computes a constant expression foldWeights folds
	vals     map[*ir.Value]*tensor.Tensor
}

// isFoldable reports whether op and everything above it are constants
// with data or ops over them other than input and ops with regions. Each
// op is decided once.
func (w *weightFolder) isFoldable(op *ir.Op) bool {
	if ok, seen := w.foldable[op]; seen {
		return ok
	}
	// Depth-first without recursion: an op is decided once its operands are.
	stack := []*ir.Op{op}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		if _, seen := w.foldable[top]; seen {
			stack = stack[:len(stack)-1]
			continue
		}
		switch {
		case top.Opcode == ir.OpConst:
			w.foldable[top] = constOf(top.Result()) != nil
		case top.Opcode == ir.OpInput, len(top.Regions) > 0:
			w.foldable[top] = false
		default:
			ok, pending := true, false
			for _, a := range top.Args {
				done, seen := w.foldable[a.Op]
				if !seen {
					stack = append(stack, a.Op)
					pending = true
				} else {
					ok = ok && done
				}
			}
			if pending {
				continue
			}
			w.foldable[top] = ok
		}
		stack = stack[:len(stack)-1]
	}
	return w.foldable[op]
}

// eval returns the value of v, a foldable expression, or false when an op
// in it fails to evaluate.
func (w *weightFolder) eval(v *ir.Value) (*tensor.Tensor, bool) {
	if t := constOf(v); t != nil {
		return t, true
	}
	if t, ok := w.vals[v]; ok {
		return t, t != nil
	}
	args := make([]*tensor.Tensor, len(v.Op.Args))
	for i, a := range v.Op.Args {
		t, ok := w.eval(a)
		if !ok {
			w.vals[v] = nil
			return nil, false
		}
		args[i] = t
	}
	res, err := interp.EvalOp(v.Op, args)
	if err != nil || !resultsMatch(v.Op, res) {
		w.vals[v] = nil
		return nil, false
	}
	for i, r := range v.Op.Results {
		if sharesStorage(res[i], args) {
			res[i] = res[i].Clone() // reshape returns a view of its operand
		}
		w.vals[r] = res[i]
	}
	return w.vals[v], true
}
