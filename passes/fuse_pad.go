package passes

import (
	"math"
	"slices"

	"github.com/tfc-dev/tfc/ir"
)

// fusePad folds pad ops into the conv or pool that reads them (Keras
// ZeroPadding2D before a VALID conv or pool, TensorFlow's explicit
// padding), when the result is exactly the same:
//
//	conv(pad(x, value=0))                        → conv(x) with the pads added
//	pool{avg, count_include_pad}(pad(x, value=0)) → pool(x) with the pads added
//	pool{avg, no pads}(pad(x, value=0))          → pool{count_include_pad=true}(x)
//	pool{max}(pad(x, value=v))                   → pool(x) with the pads added,
//	                                                if v = -inf or v ≤ every element of x
//
// conv pads with zeros, so zero padding is the same computation. An
// average counting pad positions divides by the window size, like one
// counting the explicit zeros; zeros add nothing to the sum. A max pool
// ignores its padding: that equals padding with v when v never beats a
// real element, which holds when v = -inf or when x is known to be ≥ v
// because of the op that computes it (relu, clamp, sigmoid, ...; see
// lowerBound) — every window keeps at least one element of x, since the
// IR requires each pool pad to be smaller than the window. Other pad
// values (and other modes) are left alone: a zero pad before a max pool
// of values that may be negative is not the same as pool padding. One
// caveat on bit-exactness: where v equals the bound and a window's
// maximum is a zero (relu passes -0 through), the padded pool may return
// +0 from the pad and the fused one -0; the values compare equal.
//
// The pad must be mode "constant", pad only the spatial dimensions (not
// N or C) and have a single use. A transpose between the pad and its
// reader (the NHWC form before layout runs) is allowed: the pads are
// permuted and the transpose re-created on the unpadded input. The
// result pool pads must stay smaller than the window.
func fusePad(f *ir.Func, _ *Config) (bool, error) {
	uses := useCounts(f)
	repl := make(map[*ir.Value]*ir.Value)
	for _, op := range f.Ops {
		if op.Opcode != ir.OpConv && op.Opcode != ir.OpPool {
			continue
		}
		v := op.Args[0]
		var tr *ir.Op
		if v.Op.Opcode == ir.OpTranspose && uses.of(v) == 1 {
			tr, v = v.Op, v.Op.Args[0]
		}
		pad := v.Op
		if pad.Opcode != ir.OpPad || uses.of(v) != 1 || pad.Str("mode") != "constant" {
			continue
		}
		r := v.Type.Rank()
		pp := pad.Ints("pads")
		perm := make([]int, r)
		for i := range perm {
			perm[i] = i
		}
		if tr != nil {
			perm = tr.Ints("perm")
		}
		// begin and end pads of the reader's input dimension j.
		begin := func(j int) int { return pp[perm[j]] }
		end := func(j int) int { return pp[r+perm[j]] }
		if begin(0) != 0 || end(0) != 0 || begin(1) != 0 || end(1) != 0 {
			continue
		}
		s := r - 2
		pads := slices.Clone(op.Ints("pads"))
		for j := range s {
			pads[j] += begin(2 + j)
			pads[s+j] += end(2 + j)
		}
		attrs := op.Attrs.Map()
		attrs["pads"] = pads
		value := pad.Float("value")
		ok := false
		switch {
		case op.Opcode == ir.OpConv:
			ok = value == 0
		case op.Str("kind") == "avg":
			ok = value == 0 && (op.Bool("count_include_pad") || !slices.ContainsFunc(op.Ints("pads"), func(p int) bool { return p != 0 }))
			attrs["count_include_pad"] = true
		default: // max
			ok = math.IsInf(value, -1) || value <= knownLowerBound(pad.Args[0])
		}
		if op.Opcode == ir.OpPool {
			win := op.Ints("window")
			for j := range s {
				ok = ok && pads[j] < win[j] && pads[s+j] < win[j]
			}
		}
		if !ok {
			continue
		}
		x := pad.Args[0]
		if tr != nil {
			var err error
			if x, err = f.Emit(ir.OpTranspose, []*ir.Value{x}, ir.Attrs{"perm": perm}, tr.Loc); err != nil {
				return false, err
			}
		}
		args := slices.Clone(op.Args)
		args[0] = x
		nv, err := f.Emit(op.Opcode, args, attrs, op.Loc)
		if err != nil {
			return false, err
		}
		repl[op.Result()] = nv
	}
	if len(repl) == 0 {
		return false, nil
	}
	f.ReplaceValues(repl)
	if err := f.TopoSort(); err != nil {
		return false, err
	}
	f.RemoveDead()
	return true, nil
}

// knownLowerBound returns a value every element of v is known to be ≥ (NaN
// aside), from the op that computes it, or -inf.
func knownLowerBound(v *ir.Value) float64 {
	op := v.Op
	switch op.Opcode {
	case ir.OpRelu, ir.OpSigmoid, ir.OpHardSigmoid, ir.OpExp, ir.OpAbs, ir.OpSqrt, ir.OpSoftplus:
		return 0
	case ir.OpClamp:
		return op.Float("min")
	case ir.OpMax:
		lo := math.Inf(-1)
		for _, a := range op.Args {
			// Small constants only: the scan is per pool, and a
			// large constant may be shared by many.
			if t := constOf(a); t != nil && t.Len() > 0 && t.Len() <= 64 {
				m := math.Inf(1)
				for i := range t.Len() {
					m = min(m, t.Float64At(i))
				}
				lo = max(lo, m)
			}
		}
		return lo
	}
	return math.Inf(-1)
}
