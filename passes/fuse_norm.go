package passes

import (
	"math"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// fuseNorm recognises L2 normalization spelled with elementwise ops and a
// sum, as tf.math.l2_normalize emits it (e a constant with one value;
// every intermediate value has a single use):
//
//	x * rsqrt(max(s, e)), x / sqrt(max(s, e))   (max's operands in either order)
//	  where s = reduce{sum, axes, keep_dims=true}(x * x) (or pow(x, 2))
//	                                       → l2_normalize{axes, epsilon=e}(x)
//	x * min(rsqrt(s), c), c > 0 (Keras's normalize and UnitNormalization:
//	  x / max(norm, 1/c))                  → l2_normalize{axes, epsilon=1/c²}(x)
//
// on f32 values: l2_normalize computes x / sqrt(max(s, e)) in f32, which
// differs from x * rsqrt(...) by a rounding of the reciprocal, within
// Tolerance. The walk goes backwards from the last op of each pattern and
// looks at five ops per match, so the pass is linear.
func fuseNorm(f *ir.Func, _ *Config) (bool, error) {
	m := &actMatcher{uses: useCounts(f), consumed: make(map[*ir.Op]bool), splats: make(map[*ir.Value]splatInfo)}
	type match struct {
		root *ir.Op
		x    *ir.Value
		axes []int
		eps  float64
	}
	var found []match // last op first
	for i := len(f.Ops) - 1; i >= 0; i-- {
		op := f.Ops[i]
		if m.consumed[op] || (op.Opcode != ir.OpMul && op.Opcode != ir.OpDiv) || op.Result().Type.DType != tensor.Float32 {
			continue
		}
		x, axes, eps, ops, ok := m.l2Normalize(op)
		if !ok {
			continue
		}
		for _, o := range ops {
			m.consumed[o] = true
		}
		found = append(found, match{op, x, axes, eps})
	}
	if len(found) == 0 {
		return false, nil
	}
	repl := make(map[*ir.Value]*ir.Value, len(found))
	for i := len(found) - 1; i >= 0; i-- {
		r := found[i]
		v, err := f.Emit(ir.OpL2Normalize, []*ir.Value{r.x}, ir.Attrs{"axes": r.axes, "epsilon": f32Short(r.eps)}, r.root.Loc)
		if err != nil {
			return false, err
		}
		repl[r.root.Result()] = v
	}
	f.ReplaceValues(repl)
	if err := f.TopoSort(); err != nil {
		return false, err
	}
	f.RemoveDead()
	return true, nil
}

// l2Normalize matches the pattern rooted at op (a mul or div) and
// returns x, the axes, epsilon and the ops absorbed.
func (m *actMatcher) l2Normalize(op *ir.Op) (x *ir.Value, axes []int, eps float64, ops []*ir.Op, ok bool) {
	want := ir.OpRsqrt
	if op.Opcode == ir.OpDiv {
		want = ir.OpSqrt
	}
	for i := range 2 {
		if op.Opcode == ir.OpDiv && i == 1 {
			break
		}
		x, r := op.Args[i], op.Args[1-i]
		if !x.Type.Equal(op.Result().Type) || !m.inner(r) {
			continue
		}
		var s *ir.Value
		var e float64
		var bound []*ir.Op // the max or min giving epsilon
		switch {
		case r.Op.Opcode == want:
			mx := r.Op.Args[0]
			if !m.inner(mx) || mx.Op.Opcode != ir.OpMax {
				continue
			}
			var isConst bool
			if s, e, _, isConst = m.binaryConst(mx.Op); !isConst || math.IsInf(e, 0) {
				continue
			}
			bound = []*ir.Op{r.Op, mx.Op}
		case op.Opcode == ir.OpMul && r.Op.Opcode == ir.OpMin:
			// min(rsqrt(s), c) = rsqrt(max(s, 1/c²)) for c > 0.
			rs, c, _, isConst := m.binaryConst(r.Op)
			if !isConst || !(c > 0) || math.IsInf(c, 0) || !m.inner(rs) || rs.Op.Opcode != ir.OpRsqrt {
				continue
			}
			s, e = rs.Op.Args[0], 1/(c*c)
			bound = []*ir.Op{r.Op, rs.Op}
		default:
			continue
		}
		if !m.inner(s) || s.Op.Opcode != ir.OpReduce {
			continue
		}
		red := s.Op
		if red.Str("kind") != "sum" || !red.Bool("keep_dims") || len(red.Ints("axes")) == 0 {
			continue
		}
		sq := red.Args[0]
		if !m.inner(sq) || !m.isSquareOf(sq.Op, x) {
			continue
		}
		return x, red.Ints("axes"), e, append(bound, op, red, sq.Op), true
	}
	return nil, nil, 0, nil, false
}

// isSquareOf reports whether op computes x*x (mul(x, x) or pow(x, 2)).
func (m *actMatcher) isSquareOf(op *ir.Op, x *ir.Value) bool {
	switch op.Opcode {
	case ir.OpMul:
		return op.Args[0] == x && op.Args[1] == x
	case ir.OpPow:
		e, ok := m.splat(op.Args[1])
		return ok && e == 2 && op.Args[0] == x
	}
	return false
}
