package tf

import (
	"math"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	register("quant", "quantize + dequantize (half_up), TF's nudged scale and zero point", convertFakeQuantArgs, "FakeQuantWithMinMaxArgs")
	register("quant", "quantize + dequantize (half_up), TF's nudged scale and zero point; constant min, max", convertFakeQuantVars, "FakeQuantWithMinMaxVars")
	register("quant", "quantize + dequantize per last-dimension channel (half_up); constant min, max", convertFakeQuantVars, "FakeQuantWithMinMaxVarsPerChannel")
	register("quant", "quantize + dequantize, zero point 0 (round_mode); constant range", convertQDQ, "QuantizeAndDequantizeV2", "QuantizeAndDequantizeV3", "QuantizeAndDequantizeV4")
}

// The fake-quantization ops become an IR quantize → dequantize pair whose
// scale, zero point and integer range are those TensorFlow's kernels
// derive (computed here in float32, as they do):
//
// FakeQuantWithMinMaxArgs/Vars/VarsPerChannel (fake_quant_ops_functor.h):
// qmin = narrow_range ? 1 : 0, qmax = 2^num_bits - 1; scale = (max -
// min)/(qmax - qmin); the zero point is qmin - min/scale rounded half away
// from zero and clamped to [qmin, qmax] (the "nudge" that makes 0.0
// exact); rounding is floor(v + 0.5) (round="half_up"). PerChannel
// quantizes along the last dimension.
//
// QuantizeAndDequantizeV2/V3/V4 (quantize_and_dequantize_op.h), with
// range_given or a constant input: the integer range is signed_input ?
// [-2^(b-1) (+1 if narrow_range), 2^(b-1) - 1] : [0, 2^b - 1]; the scale
// keeps the side of [min, max] that limits it (min_q/min versus
// max_q/max) and its step is min/min_q or max/max_q; the zero point is 0;
// round_mode HALF_TO_EVEN (default) or HALF_UP. axis ≥ 0 is per channel.
// A degenerate range (both sides 0) gives TensorFlow's result, zeros.
//
// TensorFlow's kernels compute the same map in float32 in their own order
// (clamp to the nudged range, shift, divide or multiply by the reciprocal,
// round; the compiled CPU kernel's exact sequence is not the header's, as
// measured against TF 2.21). The IR's quantize divides and adds the zero
// point, and its dequantize, (q - z) * scale, matches TensorFlow's output
// bit for bit. They can differ by one step only where x/scale is within
// float32 rounding of a tie; a range taken from the data's own extremes
// puts those extremes on such ties (checked by the qat_* cases).
func convertFakeQuantArgs(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	lo, err := n.attrFloatOr("min", -6)
	if err != nil {
		return err
	}
	hi, err := n.attrFloatOr("max", 6)
	if err != nil {
		return err
	}
	if !(lo < hi) {
		return n.errorf("min %g must be below max %g", lo, hi)
	}
	qmin, qmax, err := fakeQuantRange(n)
	if err != nil {
		return err
	}
	s, z := nudge(float32(lo), float32(hi), qmin, qmax)
	return c.quantDequant(n, x, -1, []float32{s}, []int32{z}, qmin, qmax, "half_up")
}

func convertFakeQuantVars(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	if x.Type.DType != tensor.Float32 {
		return n.errorf("input has element type %v, want f32", x.Type.DType)
	}
	lo, err := c.constInput(n, 1)
	if err != nil {
		return err
	}
	hi, err := c.constInput(n, 2)
	if err != nil {
		return err
	}
	qmin, qmax, err := fakeQuantRange(n)
	if err != nil {
		return err
	}
	axis := -1
	if n.op == "FakeQuantWithMinMaxVarsPerChannel" {
		r := x.Type.Rank()
		if r < 1 || r > 4 {
			return n.errorf("input has rank %d, want 1 to 4", r)
		}
		axis = r - 1
		if lo.Len() != x.Type.Shape[axis] || hi.Len() != lo.Len() || lo.Shape.Rank() != 1 {
			return n.errorf("min %v and max %v must have shape [%d], the input's last dimension", lo.Shape, hi.Shape, x.Type.Shape[axis])
		}
	} else if lo.Len() != 1 || hi.Len() != 1 || lo.Shape.Rank() != 0 || hi.Shape.Rank() != 0 {
		return n.errorf("min %v and max %v must be scalars", lo.Shape, hi.Shape)
	}
	scales := make([]float32, lo.Len())
	zps := make([]int32, lo.Len())
	for i := range scales {
		a, b := float32(lo.Float64At(i)), float32(hi.Float64At(i))
		if !(a < b) {
			// TensorFlow divides by zero or a negative scale here.
			return n.errorf("min %g must be below max %g (channel %d)", a, b, i)
		}
		scales[i], zps[i] = nudge(a, b, qmin, qmax)
	}
	return c.quantDequant(n, x, axis, scales, zps, qmin, qmax, "half_up")
}

