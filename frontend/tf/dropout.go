package tf

import (
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/tensor"
)

// Dropout left in an inference graph: RandomUniform feeding a keep mask
// (TF2 tf.nn.dropout: GreaterEqual(uniform, rate) then SelectV2; TF1:
// Floor(keep_prob + uniform) then Mul). tfc computes no random numbers,
// but when keep_prob is 1 (rate 0) the mask is constant whatever the
// numbers are, so it folds: the uniform values are tracked as an interval
// [lo, hi) through additions, subtractions, multiplications and divisions
// by constant scalars, Floor folds when the interval lies within one
// integer step, and a comparison with a constant folds when the interval
// decides it. Any other use of the random values (a real dropout, rate >
// 0) is an error naming the dropout's RandomUniform node.

// randomValue is a tensor of random values known only by their range.
type randomValue struct {
	src    string       // the RandomUniform node
	lo, hi float64      // values in [lo, hi)
	shape  tensor.Shape // the tensor's shape
	dt     tensor.DType
}

func init() {
	register("random", "(tracked as a range; folds where a dropout's keep mask is constant, else refused)", (*ctx).randomUniform, "RandomUniform")
}

// foldRandom handles n when it is a random op or consumes random values;
// it reports whether it did.
func (c *ctx) foldRandom(n *node) (bool, error) {
	if n.op == "RandomUniform" {
		return true, c.randomUniform(n)
	}
	var rv *randomValue
	var ri int
	for i, in := range n.inputs {
		if r, ok := c.random[in.node]; ok {
			rv, ri = r, i
			break
		}
	}
	if rv == nil {
		return false, nil
	}
	fail := func(why string) error {
		return n.errorf("uses the random values of node %q (RandomUniform), a dropout that is active (%s); tfc compiles inference graphs without random numbers: give the dropout keep_prob 1 (rate 0), or remove it, before freezing", rv.src, why)
	}
	if len(n.inputs) > 2 {
		return true, fail("an op of more than two inputs")
	}
	var k float64 // the other operand, a constant scalar
	shape := rv.shape
	if len(n.inputs) == 2 {
		other := n.inputs[1-ri]
		if _, ok := c.random[other.node]; ok {
			return true, fail("two random operands")
		}
		t, err := c.constInput(n, 1-ri)
		if err != nil || t.Len() != 1 || !t.DType.IsFloat() && t.DType != tensor.Int32 && t.DType != tensor.Int64 {
			return true, fail("its other operand is not a constant scalar")
		}
		k = t.Float64At(0)
		if shape, err = tensor.BroadcastShapes(rv.shape, t.Shape); err != nil {
			return true, n.errorf("%v", err)
		}
	}
	lo, hi := rv.lo, rv.hi
	derived := func(lo, hi float64) (bool, error) {
		if lo > hi || math.IsNaN(lo) || math.IsNaN(hi) {
			return true, fail("its range cannot be tracked")
		}
		return true, c.bindRandom(n, &randomValue{src: rv.src, lo: lo, hi: hi, shape: shape, dt: rv.dt})
	}
	// constant binds n to a tensor of shape whose elements all equal the
	// scalar t (a broadcast of it when large).
	constant := func(t *tensor.Tensor) (bool, error) {
		v, err := c.filled(n, shape, t, nil)
		if err != nil {
			return true, err
		}
		return true, c.bind(n, v)
	}
	switch n.op {
	case "Add", "AddV2":
		return derived(lo+k, hi+k)
	case "Sub":
		if ri == 0 {
			return derived(lo-k, hi-k)
		}
		return derived(k-hi, math.Nextafter(k-lo, math.Inf(1))) // (k-hi, k-lo], within [k-hi, k-lo+ε)
	case "Mul":
		if k >= 0 {
			return derived(lo*k, hi*k)
		}
		return derived(hi*k, math.Nextafter(lo*k, math.Inf(1)))
	case "RealDiv", "Div":
		if ri == 0 && k > 0 {
			return derived(lo/k, hi/k)
		}
		return true, fail("a division it cannot track")
	case "Floor":
		f := math.Floor(lo)
		if hi <= f+1 {
			return constant(fillF(rv.dt, tensor.Shape{}, f))
		}
		return true, fail(fmt.Sprintf("Floor of values in [%g, %g) is not constant", lo, hi))
	case "GreaterEqual", "Greater", "Less", "LessEqual":
		// Normalise to "random OP k".
		op := n.op
		if ri == 1 {
			op = map[string]string{"GreaterEqual": "LessEqual", "Greater": "Less", "Less": "Greater", "LessEqual": "GreaterEqual"}[op]
		}
		var allTrue, allFalse bool
		switch op {
		case "GreaterEqual":
			allTrue, allFalse = lo >= k, hi <= k
		case "Greater":
			allTrue, allFalse = lo > k, hi <= k
		case "Less":
			allTrue, allFalse = hi <= k, lo >= k
		case "LessEqual":
			allTrue, allFalse = hi <= k, lo > k
		}
		if allTrue || allFalse {
			return constant(fillBool(tensor.Shape{}, allTrue))
		}
		return true, fail(fmt.Sprintf("%s of values in [%g, %g) with %g is not constant", n.op, lo, hi, k))
	case "Identity", "StopGradient", "Snapshot":
		return derived(lo, hi)
	}
	return true, fail("it reaches " + n.op)
}

// randomUniform records a RandomUniform: values in [0, 1) of the constant
// shape its input gives.
func (c *ctx) randomUniform(n *node) error {
	if _, err := c.inputs(n, 1, 1); err != nil {
		return err
	}
	dims, err := c.constInts(n, 0)
	if err != nil {
		return err
	}
	dt, err := n.attrType("dtype")
	if err != nil {
		return err
	}
	if !dt.IsFloat() {
		return n.errorf("dtype %v: want a float type", dt)
	}
	return c.bindRandom(n, &randomValue{src: n.name, lo: 0, hi: 1, shape: tensor.Shape(dims), dt: dt})
}

// bindRandom records n's output as random values. The node is bound to a
// zero constant that nothing may use: c.value refuses it, and Import
// refuses it as an output.
func (c *ctx) bindRandom(n *node, rv *randomValue) error {
	if _, err := rv.shape.NumElements(); err != nil {
		return n.errorf("%v", err)
	}
	c.random[n.name] = rv
	return c.bind(n, c.f.Const(tensor.MustNew(tensor.Float32, tensor.Shape{}), n.name))
}

func fillBool(s tensor.Shape, v bool) *tensor.Tensor {
	t := tensor.MustNew(tensor.Bool, s)
	for i := range t.B {
		t.B[i] = v
	}
	return t
}

func fillF(dt tensor.DType, s tensor.Shape, v float64) *tensor.Tensor {
	t := tensor.MustNew(dt, s)
	for i := range t.F32 {
		t.F32[i] = float32(v)
	}
	return t
}

// poisonedInput returns the error of a live data input of n that could
// not be translated (n then cannot be either).
func (c *ctx) poisonedInput(n *node) error {
	for _, r := range n.inputs {
		if err := c.poison[r.node]; err != nil && !c.deadRef(r) {
			return err
		}
	}
	return nil
}

// checkRandomOutput refuses an output that is random values.
func (c *ctx) checkRandomOutput(r tensorRef) error {
	if rv, ok := c.random[r.node]; ok {
		return fmt.Errorf("output %s is random values from node %q (RandomUniform): tfc compiles no random numbers", r, rv.src)
	}
	return nil
}
