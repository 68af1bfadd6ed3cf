package trt

// Sources, casts and the remaining layers: constant, identity, cast,
// quantize, dequantize, select, scale, normalization, padding, fill, shape.

func init() {
	registerKinds(Constant{}, Identity{}, Cast{}, Quantize{}, Dequantize{}, Select{}, Scale{}, Normalization{}, Padding{}, Fill{}, Shape{})
}

const LayerConstant LayerType = 19 // kCONSTANT

// Constant is IConstantLayer.
type Constant struct {
	Dimensions Dims
	Weights    Weights
}

func (Constant) Kind() LayerType       { return LayerConstant }
func (Constant) Arity() (min, max int) { return 0, 0 }
func (p Constant) AddTo(net Network, in []Tensor) Layer {
	return net.AddConstant(p.Dimensions, p.Weights)
}
func (p Constant) text() string { return "weights=" + weightsText(p.Weights, true) }

func (r *Recorder) AddConstant(dims Dims, w Weights) Layer {
	return r.addLayer(LayerConstant, nil, nil, Constant{Dimensions: dims, Weights: w})
}

func (p Constant) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferConstant, c, in)
}

func inferConstant(c *checker, in []*TensorDesc, p *Constant) []outSpec {
	c.nInputs(in, 0, 0)
	p.Dimensions = clone(p.Dimensions)
	if p.Dimensions == nil {
		p.Dimensions = Dims{}
	}
	c.checkWeights("weights", p.Weights)
	// addConstant documents kUINT8 as unsupported. IConstantLayer's class
	// comment also says "does not support boolean types", but kBOOL
	// constants work since TensorRT 8.6 (and tfc needs them), so they pass.
	if p.Weights.Type == Uint8 {
		c.failf("weights of type kUINT8 are not supported")
	}
	for _, d := range p.Dimensions {
		if d < 0 {
			c.failf("dimensions %v have a negative value", p.Dimensions)
			break
		}
	}
	if v := p.Dimensions.Volume(); v != p.Weights.Count {
		c.failf("dimensions %v have volume %d, weights have %d values", p.Dimensions, v, p.Weights.Count)
	}
	return []outSpec{{p.Weights.Type, clone(p.Dimensions)}}
}

const LayerIdentity LayerType = 20 // kIDENTITY

// Identity is IIdentityLayer.
type Identity struct{}

func (Identity) Kind() LayerType       { return LayerIdentity }
func (Identity) Arity() (min, max int) { return 1, 1 }
func (p Identity) AddTo(net Network, in []Tensor) Layer {
	return net.AddIdentity(in[0])
}
func (Identity) text() string { return "" }

func (r *Recorder) AddIdentity(input Tensor) Layer {
	return r.addLayer(LayerIdentity, []Tensor{input}, nil, Identity{})
}

func (p Identity) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferIdentity, c, in)
}

func inferIdentity(c *checker, in []*TensorDesc, p *Identity) []outSpec {
	c.nInputs(in, 1, 1)
	x := c.input(in, 0, "input")
	return []outSpec{{x.Type, clone(x.Dims)}}
}

const LayerCast LayerType = 1 // kCAST

// Cast is ICastLayer.
type Cast struct{ ToType DataType }

func (Cast) Kind() LayerType       { return LayerCast }
func (Cast) Arity() (min, max int) { return 1, 1 }
func (p Cast) AddTo(net Network, in []Tensor) Layer {
	return net.AddCast(in[0], p.ToType)
}
func (p Cast) text() string {
	var f fields
	f.add("to=%v", p.ToType)
	return f.String()
}

func (r *Recorder) AddCast(input Tensor, to DataType) Layer {
	return r.addLayer(LayerCast, []Tensor{input}, nil, Cast{ToType: to})
}

func (p Cast) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferCast, c, in)
}

func inferCast(c *checker, in []*TensorDesc, p *Cast) []outSpec {
	c.nInputs(in, 1, 1)
	x := c.input(in, 0, "input")
	if !knownType(p.ToType) {
		c.failf("unknown cast type %v", p.ToType)
	}
	return []outSpec{{p.ToType, clone(x.Dims)}}
}

const LayerQuantize LayerType = 32 // kQUANTIZE

// Quantize is IQuantizeLayer (addQuantize(input, scale, ToType),
// setAxis): q = clamp(round_half_even(x / scale), -128, 127) for kINT8,
// the E4M3 value of x / scale (ties to even, saturated to ±448) for kFP8;
// zero point 0. Inputs: the data (kFLOAT, kHALF or kBF16, not a scalar)
// and the scale (a build-time constant of the data's type or kFLOAT, all
// coefficients > 0): a scalar (per tensor) or a vector of the size of
// dimension Axis (per channel, for weights only).
type Quantize struct {
	Axis   int32
	ToType DataType
}

