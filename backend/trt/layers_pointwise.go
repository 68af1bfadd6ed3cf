package trt

import (
	"math/bits"
)

// Pointwise and reduction layers: activation, parametric relu, elementwise, unary, reduce, softmax, topk.

func init() {
	registerKinds(Activation{}, ParametricReLU{}, ElementWise{}, Unary{}, Reduce{}, SoftMax{}, TopK{})
}

const LayerActivation LayerType = 2 // kACTIVATION

// Activation is IActivationLayer. Alpha and Beta as ActivationType says.
type Activation struct {
	Type  ActivationType
	Alpha float32
	Beta  float32
}

func (Activation) Kind() LayerType       { return LayerActivation }
func (Activation) Arity() (min, max int) { return 1, 1 }
func (p Activation) AddTo(net Network, in []Tensor) Layer {
	return net.AddActivation(in[0], p)
}
func (p Activation) text() string {
	if p.Alpha != 0 || p.Beta != 0 {
		return p.Type.String() + " alpha=" + f32(p.Alpha) + " beta=" + f32(p.Beta)
	}
	return p.Type.String()
}

func (r *Recorder) AddActivation(input Tensor, p Activation) Layer {
	return r.addLayer(LayerActivation, []Tensor{input}, nil, p)
}

func (p Activation) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferActivation, c, in)
}

func inferActivation(c *checker, in []*TensorDesc, p *Activation) []outSpec {
	c.nInputs(in, 1, 1)
	x := c.input(in, 0, "input")
	if p.Type < 0 || p.Type > ActivationGeluTanh {
		c.failf("unknown activation type %v", p.Type)
	}
	if p.Type == ActivationRelu {
		c.typeIn("input", x.Type, Float, Half, BF16, Int8, Int32, Int64)
	} else {
		c.typeIn("input of "+p.Type.String(), x.Type, Float, Half, BF16, Int8)
	}
	return []outSpec{{x.Type, clone(x.Dims)}}
}

const LayerParametricReLU LayerType = 24 // kPARAMETRIC_RELU

// ParametricReLU is IParametricReLULayer (addParametricReLU(input, slope)):
// y = x ≥ 0 ? x : slope*x, the slope tensor of the input's type and rank
// broadcasting to the input (unidirectionally: the output has the input's
// dimensions).
type ParametricReLU struct{}

func (ParametricReLU) Kind() LayerType       { return LayerParametricReLU }
func (ParametricReLU) Arity() (min, max int) { return 2, 2 }
func (p ParametricReLU) AddTo(net Network, in []Tensor) Layer {
	return net.AddParametricReLU(in[0], in[1])
}
func (ParametricReLU) text() string { return "" }

func (r *Recorder) AddParametricReLU(input, slope Tensor) Layer {
	return r.addLayer(LayerParametricReLU, []Tensor{input, slope}, nil, ParametricReLU{})
}

func (p ParametricReLU) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferParametricReLU, c, in)
}

// inferParametricReLU follows addParametricReLU: Float, Half or BF16
// input (NvInfer.h allows no integer or bool input), the slope of the
// same type and rank, unidirectionally broadcastable to the input (each
// slope dimension 1 or the input's).
func inferParametricReLU(c *checker, in []*TensorDesc, p *ParametricReLU) []outSpec {
	c.nInputs(in, 2, 2)
	x := c.input(in, 0, "input")
	s := c.input(in, 1, "slope")
	c.typeIn("input", x.Type, Float, Half, BF16)
	if s.Type != x.Type {
		c.failf("slope type %v differs from input type %v", s.Type, x.Type)
	}
	if len(s.Dims) != len(x.Dims) {
		c.failf("slope %v and input %v must have equal ranks", s.Dims, x.Dims)
	} else {
		for i, d := range s.Dims {
			if d != 1 && d != x.Dims[i] {
				c.failf("slope %v does not broadcast to input %v in dimension %d", s.Dims, x.Dims, i)
			}
		}
	}
	return []outSpec{{x.Type, clone(x.Dims)}}
}

func ewIsLogical(op ElementWiseOperation) bool {
	return op == ElementWiseAnd || op == ElementWiseOr || op == ElementWiseXor
}

func ewIsComparison(op ElementWiseOperation) bool {
	return op == ElementWiseEqual || op == ElementWiseGreater || op == ElementWiseLess
}

const LayerElementWise LayerType = 9 // kELEMENTWISE

// ElementWise is IElementWiseLayer (inputs a, b; equal ranks, each
// dimension equal or 1 in one of them).
type ElementWise struct{ Operation ElementWiseOperation }

func (ElementWise) Kind() LayerType       { return LayerElementWise }
func (ElementWise) Arity() (min, max int) { return 2, 2 }
func (p ElementWise) AddTo(net Network, in []Tensor) Layer {
	return net.AddElementWise(in[0], in[1], p.Operation)
}
func (p ElementWise) text() string { return p.Operation.String() }

