package trt

import (
	"fmt"
	"math/bits"
	"strings"
)

// This file holds the one rule function per layer kind that both the
// Recorder (at Add time) and Validate (on a whole Description) apply. A rule
// function takes the layer's inputs and a pointer to its parameters, fills
// TensorRT's defaults into the parameters, reports every violated
// restriction to its checker and returns the output types and dimensions
// (best effort when the parameters are invalid: never nil dims for a valid
// rank, never a panic).

// outSpec is the type and dimensions of one layer output.
type outSpec struct {
	Type DataType
	Dims Dims
}

// checker collects the rule violations of one layer.
type checker struct {
	msgs []string
}

func (c *checker) failf(format string, args ...any) {
	c.msgs = append(c.msgs, fmt.Sprintf(format, args...))
}

// placeholder stands for a missing or nil input so rules never dereference nil.
var placeholder = &TensorDesc{ID: -1, Name: "<missing>", Type: Float}

// input returns in[i], reporting a missing input.
func (c *checker) input(in []*TensorDesc, i int, what string) *TensorDesc {
	if i >= len(in) || in[i] == nil {
		c.failf("missing input %d (%s)", i, what)
		return placeholder
	}
	return in[i]
}

// nInputs checks the number of inputs is between lo and hi.
func (c *checker) nInputs(in []*TensorDesc, lo, hi int) {
	if len(in) < lo || len(in) > hi {
		if lo == hi {
			c.failf("has %d inputs, want %d", len(in), lo)
		} else {
			c.failf("has %d inputs, want %d to %d", len(in), lo, hi)
		}
	}
}

func isFloat(t DataType) bool { return t == Float || t == Half || t == BF16 }

func knownType(t DataType) bool { _, ok := dataTypeNames[t]; return ok }

// typeIn checks t is one of allowed.
func (c *checker) typeIn(what string, t DataType, allowed ...DataType) bool {
	for _, a := range allowed {
		if t == a {
			return true
		}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = a.String()
	}
	c.failf("%s has type %v, want %s", what, t, strings.Join(names, " or "))
	return false
}

var floatTypes = []DataType{Float, Half, BF16}

