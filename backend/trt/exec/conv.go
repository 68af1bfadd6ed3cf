package exec

import (
	"fmt"
	"math"
	"sync/atomic"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

// Convolution, deconvolution and pooling. TensorRT convolves the last
// len(KernelSize)+1 dimensions ([C, spatial...]); any dimensions before
// them are batch dimensions (none, N, or several), flattened into one
// for the kernels. Padding follows PaddingMode as NvInfer.h's PaddingMode
// comment defines it:
//
//	DK = 1 + D*(F-1), M = I + B + A
//	kEXPLICIT_ROUND_DOWN  O = floor((M - DK)/S) + 1
//	kEXPLICIT_ROUND_UP    O = ceil((M - DK)/S) + 1
//	kSAME_UPPER           O = ceil(I/S), P = floor((I-1)/S)*S + DK - I, B = floor(P/2), A = P - B
//	kSAME_LOWER           the same with A = floor(P/2), B = P - A
//
// (pooling: DK = F). For deconvolution the explicit modes give
// O = (I-1)*S + DK - (B+A) and the SAME modes P = max(DK - S, 0) split
// the same way.

func init() {
	layerKernels[trt.LayerConvolution] = func(l *trt.LayerDesc, in []*tensor.Tensor, opts layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Convolution)
		var kernel *tensor.Tensor
		if len(in) > 1 {
			kernel = in[1]
		}
		return one(convolutionKernel(in[0], p, kernel, opts))
	}
	layerKernels[trt.LayerDeconvolution] = func(l *trt.LayerDesc, in []*tensor.Tensor, opts layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Deconvolution)
		var kernel *tensor.Tensor
		if len(in) > 1 {
			kernel = in[1]
		}
		return one(deconvolution(in[0], p, kernel, opts.tf32))
	}
	layerKernels[trt.LayerPooling] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Pooling)
		return one(pooling(in[0], p))
	}
}

// spatialParams are one layer's per-dimension parameters, defaults
// filled in.
type spatialParams struct {
	k, stride, dil, pre, post []int
}

func spatial(kernel, stride, pre, post, dil trt.Dims) (spatialParams, error) {
	s := len(kernel)
	var p spatialParams
	var err error
	if s == 0 {
		return p, fmt.Errorf("kernel size %v: want at least one spatial dimension", kernel)
	}
	if p.k, err = dimsOr("kernel size", kernel, s, 1); err != nil {
		return p, err
	}
	if p.stride, err = dimsOr("stride", stride, s, 1); err != nil {
		return p, err
	}
	if p.pre, err = dimsOr("pre-padding", pre, s, 0); err != nil {
		return p, err
	}
	if p.post, err = dimsOr("post-padding", post, s, 0); err != nil {
		return p, err
	}
	if p.dil, err = dimsOr("dilation", dil, s, 1); err != nil {
		return p, err
	}
	for j := range s {
		if p.k[j] < 1 || p.stride[j] < 1 || p.dil[j] < 1 {
			return p, fmt.Errorf("kernel size %v, stride %v, dilation %v: values must be ≥ 1", p.k, p.stride, p.dil)
		}
	}
	return p, nil
}