func (r *Recorder) AddElementWise(a, b Tensor, op ElementWiseOperation) Layer {
	return r.addLayer(LayerElementWise, []Tensor{a, b}, nil, ElementWise{Operation: op})
}

func (p ElementWise) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferElementWise, c, in)
}

func inferElementWise(c *checker, in []*TensorDesc, p *ElementWise) []outSpec {
	c.nInputs(in, 2, 2)
	a := c.input(in, 0, "input1")
	b := c.input(in, 1, "input2")
	op := p.Operation
	if op < 0 || op > ElementWiseLess {
		c.failf("unknown elementwise operation %v", op)
	}
	dims := c.broadcast(func() string { return "inputs " + a.Dims.String() + " and " + b.Dims.String() }, a.Dims, b.Dims)
	outType := a.Type
	if a.Type != b.Type {
		if isFloat(a.Type) && isFloat(b.Type) && a.Type != BF16 && b.Type != BF16 {
			outType = Float // compatible: both in {kFLOAT, kHALF}
		} else {
			c.failf("input types %v and %v differ", a.Type, b.Type)
		}
	}
	switch {
	case ewIsLogical(op):
		c.typeIn(op.String()+" input1", a.Type, Bool)
		c.typeIn(op.String()+" input2", b.Type, Bool)
		outType = Bool
	case op == ElementWiseEqual:
		c.typeIn(op.String()+" input1", a.Type, Float, Half, BF16, Int8, Int32, Int64, Bool)
		outType = Bool
	case ewIsComparison(op):
		c.typeIn(op.String()+" input1", a.Type, Float, Half, BF16, Int8, Int32, Int64)
		outType = Bool
	case op == ElementWisePow:
		c.typeIn(op.String()+" input1", a.Type, Float, Half, BF16, Int8)
	default:
		c.typeIn(op.String()+" input1", a.Type, Float, Half, BF16, Int8, Int32, Int64)
	}
	return []outSpec{{outType, dims}}
}

const LayerUnary LayerType = 11 // kUNARY

// Unary is IUnaryLayer.
type Unary struct{ Operation UnaryOperation }

func (Unary) Kind() LayerType       { return LayerUnary }
func (Unary) Arity() (min, max int) { return 1, 1 }
func (p Unary) AddTo(net Network, in []Tensor) Layer {
	return net.AddUnary(in[0], p.Operation)
}
func (p Unary) text() string {
	var f fields
	f.add("%v", p.Operation)
	return f.String()
}

func (r *Recorder) AddUnary(input Tensor, op UnaryOperation) Layer {
	return r.addLayer(LayerUnary, []Tensor{input}, nil, Unary{Operation: op})
}

func (p Unary) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferUnary, c, in)
}

func inferUnary(c *checker, in []*TensorDesc, p *Unary) []outSpec {
	c.nInputs(in, 1, 1)
	x := c.input(in, 0, "input")
	op := p.Operation
	t := x.Type
	switch op {
	case UnaryNot:
		c.typeIn("kNOT input", t, Bool)
	case UnarySign, UnaryAbs:
		c.typeIn(op.String()+" input", t, Float, Half, BF16, Int8, Int32, Int64)
	case UnaryIsInf, UnaryIsNan:
		c.typeIn(op.String()+" input", t, floatTypes...)
		t = Bool
	default:
		if op < 0 || op > UnaryIsNan {
			c.failf("unknown unary operation %v", op)
		} else {
			c.typeIn(op.String()+" input", t, Float, Half, BF16, Int8)
		}
	}
	return []outSpec{{t, clone(x.Dims)}}
}

const LayerReduce LayerType = 14 // kREDUCE

// Reduce is IReduceLayer: ReduceAxes is a bitmask (bit i reduces dimension i).
type Reduce struct {
	Operation      ReduceOperation
	ReduceAxes     uint32
	KeepDimensions bool
}

func (Reduce) Kind() LayerType       { return LayerReduce }
func (Reduce) Arity() (min, max int) { return 1, 1 }
func (p Reduce) AddTo(net Network, in []Tensor) Layer {
	return net.AddReduce(in[0], p)
}
func (p Reduce) text() string {
	var f fields
	f.add("%v axes=%s keep=%t", p.Operation, axesText(p.ReduceAxes), p.KeepDimensions)
	return f.String()
}

func (r *Recorder) AddReduce(input Tensor, p Reduce) Layer {
	return r.addLayer(LayerReduce, []Tensor{input}, nil, p)
}

func (p Reduce) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferReduce, c, in)
}

