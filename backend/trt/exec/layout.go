package exec

import (
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	layerKernels[trt.LayerShuffle] = func(l *trt.LayerDesc, in []*tensor.Tensor, opts layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Shuffle)
		if len(in) > 1 && in[1] != nil {
			d, err := shapeTensorDims(in[1])
			if err != nil {
				return nil, fmt.Errorf("reshape dimensions (input 1): %v", err)
			}
			p.ReshapeDimensions = d
		}
		return one(shuffleInto(in[0], p, opts.out))
	}
	layerKernels[trt.LayerSlice] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Slice)
		if len(in) > 2 && in[2] != nil {
			d, err := shapeTensorDims(in[2])
			if err != nil {
				return nil, fmt.Errorf("size (input 2): %v", err)
			}
			p.Size = d
		}
		return one(slice(in[0], sliceFill(in), p))
	}
	layerKernels[trt.LayerConcatenation] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Concatenation)
		return one(concatenation(in, p.Axis))
	}
	layerKernels[trt.LayerGather] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Gather)
		return one(gather(in[0], in[1], p))
	}
	layerKernels[trt.LayerConstant] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Constant)
		return one(constant(p))
	}
	layerKernels[trt.LayerPadding] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Padding)
		return one(padding(in[0], p))
	}
	layerKernels[trt.LayerFill] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Fill)
		if len(in) == 1 && in[0] != nil {
			d, err := shapeTensorDims(in[0])
			if err != nil {
				return nil, fmt.Errorf("dimensions (input 0): %v", err)
			}
			p.Dimensions = d
		}
		return one(fill(p))
	}
	layerKernels[trt.LayerShape] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		return one(shape(in[0]))
	}
}

// perm checks a Permutation of rank r (nil: the identity) and returns
// it as ints: output dimension i is input dimension p[i].
func perm(what string, p trt.Permutation, r int) ([]int, error) {
	out := make([]int, r)
	if p == nil {
		for i := range out {
			out[i] = i
		}
		return out, nil
	}
	if len(p) != r {
		return nil, fmt.Errorf("%s %v has %d entries, want %d", what, p, len(p), r)
	}
	seen := make([]bool, r)
	for i, v := range p {
		if v < 0 || int(v) >= r || seen[v] {
			return nil, fmt.Errorf("%s %v is not a permutation of 0..%d", what, p, r-1)
		}
		seen[v] = true
		out[i] = int(v)
	}
	return out, nil
}

// shuffle is IShuffleLayer: transpose by FirstTranspose, reshape to
// ReshapeDimensions (nil: none) and transpose by SecondTranspose. In the
// reshape dimensions a 0 copies the same-position dimension of the
// transposed input when ZeroIsPlaceholder (else it is a 0-length
// dimension) and a single -1 is inferred from the volume.
func shuffle(x *tensor.Tensor, p trt.Shuffle) (*tensor.Tensor, error) {
	return shuffleInto(x, p, nil)
}

// shuffleInto is shuffle with a float32 result written into dst when it
// has the result's number of elements. The result is always new storage
// (dst or allocated), never x's: one copy when a transpose is the
// identity, two when both are not.
func shuffleInto(x *tensor.Tensor, p trt.Shuffle, dst []float32) (*tensor.Tensor, error) {
	p1, err := perm("first transpose", p.FirstTranspose, len(x.Shape))
	if err != nil {
		return nil, err
	}
	shape := make(tensor.Shape, len(p1)) // after the first transpose
	for i, a := range p1 {
		shape[i] = x.Shape[a]
	}
	if p.ReshapeDimensions != nil {
		if shape, err = reshapeDims(shape, p.ReshapeDimensions, p.ZeroIsPlaceholder); err != nil {
			return nil, err
		}
	}
	p2, err := perm("second transpose", p.SecondTranspose, len(shape))
	if err != nil {
		return nil, err
	}
	id1, id2 := identityPerm(p1), identityPerm(p2)
	y := x
	if !id1 {
		var d []float32
		if id2 {
			d = dst // the last copy
		}
		if y, err = kernels.TransposeInto(x, p1, d); err != nil {
			return nil, err
		}
	}
	if y, err = y.Reshape(shape); err != nil {
		return nil, err
	}
	if id1 || !id2 {
		return kernels.TransposeInto(y, p2, dst)
	}
	return y, nil // the first transpose's new storage
}