// forwardPadding resolves the padding of a convolution or pooling for
// spatial input sizes in: it returns the pre- and post-padding and
// TensorRT's output size. With kEXPLICIT_ROUND_UP the last window may
// extend past the padded input (see reach).
func forwardPadding(mode trt.PaddingMode, in []int, p spatialParams) (pre, post, out []int, err error) {
	s := len(in)
	pre, post, out = make([]int, s), make([]int, s), make([]int, s)
	for j := range s {
		dk := 1 + p.dil[j]*(p.k[j]-1)
		st := p.stride[j]
		switch mode {
		case trt.PaddingExplicitRoundDown, trt.PaddingExplicitRoundUp:
			if p.pre[j] < 0 || p.post[j] < 0 {
				return nil, nil, nil, fmt.Errorf("padding %v/%v: negative padding", p.pre, p.post)
			}
			pre[j], post[j] = p.pre[j], p.post[j]
			m := in[j] + pre[j] + post[j]
			if m < dk {
				return nil, nil, nil, fmt.Errorf("spatial dimension %d: padded input %d is smaller than the (dilated) window %d", j, m, dk)
			}
			out[j] = (m-dk)/st + 1
			if mode == trt.PaddingExplicitRoundUp && (m-dk)%st != 0 {
				out[j]++
			}
		case trt.PaddingSameUpper, trt.PaddingSameLower:
			out[j] = (in[j] + st - 1) / st
			// P < 0 means the windows fit without padding; clamping
			// to 0 keeps O = ceil(I/S).
			pp := max((in[j]-1)/st*st+dk-in[j], 0)
			if mode == trt.PaddingSameUpper {
				pre[j] = pp / 2
				post[j] = pp - pre[j]
			} else {
				post[j] = pp / 2
				pre[j] = pp - post[j]
			}
		default:
			return nil, nil, nil, fmt.Errorf("unknown padding mode %v", mode)
		}
	}
	return pre, post, out, nil
}

// reach returns post-padding enlarged so that the round-down output
// size formula gives out: the extra positions are read by the last
// window of kEXPLICIT_ROUND_UP.
func reach(in, pre, post, out []int, p spatialParams) []int {
	r := make([]int, len(in))
	for j := range in {
		dk := 1 + p.dil[j]*(p.k[j]-1)
		r[j] = max(post[j], (out[j]-1)*p.stride[j]+dk-in[j]-pre[j])
	}
	return r
}

// batchView reshapes x ([batch..., C, spatial...] with s spatial
// dimensions) to [N, C, spatial...] and returns the batch dimensions.
func batchView(x *tensor.Tensor, s int) (*tensor.Tensor, tensor.Shape, error) {
	r := len(x.Shape)
	if r < s+1 {
		return nil, nil, fmt.Errorf("input %v has rank %d, want at least %d (channels and %d spatial dimensions)", x.Shape, r, s+1, s)
	}
	batch := x.Shape[:r-s-1].Clone()
	n := 1
	for _, d := range batch {
		n *= d
	}
	v, err := x.Reshape(append(tensor.Shape{n}, x.Shape[r-s-1:]...))
	return v, batch, err
}

// unbatch restores the batch dimensions of a [N, C, spatial...] result.
func unbatch(y *tensor.Tensor, batch tensor.Shape) (*tensor.Tensor, error) {
	return y.Reshape(append(batch.Clone(), y.Shape[1:]...))
}

func groupsOf(n int64) (int, error) {
	switch {
	case n == 0:
		return 1, nil
	case n < 0 || n > math.MaxInt32:
		return 0, fmt.Errorf("bad number of groups %d", n)
	}
	return int(n), nil
}

// convSetup is what IConvolutionLayer and IDeconvolutionLayer share (their
// parameters are the same fields): the spatial parameters, the input seen
// as [N, C, spatial...], the groups, and the kernel (shaped [K, C/g, k...]
// for a convolution, [C, K/g, k...] for a deconvolution) and bias.
type convSetup struct {
	sp    spatialParams
	xv    *tensor.Tensor
	batch tensor.Shape
	g     int
	w, b  *tensor.Tensor
}

