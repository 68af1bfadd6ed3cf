package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	register("conv", "transpose + conv + transpose (NHWC); conv (NCHW); kernel HWIO → OIHW by transpose", convertConv, "Conv2D", "Conv3D")
	register("conv", "transpose + conv{groups=C} + transpose; kernel reshape + transpose", convertDepthwise, "DepthwiseConv2dNative")
	register("conv", "transpose + conv_transpose + transpose; kernel HWOI → IOHW by transpose", convertConvBackpropInput, "Conv2DBackpropInput", "Conv3DBackpropInputV2")
	register("conv", "add (reshape of the bias to [C,1,...] for NCHW)", convertBiasAdd, "BiasAdd", "BiasAddV1")
}

// Helpers shared by the convolution-like converters (conv, pool).

// nnOnes returns k ones.
func nnOnes(k int) []int {
	v := make([]int, k)
	for i := range v {
		v[i] = 1
	}
	return v
}

// nnCheckFormatRank checks that the node's data_format (if given) names as
// many dimensions as the data has: NHWC for rank 4, NDHWC for rank 5.
func nnCheckFormatRank(n *node, r int) error {
	if !n.hasAttr("data_format") {
		return nil
	}
	f, err := n.attrString("data_format")
	if err != nil {
		return err
	}
	if len(f) != r {
		return n.errorf("data_format %q does not fit an input of rank %d", f, r)
	}
	return nil
}

// nnDimAttr checks a per-dimension attribute (strides, dilations, ksize:
// one value per dimension of the data format) for data of rank r: r values,
// all ≥ 1, and 1 on the batch and channel dimensions. It returns the
// spatial values.
func nnDimAttr(n *node, name string, vals []int, r int, channelsLast bool) ([]int, error) {
	if len(vals) != r {
		return nil, n.errorf("attribute %q has %d values %v, want %d (one per dimension of the data format)", name, len(vals), vals, r)
	}
	for _, v := range vals {
		if v < 1 {
			return nil, n.errorf("attribute %q = %v: values must be ≥ 1", name, vals)
		}
	}
	c := 1
	if channelsLast {
		c = r - 1
	}
	if vals[0] != 1 || vals[c] != 1 {
		return nil, n.errorf("attribute %q = %v: %s on the batch or channel dimension is not supported (must be 1)", name, vals, name)
	}
	return spatialOf(vals, channelsLast), nil
}

// nnSpatialAttrs reads the strides and dilations (default all 1) of a
// convolution-like node for data of rank r.
func nnSpatialAttrs(n *node, r int, channelsLast bool) (strides, dil []int, err error) {
	s, err := n.attrInts("strides")
	if err != nil {
		return nil, nil, err
	}
	if strides, err = nnDimAttr(n, "strides", s, r, channelsLast); err != nil {
		return nil, nil, err
	}
	d, err := n.attrIntsOr("dilations", nnOnes(r))
	if err != nil {
		return nil, nil, err
	}
	if len(d) == 0 {
		d = nnOnes(r)
	}
	if dil, err = nnDimAttr(n, "dilations", d, r, channelsLast); err != nil {
		return nil, nil, err
	}
	return strides, dil, nil
}

// nnConv holds the attributes every convolution-like node has.
type nnConv struct {
	channelsLast bool
	strides, dil []int // spatial
	padding      string
	explicit     []int
}

// nnConvAttrs reads and checks data_format (against rank r), strides,
// dilations, padding and explicit_paddings.
func nnConvAttrs(n *node, r int) (nnConv, error) {
	var a nnConv
	if err := nnCheckFormatRank(n, r); err != nil {
		return a, err
	}
	var err error
	if a.channelsLast, err = n.dataFormat(); err != nil {
		return a, err
	}
	if a.strides, a.dil, err = nnSpatialAttrs(n, r, a.channelsLast); err != nil {
		return a, err
	}
	a.padding, a.explicit, err = nnPadding(n)
	return a, err
}