// identityPerm reports whether p leaves every axis in place.
func identityPerm(p []int) bool {
	for i, a := range p {
		if a != i {
			return false
		}
	}
	return true
}

// reshapeDims resolves IShuffleLayer's reshape dimensions against the
// input shape in.
func reshapeDims(in tensor.Shape, d trt.Dims, zeroIsPlaceholder bool) (tensor.Shape, error) {
	out := make(tensor.Shape, len(d))
	infer := -1
	known := 1
	for i, v := range d {
		switch {
		case v == 0 && zeroIsPlaceholder:
			if i >= len(in) {
				return nil, fmt.Errorf("reshape dimensions %v: placeholder 0 at position %d, but the input %v has rank %d", d, i, in, len(in))
			}
			out[i] = in[i]
		case v == -1:
			if infer >= 0 {
				return nil, fmt.Errorf("reshape dimensions %v have more than one -1", d)
			}
			infer = i
			continue
		case v < 0 || v > tensor.MaxElements:
			return nil, fmt.Errorf("reshape dimensions %v: bad dimension %d", d, v)
		default:
			out[i] = int(v)
		}
		if out[i] != 0 && known > tensor.MaxElements/out[i] {
			return nil, fmt.Errorf("reshape dimensions %v: %w", d, tensor.ErrShapeOverflow)
		}
		known *= out[i]
	}
	vol := in.Size()
	if infer >= 0 {
		if known == 0 || vol%known != 0 {
			return nil, fmt.Errorf("reshape dimensions %v: the -1 cannot be inferred for the input %v", d, in)
		}
		out[infer] = vol / known
	} else if known != vol {
		return nil, fmt.Errorf("reshape dimensions %v (volume %d) do not match the input %v (volume %d)", d, known, in, vol)
	}
	return out, nil
}

// sliceFill returns the kFILL value input of a Slice layer (the
// Description's Inputs[1]; Inputs[2] is the size tensor), or nil.
func sliceFill(in []*tensor.Tensor) *tensor.Tensor {
	if len(in) > 1 {
		return in[1]
	}
	return nil
}

// shapeTensorDims reads a shape tensor input (setInput of dimensions): a
// 1-D Int32/Int64 tensor, read when the layer runs.
func shapeTensorDims(t *tensor.Tensor) (trt.Dims, error) {
	if (t.DType != tensor.Int32 && t.DType != tensor.Int64) || len(t.Shape) != 1 {
		return nil, fmt.Errorf("%v%v is not a 1-D int32/int64 tensor", t.DType, t.Shape)
	}
	d := make(trt.Dims, t.Len())
	for i := range d {
		d[i] = t.Int64At(i)
	}
	return d, nil
}