func (Quantize) Kind() LayerType       { return LayerQuantize }
func (Quantize) Arity() (min, max int) { return 2, 2 }
func (p Quantize) AddTo(net Network, in []Tensor) Layer {
	return net.AddQuantize(in[0], in[1], p)
}
func (p Quantize) text() string {
	var f fields
	f.add("to=%v axis=%d", p.ToType, p.Axis)
	return f.String()
}

func (r *Recorder) AddQuantize(input, scale Tensor, p Quantize) Layer {
	return r.addLayer(LayerQuantize, []Tensor{input, scale}, nil, p)
}

func (p Quantize) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferQuantize, c, in)
}

func inferQuantize(c *checker, in []*TensorDesc, p *Quantize) []outSpec {
	c.nInputs(in, 2, 2)
	x := c.input(in, 0, "input")
	c.typeIn("input", x.Type, Float, Half, BF16)
	c.typeIn("output type", p.ToType, Int8, FP8)
	quantScale(c, in, x, p.Axis, x.Type)
	return []outSpec{{p.ToType, clone(x.Dims)}}
}

const LayerDequantize LayerType = 33 // kDEQUANTIZE

// Dequantize is IDequantizeLayer (addDequantize(input, scale, ToType),
// setAxis): y = float(q) * scale, zero point 0. Inputs: the kINT8 or kFP8 data and
// the scale, as for Quantize; ToType is kFLOAT, kHALF or kBF16.
type Dequantize struct {
	Axis   int32
	ToType DataType
}

func (Dequantize) Kind() LayerType       { return LayerDequantize }
func (Dequantize) Arity() (min, max int) { return 2, 2 }
func (p Dequantize) AddTo(net Network, in []Tensor) Layer {
	return net.AddDequantize(in[0], in[1], p)
}
func (p Dequantize) text() string {
	var f fields
	f.add("to=%v axis=%d", p.ToType, p.Axis)
	return f.String()
}

func (r *Recorder) AddDequantize(input, scale Tensor, p Dequantize) Layer {
	return r.addLayer(LayerDequantize, []Tensor{input, scale}, nil, p)
}

func (p Dequantize) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferDequantize, c, in)
}

func inferDequantize(c *checker, in []*TensorDesc, p *Dequantize) []outSpec {
	c.nInputs(in, 2, 2)
	x := c.input(in, 0, "input")
	c.typeIn("input", x.Type, Int8, FP8)
	c.typeIn("output type", p.ToType, Float, Half, BF16)
	quantScale(c, in, x, p.Axis, p.ToType)
	return []outSpec{{p.ToType, clone(x.Dims)}}
}

// quantScale checks the scale input of a Quantize or Dequantize on x.
func quantScale(c *checker, in []*TensorDesc, x *TensorDesc, axis int32, float DataType) {
	if len(x.Dims) == 0 {
		c.failf("input must not be a scalar")
		return
	}
	if axis < 0 || int(axis) >= len(x.Dims) {
		c.failf("axis %d out of range for rank %d", axis, len(x.Dims))
		return
	}
	if len(in) < 2 || in[1] == nil {
		return
	}
	s := in[1]
	if s.Type != Float && s.Type != float {
		c.failf("scale has type %v, want kFLOAT or %v", s.Type, float)
	}
	switch {
	case len(s.Dims) == 0:
	case len(s.Dims) == 1 && s.Dims[0] == x.Dims[axis]:
	default:
		c.failf("scale has dimensions %v, want a scalar or [%d] (dimension %d of %v)", s.Dims, x.Dims[axis], axis, x.Dims)
	}
}

const LayerSelect LayerType = 30 // kSELECT

// Select is ISelectLayer (inputs condition, then, else).
type Select struct{}

func (Select) Kind() LayerType       { return LayerSelect }
func (Select) Arity() (min, max int) { return 3, 3 }
func (p Select) AddTo(net Network, in []Tensor) Layer {
	return net.AddSelect(in[0], in[1], in[2])
}
func (Select) text() string { return "" }

func (r *Recorder) AddSelect(cond, then, els Tensor) Layer {
	return r.addLayer(LayerSelect, []Tensor{cond, then, els}, nil, Select{})
}

func (p Select) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferSelect, c, in)
}