// nnPadding reads padding and explicit_paddings.
func nnPadding(n *node) (padding string, explicit []int, err error) {
	padding, err = n.attrString("padding")
	if err != nil {
		return "", nil, err
	}
	explicit, err = n.attrIntsOr("explicit_paddings", nil)
	if err != nil {
		return "", nil, err
	}
	if padding == "EXPLICIT" {
		for _, p := range explicit {
			if p < 0 {
				return "", nil, n.errorf("explicit_paddings %v: values must be ≥ 0", explicit)
			}
		}
	}
	return padding, explicit, nil
}

// nnKernelToOI transposes a TensorFlow kernel [k_1..k_s, A, B] to
// [B, A, k_1..k_s]: HWIO → OIHW for conv, HWOI → IOHW for conv_transpose.
func (c *ctx) nnKernelToOI(n *node, w *ir.Value) (*ir.Value, error) {
	r := w.Type.Rank()
	perm := []int{r - 1, r - 2}
	for i := 0; i < r-2; i++ {
		perm = append(perm, i)
	}
	return c.transpose(n, w, perm)
}

// nnCheckRank checks that v has rank r.
func nnCheckRank(n *node, what string, v *ir.Value, r int) error {
	if v.Type.Rank() != r {
		return n.errorf("%s %v: want rank %d", what, v.Type, r)
	}
	return nil
}

// Conv2D and Conv3D become conv on channels-first data: NHWC/NDHWC inputs
// are transposed to channels first and the result back; the HWIO kernel
// [k..., Cin/g, Cout] is transposed to OIHW [Cout, Cin/g, k...]. The
// padding attribute (SAME, VALID, EXPLICIT) becomes explicit pads. When the
// input has g times the kernel's input channels, the conv has groups=g.
func convertConv(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	x, w := vs[0], vs[1]
	r := 4
	if n.op == "Conv3D" {
		r = 5
	}
	if err := nnCheckRank(n, "input", x, r); err != nil {
		return err
	}
	if err := nnCheckRank(n, "filter", w, r); err != nil {
		return err
	}
	a, err := nnConvAttrs(n, r)
	if err != nil {
		return err
	}
	channelsLast, strides, dil, padding, explicit := a.channelsLast, a.strides, a.dil, a.padding, a.explicit
	xcf, err := c.toChannelsFirst(n, x, channelsLast)
	if err != nil {
		return err
	}
	in := []int(xcf.Type.Shape[2:])
	k := []int(w.Type.Shape[:r-2])
	pads, err := tfPads(n, padding, in, k, strides, dil, explicit, channelsLast)
	if err != nil {
		return err
	}
	cin, kin, cout := xcf.Type.Shape[1], w.Type.Shape[r-2], w.Type.Shape[r-1]
	if cin < 1 {
		return n.errorf("input %v has no channels (the filter %v needs %d)", xcf.Type, w.Type.Shape, kin)
	}
	if kin < 1 || cin%kin != 0 {
		return n.errorf("input has %d channels, which is not a multiple of the filter's %d input channels (filter %v)", cin, kin, w.Type.Shape)
	}
	groups := cin / kin
	if cout%groups != 0 {
		return n.errorf("grouped convolution with %d groups (input channels %d, filter %v): output channels %d are not a multiple of the groups", groups, cin, w.Type.Shape, cout)
	}
	wt, err := c.nnKernelToOI(n, w)
	if err != nil {
		return err
	}
	y, err := c.emit(n, ir.OpConv, ir.Attrs{
		"strides": strides, "dilations": dil, "pads": pads, "groups": groups,
	}, xcf, wt)
	if err != nil {
		return err
	}
	return c.bindChannelsFirst(n, y, channelsLast)
}

