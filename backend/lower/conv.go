package lower

import (
	"fmt"
	"slices"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/ir/dim"
	"github.com/tfc-dev/tfc/tensor"
)

// conv → IConvolutionLayer. The IR kernel [O, C/g, k...] is TensorRT's KCRS
// order and the optional bias [O] its bias, both as Weights (the operands
// must be constants). strides, dilations and groups map one to one; the IR
// pads (begins, then ends) are the pre and post paddings. Padding is
// explicit (kEXPLICIT_ROUND_DOWN): output size floor((i + p0 + p1 -
// d*(k-1) - 1)/s) + 1, the IR's.
//
// conv_transpose → IDeconvolutionLayer. The IR kernel [C, O/g, k...] is
// TensorRT's CKRS order, NbOutputMaps = O; TensorRT's pre/post padding crop
// the full output like the IR pads. A negative IR pad (the output extends
// past the full output, those positions holding only the bias) cannot be
// given to TensorRT, so the input is zero-padded first: m = ceil(-p/s)
// zero positions at that end of the input extend the full output by m*s
// positions that only zeros reach, and the deconvolution crops m*s + p ≥ 0
// of them. Zero inputs add exact zeros, so the result, bias included, is
// the IR's (one Slice kFILL layer before the deconvolution).
//
// TensorRT convolves 2-D and 3-D only: a 1-D conv or conv_transpose runs as
// 2-D on [N, C, W, 1] (kernel [k, 1], same weight bytes) between two
// Shuffles.
//
// Under Options.TF32x3 a float32 conv or conv_transpose is one layer over
// the input's and the kernel's TF32 parts, concatenated along the input
// channels group by group (convTF32x3, tf32x3.go).
//
// A conv or conv_transpose whose kernel is computed by the network
// (canonical IR folds constant expressions, so: from an input, or an FP8
// weight pair) gives it to IConvolutionLayer or IDeconvolutionLayer as
// input 1 with empty kernel weights (NvInfer.h's setInput(1, kernel), the
// same KCRS or CKRS layout as the weights); a computed bias is then added
// by an ElementWise kSUM.
func init() {
	register(ir.OpConv, rule{check: checkConv, lower: lowerConv})
	register(ir.OpConvTranspose, rule{check: checkConv, lower: lowerConv})
}

func checkConv(op *ir.Op) error {
	if s := op.Args[0].Type.Rank() - 2; s > 3 {
		return fmt.Errorf("%d-D convolution (TensorRT convolves 2-D and 3-D; 1-D is expanded)", s)
	}
	for i, a := range op.Args[1:] {
		what := "weights"
		if i == 1 {
			what = "bias"
		}
		if !isConst(a) {
			continue // a kernel tensor (input 1), a bias added after
		}
		if ir.IsElided(a.Op.Tensor("value")) {
			return fmt.Errorf("constant %s were elided from the IR text (it was printed with -elide-consts)", what)
		}
	}
	return nil
}

