package trt

// Convolution, deconvolution and pooling layers.

func init() {
	registerKinds(Convolution{}, Deconvolution{}, Pooling{})
}

// spatial fills the per-spatial-dimension parameters shared by
// convolution, deconvolution and pooling with their defaults when nil (in
// place, so the Description is explicit), checks them, and returns copies
// of exactly k entries for computing the output size (the recorded
// parameters keep a wrong length, so Validate sees it too).
func (c *checker) spatial(k int, stride, pre, post, dil *Dims, kernel Dims) (s, b, a, d Dims) {
	fill := func(name string, p *Dims, def int64, min int64) Dims {
		if *p == nil {
			*p = filled(nil, k, def)
		} else {
			*p = clone(*p)
		}
		if len(*p) != k {
			c.failf("%s %v has %d dimensions, want %d (the kernel rank)", name, *p, len(*p), k)
		}
		for _, x := range *p {
			if x < min {
				c.failf("%s %v has a value < %d", name, *p, min)
				break
			}
		}
		fixed := filled(nil, k, def)
		copy(fixed, *p)
		for i := range fixed {
			fixed[i] = max(fixed[i], min)
		}
		return fixed
	}
	s = fill("stride", stride, 1, 1)
	b = fill("pre-padding", pre, 0, 0)
	a = fill("post-padding", post, 0, 0)
	d = filled(nil, k, 1)
	if dil != nil {
		d = fill("dilation", dil, 1, 1)
	}
	for _, x := range kernel {
		if x < 1 {
			c.failf("kernel/window size %v has a value < 1", kernel)
			break
		}
	}
	return s, b, a, d
}

// convOut is TensorRT's convolution/pooling output size for one spatial
// dimension (NvInfer.h, PaddingMode): M = I+B+A, DK = 1+D*(F-1);
// round down: floor((M-DK)/S)+1; round up: ceil((M-DK)/S)+1; same: ceil(I/S).
func convOut(mode PaddingMode, i, f, s, d, pre, post int64) int64 {
	dk := 1 + d*(f-1)
	m := i + pre + post
	if s < 1 {
		s = 1
	}
	switch mode {
	case PaddingExplicitRoundUp:
		return ceilDiv(m-dk, s) + 1
	case PaddingSameUpper, PaddingSameLower:
		return ceilDiv(i, s)
	default:
		return floorDiv(m-dk, s) + 1
	}
}