// fakeQuantRange reads num_bits and narrow_range of a FakeQuant op.
func fakeQuantRange(n *node) (qmin, qmax int, err error) {
	bits, err := n.attrIntOr("num_bits", 8)
	if err != nil {
		return 0, 0, err
	}
	if bits < 2 || bits > 16 {
		return 0, 0, n.errorf("num_bits %d: TensorFlow allows 2 to 16", bits)
	}
	narrow, err := n.attrBoolOr("narrow_range", false)
	if err != nil {
		return 0, 0, err
	}
	if narrow {
		qmin = 1
	}
	return qmin, 1<<bits - 1, nil
}

// nudge is TensorFlow's Nudge (fake_quant_ops_functor.h), in float32: the
// step and the zero point, clamped to [qmin, qmax] and rounded half away
// from zero, that make 0.0 exactly representable.
func nudge(lo, hi float32, qmin, qmax int) (scale float32, zp int32) {
	fmin, fmax := float32(qmin), float32(qmax)
	scale = (hi - lo) / (fmax - fmin)
	zf := fmin - lo/scale
	switch {
	case zf < fmin:
		zp = int32(qmin)
	case zf > fmax:
		zp = int32(qmax)
	default:
		zp = int32(math.Round(float64(zf)))
	}
	return scale, zp
}

func convertQDQ(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	if x.Type.DType != tensor.Float32 {
		return n.errorf("input has element type %v, want f32", x.Type.DType)
	}
	signed, err := n.attrBoolOr("signed_input", true)
	if err != nil {
		return err
	}
	var bits int
	if n.op == "QuantizeAndDequantizeV3" {
		b, err := c.constInts(n, 3)
		if err != nil {
			return err
		}
		if len(b) != 1 {
			return n.errorf("num_bits must be a scalar")
		}
		bits = b[0]
	} else if bits, err = n.attrIntOr("num_bits", 8); err != nil {
		return err
	}
	if bits < 1 || bits > 31 || signed && bits < 2 {
		return n.errorf("num_bits %d is out of range", bits)
	}
	rangeGiven, err := n.attrBoolOr("range_given", false)
	if err != nil {
		return err
	}
	narrow, err := n.attrBoolOr("narrow_range", false)
	if err != nil {
		return err
	}
	round := "half_even"
	if n.op != "QuantizeAndDequantizeV3" {
		mode, err := n.attrStringOr("round_mode", "HALF_TO_EVEN")
		if err != nil {
			return err
		}
		switch mode {
		case "HALF_TO_EVEN":
		case "HALF_UP":
			round = "half_up"
		default:
			return n.errorf("round_mode %q (want HALF_TO_EVEN or HALF_UP)", mode)
		}
	}
	axis, err := n.attrIntOr("axis", -1)
	if err != nil {
		return err
	}
	r := x.Type.Rank()
	if axis < -1 || axis >= r {
		return n.errorf("axis %d out of range [-1, %d)", axis, r)
	}
	var lo, hi *tensor.Tensor
	if rangeGiven {
		if lo, err = c.constInput(n, 1); err != nil {
			return err
		}
		if hi, err = c.constInput(n, 2); err != nil {
			return err
		}
	} else {
		xt, err := c.constValue(x)
		if err != nil {
			return n.errorf("range_given=false takes the range from the data at run time; tfc needs it constant (%v)", err)
		}
		lo, hi = dataRange(xt, axis)
	}
	channels := 1
	if axis >= 0 {
		channels = x.Type.Shape[axis]
	}
	if lo.Len() != channels || hi.Len() != channels {
		return n.errorf("input_min and input_max must have %d element(s), have %d and %d", channels, lo.Len(), hi.Len())
	}
	var qmin, qmax int64
	if signed {
		qmin, qmax = -(1 << (bits - 1)), 1<<(bits-1)-1
		if narrow {
			qmin++
		}
	} else {
		qmin, qmax = 0, 1<<bits-1
	}
	scales := make([]float32, channels)
	zps := make([]int32, channels)
	for i := range scales {
		a, b := float32(lo.Float64At(i)), float32(hi.Float64At(i))
		if rangeGiven && a > b {
			return n.errorf("input_min %g is above input_max %g", a, b)
		}
		// A step of 0 (the range [0, 0]) quantizes everything to a bound
		// and dequantizes it to 0, TensorFlow's result.
		scales[i] = qdqStep(a, b, float32(qmin), float32(qmax))
	}
	return c.quantDequant(n, x, axis, scales, zps, int(qmin), int(qmax), round)
}

