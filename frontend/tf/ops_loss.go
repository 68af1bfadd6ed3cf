package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Loss ops left in exported graphs, forward value only:
// SoftmaxCrossEntropyWithLogits, SparseSoftmaxCrossEntropyWithLogits
// (both outputs, loss and backprop, as TensorFlow computes them:
// xent_op.h, sparse_xent_op.h) and L2Loss.

func init() {
	register("loss", "reduce{max} + sub + exp + reduce{sum} + log + mul + reduce{sum}; backprop: div + sub", convertSoftmaxXent, "SoftmaxCrossEntropyWithLogits")
	register("loss", "reduce{max} + sub + exp + reduce{sum} + log + select (one-hot) + reduce{sum}; backprop: div + sub", convertSoftmaxXent, "SparseSoftmaxCrossEntropyWithLogits")
	register("loss", "mul + mul + reduce{sum}", convertL2Loss, "L2Loss")
	differs("A run-time label outside [0, classes) gives loss log(Σexp) and no one-hot 1 (TensorFlow's CPU kernel fails).", "SparseSoftmaxCrossEntropyWithLogits")
}

// SoftmaxCrossEntropyWithLogits(logits, labels), rank 2 after numpy
// broadcasting of the two:
//
//	shifted = logits - max(logits, axis 1)
//	sum_exp = Σ exp(shifted) over axis 1
//	loss[b] = Σ labels · (log(sum_exp) - shifted) over axis 1
//	backprop = exp(shifted) / sum_exp - labels
//
// SparseSoftmaxCrossEntropyWithLogits(logits [B,C], labels [B] integer):
// loss[b] = log(sum_exp[b]) - shifted[b, labels[b]] and backprop =
// exp(shifted)/sum_exp - one_hot(labels). TensorFlow's CPU kernel rejects
// a label outside [0, C); constant labels are checked here, a run-time
// one out of range gives loss log(sum_exp) and a backprop row with no
// one subtracted.
func convertSoftmaxXent(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	logits, labels := vs[0], vs[1]
	dt := logits.Type.DType
	if !dt.IsFloat() || dt == tensor.Float64 {
		return n.errorf("logits have element type %v, want f32, f16 or bf16", dt)
	}
	sparse := n.op == "SparseSoftmaxCrossEntropyWithLogits"
	if sparse {
		if logits.Type.Rank() != 2 || labels.Type.Rank() != 1 || labels.Type.Shape[0] != logits.Type.Shape[0] {
			return n.errorf("logits %v and labels %v: want [batch, classes] and [batch]", logits.Type, labels.Type)
		}
		if ldt := labels.Type.DType; ldt != tensor.Int32 && ldt != tensor.Int64 {
			return n.errorf("labels have element type %v, want i32 or i64", ldt)
		}
		if t, ok := c.consts.Get(labels); ok {
			for i := range t.Len() {
				if l := t.Int64At(i); l < 0 || l >= int64(logits.Type.Shape[1]) {
					return n.errorf("label %d is outside the valid range [0, %d)", l, logits.Type.Shape[1])
				}
			}
		}
	} else {
		s, err := tensor.BroadcastShapes(logits.Type.Shape, labels.Type.Shape)
		if err != nil || len(s) != 2 {
			return n.errorf("logits %v and labels %v: want shapes that broadcast to rank 2", logits.Type, labels.Type)
		}
		if labels.Type.DType != dt {
			return n.errorf("logits %v and labels %v: want one element type", logits.Type, labels.Type)
		}
	}
	e := c.emitter(n, dt)
	red := func(kind string, v *ir.Value, keep bool) *ir.Value {
		return e.op(ir.OpReduce, ir.Attrs{"kind": kind, "axes": []int{1}, "keep_dims": keep}, v)
	}
	shifted := e.sub(logits, red("max", logits, true))
	ex := e.op(ir.OpExp, nil, shifted)
	sumExp := red("sum", ex, true)
	logSum := e.op(ir.OpLog, nil, sumExp)
	softmax := e.div(ex, sumExp)
	var loss, backprop *ir.Value
	if sparse {
		classes := make([]int64, logits.Type.Shape[1])
		for i := range classes {
			classes[i] = int64(i)
		}
		lv := e.reshape(labels, tensor.Shape{labels.Type.Shape[0], 1})
		hot := e.eq(lv, c.constant(n, intTensor(labels.Type.DType, classes)))
		picked := red("sum", e.sel(hot, shifted, e.k(0)), false)
		loss = e.sub(e.reshape(logSum, tensor.Shape{logits.Type.Shape[0]}), picked)
		backprop = e.sub(softmax, e.cast(hot, dt))
	} else {
		loss = red("sum", e.mul(labels, e.sub(logSum, shifted)), false)
		backprop = e.sub(softmax, labels)
	}
	if e.err != nil {
		return e.err
	}
	return c.bind(n, loss, backprop)
}

// L2Loss is Σ (t² · 0.5) over every element, a scalar, as l2loss_op.h.
func convertL2Loss(c *ctx, n *node) error {
	x, err := c.floatInput(n)
	if err != nil {
		return err
	}
	e := c.emitter(n, x.Type.DType)
	v := e.mul(e.mul(x, x), e.k(0.5))
	if r := x.Type.Rank(); r > 0 {
		axes := make([]int, r)
		for i := range axes {
			axes[i] = i
		}
		v = e.op(ir.OpReduce, ir.Attrs{"kind": "sum", "axes": axes, "keep_dims": false}, v)
	}
	if e.err != nil {
		return e.err
	}
	return c.bind(n, v)
}
