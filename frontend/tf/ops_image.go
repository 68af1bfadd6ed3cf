package tf

import (
	"math"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Image ops: colour-space conversions and adjustments, and the resizes
// that are not one IR resize (bicubic with TensorFlow's tabulated
// coefficients, area). Each follows TensorFlow's CPU kernel
// (tensorflow/core/kernels/image/) formula by formula, as elementwise
// ops on the three channels sliced from the last axis; the resizes are
// two matrix products with constant interpolation matrices, one per
// spatial axis, whose entries are the kernel's own float32 weights.
//
// A NaN channel value is outside what these kernels define: TensorFlow's
// std::max/min and Eigen's cwiseMax drop or keep it depending on operand
// order, the IR's max/min propagate it.

func init() {
	register("image", "max/min + select over the sliced channels + concat", convertRGBToHSV, "RGBToHSV")
	register("image", "abs + clamp + mul over the sliced channels + concat", convertHSVToRGB, "HSVToRGB")
	register("image", "rgb→hsv + clamp(s·scale) + hsv→rgb as TensorFlow's kernel (select per hue sector)", convertAdjustSaturation, "AdjustSaturation")
	register("image", "max/min/median + hue sector (select) + shift + sector → rgb", convertAdjustHue, "AdjustHue")
	register("image", "reduce{mean over H,W} + sub + mul + add", convertAdjustContrast, "AdjustContrastv2")
	register("image", "matmul by constant bicubic weights along H, then W (cast to f32 first)", convertResizeSeparable, "ResizeBicubic")
	register("image", "matmul by constant area weights along H, then W, + mul (cast to f32 first)", convertResizeSeparable, "ResizeArea")
	differs("A NaN channel propagates through max/min; TensorFlow's kernels drop or keep it by operand order.",
		"RGBToHSV", "HSVToRGB", "AdjustSaturation", "AdjustHue")
	differs("The kernel adds 2/6 and 4/6 in double and rounds once; tfc adds in float32 (≤ 1 ulp).", "AdjustSaturation")
	differs("A run-time delta outside [-1, 1] is wrapped by fmod after two steps each way (TensorFlow loops; equal within float rounding).", "AdjustHue")
	differs("Taps clamped onto the border are summed as weights first (rounding order only).", "ResizeBicubic", "ResizeArea")
}

// rgbInput reads n's first input, an image whose last dimension is 3,
// with at least minRank dimensions and a float element type.
func (c *ctx) rgbInput(n *node, minRank int) (*ir.Value, error) {
	x, err := c.input(n, 0)
	if err != nil {
		return nil, err
	}
	r := x.Type.Rank()
	if r < minRank {
		return nil, n.errorf("images %v: want rank ≥ %d", x.Type, minRank)
	}
	if x.Type.Shape[r-1] != 3 {
		return nil, n.errorf("images %v: the last dimension must be 3 (channels)", x.Type)
	}
	if dt := x.Type.DType; !dt.IsFloat() || dt == tensor.Float64 {
		return nil, n.errorf("images has element type %v, want f32, f16 or bf16", dt)
	}
	return x, nil
}

// RGBToHSV follows colorspace_op.h:
//
//	V = max(r, g, b); range = V - min(r, g, b)
//	S = V > 0 ? range / V : 0
//	norm = (1 / range) * (1/6)
//	H = r == V ? norm·(g-b) : g == V ? norm·(b-r) + 2/6 : norm·(r-g) + 4/6
//	H = range > 0 ? H : 0;  H = H < 0 ? H + 1 : H
func convertRGBToHSV(c *ctx, n *node) error {
	x, err := c.rgbInput(n, 1)
	if err != nil {
		return err
	}
	e := c.emitter(n, x.Type.DType)
	r, g, b := e.channel(x, 0), e.channel(x, 1), e.channel(x, 2)
	v := e.max(e.max(r, g), b)
	rng := e.sub(v, e.min(e.min(r, g), b))
	s := e.sel(e.gt(v, e.k(0)), e.div(rng, v), e.k(0))
	norm := e.mul(e.op(ir.OpReciprocal, nil, rng), e.kf32(float32(1)/float32(6)))
	h := e.sel(e.eq(r, v), e.mul(norm, e.sub(g, b)),
		e.sel(e.eq(g, v), e.add(e.mul(norm, e.sub(b, r)), e.kf32(float32(2)/float32(6))),
			e.add(e.mul(norm, e.sub(r, g)), e.kf32(float32(4)/float32(6)))))
	h = e.sel(e.gt(rng, e.k(0)), h, e.k(0))
	h = e.sel(e.lt(h, e.k(0)), e.add(h, e.k(1)), h)
	out := e.op(ir.OpConcat, ir.Attrs{"axis": x.Type.Rank() - 1}, h, s, v)
	if e.err != nil {
		return e.err
	}
	return c.bind(n, out)
}

// HSVToRGB follows colorspace_op.h:
//
//	dh = h·6
//	dr = clamp(|dh-3| - 1, 0, 1); dg = clamp(2 - |dh-2|, 0, 1); db = clamp(2 - |dh-4|, 0, 1)
//	R = (1-s + s·dr)·v, and so on.
func convertHSVToRGB(c *ctx, n *node) error {
	x, err := c.rgbInput(n, 1)
	if err != nil {
		return err
	}
	e := c.emitter(n, x.Type.DType)
	h, s, v := e.channel(x, 0), e.channel(x, 1), e.channel(x, 2)
	dh := e.mul(h, e.k(6))
	dr := e.clamp(e.sub(e.abs(e.sub(dh, e.k(3))), e.k(1)), 0, 1)
	dg := e.clamp(e.sub(e.k(2), e.abs(e.sub(dh, e.k(2)))), 0, 1)
	db := e.clamp(e.sub(e.k(2), e.abs(e.sub(dh, e.k(4)))), 0, 1)
	oneS := e.sub(e.k(1), s)
	ch := func(d *ir.Value) *ir.Value { return e.mul(e.add(oneS, e.mul(s, d)), v) }
	out := e.op(ir.OpConcat, ir.Attrs{"axis": x.Type.Rank() - 1}, ch(dr), ch(dg), ch(db))
	if e.err != nil {
		return e.err
	}
	return c.bind(n, out)
}

// scalarInput reads n's i-th input, which must be a scalar; it is cast to
// dt.
func (c *ctx) scalarInput(n *node, i int, what string, dt tensor.DType) (*ir.Value, error) {
	v, err := c.input(n, i)
	if err != nil {
		return nil, err
	}
	if v.Type.Rank() != 0 {
		return nil, n.errorf("%s %v: want a scalar", what, v.Type)
	}
	if v.Type.DType != dt {
		return c.emit(n, ir.OpCast, ir.Attrs{"to": dt}, v)
	}
	return v, nil
}

// AdjustSaturation follows adjust_saturation_op.cc (the CPU kernel's
// rgb_to_hsv and hsv_to_rgb, which differ from RGBToHSV/HSVToRGB):
//
//	v = max(r,g,b); range = v - min(r,g,b); s = v > 0 ? range/v : 0
//	norm = 1 / (6·range); h as RGBToHSV with norm; h = range ≤ 0 ? 0 : h; h < 0 → h+1
//	s = min(1, max(0, s·scale))
//	c = s·v; m = v - c; dh = h·6; sector = floor(dh); x = c·(1 - |fmod(dh, 2) - 1|)
//	(r,g,b) = m + (c,x,0) (c,x,0) (x,c,0) (0,c,x) (0,x,c) (x,0,c) (c,0,x) by sector 0..5, m + 0 past 5
//
// The kernel adds 2.0/6.0 and 4.0/6.0 in double and rounds once; here the
// sum is float32 (at most one ulp apart).
func convertAdjustSaturation(c *ctx, n *node) error {
	x, err := c.rgbInput(n, 3)
	if err != nil {
		return err
	}
	if _, err := c.inputs(n, 2, 2); err != nil {
		return err
	}
	scale, err := c.scalarInput(n, 1, "scale", x.Type.DType)
	if err != nil {
		return err
	}
	e := c.emitter(n, x.Type.DType)
	r, g, b := e.channel(x, 0), e.channel(x, 1), e.channel(x, 2)
	v := e.max(r, e.max(g, b))
	rng := e.sub(v, e.min(r, e.min(g, b)))
	s := e.sel(e.gt(v, e.k(0)), e.div(rng, v), e.k(0))
	norm := e.div(e.k(1), e.mul(e.k(6), rng))
	h := e.sel(e.eq(r, v), e.mul(norm, e.sub(g, b)),
		e.sel(e.eq(g, v), e.add(e.mul(norm, e.sub(b, r)), e.kf32(float32(2.0/6.0))),
			e.add(e.mul(norm, e.sub(r, g)), e.kf32(float32(4.0/6.0)))))
	h = e.sel(e.le(rng, e.k(0)), e.k(0), h)
	h = e.sel(e.lt(h, e.k(0)), e.add(h, e.k(1)), h)
	s = e.min(e.k(1), e.max(e.k(0), e.mul(s, scale)))

	cc := e.mul(s, v)
	m := e.sub(v, cc)
	dh := e.mul(h, e.k(6))
	sector := e.floor(dh)
	xx := e.mul(cc, e.sub(e.k(1), e.abs(e.sub(e.op(ir.OpFloorMod, nil, dh, e.k(2)), e.k(1)))))
	zero := e.k(0)
	pick := func(cs, xs []float64) *ir.Value {
		return e.add(e.sel(e.oneOf(sector, cs...), cc, e.sel(e.oneOf(sector, xs...), xx, zero)), m)
	}
	out := e.op(ir.OpConcat, ir.Attrs{"axis": x.Type.Rank() - 1},
		pick([]float64{0, 5}, []float64{1, 4}),
		pick([]float64{1, 2}, []float64{0, 3}),
		pick([]float64{3, 4}, []float64{2, 5}))
	if e.err != nil {
		return e.err
	}
	return c.bind(n, out)
}

// AdjustHue follows adjust_hue_op.cc: the hue h in [0, 6] comes from the
// sector of (r, g, b) (which channel is largest, which smallest: sector
// 0..5 with ties resolved as the kernel's comparisons resolve them) and
// the ratio (mid - min)/(max - min) (1 - ratio in odd sectors), 0 when
// max == min. h += delta·6, brought into [0, 6) by adding or subtracting
// 6 (twice each way, which covers TensorFlow's documented delta range
// [-1, 1]; a larger runtime delta is finished with fmod, exact within
// float rounding). The new sector floor(h) and ratio place max, mid and
// min back on the channels.
func convertAdjustHue(c *ctx, n *node) error {
	x, err := c.rgbInput(n, 3)
	if err != nil {
		return err
	}
	if _, err := c.inputs(n, 2, 2); err != nil {
		return err
	}
	delta, err := c.scalarInput(n, 1, "delta", x.Type.DType)
	if err != nil {
		return err
	}
	e := c.emitter(n, x.Type.DType)
	r, g, b := e.channel(x, 0), e.channel(x, 1), e.channel(x, 2)
	vmax := e.max(e.max(r, g), b)
	vmin := e.min(e.min(r, g), b)
	vmid := e.max(e.min(r, g), e.min(e.max(r, g), b))
	// Sector: r < g ? (b < r ? 1 : b > g ? 3 : 2) : (b < g ? 0 : b > r ? 4 : 5).
	sec := e.sel(e.lt(r, g),
		e.sel(e.lt(b, r), e.k(1), e.sel(e.gt(b, g), e.k(3), e.k(2))),
		e.sel(e.lt(b, g), e.k(0), e.sel(e.gt(b, r), e.k(4), e.k(5))))
	odd := e.oneOf(sec, 1, 3, 5)
	spread := e.sub(vmax, vmin)
	ratio := e.div(e.sub(vmid, vmin), spread)
	h := e.add(sec, e.sel(odd, e.sub(e.k(1), ratio), ratio))
	h = e.sel(e.eq(vmax, vmin), e.k(0), h)
	h = e.add(h, e.mul(delta, e.k(6)))
	for range 2 {
		h = e.sel(e.lt(h, e.k(0)), e.add(h, e.k(6)), h)
	}
	for range 2 {
		h = e.sel(e.ge(h, e.k(6)), e.sub(h, e.k(6)), h)
	}
	h = e.op(ir.OpFloorMod, nil, h, e.k(6))
	sec = e.floor(h)
	ratio = e.sub(h, sec)
	ratio = e.sel(e.oneOf(sec, 1, 3, 5), e.sub(e.k(1), ratio), ratio)
	mid := e.add(vmin, e.mul(ratio, spread))
	pick := func(maxs, mids []float64) *ir.Value {
		return e.sel(e.oneOf(sec, maxs...), vmax, e.sel(e.oneOf(sec, mids...), mid, vmin))
	}
	out := e.op(ir.OpConcat, ir.Attrs{"axis": x.Type.Rank() - 1},
		pick([]float64{0, 5}, []float64{1, 4}),
		pick([]float64{1, 2}, []float64{0, 3}),
		pick([]float64{3, 4}, []float64{2, 5}))
	if e.err != nil {
		return e.err
	}
	return c.bind(n, out)
}

// AdjustContrastv2 follows adjust_contrast_op.cc: per image and channel,
// mean = the mean over height and width (dimensions -3 and -2), and
// out = mean + factor·(x - mean).
func convertAdjustContrast(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	x := vs[0]
	if x.Type.Rank() < 3 {
		return n.errorf("images %v: want rank ≥ 3", x.Type)
	}
	if dt := x.Type.DType; !dt.IsFloat() || dt == tensor.Float64 {
		return n.errorf("images has element type %v, want f32, f16 or bf16", dt)
	}
	f, err := c.scalarInput(n, 1, "contrast_factor", x.Type.DType)
	if err != nil {
		return err
	}
	e := c.emitter(n, x.Type.DType)
	r := x.Type.Rank()
	mean := e.op(ir.OpReduce, ir.Attrs{"kind": "mean", "axes": []int{r - 3, r - 2}, "keep_dims": true}, x)
	out := e.add(mean, e.mul(f, e.sub(x, mean)))
	if e.err != nil {
		return e.err
	}
	return c.bind(n, out)
}

// ResizeBicubic and ResizeArea are separable: out = A_h · x · A_wᵀ per
// image and channel, with constant matrices A [out, in] holding the
// kernel's weights (resize_bicubic_op.cc, resize_area_op.cc), computed in
// float32 as the kernel computes them; taps that the kernel clamps to the
// border add to the border column. x [N,H,W,C] (cast to f32) is reshaped
// to [N,H,W·C] and multiplied by A_h, then to [N·oH,W,C] and multiplied
// by A_w. ResizeArea then multiplies by 1/(scale_h·scale_w).
func convertResizeSeparable(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	x := vs[0]
	if err := nnCheckRank(n, "images", x, 4); err != nil {
		return err
	}
	if x.Type.Symbolic() {
		return n.errorf("images %v: height, width and channels must be known (the weights are constants)", x.Type)
	}
	size, err := c.constInts(n, 1)
	if err != nil {
		return err
	}
	if len(size) != 2 || size[0] < 1 || size[1] < 1 {
		return n.errorf("size %v: want two sizes ≥ 1 (height, width)", size)
	}
	align, err := n.attrBoolOr("align_corners", false)
	if err != nil {
		return err
	}
	half, err := n.attrBoolOr("half_pixel_centers", false)
	if err != nil {
		return err
	}
	if align && half {
		return n.errorf("align_corners and half_pixel_centers are both true (TensorFlow rejects this)")
	}
	s := x.Type.Shape
	nb, h, w, ch := s[0], s[1], s[2], s[3]
	if h < 1 || w < 1 {
		return n.errorf("images %v: height and width must be ≥ 1", x.Type)
	}
	oh, ow := size[0], size[1]
	if x.Type.DType == tensor.Float64 || !(x.Type.DType.IsFloat() || x.Type.DType.IsInt()) {
		return n.errorf("images has element type %v, want a real type other than f64", x.Type.DType)
	}
	weights := func(in, out int) *tensor.Tensor {
		if n.op == "ResizeArea" {
			return areaWeights(in, out, align)
		}
		return bicubicWeights(in, out, align, half)
	}
	e := c.emitter(n, tensor.Float32)
	v := e.cast(x, tensor.Float32)
	v = e.reshape(v, tensor.Shape{nb, h, w * ch})
	v = e.op(ir.OpMatMul, ir.Attrs{"transpose_a": false, "transpose_b": false}, c.constant(n, weights(h, oh)), v)
	v = e.reshape(v, tensor.Shape{nb * oh, w, ch})
	v = e.op(ir.OpMatMul, ir.Attrs{"transpose_a": false, "transpose_b": false}, c.constant(n, weights(w, ow)), v)
	v = e.reshape(v, tensor.Shape{nb, oh, ow, ch})
	if n.op == "ResizeArea" {
		hs, ws := resizeScale(h, oh, align), resizeScale(w, ow, align)
		v = e.mul(v, e.kf32(float32(1.0/float64(hs*ws))))
	}
	if e.err != nil {
		return e.err
	}
	return c.bind(n, v)
}

// resizeScale is image_resizer_state.h's CalculateResizeScale.
func resizeScale(in, out int, align bool) float32 {
	if align && out > 1 {
		return float32(in-1) / float32(out-1)
	}
	return float32(in) / float32(out)
}

func bound(i, limit int) int { return min(limit-1, max(0, i)) }

// bicubicTable is resize_bicubic_op.cc's coefficient table for a (-0.5,
// Keys, with half-pixel centers; -0.75 otherwise): 1025 entries of two
// weights, the near and the far tap at distance i/1024.
func bicubicTable(a float64) []float32 {
	const size = 1024
	t := make([]float32, 2*(size+1))
	for i := 0; i <= size; i++ {
		x := float32(float64(i) * 1.0 / size)
		xd := float64(x)
		t[2*i] = float32(((a+2)*xd-(a+3))*xd*xd + 1)
		x += 1.0
		xd = float64(x)
		t[2*i+1] = float32(((a*xd-5*a)*xd+8*a)*xd - 4*a)
	}
	return t
}

// bicubicWeights is the [out, in] matrix of the bicubic kernel's weights
// along one axis (GetWeightsAndIndices).
func bicubicWeights(in, out int, align, half bool) *tensor.Tensor {
	const size = 1024
	scale := resizeScale(in, out, align)
	a := -0.75
	if half {
		a = -0.5
	}
	table := bicubicTable(a)
	m := tensor.MustNew(tensor.Float32, tensor.Shape{out, in})
	for o := range out {
		var loc float32
		if half {
			loc = float32(float32(float32(o)+0.5)*scale) - 0.5
		} else {
			loc = float32(float32(o) * scale)
		}
		il := int(math.Floor(float64(loc)))
		delta := loc - float32(il)
		off := int(math.RoundToEven(float64(float32(delta * size))))
		w := [4]float32{table[off*2+1], table[off*2], table[(size-off)*2], table[(size-off)*2+1]}
		var idx [4]int
		for k := range idx {
			idx[k] = bound(il+k-1, in)
		}
		if half {
			// Taps outside the image get weight 0; the rest are
			// renormalised to sum to 1.
			for k := range w {
				if idx[k] != il+k-1 {
					w[k] = 0
				}
			}
			sum := w[0] + w[1] + w[2] + w[3]
			if math.Abs(float64(sum)) >= 1000*fltMin {
				inv := 1 / sum
				for k := range w {
					w[k] *= inv
				}
			}
		}
		for k := range w {
			m.F32[o*in+idx[k]] += w[k]
		}
	}
	return m
}

// areaWeights is the [out, in] matrix of the area kernel's weights along
// one axis: input cell i covers [i, i+1), output cell o covers
// [o·scale, (o+1)·scale), the weight is the length of their overlap
// (cells past the border are clamped onto it).
func areaWeights(in, out int, align bool) *tensor.Tensor {
	scale := resizeScale(in, out, align)
	m := tensor.MustNew(tensor.Float32, tensor.Shape{out, in})
	for o := range out {
		lo := float32(float32(o) * scale)
		hi := float32(float32(o+1) * scale)
		start, end := int(math.Floor(float64(lo))), int(math.Ceil(float64(hi)))
		for i := start; i < end; i++ {
			var w float32
			if float32(i) < lo {
				if float32(i+1) > hi {
					w = scale
				} else {
					w = float32(i+1) - lo
				}
			} else {
				if float32(i+1) > hi {
					w = hi - float32(i)
				} else {
					w = 1
				}
			}
			m.F32[o*in+bound(i, in)] += w
		}
	}
	return m
}

// fltMin is C's FLT_MIN, the smallest normal float32.
const fltMin = 0x1p-126