// deconvOut is TensorRT's deconvolution output size: explicit modes
// (I-1)*S + DK - (B+A); same modes min(I*S, (I-1)*S+DK).
func deconvOut(mode PaddingMode, i, f, s, d, pre, post int64) int64 {
	dk := 1 + d*(f-1)
	switch mode {
	case PaddingSameUpper, PaddingSameLower:
		return min(i*s, (i-1)*s+dk)
	default:
		return (i-1)*s + dk - (pre + post)
	}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func ceilDiv(a, b int64) int64 { return -floorDiv(-a, b) }

func (c *checker) paddingMode(m PaddingMode) {
	if m < 0 || m > PaddingSameLower {
		c.failf("unknown padding mode %v", m)
	}
}

// convLike is the rule shared by convolution and deconvolution.
func (c *checker) convLike(in []*TensorDesc, deconv bool, nbOut *int64, kernelSize Dims, kernel, bias Weights,
	stride, pre, post *Dims, mode PaddingMode, groups *int64, dil *Dims) []outSpec {
	c.nInputs(in, 1, 2) // input 1: the kernel as a tensor
	x := c.input(in, 0, "input")
	k := len(kernelSize)
	if k < 2 || k > 3 {
		c.failf("kernel size %v has rank %d: only 2D or 3D is supported", kernelSize, k)
	}
	st, b, a, dl := c.spatial(k, stride, pre, post, dil, kernelSize)
	c.paddingMode(mode)
	if *groups == 0 {
		*groups = 1
	}
	if *groups < 0 {
		c.failf("number of groups %d < 1", *groups)
		*groups = 1
	}
	if *nbOut < 1 {
		c.failf("number of output maps %d < 1", *nbOut)
	}
	c.typeIn("input", x.Type, floatTypes...)
	r := len(x.Dims)
	if x != placeholder && r != k+2 {
		c.failf("input %v has rank %d, want %d (N, C and %d spatial dimensions)", x.Dims, r, k+2, k)
	}
	if r < k+1 {
		return []outSpec{{x.Type, filled(nil, k+2, 1)}}
	}
	ch := x.Dims[r-k-1]
	if ch%*groups != 0 {
		c.failf("input channels %d not divisible by %d groups", ch, *groups)
	}
	if *nbOut%*groups != 0 {
		c.failf("output maps %d not divisible by %d groups", *nbOut, *groups)
	}
	want := *nbOut * (ch / *groups) * kernelSize.Volume()
	if len(in) > 1 && in[1] != nil {
		kt := in[1]
		if !kernel.Empty() {
			c.failf("kernel given both as weights and as input 1")
		}
		wd, order := append(Dims{*nbOut, ch / *groups}, kernelSize...), "KCRS"
		if deconv {
			wd, order = append(Dims{ch, *nbOut / *groups}, kernelSize...), "CKRS"
		}
		if kt.Type != x.Type || !dimsEqual(kt.Dims, wd) {
			c.failf("kernel input is %v %v, want %v %v (%s)", kt.Type, kt.Dims, x.Type, wd, order)
		}
	} else {
		c.checkWeights("kernel weights", kernel)
		if !isFloat(kernel.Type) {
			c.failf("kernel weights have type %v, want a float type", kernel.Type)
		}
	}
	if (len(in) < 2 || in[1] == nil) && kernel.Count != want {
		order := "NbOutputMaps %d × C/groups %d × kernel %v"
		if deconv {
			order = "NbOutputMaps %d × C/groups %d × kernel %v (C × K/groups × kernel)"
		}
		c.failf("kernel weights have %d values, want %d ("+order+")", kernel.Count, want, *nbOut, ch / *groups, kernelSize)
	}
	if !bias.Empty() {
		c.checkWeights("bias weights", bias)
		if bias.Count != *nbOut {
			c.failf("bias weights have %d values, want 0 or NbOutputMaps %d", bias.Count, *nbOut)
		}
	}
	out := clone(x.Dims)
	out[r-k-1] = *nbOut
	for i := 0; i < k; i++ {
		in := x.Dims[r-k+i]
		var o int64
		if deconv {
			o = deconvOut(mode, in, kernelSize[i], st[i], dl[i], b[i], a[i])
		} else {
			o = convOut(mode, in, kernelSize[i], st[i], dl[i], b[i], a[i])
		}
		if o < 1 {
			c.failf("spatial dimension %d: output size %d < 1 (input %d, kernel %d)", i, o, in, kernelSize[i])
			o = max(o, 0)
		}
		out[r-k+i] = o
	}
	return []outSpec{{x.Type, out}}
}

const LayerConvolution LayerType = 0 // kCONVOLUTION

// Convolution is IConvolutionLayer (addConvolutionNd + setters). Input:
// [N, C, spatial...] with 2 or 3 spatial dimensions (NvInfer.h: a 4- or
// 5-dimensional tensor; only 2D and 3D convolution). Kernel: NbOutputMaps ×
// C/NbGroups × KernelSize values, KCRS order. Bias: NbOutputMaps values or
// empty. KernelTensor, when set, is the kernel as a tensor computed by the
// network, [NbOutputMaps, C/NbGroups, KernelSize...] of the input's type
// (setInput(1, kernel) with empty Kernel weights, as NvInfer.h describes);
// it becomes the layer's input 1 (the Description's params have it nil).
type Convolution struct {
	NbOutputMaps int64
	KernelSize   Dims
	Kernel       Weights
	Bias         Weights
	Stride       Dims // default 1 per spatial dimension
	PrePadding   Dims // default 0
	PostPadding  Dims // default 0
	PaddingMode  PaddingMode
	NbGroups     int64 // default 1 (0 means 1)
	Dilation     Dims  // default 1
	KernelTensor Tensor
}

func (Convolution) Kind() LayerType       { return LayerConvolution }
func (Convolution) Arity() (min, max int) { return 1, 2 }
func (p Convolution) AddTo(net Network, in []Tensor) Layer {
	if len(in) > 1 && in[1] != nil {
		p.KernelTensor = in[1]
	}
	return net.AddConvolutionNd(in[0], p)
}
func (p Convolution) text() string {
	var f fields
	f.add("k=%v s=%v pre=%v post=%v d=%v groups=%d", p.KernelSize, p.Stride, p.PrePadding, p.PostPadding, p.Dilation, p.NbGroups)
	if p.PaddingMode != PaddingExplicitRoundDown {
		f.add("mode=%v", p.PaddingMode)
	}
	f.add("weights=%s bias=%s", weightsText(p.Kernel, false), weightsText(p.Bias, false))
	return f.String()
}

// AddConvolutionNd records a convolution; p.KernelTensor, when set,
// becomes the layer's second input (the Description's params have it nil).
func (r *Recorder) AddConvolutionNd(input Tensor, p Convolution) Layer {
	ins := []Tensor{input}
	if p.KernelTensor != nil && !isNilTensor(p.KernelTensor) {
		ins = append(ins, p.KernelTensor)
	}
	p.KernelTensor = nil
	return r.addLayer(LayerConvolution, ins, nil, p)
}

func (p Convolution) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferConvolution, c, in)
}