// qdqStep is the dequantization step of QuantizeAndDequantize
// (ComputeQuantizationRange): the side of [lo, hi] that limits the scale
// sets it; 0 for the degenerate range [0, 0].
func qdqStep(lo, hi, qmin, qmax float32) float32 {
	fromMin, fromMax := float32(math.MaxFloat32), float32(math.MaxFloat32)
	if qmin*lo > 0 {
		fromMin = qmin / lo
	}
	if qmax*hi > 0 {
		fromMax = qmax / hi
	}
	if fromMin < fromMax {
		return lo / qmin
	}
	return hi / qmax
}

// dataRange is the per-tensor (axis -1) or per-channel minimum and maximum
// of a constant.
func dataRange(t *tensor.Tensor, axis int) (lo, hi *tensor.Tensor) {
	channels, inner := 1, max(t.Len(), 1)
	if axis >= 0 {
		channels, inner = t.Shape[axis], 1
		for _, d := range t.Shape[axis+1:] {
			inner *= d
		}
	}
	lo, hi = tensor.MustNew(tensor.Float32, tensor.Shape{channels}), tensor.MustNew(tensor.Float32, tensor.Shape{channels})
	for c := range channels {
		lo.F32[c], hi.F32[c] = float32(math.Inf(1)), float32(math.Inf(-1))
	}
	for i := range t.Len() {
		c := (i / inner) % channels
		v := float32(t.Float64At(i))
		lo.F32[c] = min(lo.F32[c], v)
		hi.F32[c] = max(hi.F32[c], v)
	}
	return lo, hi
}

// quantDequant emits quantize → dequantize with the given parameters
// (one scale and zero point per tensor, axis -1, or per index of axis).
func (c *ctx) quantDequant(n *node, x *ir.Value, axis int, scales []float32, zps []int32, qmin, qmax int, round string) error {
	shape := tensor.Shape{}
	if axis >= 0 {
		shape = tensor.Shape{len(scales)}
	}
	s := c.constant(n, tensor.FromF32(shape, scales))
	z := c.constant(n, tensor.FromI32(shape, zps))
	q, err := c.emit(n, ir.OpQuantize, ir.Attrs{"axis": axis, "qmin": qmin, "qmax": qmax, "round": round, "type": "int"}, x, s, z)
	if err != nil {
		return err
	}
	y, err := c.emit(n, ir.OpDequantize, ir.Attrs{"axis": axis}, q, s, z)
	if err != nil {
		return err
	}
	return c.bind(n, y)
}

func init() {
	register("quant", "folded to a float constant (constant input; MIN_COMBINED, MIN_FIRST, SCALED, as TF computes them)", convertDequantize, "Dequantize")
}

// intLimits are the lowest and highest values of a quantized type (held
// in its integer dtype).
func intLimits(dt tensor.DType) (lo, hi int64, ok bool) {
	switch dt {
	case tensor.Int8:
		return math.MinInt8, math.MaxInt8, true
	case tensor.Uint8:
		return 0, math.MaxUint8, true
	case tensor.Int16:
		return math.MinInt16, math.MaxInt16, true
	case tensor.Uint16:
		return 0, math.MaxUint16, true
	case tensor.Int32:
		return math.MinInt32, math.MaxInt32, true
	}
	return 0, 0, false
}

