package lower

import (
	"fmt"

	"github.com/tfc-dev/tfc/ir"
)

// input → INetworkDefinition::addInput, named after the TensorFlow tensor.
// const → IConstantLayer, added at the constant's first use as a tensor
// (lowerer.tensor); constants consumed only as weights (conv kernels and
// biases) never become layers.
func init() {
	register(ir.OpInput, rule{lower: lowerInput})
	register(ir.OpConst, rule{check: checkConst, lower: func(*lowerer, *ir.Op) error { return nil }})
}

func lowerInput(l *lowerer, op *ir.Op) error {
	v := op.Result()
	t := l.net.AddInput(op.Str("name"), mustType(v.Type.DType), dims(v.Type.Shape))
	l.inputs[t] = true
	l.set(v, t)
	return nil
}

func checkConst(op *ir.Op) error {
	if ir.IsElided(op.Tensor("value")) {
		return fmt.Errorf("constant data was elided from the IR text (it was printed with -elide-consts)")
	}
	return nil
}
