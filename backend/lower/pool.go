package lower

import (
	"fmt"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
)

// pool → IPoolingLayer: kind max, max_skip_nan/avg → kMAX/kAVERAGE, window, strides,
// pads as pre/post padding (explicit, rounding down: the IR's output size),
// AverageCountExcludesPadding = !count_include_pad (TensorRT's max pooling
// never selects padding, as the IR). TensorRT pools 2-D and 3-D only: 1-D
// pooling runs as 2-D on [N, C, W, 1] between two Shuffles.
//
// NaN: TensorRT does not document how kMAX treats NaN; the reference
// executor propagates it (the IR's max) and takes -Inf for a window of
// -Inf. max_skip_nan (TensorFlow's 2-D MaxPool) skips NaN and never goes
// below the lowest finite value, so on inputs holding NaN or -Inf the
// TensorRT network differs from TensorFlow; matching it would cost a
// Select and an ElementWise around every max pooling layer, which tfc does
// not pay (the cases maxpool_nan_* record the difference).
func init() {
	register(ir.OpPool, rule{check: checkPool, lower: lowerPool})
}

func checkPool(op *ir.Op) error {
	if s := op.Args[0].Type.Rank() - 2; s > 3 {
		return fmt.Errorf("%d-D pooling (TensorRT pools 2-D and 3-D; 1-D is expanded)", s)
	}
	return nil
}

func lowerPool(l *lowerer, op *ir.Op) error {
	x, r := op.Args[0], op.Result()
	s := x.Type.Rank() - 2
	win := append([]int(nil), op.Ints("window")...)
	strides := append([]int(nil), op.Ints("strides")...)
	pads := op.Ints("pads")
	pre, post := append([]int(nil), pads[:s]...), append([]int(nil), pads[s:]...)
	in := l.tensor(x)
	expand := s == 1
	suffix := ""
	if expand {
		in = l.reshape(op, "to2d", in, dims(spatialTo2D(x.Type.Shape)))
		win, strides, pre, post = append(win, 1), append(strides, 1), append(pre, 0), append(post, 0)
		suffix = "pool2d"
	}
	typ := trt.PoolingMax
	if op.Str("kind") == "avg" {
		typ = trt.PoolingAverage
	}
	out := l.named(op, suffix, l.net.AddPoolingNd(in, trt.Pooling{
		Type:                        typ,
		WindowSize:                  dimsOf(win...),
		Stride:                      dimsOf(strides...),
		PrePadding:                  dimsOf(pre...),
		PostPadding:                 dimsOf(post...),
		PaddingMode:                 trt.PaddingExplicitRoundDown,
		AverageCountExcludesPadding: !op.Bool("count_include_pad"),
	}))
	if expand {
		out = l.reshape(op, "", out, dims(r.Type.Shape))
	}
	l.set(r, out)
	return nil
}