// Dequantize of a constant (weights stored as qint8/quint8/... with their
// float range) folds to a float32 (or bfloat16) constant computed exactly
// as TensorFlow's CPU kernel does (dequantize_op.cc, quantization_utils.h),
// in float32 unless stated, with [Tmin, Tmax] the type's range and
// per-tensor or per-axis [min, max]:
//
//	MIN_COMBINED: (float(q) + h) * ((max - min) / (float(Tmax) - Tmin)) + min,
//	              h = signed ? (float(Tmax) - Tmin + 1) / 2 : 0
//	MIN_FIRST:    (m - float(Tmin) * s) + float(q) * s, s = float32(double(max - min) / (2^bits - 1)),
//	              m = round(min / s) * s (half away; m = min when min = max)
//	              (per tensor only, as in TensorFlow)
//	SCALED:       float(q) * s, s = Tmin == 0 ? max / Tmax
//	              : std::max(min / (Tmin + narrow_range), max / Tmax)
//
// A degenerate range follows from the same arithmetic (min = max gives min
// everywhere in MIN_COMBINED and MIN_FIRST; [0, 0] in SCALED gives zeros
// whose sign is TensorFlow's). Scales that underflow to subnormals are
// flushed to zero, as TensorFlow's threads do (ftz). dtype bfloat16 (MIN_COMBINED only) rounds
// the float result to nearest even. A Dequantize of a value computed at
// run time is not supported.
func convertDequantize(c *ctx, n *node) error {
	q, err := c.constInput(n, 0)
	if err != nil {
		return err
	}
	qt, tmin, tmax, mode, err := quantTypeMode(n)
	if err != nil {
		return err
	}
	narrow, err := n.attrBoolOr("narrow_range", false)
	if err != nil {
		return err
	}
	axis, err := n.attrIntOr("axis", -1)
	if err != nil {
		return err
	}
	out := tensor.Float32
	if dt, err := n.attrType("dtype"); err == nil {
		out = dt
	}
	if out != tensor.Float32 && out != tensor.BFloat16 {
		return n.errorf("output type %v (want float32 or bfloat16)", out)
	}
	if out == tensor.BFloat16 && mode != "MIN_COMBINED" {
		return n.errorf("mode %s with a bfloat16 output (TensorFlow allows only MIN_COMBINED)", mode)
	}
	lo, hi, slices, inner, err := rangeInputs(c, n, q, axis, mode, "Dequantize", "input_min and input_max")
	if err != nil {
		return err
	}
	ftmin, ftmax := float32(tmin), float32(tmax)
	var f func(v float32, mn, mx float32) float32
	switch mode {
	case "MIN_COMBINED":
		var half float32
		if tmin < 0 {
			half = (ftmax - ftmin + 1) / 2
		}
		f = func(v, mn, mx float32) float32 {
			s := ftz((mx - mn) / (ftmax - ftmin))
			p := (v + half) * s
			return p + mn
		}
	case "MIN_FIRST":
		bits := 8 * qt.Size()
		steps := float64(int64(1) << bits)
		f = func(v, mn, mx float32) float32 {
			s := ftz(float32(float64(mx-mn) / (steps - 1)))
			m0 := mn
			if mx != mn {
				m0 = float32(math.Round(float64(mn/s))) * s
			}
			base := m0 - ftmin*s
			p := v * s
			return base + p
		}
	case "SCALED":
		minOut := tmin
		if narrow {
			minOut++
		}
		f = func(v, mn, mx float32) float32 {
			s := ftz(mx / ftmax)
			if tmin != 0 {
				a := ftz(mn / float32(minOut))
				if !(a < s) { // std::max(a, s) returns a unless a < s
					s = a
				}
			}
			return v * s
		}
	default:
		return n.errorf("mode %q (want MIN_COMBINED, MIN_FIRST or SCALED)", mode)
	}
	r := tensor.MustNew(out, q.Shape)
	for i := range q.Len() {
		k := (i / inner) % slices
		r.F32[i] = f(float32(q.Int64At(i)), float32(lo.Float64At(k)), float32(hi.Float64At(k)))
	}
	r.RoundToDType()
	return c.bind(n, c.constant(n, r))
}

func init() {
	register("quant", "folded to integer and range constants (constant input; MIN_COMBINED, MIN_FIRST, SCALED, as TF computes them)", convertQuantizeV2, "QuantizeV2")
}