func lowerConv(l *lowerer, op *ir.Op) error {
	x, w := op.Args[0], op.Args[1]
	r := op.Result()
	s := x.Type.Rank() - 2
	strides, dil, pads := op.Ints("strides"), op.Ints("dilations"), op.Ints("pads")
	kernel := w.Type.Shape[2:].Clone()
	pre, post := append([]int(nil), pads[:s]...), append([]int(nil), pads[s:]...)
	strides, dil = append([]int(nil), strides...), append([]int(nil), dil...)

	in := l.tensor(x)
	expand := s == 1
	if expand {
		in = l.reshape(op, "to2d", in, dims(spatialTo2D(x.Type.Shape)))
		kernel = append(kernel, 1)
		strides, dil, pre, post = append(strides, 1), append(dil, 1), append(pre, 0), append(post, 0)
		s = 2
	}
	groups := op.Int("groups")
	var bias trt.Weights
	var biasTensor *ir.Value // a computed bias, added after the convolution
	if len(op.Args) == 3 {
		if !isConst(op.Args[2]) {
			biasTensor = op.Args[2]
		} else {
			bias = weights(constValue(op.Args[2]))
		}
	}
	var kw trt.Weights
	var kt trt.Tensor
	if isConst(w) {
		kw = weights(constValue(w))
	} else {
		kd := w.Type.Shape.Clone()
		if expand {
			kd = append(kd, 1)
		}
		kt = l.tensor(w)
		if expand {
			kt = l.tensorAs(op, "kernel2d", w, dims(kd))
		}
	}
	suffix := ""
	if expand {
		suffix = "conv2d"
	}
	outMaps := int64(w.Type.Shape[0]) // a Convolution kernel is [O, I/g, k...]
	if op.Opcode == ir.OpConvTranspose {
		outMaps = int64(r.Type.Shape[1]) // a Deconvolution kernel is [I, O/g, k...]
		// Negative pads: zero-pad the input by m = ceil(-p/s) positions.
		inShape := x.Type.Shape
		if expand {
			inShape = spatialTo2D(inShape)
		}
		extended := false
		start := make(trt.Dims, s+2)
		size := dims(inShape)
		for j := range s {
			if pre[j] < 0 {
				m := (-pre[j] + strides[j] - 1) / strides[j]
				start[2+j] = -int64(m)
				size[2+j] += int64(m)
				pre[j] += m * strides[j]
				extended = true
			}
			if post[j] < 0 {
				m := (-post[j] + strides[j] - 1) / strides[j]
				size[2+j] += int64(m)
				post[j] += m * strides[j]
				extended = true
			}
		}
		if extended {
			in = l.named(op, "pad", l.net.AddSlice(in, trt.Slice{
				Start:  start,
				Size:   size,
				Stride: ones(s + 2),
				Mode:   trt.SampleFill,
			}))
		}
	}
	// add adds the layer on input x with kernel weights kw or tensor kt.
	// IConvolutionLayer and IDeconvolutionLayer take the same parameters.
	add := func(suffix string, x trt.Tensor, kw trt.Weights, kt trt.Tensor, bias trt.Weights) trt.Tensor {
		p := trt.Convolution{
			NbOutputMaps: outMaps,
			KernelSize:   dims(kernel),
			Kernel:       kw,
			Bias:         bias,
			Stride:       dimsOf(strides...),
			PrePadding:   dimsOf(pre...),
			PostPadding:  dimsOf(post...),
			PaddingMode:  trt.PaddingExplicitRoundDown,
			NbGroups:     int64(groups),
			Dilation:     dimsOf(dil...),
			KernelTensor: kt,
		}
		if op.Opcode == ir.OpConv {
			return l.named(op, suffix, l.net.AddConvolutionNd(x, p))
		}
		return l.named(op, suffix, l.net.AddDeconvolutionNd(x, trt.Deconvolution(p)))
	}
	var out trt.Tensor
	if l.splitsF32(x.Type.DType) {
		// 3xTF32 (tf32x3.go): one layer over concatenated parts.
		xs, kw, kt := l.convTF32x3(op, suffix, in, w, kt, groups)
		out = add(suffix, xs, kw, kt, bias)
	} else {
		out = add(suffix, in, kw, kt, bias)
	}
	if biasTensor != nil {
		bd := make(trt.Dims, s+2)
		for i := range bd {
			bd[i] = 1
		}
		bd[1] = int64(r.Type.Shape[1])
		out = l.elementwise(op, "bias", out, l.tensorAs(op, "bias_shape", biasTensor, bd), trt.ElementWiseSum)
	}
	if expand {
		out = l.reshape(op, "", out, dims(r.Type.Shape))
	}
	l.set(r, out)
	return nil
}

// spatialTo2D appends a unit dimension: [N, C, W] → [N, C, W, 1].
func spatialTo2D(s tensor.Shape) tensor.Shape { return append(s.Clone(), 1) }