// slice is ISliceLayer: out[y] = in[x] with x_i = Start_i + y_i*Stride_i,
// and out-of-bounds x_i handled per Mode as the TensorRT Slice operator
// documentation defines (d_i the input dimension):
//
//	kSTRICT_BOUNDS  an error
//	kWRAP           in[mod(x_i, d_i)]
//	kCLAMP          in[clamp(x_i, 0, d_i-1)]
//	kFILL           the fill value (the fill input, else 0)
//	kREFLECT        c_i = mod(|x_i|, 2d_i-2), in[c_i ≥ d_i ? 2d_i-2-c_i : c_i]
//	                (d_i = 1 repeats the single element)
//
// Every mode but kFILL needs d_i ≥ 1 where the output is not empty.
func slice(x, fillIn *tensor.Tensor, p trt.Slice) (*tensor.Tensor, error) {
	r := len(x.Shape)
	start, err := dimsOr("start", p.Start, r, 0)
	if err != nil {
		return nil, err
	}
	size, err := dimsOr("size", p.Size, r, 0)
	if err != nil {
		return nil, err
	}
	if p.Size == nil {
		return nil, fmt.Errorf("size is not set")
	}
	stride, err := dimsOr("stride", p.Stride, r, 1)
	if err != nil {
		return nil, err
	}
	if fillIn != nil && p.Mode != trt.SampleFill {
		return nil, fmt.Errorf("a fill value is given with mode %v; only kFILL takes one", p.Mode)
	}
	var fill *tensor.Tensor
	if p.Mode == trt.SampleFill {
		if fillIn != nil {
			if fillIn.Len() != 1 {
				return nil, fmt.Errorf("fill value %v must hold one element", fillIn)
			}
			if fill, err = kernels.Cast(fillIn, x.DType); err != nil {
				return nil, err
			}
		} else {
			fill = tensor.MustNew(x.DType, tensor.Shape{})
		}
	}
	shape := make(tensor.Shape, r)
	maps := make([][]int, r)
	for i := range r {
		if size[i] < 0 {
			return nil, fmt.Errorf("size %v has a negative value", p.Size)
		}
		shape[i] = size[i]
		d := x.Shape[i]
		m := make([]int, size[i])
		for y := range m {
			xi := start[i] + y*stride[i]
			switch p.Mode {
			case trt.SampleStrictBounds:
				if xi < 0 || xi >= d {
					return nil, fmt.Errorf("kSTRICT_BOUNDS: dimension %d reads index %d outside [0,%d)", i, xi, d)
				}
			case trt.SampleWrap:
				if d == 0 {
					return nil, fmt.Errorf("kWRAP: dimension %d of the input is empty", i)
				}
				xi = mod(xi, d)
			case trt.SampleClamp:
				if d == 0 {
					return nil, fmt.Errorf("kCLAMP: dimension %d of the input is empty", i)
				}
				xi = min(max(xi, 0), d-1)
			case trt.SampleFill:
				if xi < 0 || xi >= d {
					xi = -1
				}
			case trt.SampleReflect:
				switch {
				case d == 0:
					return nil, fmt.Errorf("kREFLECT: dimension %d of the input is empty", i)
				case d == 1:
					xi = 0
				default:
					c := mod(abs(xi), 2*d-2)
					if c >= d {
						c = 2*d - 2 - c
					}
					xi = c
				}
			default:
				return nil, fmt.Errorf("unknown sample mode %v", p.Mode)
			}
			m[y] = xi
		}
		maps[i] = m
	}
	out, err := tensor.New(x.DType, shape)
	if err != nil {
		return nil, err
	}
	take(out, x, maps, fill)
	return out, nil
}

func abs(a int) int {
	if a < 0 {
		return -a
	}
	return a
}

// concatenation is IConcatenationLayer: inputs of one type and rank,
// equal outside Axis (in [0, rank)).
func concatenation(xs []*tensor.Tensor, axis int32) (*tensor.Tensor, error) {
	for i, x := range xs {
		if x == nil {
			return nil, fmt.Errorf("input %d is missing", i)
		}
		if len(x.Shape) != len(xs[0].Shape) {
			return nil, fmt.Errorf("inputs have ranks %d and %d", len(xs[0].Shape), len(x.Shape))
		}
	}
	if axis < 0 || int(axis) >= len(xs[0].Shape) {
		return nil, fmt.Errorf("axis %d outside [0, %d)", axis, len(xs[0].Shape))
	}
	return kernels.Concat(int(axis), xs...)
}