func inferSelect(c *checker, in []*TensorDesc, p *Select) []outSpec {
	c.nInputs(in, 3, 3)
	cond := c.input(in, 0, "condition")
	a := c.input(in, 1, "then")
	b := c.input(in, 2, "else")
	c.typeIn("condition", cond.Type, Bool)
	if a.Type != b.Type {
		c.failf("then type %v differs from else type %v", a.Type, b.Type)
	}
	dims := c.broadcast(func() string {
		return "inputs " + cond.Dims.String() + ", " + a.Dims.String() + " and " + b.Dims.String()
	}, cond.Dims, a.Dims, b.Dims)
	return []outSpec{{a.Type, dims}}
}

const LayerScale LayerType = 5 // kSCALE

// Scale is IScaleLayer (addScaleNd): out = (in*scale + shift)^power per
// Mode, along ChannelAxis for kCHANNEL.
type Scale struct {
	Mode        ScaleMode
	Shift       Weights
	Scale       Weights
	Power       Weights
	ChannelAxis int32
}

func (Scale) Kind() LayerType       { return LayerScale }
func (Scale) Arity() (min, max int) { return 1, 1 }
func (p Scale) AddTo(net Network, in []Tensor) Layer {
	return net.AddScaleNd(in[0], p)
}
func (p Scale) text() string {
	var f fields
	f.add("%v axis=%d shift=%s scale=%s power=%s", p.Mode, p.ChannelAxis,
		weightsText(p.Shift, true), weightsText(p.Scale, true), weightsText(p.Power, true))
	return f.String()
}

func (r *Recorder) AddScaleNd(input Tensor, p Scale) Layer {
	return r.addLayer(LayerScale, []Tensor{input}, nil, p)
}

func (p Scale) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferScale, c, in)
}

func inferScale(c *checker, in []*TensorDesc, p *Scale) []outSpec {
	c.nInputs(in, 1, 1)
	x := c.input(in, 0, "input")
	c.typeIn("input", x.Type, Float, Half, BF16, Int8)
	r := len(x.Dims)
	if r < 4 {
		c.failf("input %v has rank %d, want at least 4", x.Dims, r)
	}
	ax := int(p.ChannelAxis)
	if ax < 0 || ax >= r {
		c.failf("channel axis %d outside [0, %d)", p.ChannelAxis, r)
		ax = -1
	}
	var want int64 = -1
	switch p.Mode {
	case ScaleUniform:
		want = 1
	case ScaleChannel:
		if ax >= 0 {
			want = x.Dims[ax]
		}
	case ScaleElementwise:
		if ax >= 0 {
			want = x.Dims[ax:].Volume()
		}
	default:
		c.failf("unknown scale mode %v", p.Mode)
	}
	for _, w := range []struct {
		name string
		w    Weights
	}{{"shift", p.Shift}, {"scale", p.Scale}, {"power", p.Power}} {
		if w.w.Empty() {
			continue
		}
		c.checkWeights(w.name+" weights", w.w)
		if !isFloat(w.w.Type) {
			c.failf("%s weights have type %v, want a float type", w.name, w.w.Type)
		}
		if want >= 0 && w.w.Count != want {
			c.failf("%s weights have %d values, want %d for %v", w.name, w.w.Count, want, p.Mode)
		}
	}
	return []outSpec{{x.Type, clone(x.Dims)}}
}

const LayerNormalization LayerType = 45 // kNORMALIZATION

// Normalization is INormalizationLayer (inputs: data, scale, bias).
type Normalization struct {
	Epsilon  float32
	Axes     uint32
	NbGroups int64
}

func (Normalization) Kind() LayerType       { return LayerNormalization }
func (Normalization) Arity() (min, max int) { return 3, 3 }
func (p Normalization) AddTo(net Network, in []Tensor) Layer {
	return net.AddNormalization(in[0], in[1], in[2], p)
}
func (p Normalization) text() string {
	var f fields
	f.add("axes=%s eps=%s groups=%d", axesText(p.Axes), f32(p.Epsilon), p.NbGroups)
	return f.String()
}

func (r *Recorder) AddNormalization(input, scale, bias Tensor, p Normalization) Layer {
	return r.addLayer(LayerNormalization, []Tensor{input, scale, bias}, nil, p)
}

func (p Normalization) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferNormalization, c, in)
}