func inferConvolution(c *checker, in []*TensorDesc, p *Convolution) []outSpec {
	p.KernelSize = clone(p.KernelSize)
	return c.convLike(in, false, &p.NbOutputMaps, p.KernelSize, p.Kernel, p.Bias,
		&p.Stride, &p.PrePadding, &p.PostPadding, p.PaddingMode, &p.NbGroups, &p.Dilation)
}

const LayerDeconvolution LayerType = 7 // kDECONVOLUTION

// Deconvolution is IDeconvolutionLayer (addDeconvolutionNd + setters).
// Kernel: C × NbOutputMaps/NbGroups × KernelSize values (CKRS order).
// Pre/post padding crop the full output; output size per spatial
// dimension: (in-1)*stride + dilation*(k-1) + 1 - pre - post.
// KernelTensor, when set, is the kernel as a tensor computed by the
// network, [C, NbOutputMaps/NbGroups, KernelSize...] of the input's type
// (setInput(1, kernel) with empty Kernel weights, NvInfer.h's
// IDeconvolutionLayer::setInput); it becomes the layer's input 1.
type Deconvolution struct {
	NbOutputMaps int64
	KernelSize   Dims
	Kernel       Weights
	Bias         Weights
	Stride       Dims
	PrePadding   Dims
	PostPadding  Dims
	PaddingMode  PaddingMode
	NbGroups     int64
	Dilation     Dims
	KernelTensor Tensor
}

func (Deconvolution) Kind() LayerType       { return LayerDeconvolution }
func (Deconvolution) Arity() (min, max int) { return 1, 2 }
func (p Deconvolution) AddTo(net Network, in []Tensor) Layer {
	if len(in) > 1 && in[1] != nil {
		p.KernelTensor = in[1]
	}
	return net.AddDeconvolutionNd(in[0], p)
}
func (p Deconvolution) text() string {
	var f fields
	f.add("k=%v s=%v pre=%v post=%v d=%v groups=%d", p.KernelSize, p.Stride, p.PrePadding, p.PostPadding, p.Dilation, p.NbGroups)
	if p.PaddingMode != PaddingExplicitRoundDown {
		f.add("mode=%v", p.PaddingMode)
	}
	f.add("weights=%s bias=%s", weightsText(p.Kernel, false), weightsText(p.Bias, false))
	return f.String()
}

// AddDeconvolutionNd records a deconvolution; p.KernelTensor, when set,
// becomes the layer's second input, as for a convolution.
func (r *Recorder) AddDeconvolutionNd(input Tensor, p Deconvolution) Layer {
	ins := []Tensor{input}
	if p.KernelTensor != nil && !isNilTensor(p.KernelTensor) {
		ins = append(ins, p.KernelTensor)
	}
	p.KernelTensor = nil
	return r.addLayer(LayerDeconvolution, ins, nil, p)
}