// gather is IGatherLayer. Indices (kINT32 or kINT64) in [-d, 0) count from
// the end of the gathered dimension of size d, and indices outside
// [-d, d) gather 0 (NvInfer.h: "Zero will be stored for OOB access").
//
//	kDEFAULT: out[e, p..., i..., q...] = data[e, p..., idx[e, i...], q...]
//	          with e the NbElementWiseDims (0 or 1) leading dimension,
//	          broadcast between data and indices when one of them is 1
//	kELEMENT: out[J] = data[J with J[Axis] replaced by idx[J]]
//	kND:      out[i..., q...] = data[b..., idx[i..., :], q...], with b the
//	          first NbElementWiseDims dimensions of i
func gather(data, idx *tensor.Tensor, p trt.Gather) (*tensor.Tensor, error) {
	if idx.DType != tensor.Int32 && idx.DType != tensor.Int64 {
		return nil, fmt.Errorf("indices have type %v, want int32 or int64", idx.DType)
	}
	switch p.Mode {
	case trt.GatherDefault:
		return gatherDefault(data, idx, int(p.Axis), int(p.NbElementWiseDims))
	case trt.GatherElement:
		return gatherElement(data, idx, int(p.Axis), int(p.NbElementWiseDims))
	case trt.GatherND:
		return gatherND(data, idx, int(p.NbElementWiseDims))
	}
	return nil, fmt.Errorf("unknown gather mode %v", p.Mode)
}

// gatherIndex normalizes index v of a dimension of size d, returning -1
// when it is out of bounds.
func gatherIndex(v int64, d int) int {
	if v < 0 {
		v += int64(d)
	}
	if v < 0 || v >= int64(d) {
		return -1
	}
	return int(v)
}

// elems is a tensor's element copier: out[o] = in[i], or zero (i < 0).
func elems(out, in *tensor.Tensor) func(o, i int) {
	switch in.DType.Storage() {
	case tensor.StoreF32:
		return func(o, i int) {
			if i >= 0 {
				out.F32[o] = in.F32[i]
			}
		}
	case tensor.StoreI32:
		return func(o, i int) {
			if i >= 0 {
				out.I32[o] = in.I32[i]
			}
		}
	case tensor.StoreI64:
		return func(o, i int) {
			if i >= 0 {
				out.I64[o] = in.I64[i]
			}
		}
	case tensor.StoreBool:
		return func(o, i int) {
			if i >= 0 {
				out.B[o] = in.B[i]
			}
		}
	}
	return func(o, i int) {
		if i >= 0 {
			out.F64[o] = in.F64[i]
		}
	}
}

// unravel writes the coordinates of flat offset o of shape s into c.
func unravel(o int, st []int, c []int) {
	for i, s := range st {
		c[i] = o / s
		o %= s
	}
}

func gatherDefault(data, idx *tensor.Tensor, axis, b int) (*tensor.Tensor, error) {
	r, q := len(data.Shape), len(idx.Shape)
	if b != 0 && b != 1 {
		return nil, fmt.Errorf("kDEFAULT: NbElementWiseDims %d, want 0 or 1", b)
	}
	if axis < 0 || axis >= r {
		return nil, fmt.Errorf("axis %d outside [0, %d)", axis, r)
	}
	if b > axis || b > q {
		return nil, fmt.Errorf("NbElementWiseDims %d exceeds the axis %d or the indices rank %d", b, axis, q)
	}
	var shape tensor.Shape
	if b == 1 {
		dd, id := data.Shape[0], idx.Shape[0]
		if dd != id && dd != 1 && id != 1 {
			return nil, fmt.Errorf("elementwise dimension: data %d and indices %d do not broadcast", dd, id)
		}
		e := max(dd, id)
		if dd == 0 || id == 0 {
			e = 0
		}
		shape = append(shape, e)
	}
	shape = append(shape, data.Shape[b:axis]...)
	shape = append(shape, idx.Shape[b:]...)
	shape = append(shape, data.Shape[axis+1:]...)
	out, err := tensor.New(data.DType, shape)
	if err != nil {
		return nil, err
	}
	ost, dst, ist := shape.Strides(), data.Shape.Strides(), idx.Shape.Strides()
	c := make([]int, len(shape))
	put := elems(out, data)
	nb := axis - b // data dimensions between the elementwise one and axis
	for o := range out.Len() {
		unravel(o, ost, c)
		io, do := 0, 0
		if b == 1 {
			if idx.Shape[0] != 1 {
				io += c[0] * ist[0]
			}
			if data.Shape[0] != 1 {
				do += c[0] * dst[0]
			}
		}
		for j := range nb {
			do += c[b+j] * dst[b+j]
		}
		for j := b; j < q; j++ {
			io += c[b+nb+j-b] * ist[j]
		}
		for j := axis + 1; j < r; j++ {
			do += c[nb+b+q-b+j-axis-1] * dst[j]
		}
		i := gatherIndex(idx.Int64At(io), data.Shape[axis])
		if i >= 0 {
			i = do + i*dst[axis]
		}
		put(o, i)
	}
	return out, nil
}