// inferNormalization follows addNormalizationV2: scale and bias have the
// same dimensions, the input's rank, and broadcast unidirectionally to the
// input (each dimension equal to the input's or 1); with NbGroups != 1 the
// channel dimension is dimension 1 and the axes are exactly the dimensions
// after it.
func inferNormalization(c *checker, in []*TensorDesc, p *Normalization) []outSpec {
	c.nInputs(in, 3, 3)
	x := c.input(in, 0, "input")
	s := c.input(in, 1, "scale")
	b := c.input(in, 2, "bias")
	if p.NbGroups == 0 {
		p.NbGroups = 1
	}
	if p.NbGroups < 0 {
		c.failf("number of groups %d < 1", p.NbGroups)
	}
	c.typeIn("input", x.Type, floatTypes...)
	if s.Type != x.Type || b.Type != x.Type {
		c.failf("scale (%v) and bias (%v) must have the input type %v", s.Type, b.Type, x.Type)
	}
	r := len(x.Dims)
	if p.Axes == 0 {
		c.failf("axes bitmask is 0: no dimension to normalize")
	}
	c.checkAxes("axes", p.Axes, r)
	if !s.Dims.Equal(b.Dims) {
		c.failf("scale %v and bias %v must have the same dimensions", s.Dims, b.Dims)
	}
	if len(s.Dims) != r {
		c.failf("scale %v must have the input rank %d", s.Dims, r)
	} else {
		for i, d := range s.Dims {
			if d != 1 && d != x.Dims[i] {
				c.failf("scale %v does not broadcast to the input %v (dimension %d)", s.Dims, x.Dims, i)
				break
			}
		}
	}
	if p.NbGroups > 1 {
		if r < 3 {
			c.failf("group normalization needs rank ≥ 3 ([N, C, ...]), got %v", x.Dims)
		} else {
			if x.Dims[1]%p.NbGroups != 0 {
				c.failf("channels %d not divisible by %d groups", x.Dims[1], p.NbGroups)
			}
			if want := uint32(1)<<uint(r) - 4; r < 32 && p.Axes != want {
				c.failf("with %d groups the axes must be exactly the dimensions after the channel (%#x), got %#x", p.NbGroups, want, p.Axes)
			}
		}
	}
	return []outSpec{{x.Type, clone(x.Dims)}}
}

const LayerPadding LayerType = 12 // kPADDING

// Padding is IPaddingLayer (addPaddingNd): zero padding of the last two
// dimensions; negative values crop.
type Padding struct{ PrePadding, PostPadding Dims }

func (Padding) Kind() LayerType       { return LayerPadding }
func (Padding) Arity() (min, max int) { return 1, 1 }
func (p Padding) AddTo(net Network, in []Tensor) Layer {
	return net.AddPaddingNd(in[0], p.PrePadding, p.PostPadding)
}
func (p Padding) text() string {
	var f fields
	f.add("pre=%v post=%v", p.PrePadding, p.PostPadding)
	return f.String()
}

func (r *Recorder) AddPaddingNd(input Tensor, pre, post Dims) Layer {
	return r.addLayer(LayerPadding, []Tensor{input}, nil, Padding{PrePadding: pre, PostPadding: post})
}

func (p Padding) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferPadding, c, in)
}

func inferPadding(c *checker, in []*TensorDesc, p *Padding) []outSpec {
	c.nInputs(in, 1, 1)
	x := c.input(in, 0, "input")
	p.PrePadding, p.PostPadding = clone(p.PrePadding), clone(p.PostPadding)
	c.typeIn("input", x.Type, Float, Half, BF16, Int8, Int32, Int64)
	r := len(x.Dims)
	out := clone(x.Dims)
	if len(p.PrePadding) != 2 || len(p.PostPadding) != 2 {
		c.failf("pre-padding %v and post-padding %v must have 2 dimensions: only 2D padding is supported", p.PrePadding, p.PostPadding)
		return []outSpec{{x.Type, out}}
	}
	if r < 4 {
		c.failf("input %v has rank %d, want at least 4", x.Dims, r)
	}
	if r < 2 {
		return []outSpec{{x.Type, out}}
	}
	for i := 0; i < 2; i++ {
		o := x.Dims[r-2+i] + p.PrePadding[i] + p.PostPadding[i]
		if o < 0 {
			c.failf("dimension %d: padded size %d < 0", r-2+i, o)
			o = 0
		}
		out[r-2+i] = o
	}
	return []outSpec{{x.Type, out}}
}

const LayerFill LayerType = 31 // kFILL

// Fill is IFillLayer. DimensionsTensor, when set, is setInput(0): a 1-D
// Int32/Int64 shape tensor whose values are the output dimensions
// (Dimensions must then be nil); it becomes the layer's input 0 (the
// Description's params have it nil).
type Fill struct {
	Dimensions       Dims
	Operation        FillOperation
	ToType           DataType
	Alpha            float64
	Beta             float64
	DimensionsTensor Tensor
}