// setupConv checks a Convolution's or Deconvolution's input and decodes
// its weights (with tf32, the kernel weights rounded to TF32).
func setupConv(x *tensor.Tensor, p trt.Convolution, deconv bool, kernel *tensor.Tensor, tf32 bool) (*convSetup, error) {
	if err := needFloat("input", x); err != nil {
		return nil, err
	}
	sp, err := spatial(p.KernelSize, p.Stride, p.PrePadding, p.PostPadding, p.Dilation)
	if err != nil {
		return nil, err
	}
	g, err := groupsOf(p.NbGroups)
	if err != nil {
		return nil, err
	}
	xv, batch, err := batchView(x, len(sp.k))
	if err != nil {
		return nil, err
	}
	c := xv.Shape[1]
	o := int(p.NbOutputMaps)
	if p.NbOutputMaps < 1 || p.NbOutputMaps > math.MaxInt32 || c%g != 0 || o%g != 0 {
		return nil, fmt.Errorf("%d output maps, %d input channels, %d groups: groups must divide both", p.NbOutputMaps, c, g)
	}
	wshape := append(tensor.Shape{o, c / g}, sp.k...)
	if deconv {
		wshape = append(tensor.Shape{c, o / g}, sp.k...)
	}
	var w *tensor.Tensor
	if kernel != nil {
		if kernel.DType != x.DType || !kernel.Shape.Equal(wshape) {
			return nil, fmt.Errorf("kernel input %v %v, want %v %v", kernel.DType, kernel.Shape, x.DType, wshape)
		}
		w = kernel
	} else if w, err = floatWeights("kernel", p.Kernel, wshape, x.DType); err != nil {
		return nil, err
	} else if tf32 && w.DType == tensor.Float32 {
		w = roundedTF32(w)
	}
	var b *tensor.Tensor
	if !p.Bias.Empty() {
		if b, err = floatWeights("bias", p.Bias, tensor.Shape{o}, x.DType); err != nil {
			return nil, err
		}
	}
	return &convSetup{sp: sp, xv: xv, batch: batch, g: g, w: w, b: b}, nil
}

// convolution is IConvolutionLayer: kernel weights in KCRS order
// (NbOutputMaps × C/NbGroups × KernelSize), or the tensor kernel (input 1)
// in that layout; optional bias per output map.
func convolution(x *tensor.Tensor, p trt.Convolution) (*tensor.Tensor, error) {
	return convolutionKernel(x, p, nil, layerOpts{})
}

// convolutionKernel is convolution with the kernel as a tensor (input 1)
// when kernel is not nil, opts.epi (when not nil) applied to each output
// plane after the bias (a fused activation, see fusion), and opts.pack
// (when not nil) caching the weights' packed form.
func convolutionKernel(x *tensor.Tensor, p trt.Convolution, kernel *tensor.Tensor, opts layerOpts) (*tensor.Tensor, error) {
	if opts.conv != nil && kernel == nil {
		return convolutionCached(x, p, opts)
	}
	e, err := newConvEntry(x, p, kernel, opts.tf32)
	if err != nil {
		return nil, err
	}
	y, err := kernels.Conv(e.cs.xv, e.cs.w, e.cs.b, e.params(opts))
	if err != nil {
		return nil, err
	}
	return unbatch(y, e.cs.batch)
}

// convEntry is what a convolution derives from its parameters, weights
// and input shape.
type convEntry struct {
	in tensor.Shape // the input's shape
	dt tensor.DType // and type
	cs *convSetup
	kp kernels.ConvParams // without the per-layer options
}

func newConvEntry(x *tensor.Tensor, p trt.Convolution, kernel *tensor.Tensor, tf32 bool) (*convEntry, error) {
	cs, err := setupConv(x, p, false, kernel, tf32)
	if err != nil {
		return nil, err
	}
	sp := cs.sp
	in := []int(cs.xv.Shape[2:])
	pre, post, out, err := forwardPadding(p.PaddingMode, in, sp)
	if err != nil {
		return nil, err
	}
	// Positions past the padded input read zeros, like the padding.
	return &convEntry{in: x.Shape.Clone(), dt: x.DType, cs: cs, kp: kernels.ConvParams{
		Strides: sp.stride, Dilations: sp.dil, PadsBegin: pre, PadsEnd: reach(in, pre, post, out, sp), Groups: cs.g,
	}}, nil
}

// params are the kernel's parameters with the layer's options.
func (e *convEntry) params(opts layerOpts) kernels.ConvParams {
	kp := e.kp
	kp.Epilogue, kp.Pack, kp.Out = opts.epi, opts.pack, opts.out
	return kp
}

// convCache keeps a Convolution layer's convEntry (its weights as
// tensors, its padding) between the runs of a Program, for the input
// shape and type of the last run: the per-layer work that does not
// depend on the input's values. It is safe for concurrent use (entries
// are never changed once stored).
type convCache struct{ entry atomic.Pointer[convEntry] }