// quantTypeMode reads the quantized type T of a Dequantize or QuantizeV2,
// its range, and the mode.
func quantTypeMode(n *node) (qt tensor.DType, tmin, tmax int64, mode string, err error) {
	if qt, err = n.attrType("T"); err != nil {
		return
	}
	var ok bool
	if tmin, tmax, ok = intLimits(qt); !ok {
		return qt, 0, 0, "", n.errorf("quantized type %v is not supported (want qint8, quint8, qint16, quint16 or qint32)", qt)
	}
	mode, err = n.attrStringOr("mode", "MIN_COMBINED")
	return
}

// rangeInputs reads the constant range inputs 1 and 2 of a Dequantize or
// QuantizeV2 (named names in errors) of the constant data t: one element
// each per tensor (axis -1) or per slice along axis (not in MIN_FIRST mode,
// as in TensorFlow's op). Element i of t is in slice (i/inner)%slices.
func rangeInputs(c *ctx, n *node, t *tensor.Tensor, axis int, mode, op, names string) (lo, hi *tensor.Tensor, slices, inner int, err error) {
	if lo, err = c.constInput(n, 1); err != nil {
		return
	}
	if hi, err = c.constInput(n, 2); err != nil {
		return
	}
	slices, inner = 1, max(t.Len(), 1)
	if axis >= t.Shape.Rank() || axis < -1 {
		return nil, nil, 0, 0, n.errorf("axis %d out of range for rank %d", axis, t.Shape.Rank())
	}
	if axis >= 0 {
		slices, inner = t.Shape[axis], 1
		for _, d := range t.Shape[axis+1:] {
			inner *= d
		}
		if mode == "MIN_FIRST" {
			return nil, nil, 0, 0, n.errorf("MIN_FIRST mode is not implemented for %s with axis != -1 (as in TensorFlow)", op)
		}
	}
	if lo.Len() != slices || hi.Len() != slices {
		return nil, nil, 0, 0, n.errorf("%s must have %d element(s), have %d and %d", names, slices, lo.Len(), hi.Len())
	}
	return lo, hi, slices, inner, nil
}

// ftz flushes a subnormal float32 to zero (keeping its sign), as
// TensorFlow's CPU kernels compute with denormals flushed (FTZ/DAZ): a
// scale that underflows to a subnormal is zero there.
func ftz(v float32) float32 {
	if v != 0 && math.Abs(float64(v)) < 0x1p-126 {
		return float32(math.Copysign(0, float64(v)))
	}
	return v
}

// roundAway is std::round: halves away from zero.
func roundAway(v float32) float32 { return float32(math.Round(float64(v))) }

