package tf

import (
	"github.com/tfc-dev/tfc/ir"
)

// TensorFlow's SELU constants (tensorflow/core/kernels/relu_op_functor.h).
const (
	seluAlpha = 1.6732632423543772848170429916717
	seluScale = 1.0507009873554804934193349852946
)

func init() {
	register("activation", "relu (integers: max with 0)", convertRelu, "Relu")
	register("activation", "clamp{min=0, max=6} (integers: max, min)", convertRelu6, "Relu6")
	register("activation", "elu{alpha=1}", convertUnaryActivation(ir.OpElu), "Elu")
	register("activation", "selu{alpha=1.67326..., gamma=1.05070...}", convertUnaryActivation(ir.OpSelu), "Selu")
	register("activation", "leaky_relu{alpha}", convertUnaryActivation(ir.OpLeakyRelu), "LeakyRelu")
	register("activation", "softplus", convertUnaryActivation(ir.OpSoftplus), "Softplus")
	register("activation", "softsign", convertUnaryActivation(ir.OpSoftsign), "Softsign")
	register("activation", "sigmoid", convertUnaryActivation(ir.OpSigmoid), "Sigmoid")
	register("activation", "tanh", convertUnaryActivation(ir.OpTanh), "Tanh")
	register("activation", "softmax{axis=-1}", convertSoftmax(ir.OpSoftmax), "Softmax")
	register("activation", "log_softmax{axis=-1}", convertSoftmax(ir.OpLogSoftmax), "LogSoftmax")
}

// Relu becomes relu; on integers (which the IR's relu does not take) it
// becomes max(x, 0).
func convertRelu(c *ctx, n *node) error {
	vs, err := c.inputs(n, 1, 1)
	if err != nil {
		return err
	}
	x := vs[0]
	var y *ir.Value
	if x.Type.DType.IsFloat() {
		y, err = c.emit(n, ir.OpRelu, nil, x)
	} else {
		y, err = c.emit(n, ir.OpMax, nil, x, c.scalar(n, x.Type.DType, 0))
	}
	if err != nil {
		return err
	}
	return c.bind(n, y)
}

// Relu6 becomes clamp{min=0, max=6}; on integers max(x, 0) then min(., 6).
func convertRelu6(c *ctx, n *node) error {
	vs, err := c.inputs(n, 1, 1)
	if err != nil {
		return err
	}
	x := vs[0]
	if x.Type.DType.IsFloat() {
		y, err := c.emit(n, ir.OpClamp, ir.Attrs{"min": 0.0, "max": 6.0}, x)
		if err != nil {
			return err
		}
		return c.bind(n, y)
	}
	y, err := c.emit(n, ir.OpMax, nil, x, c.scalar(n, x.Type.DType, 0))
	if err != nil {
		return err
	}
	if y, err = c.emit(n, ir.OpMin, nil, y, c.scalar(n, x.Type.DType, 6)); err != nil {
		return err
	}
	return c.bind(n, y)
}

// convertUnaryActivation translates a one-input activation into the IR
// unary op opc: Elu becomes elu{alpha=1}, Selu selu with TensorFlow's
// constants, LeakyRelu leaky_relu{alpha} (attribute alpha, default 0.2),
// and Softplus, Softsign, Sigmoid, Tanh the ops of the same name.
func convertUnaryActivation(opc ir.Opcode) converter {
	return func(c *ctx, n *node) error {
		vs, err := c.inputs(n, 1, 1)
		if err != nil {
			return err
		}
		var attrs ir.Attrs
		switch opc {
		case ir.OpElu:
			attrs = ir.Attrs{"alpha": 1.0}
		case ir.OpSelu:
			attrs = ir.Attrs{"alpha": seluAlpha, "gamma": seluScale}
		case ir.OpLeakyRelu:
			alpha, err := n.attrFloatOr("alpha", 0.2)
			if err != nil {
				return err
			}
			attrs = ir.Attrs{"alpha": alpha}
		}
		y, err := c.emit(n, opc, attrs, vs[0])
		if err != nil {
			return err
		}
		return c.bind(n, y)
	}
}

// Softmax and LogSoftmax become softmax and log_softmax over the last axis.
func convertSoftmax(opc ir.Opcode) converter {
	return func(c *ctx, n *node) error {
		vs, err := c.inputs(n, 1, 1)
		if err != nil {
			return err
		}
		x := vs[0]
		if x.Type.Rank() < 1 {
			return n.errorf("logits %v: want rank ≥ 1", x.Type)
		}
		y, err := c.emit(n, opc, ir.Attrs{"axis": x.Type.Rank() - 1}, x)
		if err != nil {
			return err
		}
		return c.bind(n, y)
	}
}