// convolutionCached is convolutionKernel for a layer with weights and a
// cache (opts.conv).
func convolutionCached(x *tensor.Tensor, p trt.Convolution, opts layerOpts) (*tensor.Tensor, error) {
	e := opts.conv.entry.Load()
	if e == nil || e.dt != x.DType || !e.in.Equal(x.Shape) {
		var err error
		if e, err = newConvEntry(x, p, nil, opts.tf32); err != nil {
			return nil, err
		}
		opts.conv.entry.Store(e)
	}
	xv := *x // x seen as [N, C, spatial...]
	xv.Shape = e.cs.xv.Shape
	y, err := kernels.Conv(&xv, e.cs.w, e.cs.b, e.params(opts))
	if err != nil {
		return nil, err
	}
	if len(e.cs.batch) == 1 {
		return y, nil // [N, K, spatial...] already
	}
	return unbatch(y, e.cs.batch)
}

// deconvolution is IDeconvolutionLayer: kernel weights in CKRS order
// (C × NbOutputMaps/NbGroups × KernelSize), or the tensor kernel (input 1,
// when kernel is not nil) in that layout; pre/post padding crop the full
// output and must not be negative. With tf32 the kernel weights are
// rounded to TF32 (the inputs are, by runLayer).
func deconvolution(x *tensor.Tensor, p trt.Deconvolution, kernel *tensor.Tensor, tf32 bool) (*tensor.Tensor, error) {
	cs, err := setupConv(x, trt.Convolution(p), true, kernel, tf32)
	if err != nil {
		return nil, err
	}
	sp, xv, s := cs.sp, cs.xv, len(cs.sp.k)
	pre, post := make([]int, s), make([]int, s)
	for j := range s {
		dk := 1 + sp.dil[j]*(sp.k[j]-1)
		switch p.PaddingMode {
		case trt.PaddingExplicitRoundDown, trt.PaddingExplicitRoundUp:
			if sp.pre[j] < 0 || sp.post[j] < 0 {
				return nil, fmt.Errorf("padding %v/%v: negative padding is not supported", sp.pre, sp.post)
			}
			pre[j], post[j] = sp.pre[j], sp.post[j]
		case trt.PaddingSameUpper, trt.PaddingSameLower:
			pp := max(dk-sp.stride[j], 0)
			if p.PaddingMode == trt.PaddingSameUpper {
				pre[j] = pp / 2
				post[j] = pp - pre[j]
			} else {
				post[j] = pp / 2
				pre[j] = pp - post[j]
			}
		default:
			return nil, fmt.Errorf("unknown padding mode %v", p.PaddingMode)
		}
		if full := (xv.Shape[2+j]-1)*sp.stride[j] + dk; full-pre[j]-post[j] < 1 {
			return nil, fmt.Errorf("spatial dimension %d: padding %d+%d crops the whole output of size %d", j, pre[j], post[j], full)
		}
	}
	y, err := kernels.ConvTranspose(xv, cs.w, cs.b, kernels.ConvParams{
		Strides: sp.stride, Dilations: sp.dil, PadsBegin: pre, PadsEnd: post, Groups: cs.g,
	})
	if err != nil {
		return nil, err
	}
	return unbatch(y, cs.batch)
}

