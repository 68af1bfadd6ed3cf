package lower

import (
	"fmt"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
)

// Running sums and products.
//
//	cumulative{sum}   ICumulativeLayer kSUM, axis, exclusive and reverse as
//	                  given (the same order of accumulation).
//	cumulative{prod}  TensorRT has only kSUM: a log-step (Hillis–Steele)
//	                  scan of ElementWise kPROD layers, each multiplying by
//	                  the partial products shifted 1, 2, 4, ... places along
//	                  the axis (an ISliceLayer kFILL whose fill is 1);
//	                  exclusive first shifts the input by one. The products
//	                  associate differently from TensorFlow's left-to-right
//	                  ones: exact for integers (mod 2^32/2^64), within
//	                  rounding for floats.
func init() {
	register(ir.OpCumulative, rule{lower: lowerCumulative})
}

func lowerCumulative(l *lowerer, op *ir.Op) error {
	x, r := op.Args[0], op.Result()
	axis, exclusive, reverse := op.Int("axis"), op.Bool("exclusive"), op.Bool("reverse")
	if op.Str("kind") == "sum" {
		l.set(r, l.named(op, "", l.net.AddCumulative(l.tensor(x), trt.Cumulative{
			Axis: int32(axis), Operation: trt.CumulativeSum, Exclusive: exclusive, Reverse: reverse,
		})))
		return nil
	}
	s := x.Type.Shape
	rank, n := len(s), s[axis]
	one := l.scalar(op, "one", x.Type.DType, 1, 0)
	// shift moves t by d places along axis (toward higher indices, or
	// lower when reverse), filling with 1.
	shift := func(suffix string, t trt.Tensor, d int) trt.Tensor {
		start := make(trt.Dims, rank)
		start[axis] = int64(-d)
		if reverse {
			start[axis] = int64(d)
		}
		return l.named(op, suffix, l.net.AddSlice(t, trt.Slice{
			Start: start, Size: dims(s), Stride: ones(rank), Mode: trt.SampleFill, Fill: one,
		}))
	}
	t := l.tensor(x)
	if exclusive {
		t = shift("exclusive", t, 1)
	}
	step := 0
	for d := 1; d < n; d *= 2 {
		sh := shift(fmt.Sprintf("shift%d", d), t, d)
		t = l.elementwise(op, fmt.Sprintf("step%d", step), t, sh, trt.ElementWiseProd)
		step++
	}
	if t == l.tensor(x) {
		t = l.named(op, "", l.net.AddIdentity(t))
	}
	l.set(r, t)
	return nil
}