func inferReduce(c *checker, in []*TensorDesc, p *Reduce) []outSpec {
	c.nInputs(in, 1, 1)
	x := c.input(in, 0, "input")
	if p.Operation < 0 || p.Operation > ReduceAvg {
		c.failf("unknown reduce operation %v", p.Operation)
	}
	c.typeIn("input", x.Type, Float, Half, BF16, Int8, Int32, Int64)
	r := len(x.Dims)
	if p.ReduceAxes == 0 {
		c.failf("reduce axes bitmask is 0: no dimension to reduce")
	}
	c.checkAxes("reduce axes", p.ReduceAxes, r)
	var out Dims
	for i, d := range x.Dims {
		if p.ReduceAxes&(1<<i) != 0 {
			if p.KeepDimensions {
				out = append(out, 1)
			}
			continue
		}
		out = append(out, d)
	}
	if out == nil {
		out = Dims{}
	}
	return []outSpec{{x.Type, out}}
}

const LayerSoftMax LayerType = 6 // kSOFTMAX

// SoftMax is ISoftMaxLayer: Axes is a bitmask with exactly one bit.
type SoftMax struct{ Axes uint32 }

func (SoftMax) Kind() LayerType       { return LayerSoftMax }
func (SoftMax) Arity() (min, max int) { return 1, 1 }
func (p SoftMax) AddTo(net Network, in []Tensor) Layer {
	return net.AddSoftMax(in[0], p.Axes)
}
func (p SoftMax) text() string {
	var f fields
	f.add("axes=%s", axesText(p.Axes))
	return f.String()
}

func (r *Recorder) AddSoftMax(input Tensor, axes uint32) Layer {
	return r.addLayer(LayerSoftMax, []Tensor{input}, nil, SoftMax{Axes: axes})
}

func (p SoftMax) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferSoftMax, c, in)
}

func inferSoftMax(c *checker, in []*TensorDesc, p *SoftMax) []outSpec {
	c.nInputs(in, 1, 1)
	x := c.input(in, 0, "input")
	c.typeIn("input", x.Type, floatTypes...)
	if bits.OnesCount32(p.Axes) != 1 {
		c.failf("softmax axes bitmask %#x must have exactly one bit set", p.Axes)
	}
	c.checkAxes("softmax axes", p.Axes, len(x.Dims))
	return []outSpec{{x.Type, clone(x.Dims)}}
}

// MaxTopK is the largest K TensorRT's ITopKLayer supports.
const MaxTopK = 3840

const LayerTopK LayerType = 15 // kTOPK

// TopK is ITopKLayer.
type TopK struct {
	Operation   TopKOperation
	K           int32
	ReduceAxes  uint32
	IndicesType DataType // kINT32 or kINT64
}

func (TopK) Kind() LayerType       { return LayerTopK }
func (TopK) Arity() (min, max int) { return 1, 1 }
func (p TopK) AddTo(net Network, in []Tensor) Layer {
	return net.AddTopK(in[0], p)
}
func (p TopK) text() string {
	var f fields
	f.add("%v k=%d axes=%s indices=%v", p.Operation, p.K, axesText(p.ReduceAxes), p.IndicesType)
	return f.String()
}

func (r *Recorder) AddTopK(input Tensor, p TopK) Layer {
	return r.addLayer(LayerTopK, []Tensor{input}, nil, p)
}

func (p TopK) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferTopK, c, in)
}

func inferTopK(c *checker, in []*TensorDesc, p *TopK) []outSpec {
	c.nInputs(in, 1, 1)
	x := c.input(in, 0, "input")
	if p.IndicesType == Float { // the zero value: TensorRT's default kINT32
		p.IndicesType = Int32
	}
	c.typeIn("indices type", p.IndicesType, Int32, Int64)
	c.typeIn("input", x.Type, Float, Half, BF16, Int32, Int64)
	if p.Operation != TopKMax && p.Operation != TopKMin {
		c.failf("unknown topk operation %v", p.Operation)
	}
	r := len(x.Dims)
	out := clone(x.Dims)
	if bits.OnesCount32(p.ReduceAxes) != 1 {
		c.failf("topk axes bitmask %#x must have exactly one bit set", p.ReduceAxes)
	} else if c.checkAxes("topk axes", p.ReduceAxes, r) {
		ax := bits.TrailingZeros32(p.ReduceAxes)
		if ax < r-4 {
			c.failf("topk axis %d is not one of the last four dimensions of rank %d", ax, r)
		}
		if int64(p.K) > x.Dims[ax] {
			c.failf("K %d exceeds dimension %d of size %d", p.K, ax, x.Dims[ax])
		}
		out[ax] = int64(p.K)
	}
	if p.K < 1 || p.K > MaxTopK {
		c.failf("K %d outside [1, %d]", p.K, MaxTopK)
	}
	return []outSpec{{x.Type, out}, {p.IndicesType, clone(out)}}
}