// pooling is IPoolingLayer. Padding positions never win a max (TensorRT
// pads with -inf); an average divides by the number of window positions
// inside the unpadded input (AverageCountExcludesPadding) or inside the
// padded input. kMAX_AVERAGE_BLEND is (1-blend)*max + blend*avg.
func pooling(x *tensor.Tensor, p trt.Pooling) (*tensor.Tensor, error) {
	if err := needFloat("input", x); err != nil {
		return nil, err
	}
	sp, err := spatial(p.WindowSize, p.Stride, p.PrePadding, p.PostPadding, nil)
	if err != nil {
		return nil, err
	}
	s := len(sp.k)
	xv, batch, err := batchView(x, s)
	if err != nil {
		return nil, err
	}
	in := []int(xv.Shape[2:])
	pre, post, out, err := forwardPadding(p.PaddingMode, in, sp)
	if err != nil {
		return nil, err
	}
	var y *tensor.Tensor
	switch p.Type {
	case trt.PoolingMax, trt.PoolingAverage:
		// The kernel computes exactly this when every window lies
		// inside the padded input (no extra kEXPLICIT_ROUND_UP
		// window) and no window is all padding.
		if p.PaddingMode != trt.PaddingExplicitRoundUp && padsBelowWindow(pre, post, sp.k) {
			kind := kernels.PoolMax
			if p.Type == trt.PoolingAverage {
				kind = kernels.PoolAvg
			}
			y, err = kernels.Pool(xv, kernels.PoolParams{
				Kind: kind, Window: sp.k, Strides: sp.stride, PadsBegin: pre, PadsEnd: post,
				CountIncludePad: p.Type == trt.PoolingAverage && !p.AverageCountExcludesPadding,
			})
		} else {
			y, err = poolRef(xv, p, sp, pre, post, out)
		}
	case trt.PoolingMaxAverageBlend:
		y, err = poolRef(xv, p, sp, pre, post, out)
	default:
		return nil, fmt.Errorf("unknown pooling type %v", p.Type)
	}
	if err != nil {
		return nil, err
	}
	return unbatch(y, batch)
}

func padsBelowWindow(pre, post, k []int) bool {
	for j := range k {
		if pre[j] >= k[j] || post[j] >= k[j] {
			return false
		}
	}
	return true
}

// poolRef is pooling written out per output element, for every case.
// Window positions are counted against the padded input [-pre, in+post)
// as TensorRT's kEXPLICIT_ROUND_UP may place the last window partly past
// it.
func poolRef(x *tensor.Tensor, p trt.Pooling, sp spatialParams, pre, post, out []int) (*tensor.Tensor, error) {
	n, c := x.Shape[0], x.Shape[1]
	in := []int(x.Shape[2:])
	s := len(in)
	y := tensor.MustNew(x.DType, append(tensor.Shape{n, c}, out...))
	inSize, outSize := 1, 1
	for j := range s {
		inSize *= in[j]
		outSize *= out[j]
	}
	inSt := x.Shape[2:].Strides()
	oi := make([]int, s) // output position
	wi := make([]int, s) // window position
	lo := make([]int, s) // first padded-input position of the window
	blend := float64(p.BlendFactor)
	for plane := range n * c {
		src := x.F32[plane*inSize : (plane+1)*inSize]
		dst := y.F32[plane*outSize : (plane+1)*outSize]
		for i := range oi {
			oi[i] = 0
		}
		for o := range dst {
			for j := range s {
				lo[j] = oi[j]*sp.stride[j] - pre[j]
				wi[j] = 0
			}
			mx := math.Inf(-1)
			var sum float64
			var inside, padded int
			nan := false
			for {
				off, in0, inPad := 0, true, true
				for j := range s {
					q := lo[j] + wi[j]
					if q < 0 || q >= in[j] {
						in0 = false
					}
					if q < -pre[j] || q >= in[j]+post[j] {
						inPad = false
					}
					off += q * inSt[j]
				}
				if inPad {
					padded++
				}
				if in0 {
					inside++
					v := float64(src[off])
					if v != v {
						nan = true
					}
					if v > mx {
						mx = v
					}
					sum += v
				}
				j := s - 1
				for ; j >= 0; j-- {
					wi[j]++
					if wi[j] < sp.k[j] {
						break
					}
					wi[j] = 0
				}
				if j < 0 {
					break
				}
			}
			if inside == 0 {
				return nil, fmt.Errorf("a pooling window at output %v lies entirely in the padding", oi)
			}
			count := padded
			if p.AverageCountExcludesPadding {
				count = inside
			}
			avg := sum / float64(count)
			var v float64
			switch p.Type {
			case trt.PoolingMax:
				v = mx
			case trt.PoolingAverage:
				v = avg
			default:
				v = (1-blend)*mx + blend*avg
			}
			if nan {
				v = math.NaN()
			}
			dst[o] = float32(v)
			for j := s - 1; j >= 0; j-- {
				oi[j]++
				if oi[j] < out[j] {
					break
				}
				oi[j] = 0
			}
		}
	}
	y.RoundToDType()
	return y, nil
}
