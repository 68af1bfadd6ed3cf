package passes

import (
	"runtime"
	"sync"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

// fuse-bn and fuse-bias share one analysis, the affine chain: a conv,
// conv_transpose or matmul (the root) followed by elementwise ops that
// each combine the previous value with a constant that varies at most
// along the output-channel axis:
//
//	r = conv(x, w[, b])         channel axis 1
//	r = matmul(a, B)            channel axis -1 (N), B a constant
//	v = add(v, c), add(c, v), sub(v, c)           bias += c, -= c
//	v = mul(v, c), mul(c, v), div(v, c)           scale and bias *= c, /= c
//	v = neg(v), sub(c, v)                         scale and bias negated (+ c)
//	v = transpose(v)                              at most one; moves the channel axis
//
// Every intermediate value has a single use (and is no output), and no
// constant broadcasts the value to a larger shape. The chain's end then
// equals root_without_bias * S + B for per-channel vectors S, B, which the
// rewrite puts into the root: w' = w scaled per output channel by S (if
// any op scaled), bias' = B; a transpose in the chain is re-created after
// the new root. For matmul, which has no bias, B becomes one add of a
// constant [N] after it.
//
// fuse-bn takes chains with at least one scaling op (mul, div, neg,
// c - v), which needs constant weights; fuse-bias takes conv and
// conv_transpose chains of adds and subs only. Both work on f32 only:
// the arithmetic is done once in float64 and rounded, so results differ
// from the unfused ops' in the last bits (f16 would differ by more than
// Tolerance). The pass walks the ops once, forward, carrying each chain
// along as it grows.

// affineChain is a root op and the per-channel affine map (scale, bias)
// the ops after it apply.
type affineChain struct {
	inPlace bool // scale the weight constant in place (see fuseAffine)
	root    *ir.Op
	axis    int   // channel axis of the chain's current value
	perm    []int // the transpose in the chain, or nil
	permOp  *ir.Op
	scale   []float64 // per channel; the chain's value is root_nobias*scale + bias
	bias    []float64
	scaled  bool // an op multiplied (the weights change)
	biased  bool // the root has a bias or an op added a constant
	ops     int  // elementwise ops absorbed
	last    *ir.Value
}

// startChain returns the chain rooted at op, or nil if op cannot root one:
// a float32 conv or conv_transpose (with constant weights if scaling is
// allowed, and a constant bias if it has one) or, if scaling is allowed,
// a float32 matmul with a constant right-hand side.
func startChain(op *ir.Op, scaling bool) *affineChain {
	r := op.Result()
	if r.Type.DType != tensor.Float32 {
		return nil
	}
	c := &affineChain{root: op, last: r}
	switch op.Opcode {
	case ir.OpConv, ir.OpConvTranspose:
		if scaling && constOf(op.Args[1]) == nil {
			return nil
		}
		c.axis = 1
		n := r.Type.Shape[1]
		if n < 0 {
			return nil // symbolic channels: no per-channel constants
		}
		c.scale, c.bias = onesVec(n), make([]float64, n)
		if len(op.Args) == 3 {
			b := constOf(op.Args[2])
			if b == nil {
				return nil
			}
			for i := range c.bias {
				c.bias[i] = b.Float64At(i)
			}
			c.biased = true
		}
	case ir.OpMatMul:
		if !scaling || constOf(op.Args[1]) == nil {
			return nil
		}
		c.axis = r.Type.Rank() - 1
		n := r.Type.Shape[c.axis]
		if n < 0 {
			return nil
		}
		c.scale, c.bias = onesVec(n), make([]float64, n)
	default:
		return nil
	}
	return c
}

func onesVec(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = 1
	}
	return s
}

// perChannel returns the values of the constant t, broadcast against a
// value of shape shape, as one value per index along axis, if t varies
// along no other axis (and so broadcasts to no larger shape than shape).
func perChannel(t *tensor.Tensor, shape tensor.Shape, axis int) ([]float64, bool) {
	off := len(shape) - len(t.Shape)
	if off < 0 {
		return nil, false
	}
	along := false
	for i, d := range t.Shape {
		switch {
		case d == 1:
		case i+off == axis && d == shape[axis]:
			along = true
		default:
			return nil, false
		}
	}
	out := make([]float64, shape[axis])
	for o := range out {
		if along {
			out[o] = t.Float64At(o)
		} else {
			out[o] = t.Float64At(0)
		}
	}
	return out, true
}