func filled(d Dims, n int, v int64) Dims {
	out := make(Dims, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func clone(d Dims) Dims {
	if d == nil {
		return nil
	}
	return append(Dims{}, d...)
}

func identityPerm(n int) Permutation {
	p := make(Permutation, n)
	for i := range p {
		p[i] = int32(i)
	}
	return p
}

// axesList returns the set bits of mask below 32.
func axesList(mask uint32) []int {
	var out []int
	for i := 0; i < 32; i++ {
		if mask&(1<<i) != 0 {
			out = append(out, i)
		}
	}
	return out
}

// checkAxes checks a bitmask names only dimensions of a rank-r tensor.
func (c *checker) checkAxes(what string, mask uint32, r int) bool {
	if r < 32 && mask>>uint(r) != 0 {
		c.failf("%s bitmask %#x names a dimension ≥ rank %d", what, mask, r)
		return false
	}
	return true
}

// checkWeights checks w's byte length agrees with its count and type.
func (c *checker) checkWeights(what string, w Weights) {
	if !knownType(w.Type) || w.Type.Size() == 0 {
		c.failf("%s have unknown type %v", what, w.Type)
		return
	}
	if err := w.check(); err != nil {
		c.failf("%s: %v", what, err)
	}
}

// checkRank checks a tensor rank is at most MaxDims.
func (c *checker) checkRank(what string, d Dims) {
	if len(d) > MaxDims {
		c.failf("%s has rank %d > MaxDims %d", what, len(d), MaxDims)
	}
}

// broadcast computes TensorRT's broadcast of equal-rank dims: each pair
// equal, or one of them 1 (then the other, which may be 0).
func (c *checker) broadcast(what string, ds ...Dims) Dims {
	r := len(ds[0])
	for _, d := range ds[1:] {
		if len(d) != r {
			strs := make([]string, len(ds))
			for i, d := range ds {
				strs[i] = d.String()
			}
			c.failf("%s must have equal ranks, got %s", what, strings.Join(strs, ", "))
			if len(d) > r {
				r = len(d)
			}
		}
	}
	out := make(Dims, r)
	for i := 0; i < r; i++ {
		out[i] = -2 // unset
		for _, d := range ds {
			j := i - (r - len(d)) // align right for best effort
			if j < 0 {
				continue
			}
			x := d[j]
			switch {
			case out[i] == -2 || out[i] == 1:
				out[i] = x
			case x == 1 || x == out[i]:
			default:
				c.failf("%s are not broadcast-compatible in dimension %d (%d vs %d)", what, i, out[i], x)
			}
		}
		if out[i] == -2 {
			out[i] = 1
		}
	}
	return out
}

// inferLayer applies the rule of kind typ to a layer's inputs and
// parameters. It returns the parameters with defaults filled in and the
// output specs.
func inferLayer(c *checker, typ LayerType, in []*TensorDesc, params any) (any, []outSpec) {
	var outs []outSpec
	bad := func() {
		c.failf("parameters of type %T do not belong to a %v layer", params, typ)
	}
	switch typ {
	case LayerConvolution:
		p, ok := params.(Convolution)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferConvolution(c, in, &p)
		params = p
	case LayerDeconvolution:
		p, ok := params.(Deconvolution)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferDeconvolution(c, in, &p)
		params = p
	case LayerActivation:
		p, ok := params.(Activation)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferActivation(c, in, &p)
		params = p
	case LayerPooling:
		p, ok := params.(Pooling)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferPooling(c, in, &p)
		params = p
	case LayerElementWise:
		p, ok := params.(ElementWise)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferElementWise(c, in, &p)
		params = p
	case LayerUnary:
		p, ok := params.(Unary)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferUnary(c, in, &p)
		params = p
	case LayerReduce:
		p, ok := params.(Reduce)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferReduce(c, in, &p)
		params = p
	case LayerSoftMax:
		p, ok := params.(SoftMax)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferSoftMax(c, in, &p)
		params = p
	case LayerTopK:
		p, ok := params.(TopK)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}, {Int32, nil}}
		}
		outs = inferTopK(c, in, &p)
		params = p
	case LayerShuffle:
		p, ok := params.(Shuffle)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferShuffle(c, in, &p)
		params = p
	case LayerSlice:
		p, ok := params.(Slice)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferSlice(c, in, &p)
		params = p
	case LayerConcatenation:
		p, ok := params.(Concatenation)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferConcatenation(c, in, &p)
		params = p
	case LayerGather:
		p, ok := params.(Gather)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferGather(c, in, &p)
		params = p
	case LayerMatrixMult:
		p, ok := params.(MatrixMultiply)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferMatrixMultiply(c, in, &p)
		params = p
	case LayerEinsum:
		p, ok := params.(Einsum)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferEinsum(c, in, &p)
		params = p
	case LayerResize:
		p, ok := params.(Resize)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferResize(c, in, &p)
		params = p
	case LayerConstant:
		p, ok := params.(Constant)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferConstant(c, in, &p)
		params = p
	case LayerIdentity:
		p, ok := params.(Identity)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferIdentity(c, in, &p)
		params = p
	case LayerCast:
		p, ok := params.(Cast)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferCast(c, in, &p)
		params = p
	case LayerSelect:
		p, ok := params.(Select)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferSelect(c, in, &p)
		params = p
	case LayerScale:
		p, ok := params.(Scale)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferScale(c, in, &p)
		params = p
	case LayerNormalization:
		p, ok := params.(Normalization)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferNormalization(c, in, &p)
		params = p
	case LayerPadding:
		p, ok := params.(Padding)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferPadding(c, in, &p)
		params = p
	case LayerFill:
		p, ok := params.(Fill)
		if !ok {
			bad()
			return params, []outSpec{{Float, nil}}
		}
		outs = inferFill(c, in, &p)
		params = p
	case LayerShape:
		p, ok := params.(Shape)
		if !ok {
			bad()
			return params, []outSpec{{Int64, nil}}
		}
		outs = inferShape(c, in, &p)
		params = p
	default:
		c.failf("unknown layer type %v", typ)
		return params, []outSpec{{Float, nil}}
	}
	for i, o := range outs {
		c.checkRank(fmt.Sprintf("output %d", i), o.Dims)
	}
	return params, outs
}

