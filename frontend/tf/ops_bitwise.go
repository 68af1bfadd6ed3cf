package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Bitwise ops on i32 and i64: BitwiseAnd, BitwiseOr, BitwiseXor, Invert,
// LeftShift, RightShift. TensorRT has no bitwise layer on integers (its
// ElementWise AND/OR/XOR take bool), so each becomes integer arithmetic
// that is exact in two's complement and never overflows:
//
//   - and/or/xor split both operands into bytes (floor division by
//     256^k on a new last axis, then floor_mod 256: the two's-complement
//     bytes, also for negative values), look each byte pair up in a
//     constant 65536-entry table (gather), give the top byte its sign
//     (≥ 128 → -256) and sum the bytes weighted by 256^k;
//   - invert is -1 - x;
//   - shifts clamp the count to [0, bits-1] as TensorFlow's kernels do
//     (cwise_ops.h), then RightShift is floor division by 2^s (in two
//     steps for s = bits-1, whose power is out of range; floor division
//     is the arithmetic shift), and LeftShift is the low bits-1-s bits
//     times 2^s plus bit (bits-1-s) times the lowest value (the unsigned
//     shift's wrap-around), or x itself for s = 0.

func init() {
	for _, op := range []string{"BitwiseAnd", "BitwiseOr", "BitwiseXor"} {
		register("bitwise", "floor_div + floor_mod into bytes + gather (byte table) + mul + reduce{sum}", convertBitwise, op)
	}
	register("bitwise", "sub (-1 - x)", convertInvert, "Invert")
	register("bitwise", "clamp (max + min) + gather (powers of 2) + floor_mod + floor_div + mul + add + select", convertShift, "LeftShift")
	register("bitwise", "clamp (max + min) + gather (powers of 2) + floor_div", convertShift, "RightShift")
}

func bitwiseDType(n *node, vs ...*ir.Value) (tensor.DType, int, error) {
	dt := vs[0].Type.DType
	for _, v := range vs[1:] {
		if v.Type.DType != dt {
			return 0, 0, n.errorf("operands have element types %v and %v", dt, v.Type.DType)
		}
	}
	switch dt {
	case tensor.Int32:
		return dt, 32, nil
	case tensor.Int64:
		return dt, 64, nil
	}
	return 0, 0, n.errorf("element type %v: tfc computes bitwise ops on i32 and i64 only", dt)
}

func bitwiseByte(op string, a, b int) int {
	switch op {
	case "BitwiseAnd":
		return a & b
	case "BitwiseOr":
		return a | b
	}
	return a ^ b
}

func convertBitwise(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	dt, bits, err := bitwiseDType(n, vs...)
	if err != nil {
		return err
	}
	nb := bits / 8
	table := make([]int32, 1<<16)
	for a := range 256 {
		for b := range 256 {
			table[a<<8|b] = int32(bitwiseByte(n.op, a, b))
		}
	}
	w := make([]int64, nb)
	for k := range nb {
		w[k] = int64(1) << (8 * k)
	}
	weights, top := intTensor(dt, w), tensor.MustNew(tensor.Bool, tensor.Shape{nb})
	top.B[nb-1] = true
	e := c.emitter(n, dt)
	bytes := func(v *ir.Value) *ir.Value {
		v = e.reshape(v, append(append(tensor.Shape(nil), v.Type.Shape...), 1))
		return e.op(ir.OpFloorMod, nil, e.op(ir.OpFloorDiv, nil, v, c.constant(n, weights)), e.k(256))
	}
	idx := e.add(e.mul(bytes(vs[0]), e.k(256)), bytes(vs[1]))
	r := e.op(ir.OpGather, ir.Attrs{"axis": 0, "batch_dims": 0}, c.constant(n, tensor.FromI32(tensor.Shape{1 << 16}, table)), idx)
	r = e.cast(r, dt)
	r = e.sel(e.and(e.ge(r, e.k(128)), c.constant(n, top)), e.sub(r, e.k(256)), r)
	r = e.op(ir.OpReduce, ir.Attrs{"kind": "sum", "axes": []int{r.Type.Rank() - 1}, "keep_dims": false}, e.mul(r, c.constant(n, weights)))
	if e.err != nil {
		return e.err
	}
	return c.bind(n, r)
}

// Invert is -1 - x (no overflow: -1 - MIN = MAX).
func convertInvert(c *ctx, n *node) error {
	vs, err := c.inputs(n, 1, 1)
	if err != nil {
		return err
	}
	dt, _, err := bitwiseDType(n, vs...)
	if err != nil {
		return err
	}
	e := c.emitter(n, dt)
	r := e.sub(e.k(-1), vs[0])
	if e.err != nil {
		return e.err
	}
	return c.bind(n, r)
}

func convertShift(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	dt, bits, err := bitwiseDType(n, vs...)
	if err != nil {
		return err
	}
	x := vs[0]
	e := c.emitter(n, dt)
	// pow2[k] = 2^k for k < bits-1; pow2[bits-1] (out of range) is 0,
	// used only where it multiplies 0.
	p2 := make([]int64, bits)
	for k := range bits - 1 {
		p2[k] = int64(1) << k
	}
	pow2 := intTensor(dt, p2)
	pow := func(s *ir.Value) *ir.Value {
		return e.op(ir.OpGather, ir.Attrs{"axis": 0, "batch_dims": 0}, c.constant(n, pow2), s)
	}
	s := e.min(e.max(vs[1], e.k(0)), e.k(float64(bits-1)))
	var r *ir.Value
	if n.op == "RightShift" {
		// x >> s = floor(x / 2^min(s, bits-2)), halved once more for s = bits-1.
		r = e.op(ir.OpFloorDiv, nil, x, pow(e.min(s, e.k(float64(bits-2)))))
		r = e.op(ir.OpFloorDiv, nil, r, e.sel(e.eq(s, e.k(float64(bits-1))), e.k(2), e.k(1)))
	} else {
		// For s ≥ 1: low = x mod 2^(bits-1-s), sign = bit (bits-1-s) of x;
		// x << s = low·2^s + sign·MIN.
		s1 := e.max(s, e.k(1))
		p := pow(e.sub(e.k(float64(bits-1)), s1))
		low := e.op(ir.OpFloorMod, nil, x, p)
		sign := e.op(ir.OpFloorMod, nil, e.op(ir.OpFloorDiv, nil, x, p), e.k(2))
		lowest, _ := intTensor(dt, []int64{-1 << (bits - 1)}).Reshape(tensor.Shape{})
		r = e.add(e.mul(low, pow(s1)), e.mul(sign, c.constant(n, lowest)))
		r = e.sel(e.eq(s, e.k(0)), x, r)
	}
	if e.err != nil {
		return e.err
	}
	return c.bind(n, r)
}

// intTensor is the vector vs as an i32 or i64 tensor (each value in
// range).
func intTensor(dt tensor.DType, vs []int64) *tensor.Tensor {
	if dt == tensor.Int64 {
		return tensor.FromI64(tensor.Shape{len(vs)}, vs)
	}
	v32 := make([]int32, len(vs))
	for i, v := range vs {
		v32[i] = int32(v)
	}
	return tensor.FromI32(tensor.Shape{len(vs)}, v32)
}