func gatherElement(data, idx *tensor.Tensor, axis, b int) (*tensor.Tensor, error) {
	r := len(data.Shape)
	if b != 0 {
		return nil, fmt.Errorf("kELEMENT: NbElementWiseDims %d, want 0", b)
	}
	if axis < 0 || axis >= r {
		return nil, fmt.Errorf("axis %d outside [0, %d)", axis, r)
	}
	if len(idx.Shape) != r {
		return nil, fmt.Errorf("kELEMENT: indices %v and data %v have different ranks", idx.Shape, data.Shape)
	}
	for j := range r {
		if j != axis && idx.Shape[j] > data.Shape[j] {
			return nil, fmt.Errorf("kELEMENT: indices %v exceed data %v in dimension %d", idx.Shape, data.Shape, j)
		}
	}
	out := tensor.MustNew(data.DType, idx.Shape)
	ost, dst := idx.Shape.Strides(), data.Shape.Strides()
	c := make([]int, r)
	put := elems(out, data)
	for o := range out.Len() {
		unravel(o, ost, c)
		i := gatherIndex(idx.Int64At(o), data.Shape[axis])
		if i >= 0 {
			c[axis] = i
			i = 0
			for j := range r {
				i += c[j] * dst[j]
			}
		}
		put(o, i)
	}
	return out, nil
}

func gatherND(data, idx *tensor.Tensor, b int) (*tensor.Tensor, error) {
	r, q := len(data.Shape), len(idx.Shape)
	if q < 1 || b < 0 || b >= r || b >= q {
		return nil, fmt.Errorf("kND: NbElementWiseDims %d must be less than the data rank %d and the indices rank %d", b, r, q)
	}
	m := idx.Shape[q-1]
	if m < 1 || b+m > r {
		return nil, fmt.Errorf("kND: the last indices dimension %d must be in [1, %d]", m, r-b)
	}
	for j := range b {
		if data.Shape[j] != idx.Shape[j] {
			return nil, fmt.Errorf("kND: elementwise dimension %d: data %d vs indices %d", j, data.Shape[j], idx.Shape[j])
		}
	}
	shape := append(idx.Shape[:q-1].Clone(), data.Shape[b+m:]...)
	out, err := tensor.New(data.DType, shape)
	if err != nil {
		return nil, err
	}
	inner := 1
	for _, d := range data.Shape[b+m:] {
		inner *= d
	}
	dst := data.Shape.Strides()
	lead := idx.Shape[:q-1].Size() // index tuples
	perBatch := idx.Shape[b : q-1].Size()
	put := elems(out, data)
	// The leading b index dimensions are data's: tuple t of batch
	// t/perBatch reads from that batch's block of prod(data[b:]) elements.
	block := 0
	if b > 0 {
		block = dst[b-1]
	}
	for t := range lead {
		off := t / perBatch * block
		for j := range m {
			i := gatherIndex(idx.Int64At(t*m+j), data.Shape[b+j])
			if i < 0 {
				off = -1
				break
			}
			off += i * dst[b+j]
		}
		for k := range inner {
			if off < 0 {
				put(t*inner+k, -1)
			} else {
				put(t*inner+k, off+k)
			}
		}
	}
	return out, nil
}

// constant is IConstantLayer: Weights with Dimensions. TensorRT constants
// do not support kBOOL.
func constant(p trt.Constant) (*tensor.Tensor, error) {
	if p.Weights.Type == trt.Bool {
		return nil, fmt.Errorf("constant weights of type kBOOL are not supported by TensorRT")
	}
	shape, err := shapeOf(p.Dimensions)
	if err != nil {
		return nil, err
	}
	return decodeWeights(p.Weights, shape)
}