// DepthwiseConv2dNative becomes conv with groups=C: the kernel
// [kh, kw, C, M] is reshaped to [kh, kw, 1, C*M] and transposed to
// [C*M, 1, kh, kw], so output channel c*M+m is input channel c times
// multiplier m, as in TensorFlow. NHWC data is transposed around the conv.
func convertDepthwise(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	x, w := vs[0], vs[1]
	const r = 4
	if err := nnCheckRank(n, "input", x, r); err != nil {
		return err
	}
	if err := nnCheckRank(n, "filter", w, r); err != nil {
		return err
	}
	a, err := nnConvAttrs(n, r)
	if err != nil {
		return err
	}
	channelsLast, strides, dil, padding, explicit := a.channelsLast, a.strides, a.dil, a.padding, a.explicit
	xcf, err := c.toChannelsFirst(n, x, channelsLast)
	if err != nil {
		return err
	}
	ch := xcf.Type.Shape[1]
	ws := w.Type.Shape
	if ws[2] != ch {
		return n.errorf("filter %v has %d input channels, input has %d", ws, ws[2], ch)
	}
	pads, err := tfPads(n, padding, []int(xcf.Type.Shape[2:]), []int(ws[:2]), strides, dil, explicit, channelsLast)
	if err != nil {
		return err
	}
	wr, err := c.reshape(n, w, tensor.Shape{ws[0], ws[1], 1, ws[2] * ws[3]})
	if err != nil {
		return err
	}
	wt, err := c.nnKernelToOI(n, wr)
	if err != nil {
		return err
	}
	y, err := c.emit(n, ir.OpConv, ir.Attrs{
		"strides": strides, "dilations": dil, "pads": pads, "groups": ch,
	}, xcf, wt)
	if err != nil {
		return err
	}
	return c.bindChannelsFirst(n, y, channelsLast)
}