// extend tries to absorb op into the chain ending at its operand v;
// scaling says whether mul, div, neg and c - v are allowed.
func (c *affineChain) extend(op *ir.Op, v *ir.Value, scaling bool) bool {
	if !op.Result().Type.Equal(v.Type) {
		return false
	}
	if op.Opcode == ir.OpNeg {
		if !scaling {
			return false
		}
		for i := range c.scale {
			c.scale[i], c.bias[i] = -c.scale[i], -c.bias[i]
		}
		c.scaled = true
		return true
	}
	vIsLeft := op.Args[0] == v
	other := op.Args[1]
	if !vIsLeft {
		other = op.Args[0]
	}
	if other == v {
		return false
	}
	t := constOf(other)
	if t == nil {
		return false
	}
	k, ok := perChannel(t, v.Type.Shape, c.axis)
	if !ok {
		return false
	}
	switch {
	case op.Opcode == ir.OpAdd:
		for i := range c.bias {
			c.bias[i] += k[i]
		}
		c.biased = true
	case op.Opcode == ir.OpSub && vIsLeft:
		for i := range c.bias {
			c.bias[i] -= k[i]
		}
		c.biased = true
	case op.Opcode == ir.OpSub && scaling: // k - v
		for i := range c.bias {
			c.scale[i], c.bias[i] = -c.scale[i], k[i]-c.bias[i]
		}
		c.scaled, c.biased = true, true
	case op.Opcode == ir.OpMul && scaling:
		for i := range c.bias {
			c.scale[i] *= k[i]
			c.bias[i] *= k[i]
		}
		c.scaled = true
	case op.Opcode == ir.OpDiv && vIsLeft && scaling:
		for _, x := range k {
			if x == 0 {
				return false
			}
		}
		for i := range c.bias {
			c.scale[i] /= k[i]
			c.bias[i] /= k[i]
		}
		c.scaled = true
	default:
		return false
	}
	return true
}

// fuseAffine runs fuse-bn (scaling) or fuse-bias (!scaling).
func fuseAffine(f *ir.Func, scaling bool) (bool, error) {
	uses := useCounts(f)
	chains := ir.NewValueMap[*affineChain](f) // the chain each value ends
	var all []*affineChain
	for _, op := range f.Ops {
		switch op.Opcode {
		case ir.OpConv, ir.OpConvTranspose, ir.OpMatMul:
			if c := startChain(op, scaling); c != nil {
				chains.Set(c.last, c)
				all = append(all, c)
			}
		case ir.OpTranspose:
			v := op.Args[0]
			c := chains.At(v)
			if c == nil || c.perm != nil || c.root.Opcode == ir.OpMatMul || uses.of(v) != 1 {
				continue
			}
			perm := op.Ints("perm")
			for j, p := range perm {
				if p == c.axis {
					c.axis = j
					break
				}
			}
			c.perm, c.permOp, c.last = perm, op, op.Result()
			chains.Set(c.last, c)
		case ir.OpAdd, ir.OpSub, ir.OpMul, ir.OpDiv, ir.OpNeg:
			for _, v := range op.Args {
				c := chains.At(v)
				if c == nil || uses.of(v) != 1 {
					continue
				}
				if c.extend(op, v, scaling) {
					c.ops++
					c.last = op.Result()
					chains.Set(c.last, c)
				}
				break
			}
		}
	}
	// A weight constant used by its conv alone, whose tensor no other
	// constant shares, is scaled in place: no second copy of a model's
	// weights (ResNet50: 100 MB).
	shared := map[*tensor.Tensor]int{}
	outs := outputSet(f)
	for _, op := range f.Ops {
		if op.Opcode == ir.OpConst {
			shared[op.Tensor("value")]++
		}
	}
	repl := make(map[*ir.Value]*ir.Value)
	for _, c := range all {
		if c.ops == 0 || c.scaled != scaling {
			continue
		}
		w := c.root.Args[1]
		c.inPlace = w.Op.Opcode == ir.OpConst && uses.of(w) == 1 && !outs[w] && shared[w.Op.Tensor("value")] == 1
		v, err := c.materialize(f)
		if err != nil {
			return false, err
		}
		repl[c.last] = v
	}
	if len(repl) == 0 {
		return false, nil
	}
	f.ReplaceValues(repl)
	// The new ops are at the end, after their users: sort before
	// RemoveDead, whose backward sweep relies on topological order.
	if err := f.TopoSort(); err != nil {
		return false, err
	}
	f.RemoveDead()
	return true, nil
}