// padding is IPaddingLayer: zero padding of the last two dimensions by
// PrePadding and PostPadding (two values each); negative values crop.
func padding(x *tensor.Tensor, p trt.Padding) (*tensor.Tensor, error) {
	r := len(x.Shape)
	if r < 2 {
		return nil, fmt.Errorf("input %v has rank %d, want at least 2", x.Shape, r)
	}
	pre, err := dimsOr("pre-padding", p.PrePadding, 2, 0)
	if err != nil {
		return nil, err
	}
	post, err := dimsOr("post-padding", p.PostPadding, 2, 0)
	if err != nil {
		return nil, err
	}
	shape := x.Shape.Clone()
	maps := make([][]int, r)
	for i := range r {
		d := x.Shape[i]
		n, b := d, 0
		if i >= r-2 {
			b = pre[i-(r-2)]
			n = d + b + post[i-(r-2)]
			if n < 0 {
				return nil, fmt.Errorf("padding %v/%v crops dimension %d of size %d below 0", pre, post, i, d)
			}
		}
		shape[i] = n
		m := make([]int, n)
		for o := range m {
			j := o - b
			if j < 0 || j >= d {
				j = -1
			}
			m[o] = j
		}
		maps[i] = m
	}
	out, err := tensor.New(x.DType, shape)
	if err != nil {
		return nil, err
	}
	take(out, x, maps, nil)
	return out, nil
}

// fill is IFillLayer with static parameters. kLINSPACE (the only
// operation supported; the random ones are not reproducible) fills a 1-D
// output (NvInfer.h: static start and delta need nbDims = 1) of kINT32,
// kINT64 or kFLOAT with Alpha + Beta*i. For integer outputs Alpha and
// Beta must be integers.
func fill(p trt.Fill) (*tensor.Tensor, error) {
	if p.Operation != trt.FillLinspace {
		return nil, fmt.Errorf("fill operation %v is not supported (only kLINSPACE)", p.Operation)
	}
	if len(p.Dimensions) != 1 {
		return nil, fmt.Errorf("kLINSPACE with static alpha and beta needs 1-D dimensions, have %v", p.Dimensions)
	}
	shape, err := shapeOf(p.Dimensions)
	if err != nil {
		return nil, err
	}
	dt, err := DType(p.ToType)
	if err != nil || (dt != tensor.Float32 && dt != tensor.Int32 && dt != tensor.Int64) {
		return nil, fmt.Errorf("kLINSPACE output type %v, want kINT32, kINT64 or kFLOAT", p.ToType)
	}
	out := tensor.MustNew(dt, shape)
	if dt == tensor.Float32 {
		for i := range out.F32 {
			out.F32[i] = float32(p.Alpha + p.Beta*float64(i))
		}
		return out, nil
	}
	if p.Alpha != math.Trunc(p.Alpha) || p.Beta != math.Trunc(p.Beta) || math.Abs(p.Alpha) > 1<<62 || math.Abs(p.Beta) > 1<<62 {
		return nil, fmt.Errorf("integer kLINSPACE needs integer alpha and beta, have %v and %v", p.Alpha, p.Beta)
	}
	a, b := int64(p.Alpha), int64(p.Beta)
	for i := range out.Len() {
		v := a + b*int64(i)
		if dt == tensor.Int32 {
			if v < math.MinInt32 || v > math.MaxInt32 {
				return nil, fmt.Errorf("kLINSPACE value %d overflows int32", v)
			}
			out.I32[i] = int32(v)
		} else {
			out.I64[i] = v
		}
	}
	return out, nil
}

// shape is IShapeLayer: the input's dimensions as a 1-D kINT64 tensor.
func shape(x *tensor.Tensor) (*tensor.Tensor, error) {
	out := tensor.MustNew(tensor.Int64, tensor.Shape{len(x.Shape)})
	for i, d := range x.Shape {
		out.I64[i] = int64(d)
	}
	return out, nil
}
