package lower

import (
	"github.com/tfc-dev/tfc/ir"
)

// prelu → IParametricReLULayer (x ≥ 0 ? x : slope*x, NvInfer.h's
// addParametricReLU), the slope reshaped with leading 1s to x's rank
// (TensorRT broadcasts equal ranks only; a constant slope is emitted with
// those dimensions).
func init() {
	register(ir.OpPRelu, rule{lower: lowerPRelu})
}

func lowerPRelu(l *lowerer, op *ir.Op) error {
	x, s := op.Args[0], op.Args[1]
	slope := l.tensorRank(op, s, x.Type.Rank())
	l.set(op.Result(), l.named(op, "", l.net.AddParametricReLU(l.tensor(x), slope)))
	return nil
}