// QuantizeV2 of a constant (weights quantized in the graph) folds to its
// three outputs, computed as TensorFlow's CPU kernel does (quantize_op.cc,
// quantization_utils.h), in float32 unless stated. The range is first
// widened: min = min(0, input_min), max = max(0, input_max, min + ε) with
// ε = max(1, |input_min|, |input_max|) · ensure_minimum_range. Then
//
//	MIN_COMBINED: s = float32(double(Tmax - Tmin) / (max - min));
//	              signed:   q = round_away((clamp(x) - min) · s - h), h = (Tmax - Tmin + 1)/2
//	              unsigned: q = trunc((clamp(x) - min) · s + 0.5)
//	SCALED:       s = min(Tmin' / min if Tmin'·min > 0, Tmax / max if Tmax·max > 0)
//	              (Tmin' = Tmin + narrow_range; FLT_MAX otherwise), the range
//	              becomes [Tmin'/s, Tmax/s], q = round(clamp(x) · s) (half away
//	              from zero or round_mode HALF_TO_EVEN)
//	MIN_FIRST:    s = float32((2^bits - 1) / double(max - min)) (0 if max = min),
//	              q = clamp(round_away(x · s) - (round_away(min · s) - Tmin)) to the type
//
// per tensor or per axis slice (MIN_FIRST per tensor only). The quantized
// output is an integer constant, the range outputs are f32 constants.
func convertQuantizeV2(c *ctx, n *node) error {
	x, err := c.constInput(n, 0)
	if err != nil {
		return err
	}
	if x.DType != tensor.Float32 {
		return n.errorf("input has element type %v, want f32", x.DType)
	}
	qt, tmin, tmax, mode, err := quantTypeMode(n)
	if err != nil {
		return err
	}
	roundMode, err := n.attrStringOr("round_mode", "HALF_AWAY_FROM_ZERO")
	if err != nil {
		return err
	}
	if roundMode != "HALF_AWAY_FROM_ZERO" && (roundMode != "HALF_TO_EVEN" || mode != "SCALED") {
		return n.errorf("round_mode %q with mode %q (TensorFlow allows HALF_TO_EVEN with SCALED only)", roundMode, mode)
	}
	narrow, err := n.attrBoolOr("narrow_range", false)
	if err != nil {
		return err
	}
	axis, err := n.attrIntOr("axis", -1)
	if err != nil {
		return err
	}
	ensure, err := n.attrFloatOr("ensure_minimum_range", 0.01)
	if err != nil {
		return err
	}
	lo, hi, slices, inner, err := rangeInputs(c, n, x, axis, mode, "Quantize", "min_range and max_range")
	if err != nil {
		return err
	}
	ftmin, ftmax := float32(tmin), float32(tmax)
	q := tensor.MustNew(tensor.Int64, x.Shape)
	outLo, outHi := tensor.MustNew(tensor.Float32, lo.Shape), tensor.MustNew(tensor.Float32, hi.Shape)
	for k := range slices {
		inLo, inHi := float32(lo.Float64At(k)), float32(hi.Float64At(k))
		if inHi < inLo {
			return n.errorf("input_max_range must be larger than input_min_range")
		}
		mn := min(0, inLo)
		eps := max(1, max(float32(math.Abs(float64(inLo))), float32(math.Abs(float64(inHi))))) * float32(ensure)
		mx := max(0, max(inHi, mn+eps))
		var f func(v float32) float32
		switch mode {
		case "MIN_COMBINED":
			s := float32((float64(tmax) - float64(tmin)) / float64(mx-mn))
			if tmin < 0 {
				h := float32((float64(tmax) - float64(tmin) + 1) / 2)
				f = func(v float32) float32 {
					d := max(min(v, mx), mn) - mn
					return roundAway(d*s - h)
				}
			} else {
				f = func(v float32) float32 {
					d := max(min(v, mx), mn) - mn
					return float32(math.Trunc(float64(d*s + 0.5)))
				}
			}
		case "SCALED":
			minOut, maxOut := float32(tmin), ftmax
			if narrow {
				minOut++
			}
			fromMin, fromMax := float32(math.MaxFloat32), float32(math.MaxFloat32)
			if minOut*mn > 0 {
				fromMin = minOut / mn
			}
			if maxOut*mx > 0 {
				fromMax = maxOut / mx
			}
			s := fromMin
			if fromMax < fromMin { // std::min(a, b) returns a unless b < a
				s = fromMax
			}
			mn, mx = minOut/s, maxOut/s
			flo, fhi := mn, mx
			f = func(v float32) float32 {
				r := max(min(v, fhi), flo) * s
				if roundMode == "HALF_TO_EVEN" {
					return float32(math.RoundToEven(float64(r)))
				}
				return roundAway(r)
			}
		case "MIN_FIRST":
			bits := 8 * qt.Size()
			var s float32
			if mx != mn {
				s = float32((float64(int64(1)<<bits) - 1) / float64(mx-mn))
			}
			off := roundAway(mn*s) - ftmin
			lb, ub := max(ftmin, -2.147483648e+09), min(ftmax, 2.147483520e+09)
			f = func(v float32) float32 { return max(min(roundAway(v*s)-off, ub), lb) }
		default:
			return n.errorf("mode %q (want MIN_COMBINED, MIN_FIRST or SCALED)", mode)
		}
		outLo.F32[k], outHi.F32[k] = mn, mx
		for i := range x.Len() {
			if (i/inner)%slices == k {
				q.I64[i] = int64(f(x.F32[i]))
			}
		}
	}
	qv, err := valueDType(n, narrowInts(q, qt))
	if err != nil {
		return err
	}
	return c.bind(n, c.constant(n, qv), c.constant(n, outLo), c.constant(n, outHi))
}

// narrowInts stores integer values in dtype dt (they fit: each mode
// clamps to the type's range).
func narrowInts(t *tensor.Tensor, dt tensor.DType) *tensor.Tensor {
	r := tensor.MustNew(dt, t.Shape)
	for i, v := range t.I64 {
		if r.I32 != nil {
			r.I32[i] = int32(v)
		} else {
			r.I64[i] = v
		}
	}
	return r
}
