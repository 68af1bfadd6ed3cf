package lower

import (
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
)

// Index-tuple ops.
//
//	gather_nd  IGatherLayer kND with NbElementWiseDims = batch_dims. The
//	           header allows 0 ≤ NbElementWiseDims < rank(data)-1, so when
//	           batch_dims reaches rank(data)-1 data gets a trailing unit
//	           dimension (a Shuffle) and the result loses it again.
//	           Out-of-range indices: the IR says error, TensorRT gathers 0.
func init() {
	register(ir.OpGatherND, rule{lower: lowerGatherND})
}

func lowerGatherND(l *lowerer, op *ir.Op) error {
	x, idx, r := op.Args[0], op.Args[1], op.Result()
	bd := op.Int("batch_dims")
	p := trt.Gather{Mode: trt.GatherND, NbElementWiseDims: int32(bd)}
	if bd > 0 && bd >= x.Type.Rank()-1 {
		xt := l.tensorAs(op, "unit_dim", x, dims(append(x.Type.Shape.Clone(), 1)))
		g := l.named(op, "gather", l.net.AddGather(xt, l.tensor(idx), p))
		l.set(r, l.reshape(op, "", g, dims(r.Type.Shape)))
		return nil
	}
	l.set(r, l.named(op, "", l.net.AddGather(l.tensor(x), l.tensor(idx), p)))
	return nil
}