// convTF32x3 returns the input, kernel weights and kernel tensor of a
// float32 conv or conv_transpose under Options.TF32x3 (tf32x3.go): the
// input in (after any 1-D expansion or deconvolution padding) split in
// the network, the kernel w on the host (or, computed, its tensor kt in
// the network), and the parts of each concatenated along the input
// channels, group by group, in the order of the terms.
func (l *lowerer) convTF32x3(op *ir.Op, suffix string, in trt.Tensor, w *ir.Value, kt trt.Tensor, groups int) (trt.Tensor, trt.Weights, trt.Tensor) {
	name := func(part string) string { return join(suffix, "tf32x3/"+part) }
	xp := l.splitRun(op, name("input"), in)
	deconv := op.Opcode == ir.OpConvTranspose
	ws := w.Type.Shape // [O, C/g, k...] or [C, O/g, k...]
	if kt == nil {
		// The kernel viewed as [a, rest], its parts concatenated along
		// rest: conv [O, C/g·k...]; conv_transpose [g, C/g·O/g·k...].
		a := ws[0]
		if deconv {
			a = groups
		}
		kp := splitHost(constValue(w), nil)
		ts := terms(xp.mags, kp.mags)
		return l.convInput(op, name("input/concat"), in, xp, ts, groups), weights(concatHost(kp.host, ts, 1, a)), nil
	}
	kd := kt.Dimensions()
	grouped := deconv && groups > 1
	split := kt
	if grouped { // [C, O/g, k...] as [g, C/g, O/g, k...]
		split = l.reshape(op, name("kernel/groups"), kt, append(trt.Dims{int64(groups), int64(ws[0] / groups)}, kd[1:]...))
	}
	kp := l.splitRun(op, name("kernel"), split)
	ts := terms(xp.mags, kp.mags)
	axis := 1 // conv: C/g; grouped conv_transpose: C/g of [g, C/g, ...]
	if deconv && groups == 1 {
		axis = 0
	}
	k := l.concatParts(op, name("kernel/concat"), kp, ts, 1, axis)
	if grouped {
		k = l.reshape(op, name("kernel/parts"), k, append(trt.Dims{int64(len(ts) * ws[0])}, kd[1:]...))
	}
	return l.convInput(op, name("input/concat"), in, xp, ts, groups), trt.Weights{}, k
}

// convInput concatenates the parts xp of a convolution's input in [N, C,
// S...] along the channels as the terms ts take them (operand 0), so that
// each of the groups reads its own channels' parts: for groups > 1 each
// part is viewed as [N, g, C/g, S'] (batch as placeholder 0, the spatial
// dimensions as one -1), the parts are concatenated along axis 2, and the
// result is viewed as [N, n·C, S...] (static sizes, batch as placeholder
// 0, or for spatial sizes symbolic in a dynamic lowering, a shape tensor).
func (l *lowerer) convInput(op *ir.Op, suffix string, in trt.Tensor, xp factor, ts [][]int, groups int) trt.Tensor {
	if groups == 1 {
		return l.concatParts(op, suffix, xp, ts, 0, 1)
	}
	d := in.Dimensions()
	c := d[1]
	view := make([]trt.Tensor, len(xp.net))
	for i, t := range xp.net {
		view[i] = l.named(op, fmt.Sprintf("%s/groups%d", suffix, i), l.net.AddShuffle(t, trt.Shuffle{
			ReshapeDimensions: trt.Dims{0, int64(groups), c / int64(groups), -1},
			ZeroIsPlaceholder: true,
		}))
	}
	cat := l.concatParts(op, suffix, factor{net: view, mags: xp.mags}, ts, 0, 2)
	if s := l.sym[op]; s != nil && s.Args[0].Type.Dims != nil && slices.ContainsFunc(s.Args[0].Type.Dims[2:], func(d dim.Expr) bool { return !d.IsConst() }) {
		mul := make([]int64, len(d))
		for i := range mul {
			mul[i] = 1
		}
		mul[1] = int64(len(ts))
		size := l.dynSize(op, suffix+"/size", in, mul, make([]int64, len(d)))
		return l.named(op, suffix+"/channels", l.net.AddShuffle(cat, trt.Shuffle{ReshapeTensor: size}))
	}
	out := append(trt.Dims{0, int64(len(ts)) * c}, d[2:]...)
	return l.named(op, suffix+"/channels", l.net.AddShuffle(cat, trt.Shuffle{ReshapeDimensions: out, ZeroIsPlaceholder: true}))
}