// Conv2DBackpropInput (conv2d_transpose) and Conv3DBackpropInputV2 become
// conv_transpose on channels-first data. The filter [k..., Cin, Cout] of
// the forward convolution (Cout = channels of out_backprop) is transposed
// to [Cout, Cin/g, k...]. The output size is input_sizes (a constant): the
// forward convolution of an input of that size must give out_backprop's
// size, its leading pad pb (SAME, VALID or EXPLICIT, as TensorFlow's
// ConvBackpropComputeDimensionsV2) is cropped from the start of the full
// transposed output, and whatever is left beyond input_sizes from the end
// (negative: the end is extended).
func convertConvBackpropInput(c *ctx, n *node) error {
	vs, err := c.inputs(n, 3, 3)
	if err != nil {
		return err
	}
	w, dy := vs[1], vs[2]
	r := 4
	if n.op == "Conv3DBackpropInputV2" {
		r = 5
	}
	if err := nnCheckRank(n, "filter", w, r); err != nil {
		return err
	}
	if err := nnCheckRank(n, "out_backprop", dy, r); err != nil {
		return err
	}
	a, err := nnConvAttrs(n, r)
	if err != nil {
		return err
	}
	channelsLast, strides, dil, padding, explicit := a.channelsLast, a.strides, a.dil, a.padding, a.explicit
	sizes, err := c.constInts(n, 0)
	if err != nil {
		return err
	}
	s := r - 2
	ws := w.Type.Shape
	dycf, err := c.toChannelsFirst(n, dy, channelsLast)
	if err != nil {
		return err
	}
	batch, cout := dycf.Type.Shape[0], dycf.Type.Shape[1]
	// want: the result's shape, channels first.
	var want tensor.Shape
	switch {
	case len(sizes) == r:
		want = tensor.Shape(sizes).Clone()
		if channelsLast {
			want = tensor.Shape{sizes[0], sizes[r-1]}
			want = append(want, sizes[1:r-1]...)
		}
	case len(sizes) == s && r == 4:
		want = append(tensor.Shape{batch, ws[r-2]}, sizes...)
	default:
		return n.errorf("input_sizes %v: want %d values (or %d spatial sizes)", sizes, r, s)
	}
	for _, d := range want {
		if d < 1 {
			return n.errorf("input_sizes %v: sizes must be ≥ 1", sizes)
		}
	}
	if want[0] != batch {
		return n.errorf("input_sizes %v has batch %d, out_backprop %v has %d", sizes, want[0], dy.Type.Shape, batch)
	}
	if ws[r-1] != cout {
		return n.errorf("filter %v has %d output channels, out_backprop %v has %d", ws, ws[r-1], dy.Type.Shape, cout)
	}
	cin := want[1]
	if cin < 1 {
		return n.errorf("input_sizes %v: no channels (the filter %v needs %d)", sizes, ws, ws[r-2])
	}
	if ws[r-2] < 1 || cin%ws[r-2] != 0 {
		return n.errorf("input_sizes %v: %d channels are not a multiple of the filter's %d (filter %v)", sizes, cin, ws[r-2], ws)
	}
	groups := cin / ws[r-2]
	if cout%groups != 0 {
		return n.errorf("%d groups do not divide out_backprop's %d channels", groups, cout)
	}
	in := []int(want[2:])
	k := []int(ws[:s])
	fwd, err := tfPads(n, padding, in, k, strides, dil, explicit, channelsLast)
	if err != nil {
		return err
	}
	pads := make([]int, 2*s)
	for j := range s {
		eff := (k[j]-1)*dil[j] + 1
		span := in[j] + fwd[j] + fwd[s+j] - eff
		if span < 0 {
			return n.errorf("input_sizes %v: spatial dimension %d of size %d is smaller than the dilated filter %d", sizes, j, in[j], eff)
		}
		o := span/strides[j] + 1
		if got := dycf.Type.Shape[2+j]; got != o {
			return n.errorf("out_backprop %v: spatial dimension %d has size %d, but a %s convolution of input_sizes %v gives %d", dy.Type.Shape, j, got, padding, sizes, o)
		}
		full := (o-1)*strides[j] + eff
		pads[j] = fwd[j]
		pads[s+j] = full - in[j] - fwd[j]
	}
	wt, err := c.nnKernelToOI(n, w)
	if err != nil {
		return err
	}
	y, err := c.emit(n, ir.OpConvTranspose, ir.Attrs{
		"strides": strides, "dilations": dil, "pads": pads, "groups": groups,
	}, dycf, wt)
	if err != nil {
		return err
	}
	if !y.Type.Shape.Equal(want) {
		return n.errorf("conv_transpose gives %v, want %v (a bug in tfc)", y.Type.Shape, want)
	}
	return c.bindChannelsFirst(n, y, channelsLast)
}

// BiasAdd and BiasAddV1 become add. The bias [C] broadcasts on the last
// axis for NHWC (and for every rank-2 value); for NCHW it is reshaped to
// [C, 1, ...] so that it broadcasts on axis 1.
func convertBiasAdd(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	x, b := vs[0], vs[1]
	r := x.Type.Rank()
	if r < 2 {
		return n.errorf("input %v: want rank ≥ 2", x.Type)
	}
	if b.Type.Rank() != 1 {
		return n.errorf("bias %v: want rank 1", b.Type)
	}
	channelsLast := true
	if n.op == "BiasAdd" {
		if channelsLast, err = n.dataFormat(); err != nil {
			return err
		}
	}
	axis := r - 1
	if !channelsLast {
		axis = 1
	}
	if b.Type.Shape[0] != x.Type.Shape[axis] {
		return n.errorf("bias %v does not match dimension %d of input %v", b.Type, axis, x.Type)
	}
	if axis != r-1 {
		shape := append(tensor.Shape{b.Type.Shape[0]}, nnOnes(r-2)...)
		if b, err = c.reshape(n, b, shape); err != nil {
			return err
		}
	}
	y, err := c.emit(n, ir.OpAdd, nil, x, b)
	if err != nil {
		return err
	}
	return c.bind(n, y)
}
