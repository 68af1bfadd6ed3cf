package trt

// Resize.

func init() {
	registerKinds(Resize{})
}

const LayerResize LayerType = 25 // kRESIZE

// Resize is IResizeLayer with explicit output dimensions. OutputTensor,
// when set, is setInput(1): a 1-D Int32/Int64 shape tensor whose values
// are the output dimensions (OutputDimensions must then be nil); it
// becomes the layer's input 1 (the Description's params have it nil).
type Resize struct {
	OutputDimensions         Dims
	ResizeMode               InterpolationMode
	CoordinateTransformation ResizeCoordinateTransformation
	SelectorForSinglePixel   ResizeSelector
	NearestRounding          ResizeRoundMode
	CubicCoeff               float32
	ExcludeOutside           bool
	OutputTensor             Tensor
}

func (Resize) Kind() LayerType       { return LayerResize }
func (Resize) Arity() (min, max int) { return 1, 2 }
func (p Resize) AddTo(net Network, in []Tensor) Layer {
	if len(in) > 1 && in[1] != nil {
		p.OutputTensor = in[1]
	}
	return net.AddResize(in[0], p)
}
func (p Resize) text() string {
	var f fields
	out := p.OutputDimensions.String()
	if p.OutputDimensions == nil {
		out = "(input 1)"
	}
	f.add("%v out=%s coord=%v", p.ResizeMode, out, p.CoordinateTransformation)
	switch p.ResizeMode {
	case InterpolationNearest:
		f.add("round=%v", p.NearestRounding)
	case InterpolationCubic:
		f.add("cubic=%s", f32(p.CubicCoeff))
	}
	if p.SelectorForSinglePixel != ResizeSelectorFormula {
		f.add("selector=%v", p.SelectorForSinglePixel)
	}
	if p.ExcludeOutside {
		f.add("excludeOutside")
	}
	return f.String()
}

// AddResize records a resize; p.OutputTensor, when set, becomes the
// layer's input 1 (the Description's params have it nil).
func (r *Recorder) AddResize(input Tensor, p Resize) Layer {
	if p.OutputTensor != nil && !isNilTensor(p.OutputTensor) {
		return r.addLayer(LayerResize, []Tensor{input, p.OutputTensor}, nil, p)
	}
	return r.addLayer(LayerResize, []Tensor{input}, nil, p)
}

func (p Resize) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferResize, c, in)
}

func inferResize(c *checker, in []*TensorDesc, p *Resize) []outSpec {
	c.nInputs(in, 1, 2)
	x := c.input(in, 0, "input")
	p.OutputTensor = nil
	p.OutputDimensions = clone(p.OutputDimensions)
	if len(in) > 1 && in[1] != nil {
		// setInput(1): the output dimensions are a shape tensor's values.
		if p.OutputDimensions != nil {
			c.failf("output dimensions %v given with an output tensor (input 1)", p.OutputDimensions)
		}
		d, ok := c.shapeInput("output dimensions (input 1)", in[1], false)
		if !ok {
			d = clone(x.Dims)
		}
		out := checkResize(c, x, p, d)
		p.OutputDimensions = nil
		return out
	}
	return checkResize(c, x, p, p.OutputDimensions)
}

func checkResize(c *checker, x *TensorDesc, p *Resize, outDims Dims) []outSpec {
	r := len(x.Dims)
	p.OutputDimensions = outDims
	if p.ResizeMode < 0 || p.ResizeMode > InterpolationCubic {
		c.failf("unknown resize mode %v", p.ResizeMode)
	}
	if p.CoordinateTransformation < 0 || p.CoordinateTransformation > ResizeHalfPixel {
		c.failf("unknown coordinate transformation %v", p.CoordinateTransformation)
	}
	if p.SelectorForSinglePixel < 0 || p.SelectorForSinglePixel > ResizeSelectorUpper {
		c.failf("unknown selector %v", p.SelectorForSinglePixel)
	}
	if p.NearestRounding < 0 || p.NearestRounding > ResizeRoundCeil {
		c.failf("unknown nearest rounding %v", p.NearestRounding)
	}
	if p.ResizeMode == InterpolationNearest {
		c.typeIn("input", x.Type, Float, Half, BF16, Int8)
	} else {
		c.typeIn("input of "+p.ResizeMode.String()+" resize", x.Type, floatTypes...)
	}
	if len(p.OutputDimensions) != r {
		c.failf("output dimensions %v have %d dimensions, want the input rank %d", p.OutputDimensions, len(p.OutputDimensions), r)
		return []outSpec{{x.Type, clone(x.Dims)}}
	}
	// kNEAREST resizes any of the (at most 8) dimensions, kLINEAR the
	// innermost 3 at most, kCUBIC (bicubic) the innermost 2.
	inner := r
	switch p.ResizeMode {
	case InterpolationLinear:
		inner = 3
	case InterpolationCubic:
		inner = 2
	}
	for i, d := range p.OutputDimensions {
		if d < 0 {
			c.failf("output dimensions %v have a negative value", p.OutputDimensions)
			break
		}
		if i < r-inner && d != x.Dims[i] {
			c.failf("%v resize changes dimension %d (%d -> %d); only the innermost %d may be resized", p.ResizeMode, i, x.Dims[i], d, inner)
			break
		}
	}
	return []outSpec{{x.Type, clone(p.OutputDimensions)}}
}