func (p Deconvolution) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferDeconvolution, c, in)
}

func inferDeconvolution(c *checker, in []*TensorDesc, p *Deconvolution) []outSpec {
	p.KernelSize = clone(p.KernelSize)
	return c.convLike(in, true, &p.NbOutputMaps, p.KernelSize, p.Kernel, p.Bias,
		&p.Stride, &p.PrePadding, &p.PostPadding, p.PaddingMode, &p.NbGroups, &p.Dilation)
}

const LayerPooling LayerType = 3 // kPOOLING

// Pooling is IPoolingLayer (addPoolingNd + setters).
type Pooling struct {
	Type                        PoolingType
	WindowSize                  Dims
	Stride                      Dims // default 1
	PrePadding                  Dims
	PostPadding                 Dims
	PaddingMode                 PaddingMode
	BlendFactor                 float32 // kMAX_AVERAGE_BLEND only
	AverageCountExcludesPadding bool    // TensorRT's default is true
}

func (Pooling) Kind() LayerType       { return LayerPooling }
func (Pooling) Arity() (min, max int) { return 1, 1 }
func (p Pooling) AddTo(net Network, in []Tensor) Layer {
	return net.AddPoolingNd(in[0], p)
}
func (p Pooling) text() string {
	var f fields
	f.add("%v window=%v s=%v pre=%v post=%v", p.Type, p.WindowSize, p.Stride, p.PrePadding, p.PostPadding)
	if p.PaddingMode != PaddingExplicitRoundDown {
		f.add("mode=%v", p.PaddingMode)
	}
	if p.Type == PoolingMaxAverageBlend {
		f.add("blend=%s", f32(p.BlendFactor))
	}
	if p.Type != PoolingMax {
		f.add("excludePadding=%t", p.AverageCountExcludesPadding)
	}
	return f.String()
}

func (r *Recorder) AddPoolingNd(input Tensor, p Pooling) Layer {
	return r.addLayer(LayerPooling, []Tensor{input}, nil, p)
}

func (p Pooling) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferPooling, c, in)
}

func inferPooling(c *checker, in []*TensorDesc, p *Pooling) []outSpec {
	c.nInputs(in, 1, 1)
	x := c.input(in, 0, "input")
	p.WindowSize = clone(p.WindowSize)
	k := len(p.WindowSize)
	if k < 2 || k > 3 {
		c.failf("window size %v has rank %d: only 2D or 3D pooling is supported", p.WindowSize, k)
	}
	if p.Type < 0 || p.Type > PoolingMaxAverageBlend {
		c.failf("unknown pooling type %v", p.Type)
	}
	if p.Type == PoolingMaxAverageBlend && (p.BlendFactor < 0 || p.BlendFactor > 1) {
		c.failf("blend factor %v outside [0, 1]", p.BlendFactor)
	}
	st, b, a, _ := c.spatial(k, &p.Stride, &p.PrePadding, &p.PostPadding, nil, p.WindowSize)
	c.paddingMode(p.PaddingMode)
	c.typeIn("input", x.Type, floatTypes...)
	r := len(x.Dims)
	if x != placeholder && r < k+1 {
		c.failf("input %v has rank %d, want at least %d (channels and %d spatial dimensions)", x.Dims, r, k+1, k)
	}
	if r < k {
		return []outSpec{{x.Type, filled(nil, k+2, 1)}}
	}
	out := clone(x.Dims)
	for i := 0; i < k; i++ {
		o := convOut(p.PaddingMode, x.Dims[r-k+i], p.WindowSize[i], st[i], 1, b[i], a[i])
		if o < 1 {
			c.failf("spatial dimension %d: output size %d < 1 (input %d, window %d)", i, o, x.Dims[r-k+i], p.WindowSize[i])
			o = max(o, 0)
		}
		out[r-k+i] = o
	}
	return []outSpec{{x.Type, out}}
}