// materialize builds the fused root (and transpose, or bias add) and
// returns the value that replaces the chain's end.
func (c *affineChain) materialize(f *ir.Func) (*ir.Value, error) {
	root := c.root
	args := append([]*ir.Value(nil), root.Args[:2]...)
	if c.scaled {
		w := constOf(root.Args[1])
		if c.inPlace {
			scaleWeightsInto(w.F32, root, w, c.scale) // args[1] stays the same constant
		} else {
			args[1] = f.Const(scaleWeights(root, w, c.scale), root.Args[1].Op.Loc)
		}
	}
	biasLoc := c.last.Op.Loc
	n := len(c.bias)
	bias := make([]float32, n)
	for i, b := range c.bias {
		bias[i] = float32(b)
	}
	attrs := root.Attrs.Map()
	if root.Opcode == ir.OpMatMul {
		v, err := f.Emit(ir.OpMatMul, args, attrs, root.Loc)
		if err != nil || !c.biased {
			return v, err
		}
		b := f.Const(tensor.FromF32(tensor.Shape{n}, bias), biasLoc)
		return f.Emit(ir.OpAdd, []*ir.Value{v, b}, nil, biasLoc)
	}
	if c.biased {
		args = append(args, f.Const(tensor.FromF32(tensor.Shape{n}, bias), biasLoc))
	}
	v, err := f.Emit(root.Opcode, args, attrs, root.Loc)
	if err != nil || c.perm == nil {
		return v, err
	}
	return f.Emit(ir.OpTranspose, []*ir.Value{v}, ir.Attrs{"perm": c.perm}, c.permOp.Loc)
}

// scaleWeights returns root's constant weights w with every weight of
// output channel o multiplied by s[o].
func scaleWeights(root *ir.Op, w *tensor.Tensor, s []float64) *tensor.Tensor {
	out := make([]float32, w.Len())
	scaleWeightsInto(out, root, w, s)
	return tensor.FromF32(w.Shape.Clone(), out)
}

// scaleWeightsInto writes w scaled per output channel into out, which may
// be w.F32 itself (each element is read once, before it is written).
func scaleWeightsInto(out []float32, root *ir.Op, w *tensor.Tensor, s []float64) {
	if w.Len() == 0 {
		return // nothing to scale; the divisions below need a non-empty shape
	}
	sh := w.Shape
	if root.Opcode == ir.OpConv && w.Len() > 0 {
		// [O, C/g, k...]: each output channel's weights are contiguous.
		per := w.Len() / sh[0]
		scale := func(lo, hi int) {
			kernels.ScaleRowsF32(out[lo*per:hi*per], w.F32[lo*per:hi*per], per, s[lo:hi])
		}
		// Big kernels (ResNet50 has 23M weights) are split over the cores.
		workers := min(runtime.GOMAXPROCS(0), sh[0])
		if workers < 2 || w.Len() < 1<<16 {
			scale(0, sh[0])
		} else {
			var wg sync.WaitGroup
			for k := range workers {
				lo, hi := k*sh[0]/workers, (k+1)*sh[0]/workers
				wg.Go(func() { scale(lo, hi) })
			}
			wg.Wait()
		}
		return
	}
	// channel maps a weight's flat index to its output channel.
	var channel func(i int) int
	switch root.Opcode {
	case ir.OpConv: // [O, C/g, k...]
		per := w.Len() / sh[0]
		channel = func(i int) int { return i / per }
	case ir.OpConvTranspose: // [C, O/g, k...], output channel G*O/g + o'
		og := sh[1]
		ks := w.Len() / (sh[0] * og)
		cg := sh[0] / root.Int("groups")
		channel = func(i int) int {
			c, o := i/(og*ks), (i/ks)%og
			return (c/cg)*og + o
		}
	case ir.OpMatMul: // [..., K, N] or, transposed, [..., N, K]
		r := len(sh)
		if root.Bool("transpose_b") {
			n, k := sh[r-2], sh[r-1]
			channel = func(i int) int { return (i / k) % n }
		} else {
			n := sh[r-1]
			channel = func(i int) int { return i % n }
		}
	}
	for i := range out {
		out[i] = float32(float64(w.F32[i]) * s[channel(i)])
	}
}

// fuseBN runs the affine chain analysis with scaling (batch norm).
func fuseBN(f *ir.Func, _ *Config) (bool, error) { return fuseAffine(f, true) }