func (Fill) Kind() LayerType       { return LayerFill }
func (Fill) Arity() (min, max int) { return 0, 1 }
func (p Fill) AddTo(net Network, in []Tensor) Layer {
	if len(in) > 0 && in[0] != nil {
		p.DimensionsTensor = in[0]
	}
	return net.AddFill(p)
}
func (p Fill) text() string {
	var f fields
	dims := p.Dimensions.String()
	if p.Dimensions == nil {
		dims = "(input 0)"
	}
	f.add("%v dims=%s type=%v alpha=%s beta=%s", p.Operation, dims, p.ToType, fmtFloat(p.Alpha, 64), fmtFloat(p.Beta, 64))
	return f.String()
}

// AddFill records a fill; p.DimensionsTensor, when set, becomes the
// layer's input 0 (the Description's params have it nil).
func (r *Recorder) AddFill(p Fill) Layer {
	if p.DimensionsTensor != nil && !isNilTensor(p.DimensionsTensor) {
		return r.addLayer(LayerFill, []Tensor{p.DimensionsTensor}, nil, p)
	}
	return r.addLayer(LayerFill, nil, nil, p)
}

func (p Fill) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferFill, c, in)
}

func inferFill(c *checker, in []*TensorDesc, p *Fill) []outSpec {
	c.nInputs(in, 0, 1)
	p.DimensionsTensor = nil
	p.Dimensions = clone(p.Dimensions)
	if len(in) == 1 && in[0] != nil {
		// setInput(0): the dimensions are a shape tensor's values.
		if p.Dimensions != nil {
			c.failf("dimensions %v given with a dimensions tensor (input 0)", p.Dimensions)
		}
		p.Dimensions = nil
		d, ok := c.shapeInput("dimensions (input 0)", in[0], false)
		if !ok {
			d = Dims{0}
		}
		out := checkFill(c, p, d)
		p.Dimensions = nil
		return out
	}
	if p.Dimensions == nil {
		p.Dimensions = Dims{}
	}
	return checkFill(c, p, p.Dimensions)
}

func checkFill(c *checker, p *Fill, dims Dims) []outSpec {
	p.Dimensions = dims
	c.typeIn("output type", p.ToType, Float, Half, Int32, Int64)
	if p.Operation == FillLinspace && p.ToType == Half {
		c.failf("kLINSPACE output type must be kINT32, kINT64 or kFLOAT, got kHALF")
	}
	for _, d := range p.Dimensions {
		if d < 0 {
			c.failf("dimensions %v have a negative value", p.Dimensions)
			break
		}
	}
	switch p.Operation {
	case FillLinspace:
		if len(p.Dimensions) != 1 {
			c.failf("kLINSPACE with static start/delta needs 1 dimension, got %v", p.Dimensions)
		}
	case FillRandomUniform, FillRandomNormal:
		if p.ToType != Float && p.ToType != Half {
			c.failf("%v needs a float output type, got %v", p.Operation, p.ToType)
		}
		if p.Operation == FillRandomUniform && p.Alpha > p.Beta {
			c.failf("kRANDOM_UNIFORM: minimum (alpha) %v > maximum (beta) %v", p.Alpha, p.Beta)
		}
		if p.Operation == FillRandomNormal && p.Beta < 0 {
			c.failf("kRANDOM_NORMAL: standard deviation (beta) %v < 0", p.Beta)
		}
	default:
		c.failf("unknown fill operation %v", p.Operation)
	}
	return []outSpec{{p.ToType, clone(dims)}}
}

const LayerShape LayerType = 23 // kSHAPE

// Shape is IShapeLayer.
type Shape struct{}

func (Shape) Kind() LayerType       { return LayerShape }
func (Shape) Arity() (min, max int) { return 1, 1 }
func (p Shape) AddTo(net Network, in []Tensor) Layer {
	return net.AddShape(in[0])
}
func (Shape) text() string { return "" }

func (r *Recorder) AddShape(input Tensor) Layer {
	return r.addLayer(LayerShape, []Tensor{input}, nil, Shape{})
}

func (p Shape) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferShape, c, in)
}

func inferShape(c *checker, in []*TensorDesc, p *Shape) []outSpec {
	c.nInputs(in, 1, 1)
	x := c.input(in, 0, "input")
	return []outSpec{{Int64, Dims{int64(len(x.Dims))}}}
}
