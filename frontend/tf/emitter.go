package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// An emitter emits the IR ops of one node's composition and keeps the
// first error, so that a converter built from many small ops reads as the
// formula it computes. Once an op fails, every later call returns nil
// without emitting; the converter checks err once, before binding.
type emitter struct {
	c   *ctx
	n   *node
	dt  tensor.DType // the element type of the scalars k makes
	err error
}

func (c *ctx) emitter(n *node, dt tensor.DType) *emitter {
	return &emitter{c: c, n: n, dt: dt}
}

// op emits opc on args (none nil) and returns its result.
func (e *emitter) op(opc ir.Opcode, attrs ir.Attrs, args ...*ir.Value) *ir.Value {
	if e.err != nil {
		return nil
	}
	for _, a := range args {
		if a == nil {
			return nil
		}
	}
	v, err := e.c.emit(e.n, opc, attrs, args...)
	if err != nil {
		e.err = err
		return nil
	}
	return v
}

// k is a scalar constant of the emitter's element type.
func (e *emitter) k(v float64) *ir.Value { return e.c.scalar(e.n, e.dt, v) }

// kf32 is a scalar constant holding v rounded to float32 first, for
// constants that TensorFlow's kernels compute in float (T(2) / T(6)).
func (e *emitter) kf32(v float32) *ir.Value { return e.k(float64(v)) }

func (e *emitter) add(a, b *ir.Value) *ir.Value { return e.op(ir.OpAdd, nil, a, b) }
func (e *emitter) sub(a, b *ir.Value) *ir.Value { return e.op(ir.OpSub, nil, a, b) }
func (e *emitter) mul(a, b *ir.Value) *ir.Value { return e.op(ir.OpMul, nil, a, b) }
func (e *emitter) div(a, b *ir.Value) *ir.Value { return e.op(ir.OpDiv, nil, a, b) }
func (e *emitter) max(a, b *ir.Value) *ir.Value { return e.op(ir.OpMax, nil, a, b) }
func (e *emitter) min(a, b *ir.Value) *ir.Value { return e.op(ir.OpMin, nil, a, b) }
func (e *emitter) eq(a, b *ir.Value) *ir.Value  { return e.op(ir.OpEqual, nil, a, b) }
func (e *emitter) ne(a, b *ir.Value) *ir.Value  { return e.op(ir.OpNotEqual, nil, a, b) }
func (e *emitter) lt(a, b *ir.Value) *ir.Value  { return e.op(ir.OpLess, nil, a, b) }
func (e *emitter) le(a, b *ir.Value) *ir.Value  { return e.op(ir.OpLessEqual, nil, a, b) }
func (e *emitter) gt(a, b *ir.Value) *ir.Value  { return e.op(ir.OpGreater, nil, a, b) }
func (e *emitter) ge(a, b *ir.Value) *ir.Value  { return e.op(ir.OpGreaterEqual, nil, a, b) }
func (e *emitter) or(a, b *ir.Value) *ir.Value  { return e.op(ir.OpOr, nil, a, b) }
func (e *emitter) and(a, b *ir.Value) *ir.Value { return e.op(ir.OpAnd, nil, a, b) }
func (e *emitter) abs(a *ir.Value) *ir.Value    { return e.op(ir.OpAbs, nil, a) }
func (e *emitter) floor(a *ir.Value) *ir.Value  { return e.op(ir.OpFloor, nil, a) }

// sel is select(cond, a, b).
func (e *emitter) sel(cond, a, b *ir.Value) *ir.Value { return e.op(ir.OpSelect, nil, cond, a, b) }

func (e *emitter) cast(a *ir.Value, dt tensor.DType) *ir.Value {
	if a != nil && a.Type.DType == dt {
		return a
	}
	return e.op(ir.OpCast, ir.Attrs{"to": dt}, a)
}

func (e *emitter) clamp(a *ir.Value, lo, hi float64) *ir.Value {
	return e.op(ir.OpClamp, ir.Attrs{"min": lo, "max": hi}, a)
}

func (e *emitter) reshape(a *ir.Value, shape tensor.Shape) *ir.Value {
	if e.err != nil || a == nil {
		return nil
	}
	v, err := e.c.reshape(e.n, a, shape)
	if err != nil {
		e.err = err
	}
	return v
}

// channel is v[..., i:i+1] (the last axis kept, of size 1).
func (e *emitter) channel(v *ir.Value, i int) *ir.Value {
	if e.err != nil {
		return nil
	}
	r := v.Type.Rank()
	start, size := make([]int, r), append([]int(nil), v.Type.Shape...)
	start[r-1], size[r-1] = i, 1
	s, err := e.c.slice(e.n, v, start, size, ones(r))
	if err != nil {
		e.err = err
	}
	return s
}

// oneOf is a bool tensor: x equals one of the constants ks.
func (e *emitter) oneOf(x *ir.Value, ks ...float64) *ir.Value {
	var r *ir.Value
	for _, k := range ks {
		b := e.eq(x, e.k(k))
		if r == nil {
			r = b
		} else {
			r = e.or(r, b)
		}
	}
	return r
}