// ---- convolution family ----

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
	c.nInputs(in, 1, 1)
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
	c.checkWeights("kernel weights", kernel)
	if !isFloat(kernel.Type) {
		c.failf("kernel weights have type %v, want a float type", kernel.Type)
	}
	want := *nbOut * (ch / *groups) * kernelSize.Volume()
	if kernel.Count != want {
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

func inferConvolution(c *checker, in []*TensorDesc, p *Convolution) []outSpec {
	p.KernelSize = clone(p.KernelSize)
	return c.convLike(in, false, &p.NbOutputMaps, p.KernelSize, p.Kernel, p.Bias,
		&p.Stride, &p.PrePadding, &p.PostPadding, p.PaddingMode, &p.NbGroups, &p.Dilation)
}

func inferDeconvolution(c *checker, in []*TensorDesc, p *Deconvolution) []outSpec {
	p.KernelSize = clone(p.KernelSize)
	return c.convLike(in, true, &p.NbOutputMaps, p.KernelSize, p.Kernel, p.Bias,
		&p.Stride, &p.PrePadding, &p.PostPadding, p.PaddingMode, &p.NbGroups, &p.Dilation)
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

// ---- pointwise ----

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

func ewIsLogical(op ElementWiseOperation) bool {
	return op == ElementWiseAnd || op == ElementWiseOr || op == ElementWiseXor
}

func ewIsComparison(op ElementWiseOperation) bool {
	return op == ElementWiseEqual || op == ElementWiseGreater || op == ElementWiseLess
}

func inferElementWise(c *checker, in []*TensorDesc, p *ElementWise) []outSpec {
	c.nInputs(in, 2, 2)
	a := c.input(in, 0, "input1")
	b := c.input(in, 1, "input2")
	op := p.Operation
	if op < 0 || op > ElementWiseLess {
		c.failf("unknown elementwise operation %v", op)
	}
	dims := c.broadcast("inputs "+a.Dims.String()+" and "+b.Dims.String(), a.Dims, b.Dims)
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

// ---- reductions ----

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

// ---- data movement ----

// checkPerm checks p is a permutation of 0..n-1.
func (c *checker) checkPerm(what string, p Permutation, n int) bool {
	if len(p) != n {
		c.failf("%s %s has %d entries, want %d", what, permText(p), len(p), n)
		return false
	}
	seen := make([]bool, n)
	for _, v := range p {
		if v < 0 || int(v) >= n || seen[v] {
			c.failf("%s %s is not a permutation of 0..%d", what, permText(p), n-1)
			return false
		}
		seen[v] = true
	}
	return true
}

func permute(d Dims, p Permutation) Dims {
	out := make(Dims, len(d))
	for i, v := range p {
		out[i] = d[v]
	}
	return out
}

func inferShuffle(c *checker, in []*TensorDesc, p *Shuffle) []outSpec {
	c.nInputs(in, 1, 1)
	x := c.input(in, 0, "input")
	d := clone(x.Dims)
	if d == nil {
		d = Dims{}
	}
	if p.FirstTranspose == nil {
		p.FirstTranspose = identityPerm(len(d))
	}
	if c.checkPerm("first transpose", p.FirstTranspose, len(d)) {
		d = permute(d, p.FirstTranspose)
	}
	if p.ReshapeDimensions != nil {
		d = c.reshape(d, p.ReshapeDimensions, p.ZeroIsPlaceholder)
	}
	if p.SecondTranspose == nil {
		p.SecondTranspose = identityPerm(len(d))
	}
	if c.checkPerm("second transpose", p.SecondTranspose, len(d)) {
		d = permute(d, p.SecondTranspose)
	}
	return []outSpec{{x.Type, d}}
}

// reshape resolves reshape dimensions against the input dims d:
// 0 copies d[i] when zeroIsPlaceholder, a single -1 is inferred, and the
// volumes must agree.
func (c *checker) reshape(d, shape Dims, zeroIsPlaceholder bool) Dims {
	out := clone(shape)
	infer := -1
	known := int64(1)
	for i, v := range shape {
		switch {
		case v == 0 && zeroIsPlaceholder:
			if i >= len(d) {
				c.failf("reshape dimensions %v: placeholder 0 at position %d beyond input rank %d", shape, i, len(d))
				out[i] = 1
			} else {
				out[i] = d[i]
			}
		case v == -1:
			if infer >= 0 {
				c.failf("reshape dimensions %v have more than one -1", shape)
				out[i] = 1
				continue
			}
			infer = i
			continue
		case v < 0:
			c.failf("reshape dimensions %v have a negative value %d", shape, v)
			out[i] = 1
		}
		known *= out[i]
	}
	vol := d.Volume()
	if infer >= 0 {
		if known == 0 {
			c.failf("reshape dimensions %v: -1 cannot be inferred when other dimensions are 0", shape)
			out[infer] = 0
		} else {
			if vol%known != 0 {
				c.failf("reshape dimensions %v do not divide the input volume %d of %v", shape, vol, d)
			}
			out[infer] = vol / known
		}
	} else if known != vol {
		c.failf("reshape dimensions %v (volume %d) do not match input %v (volume %d)", shape, known, d, vol)
	}
	return out
}

func inferSlice(c *checker, in []*TensorDesc, p *Slice) []outSpec {
	c.nInputs(in, 1, 2)
	x := c.input(in, 0, "input")
	p.Fill = nil
	r := len(x.Dims)
	p.Start, p.Size = clone(p.Start), clone(p.Size)
	if p.Stride == nil {
		p.Stride = filled(nil, r, 1)
	} else {
		p.Stride = clone(p.Stride)
	}
	if p.Mode < 0 || p.Mode > SampleReflect {
		c.failf("unknown sample mode %v", p.Mode)
	}
	ok := true
	for _, f := range []struct {
		name string
		d    Dims
	}{{"start", p.Start}, {"size", p.Size}, {"stride", p.Stride}} {
		if len(f.d) != r {
			c.failf("%s %v has %d dimensions, want the input rank %d", f.name, f.d, len(f.d), r)
			ok = false
		}
	}
	out := clone(p.Size)
	if out == nil {
		out = Dims{}
	}
	for i, s := range out {
		if s < 0 {
			c.failf("size %v has a negative value", p.Size)
			out[i] = 0
		}
	}
	if ok && (p.Mode == SampleClamp || p.Mode == SampleReflect) {
		for i := 0; i < r; i++ {
			if x.Dims[i] == 0 && p.Size[i] != 0 {
				c.failf("%v slice of an empty dimension %d must have size 0, got %d", p.Mode, i, p.Size[i])
			}
		}
	}
	if ok && p.Mode == SampleStrictBounds {
		for i := 0; i < r; i++ {
			if p.Size[i] <= 0 {
				continue
			}
			first := p.Start[i]
			last := p.Start[i] + (p.Size[i]-1)*p.Stride[i]
			if first < 0 || first >= x.Dims[i] || last < 0 || last >= x.Dims[i] {
				c.failf("kSTRICT_BOUNDS slice reads out of bounds in dimension %d: indices %d..%d of size %d", i, first, last, x.Dims[i])
			}
		}
	}
	if len(in) > 1 && in[1] != nil {
		f := in[1]
		if p.Mode != SampleFill {
			c.failf("fill value given with mode %v, want kFILL", p.Mode)
		}
		if len(f.Dims) != 0 {
			c.failf("fill value has dimensions %v, want a scalar", f.Dims)
		}
		if f.Type != x.Type {
			c.failf("fill value has type %v, want the input type %v", f.Type, x.Type)
		}
	}
	return []outSpec{{x.Type, out}}
}

func inferConcatenation(c *checker, in []*TensorDesc, p *Concatenation) []outSpec {
	if len(in) == 0 {
		c.failf("has no inputs")
		return []outSpec{{Float, Dims{}}}
	}
	x := c.input(in, 0, "input")
	r := len(x.Dims)
	out := clone(x.Dims)
	ax := int(p.Axis)
	if ax < 0 || ax >= r {
		c.failf("axis %d outside [0, %d)", p.Axis, r)
		return []outSpec{{x.Type, out}}
	}
	for i := 1; i < len(in); i++ {
		y := c.input(in, i, "input")
		if y.Type != x.Type {
			c.failf("input %d has type %v, want %v", i, y.Type, x.Type)
		}
		if len(y.Dims) != r {
			c.failf("input %d has rank %d, want %d", i, len(y.Dims), r)
			continue
		}
		for j := range y.Dims {
			if j != ax && y.Dims[j] != x.Dims[j] {
				c.failf("input %d dimensions %v differ from input 0 %v outside axis %d", i, y.Dims, x.Dims, ax)
				break
			}
		}
		out[ax] += y.Dims[ax]
	}
	return []outSpec{{x.Type, out}}
}

func inferGather(c *checker, in []*TensorDesc, p *Gather) []outSpec {
	c.nInputs(in, 2, 2)
	data := c.input(in, 0, "data")
	idx := c.input(in, 1, "indices")
	c.typeIn("indices", idx.Type, Int32, Int64)
	r, q := len(data.Dims), len(idx.Dims)
	b := int(p.NbElementWiseDims)
	switch p.Mode {
	case GatherDefault:
		ax := int(p.Axis)
		if b != 0 && b != 1 {
			c.failf("kDEFAULT mode: nbElementWiseDims %d, want 0 or 1", b)
			b = 0
		}
		if ax < 0 || ax >= r {
			c.failf("axis %d outside [0, %d)", p.Axis, r)
			return []outSpec{{data.Type, clone(idx.Dims)}}
		}
		if b > ax {
			c.failf("axis %d must not be less than nbElementWiseDims %d", ax, b)
		}
		if b > q {
			c.failf("nbElementWiseDims %d exceeds the indices rank %d", b, q)
			b = q
		}
		// data.dims[:axis] + indices.dims[b:] + data.dims[axis+1:], where
		// the first b (elementwise) dimensions broadcast data against indices.
		out := append(Dims{}, data.Dims[:ax]...)
		if b == 1 && ax >= 1 {
			out[0] = c.broadcast("elementwise dimension 0 of data and indices", data.Dims[:1], idx.Dims[:1])[0]
		}
		out = append(out, idx.Dims[b:]...)
		out = append(out, data.Dims[ax+1:]...)
		return []outSpec{{data.Type, out}}
	case GatherElement:
		ax := int(p.Axis)
		if b != 0 {
			c.failf("kELEMENT mode: nbElementWiseDims %d, want 0", b)
		}
		if ax < 0 || ax >= r {
			c.failf("axis %d outside [0, %d)", p.Axis, r)
		}
		if q != r {
			c.failf("kELEMENT mode: indices rank %d differs from data rank %d", q, r)
		}
		return []outSpec{{data.Type, clone(idx.Dims)}}
	case GatherND:
		if p.Axis != 0 {
			c.failf("kND mode: axis %d, want 0", p.Axis)
		}
		if b < 0 || b >= r || b >= q {
			c.failf("kND mode: nbElementWiseDims %d must be in [0, %d) and less than the indices rank %d", b, r, q)
			return []outSpec{{data.Type, clone(idx.Dims)}}
		}
		if q < 1 {
			c.failf("kND mode: indices must have rank ≥ 1")
			return []outSpec{{data.Type, Dims{}}}
		}
		for i := 0; i < b; i++ {
			if data.Dims[i] != idx.Dims[i] {
				c.failf("elementwise dimension %d: data %d vs indices %d", i, data.Dims[i], idx.Dims[i])
			}
		}
		last := idx.Dims[q-1]
		if last < 1 || int64(b)+last > int64(r) {
			c.failf("kND mode: indices last dimension %d must be in [1, %d]", last, r-b)
			last = int64(max(0, min(int(last), r-b)))
		}
		// indices.dims[:q-1] + data.dims[b+last:]
		out := append(Dims{}, idx.Dims[:q-1]...)
		out = append(out, data.Dims[b+int(last):]...)
		return []outSpec{{data.Type, out}}
	default:
		c.failf("unknown gather mode %v", p.Mode)
		return []outSpec{{data.Type, clone(idx.Dims)}}
	}
}

func inferMatrixMultiply(c *checker, in []*TensorDesc, p *MatrixMultiply) []outSpec {
	c.nInputs(in, 2, 2)
	a := c.input(in, 0, "input0")
	b := c.input(in, 1, "input1")
	for i, op := range []MatrixOperation{p.Op0, p.Op1} {
		if op < MatrixNone || op > MatrixVector {
			c.failf("unknown matrix operation %v for input %d", op, i)
		}
	}
	c.typeIn("input0", a.Type, floatTypes...)
	if a.Type != b.Type {
		c.failf("input types %v and %v differ", a.Type, b.Type)
	}
	// Split each input into batch dims and its matrix (or vector) dims.
	split := func(which string, d Dims, op MatrixOperation) (batch Dims, rows, cols int64, ok bool) {
		n := 2
		if op == MatrixVector {
			n = 1
		}
		if len(d) < n {
			c.failf("%s %v has rank %d, want at least %d for %v", which, d, len(d), n, op)
			return nil, 1, 1, false
		}
		batch = d[:len(d)-n]
		if op == MatrixVector {
			return batch, 1, d[len(d)-1], true
		}
		rows, cols = d[len(d)-2], d[len(d)-1]
		if op == MatrixTranspose {
			rows, cols = cols, rows
		}
		return batch, rows, cols, true
	}
	ba, m, ka, okA := split("input0", a.Dims, p.Op0)
	var bb Dims
	var kb, n int64
	var okB bool
	if p.Op1 == MatrixVector {
		bb, _, kb, okB = split("input1", b.Dims, p.Op1)
		n = 1
	} else {
		bb, kb, n, okB = split("input1", b.Dims, p.Op1)
	}
	if !okA || !okB {
		return []outSpec{{a.Type, Dims{1, 1}}}
	}
	if ka != kb {
		c.failf("inner dimensions differ: input0 %v (%v) has K=%d, input1 %v (%v) has K=%d", a.Dims, p.Op0, ka, b.Dims, p.Op1, kb)
	}
	if len(ba) != len(bb) {
		c.failf("batch ranks differ: input0 %v, input1 %v (the inputs must have the same rank apart from kVECTOR)", a.Dims, b.Dims)
	}
	out := c.broadcast("batch dimensions "+ba.String()+" and "+bb.String(), ba, bb)
	if p.Op0 != MatrixVector {
		out = append(out, m)
	}
	if p.Op1 != MatrixVector {
		out = append(out, n)
	}
	return []outSpec{{a.Type, out}}
}

// einsumTerm is one operand's subscripts: letters, with ellipsis marking
// where the unlabelled (broadcast) dimensions go.
type einsumTerm struct {
	letters  string
	ellipsis int // index in letters where "..." stands, or -1
}

func parseTerm(eq, t string) (einsumTerm, error) {
	term := einsumTerm{ellipsis: -1}
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		ch := t[i]
		switch {
		case ch == '.':
			if term.ellipsis >= 0 || !strings.HasPrefix(t[i:], "...") {
				return term, fmt.Errorf("equation %q: malformed ellipsis in %q", eq, t)
			}
			term.ellipsis = b.Len()
			i += 2
		case ch >= 'a' && ch <= 'z':
			b.WriteByte(ch)
		default:
			return term, fmt.Errorf("equation %q: subscript %q is not a lowercase letter", eq, ch)
		}
	}
	term.letters = b.String()
	return term, nil
}

// parseEinsum splits an equation into its input terms and its output term
// (implicit output: the ellipsis, then the letters occurring once,
// alphabetically).
func parseEinsum(eq string) (ins []einsumTerm, out einsumTerm, err error) {
	s := strings.ReplaceAll(eq, " ", "")
	lhs, rhs, explicit := strings.Cut(s, "->")
	total := map[byte]int{}
	anyEllipsis := false
	for _, t := range strings.Split(lhs, ",") {
		term, err := parseTerm(eq, t)
		if err != nil {
			return nil, out, err
		}
		for i := 0; i < len(term.letters); i++ {
			total[term.letters[i]]++
		}
		anyEllipsis = anyEllipsis || term.ellipsis >= 0
		ins = append(ins, term)
	}
	if explicit {
		out, err = parseTerm(eq, rhs)
		if err != nil {
			return nil, out, err
		}
		seen := map[byte]bool{}
		for i := 0; i < len(out.letters); i++ {
			ch := out.letters[i]
			if seen[ch] {
				return nil, out, fmt.Errorf("equation %q: output subscript %q repeated", eq, ch)
			}
			if total[ch] == 0 {
				return nil, out, fmt.Errorf("equation %q: output subscript %q does not occur in an input", eq, ch)
			}
			seen[ch] = true
		}
		return ins, out, nil
	}
	var b strings.Builder
	for ch := byte('a'); ch <= 'z'; ch++ {
		if total[ch] == 1 {
			b.WriteByte(ch)
		}
	}
	out = einsumTerm{letters: b.String(), ellipsis: -1}
	if anyEllipsis {
		out.ellipsis = 0
	}
	return ins, out, nil
}

// inferEinsum: one or more kFLOAT/kHALF inputs; equal subscripts have
// equal or broadcastable (1) sizes, ellipsis dimensions broadcast like
// numpy; the output is kFLOAT (IEinsumLayer's class comment).
func inferEinsum(c *checker, in []*TensorDesc, p *Einsum) []outSpec {
	if len(in) == 0 {
		c.failf("has no inputs")
		return []outSpec{{Float, Dims{}}}
	}
	ins, out, err := parseEinsum(p.Equation)
	if err != nil {
		c.failf("%v", err)
		return []outSpec{{Float, Dims{}}}
	}
	if len(ins) != len(in) {
		c.failf("equation %q has %d operands, layer has %d inputs", p.Equation, len(ins), len(in))
		return []outSpec{{Float, Dims{}}}
	}
	size := map[byte]int64{}
	var ell Dims // broadcast of the ellipsis dimensions, right-aligned
	for i, t := range ins {
		y := c.input(in, i, "input")
		c.typeIn(fmt.Sprintf("input %d", i), y.Type, Float, Half)
		n := len(t.letters)
		if len(y.Dims) < n || (t.ellipsis < 0 && len(y.Dims) != n) {
			c.failf("equation %q: operand %d has %d subscripts, input has rank %d", p.Equation, i, n, len(y.Dims))
			continue
		}
		e := len(y.Dims) - n // dimensions under the ellipsis
		var dims Dims        // the labelled dimensions
		if t.ellipsis >= 0 {
			dims = append(append(Dims{}, y.Dims[:t.ellipsis]...), y.Dims[t.ellipsis+e:]...)
			ed := y.Dims[t.ellipsis : t.ellipsis+e]
			if len(ed) > len(ell) {
				ell = append(filled(nil, len(ed)-len(ell), 1), ell...)
			}
			for j, d := range ed {
				k := len(ell) - len(ed) + j
				switch {
				case ell[k] == 1:
					ell[k] = d
				case d != 1 && d != ell[k]:
					c.failf("equation %q: ellipsis dimensions of operand %d %v do not broadcast", p.Equation, i, y.Dims)
				}
			}
		} else {
			dims = y.Dims
		}
		for j := 0; j < n; j++ {
			ch, d := t.letters[j], dims[j]
			s, ok := size[ch]
			switch {
			case !ok || s == 1:
				size[ch] = d
			case d != 1 && d != s:
				c.failf("equation %q: subscript %q has sizes %d and %d", p.Equation, ch, s, d)
			}
		}
	}
	if len(ell) > 0 && out.ellipsis < 0 {
		c.failf("equation %q: the output must have an ellipsis for the broadcast dimensions %v", p.Equation, ell)
	}
	dims := Dims{}
	for j := 0; j <= len(out.letters); j++ {
		if j == out.ellipsis {
			dims = append(dims, ell...)
		}
		if j < len(out.letters) {
			s, ok := size[out.letters[j]]
			if !ok {
				s = 1
			}
			dims = append(dims, s)
		}
	}
	return []outSpec{{Float, dims}}
}

func inferResize(c *checker, in []*TensorDesc, p *Resize) []outSpec {
	c.nInputs(in, 1, 1)
	x := c.input(in, 0, "input")
	r := len(x.Dims)
	p.OutputDimensions = clone(p.OutputDimensions)
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

// ---- sources and casts ----

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

func inferIdentity(c *checker, in []*TensorDesc, p *Identity) []outSpec {
	c.nInputs(in, 1, 1)
	x := c.input(in, 0, "input")
	return []outSpec{{x.Type, clone(x.Dims)}}
}

func inferCast(c *checker, in []*TensorDesc, p *Cast) []outSpec {
	c.nInputs(in, 1, 1)
	x := c.input(in, 0, "input")
	if !knownType(p.ToType) {
		c.failf("unknown cast type %v", p.ToType)
	}
	return []outSpec{{p.ToType, clone(x.Dims)}}
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
	dims := c.broadcast("inputs "+cond.Dims.String()+", "+a.Dims.String()+" and "+b.Dims.String(), cond.Dims, a.Dims, b.Dims)
	return []outSpec{{a.Type, dims}}
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

func inferFill(c *checker, in []*TensorDesc, p *Fill) []outSpec {
	c.nInputs(in, 0, 0)
	p.Dimensions = clone(p.Dimensions)
	if p.Dimensions == nil {
		p.Dimensions = Dims{}
	}
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
	return []outSpec{{p.ToType, clone(p.Dimensions)}}
}

func inferShape(c *checker, in []*TensorDesc, p *Shape) []outSpec {
	c.nInputs(in, 1, 1)
	x := c.input(in, 0, "input")
	return []outSpec{{Int64, Dims{int64(len(x.Dims))}}}
}
