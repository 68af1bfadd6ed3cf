package trt

import "slices"

// Data-movement layers: shuffle, slice, concatenation, gather, scatter, cumulative.

func init() {
	registerKinds(Shuffle{}, Slice{}, Concatenation{}, Gather{}, Scatter{}, Cumulative{})
}

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

func clonePerm(p Permutation) Permutation {
	if p == nil {
		return nil
	}
	return append(Permutation{}, p...)
}

func permute(d Dims, p Permutation) Dims {
	out := make(Dims, len(d))
	for i, v := range p {
		out[i] = d[v]
	}
	return out
}

const LayerShuffle LayerType = 13 // kSHUFFLE

// Shuffle is IShuffleLayer: out = transpose(reshape(transpose(in,
// FirstTranspose), ReshapeDimensions), SecondTranspose). A nil
// ReshapeDimensions means no reshape; ZeroIsPlaceholder (TensorRT's
// default true) makes a 0 in ReshapeDimensions copy the input dimension;
// tfc sets it false and writes real sizes.
//
// ReshapeTensor, when set, is setInput(1): a 1-D Int32/Int64 shape tensor
// whose values are the reshape dimensions (read when the network runs,
// with the same 0 and -1 rules; ReshapeDimensions must then be nil). It
// becomes the layer's input 1 (the Description's params have it nil).
type Shuffle struct {
	FirstTranspose    Permutation
	ReshapeDimensions Dims
	SecondTranspose   Permutation
	ZeroIsPlaceholder bool
	ReshapeTensor     Tensor
}

func (Shuffle) Kind() LayerType       { return LayerShuffle }
func (Shuffle) Arity() (min, max int) { return 1, 2 }
func (p Shuffle) AddTo(net Network, in []Tensor) Layer {
	if len(in) > 1 && in[1] != nil {
		p.ReshapeTensor = in[1]
	}
	return net.AddShuffle(in[0], p)
}
func (p Shuffle) text() string {
	var f fields
	if !isIdentity(p.FirstTranspose) {
		f.add("first=%s", permText(p.FirstTranspose))
	}
	if p.ReshapeDimensions != nil {
		f.add("reshape=%v", p.ReshapeDimensions)
		if p.ZeroIsPlaceholder {
			f.add("zeroIsPlaceholder")
		}
	}
	if !isIdentity(p.SecondTranspose) {
		f.add("second=%s", permText(p.SecondTranspose))
	}
	return f.String()
}

// AddShuffle records a shuffle; p.ReshapeTensor, when set, becomes the
// layer's input 1 (the Description's params have it nil).
func (r *Recorder) AddShuffle(input Tensor, p Shuffle) Layer {
	ins := []Tensor{input}
	if p.ReshapeTensor != nil && !isNilTensor(p.ReshapeTensor) {
		ins = append(ins, p.ReshapeTensor)
	}
	return r.addLayer(LayerShuffle, ins, nil, p)
}

func (p Shuffle) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferShuffle, c, in)
}

func inferShuffle(c *checker, in []*TensorDesc, p *Shuffle) []outSpec {
	c.nInputs(in, 1, 2)
	x := c.input(in, 0, "input")
	d := clone(x.Dims)
	if d == nil {
		d = Dims{}
	}
	p.ReshapeTensor = nil
	p.FirstTranspose = clonePerm(p.FirstTranspose)
	p.SecondTranspose = clonePerm(p.SecondTranspose)
	p.ReshapeDimensions = clone(p.ReshapeDimensions)
	if p.FirstTranspose == nil {
		p.FirstTranspose = identityPerm(len(d))
	}
	if c.checkPerm("first transpose", p.FirstTranspose, len(d)) {
		d = permute(d, p.FirstTranspose)
	}
	if len(in) > 1 && in[1] != nil {
		// setInput(1): the reshape dimensions are a shape tensor's values.
		if p.ReshapeDimensions != nil {
			c.failf("reshape dimensions %v given with a reshape tensor (input 1)", p.ReshapeDimensions)
		}
		if vals, ok := c.shapeInput("reshape dimensions (input 1)", in[1], true); ok {
			d = c.reshape(d, vals, p.ZeroIsPlaceholder)
		}
	} else if p.ReshapeDimensions != nil {
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
		case v == UnknownValue:
			continue
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
	if slices.Contains(d, DataDependent) || slices.Contains(out, UnknownValue) {
		// Known when the network runs: TensorRT checks the volume then.
		for i, v := range out {
			if v == UnknownValue || i == infer {
				out[i] = DataDependent
			}
		}
		return out
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

const LayerSlice LayerType = 22 // kSLICE

// Slice is ISliceLayer: out[i] = in[Start + i*Stride] per dimension, with
// out-of-bounds indices handled by Mode. Fill is the kFILL value (input 4;
// nil means 0). SizeTensor, when set, is setInput(2): a 1-D Int32/Int64
// shape tensor whose values are the size (Size must then be nil). In a
// Description, Inputs[1] is the fill value (or nil) and Inputs[2] the
// size tensor; the params have both nil. A stride of 0 reads one index
// throughout (a broadcast, as onnx-tensorrt's Expand).
type Slice struct {
	Start      Dims
	Size       Dims
	Stride     Dims
	Mode       SampleMode
	Fill       Tensor
	SizeTensor Tensor
}

func (Slice) Kind() LayerType       { return LayerSlice }
func (Slice) Arity() (min, max int) { return 1, 3 }
func (p Slice) AddTo(net Network, in []Tensor) Layer {
	if len(in) > 1 && in[1] != nil {
		p.Fill = in[1]
	}
	if len(in) > 2 && in[2] != nil {
		p.SizeTensor = in[2]
	}
	return net.AddSlice(in[0], p)
}
func (p Slice) text() string {
	var f fields
	if p.Size == nil {
		f.add("start=%v size=(input 2) stride=%v", p.Start, p.Stride)
	} else {
		f.add("start=%v size=%v stride=%v", p.Start, p.Size, p.Stride)
	}
	if p.Mode != SampleStrictBounds {
		f.add("mode=%v", p.Mode)
	}
	return f.String()
}

// AddSlice records a slice; p.Fill, when set, becomes the layer's second
// input and p.SizeTensor its third (the Description's Slice params have
// both nil).
func (r *Recorder) AddSlice(input Tensor, p Slice) Layer {
	ins := []Tensor{input}
	if p.Fill != nil && !isNilTensor(p.Fill) {
		ins = append(ins, p.Fill)
	}
	if p.SizeTensor != nil && !isNilTensor(p.SizeTensor) {
		if len(ins) == 1 {
			ins = append(ins, nil)
		}
		ins = append(ins, p.SizeTensor)
		return r.addLayer(LayerSlice, ins, []bool{false, true, false}, p)
	}
	return r.addLayer(LayerSlice, ins, nil, p)
}

func (p Slice) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferSlice, c, in)
}

func inferSlice(c *checker, in []*TensorDesc, p *Slice) []outSpec {
	c.nInputs(in, 1, 3)
	x := c.input(in, 0, "input")
	p.Fill, p.SizeTensor = nil, nil
	r := len(x.Dims)
	p.Start, p.Size = clone(p.Start), clone(p.Size)
	size := p.Size
	if len(in) > 2 && in[2] != nil {
		// setInput(2): the size is a shape tensor's values.
		if p.Size != nil {
			c.failf("size %v given with a size tensor (input 2)", p.Size)
		}
		vals, ok := c.shapeInput("size (input 2)", in[2], false)
		if !ok {
			vals = filled(nil, r, 0)
		}
		size = vals
	}
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
	}{{"start", p.Start}, {"size", size}, {"stride", p.Stride}} {
		if len(f.d) != r {
			c.failf("%s %v has %d dimensions, want the input rank %d", f.name, f.d, len(f.d), r)
			ok = false
		}
	}
	out := clone(size)
	if out == nil {
		out = Dims{}
	}
	for i, s := range out {
		if s < 0 {
			c.failf("size %v has a negative value", size)
			out[i] = 0
		}
	}
	if ok && (p.Mode == SampleClamp || p.Mode == SampleReflect) {
		for i := 0; i < r; i++ {
			if x.Dims[i] == 0 && size[i] != 0 {
				c.failf("%v slice of an empty dimension %d must have size 0, got %d", p.Mode, i, size[i])
			}
		}
	}
	if ok && p.Mode == SampleStrictBounds {
		for i := 0; i < r; i++ {
			if size[i] <= 0 || x.Dims[i] == DataDependent {
				continue // a data-dependent dimension: TensorRT checks when it runs
			}
			first := p.Start[i]
			last := p.Start[i] + (size[i]-1)*p.Stride[i]
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

const LayerConcatenation LayerType = 8 // kCONCATENATION

// Concatenation is IConcatenationLayer.
type Concatenation struct{ Axis int32 }

func (Concatenation) Kind() LayerType       { return LayerConcatenation }
func (Concatenation) Arity() (min, max int) { return 1, -1 }
func (p Concatenation) AddTo(net Network, in []Tensor) Layer {
	return net.AddConcatenation(in, p.Axis)
}
func (p Concatenation) text() string {
	var f fields
	f.add("axis=%d", p.Axis)
	return f.String()
}

func (r *Recorder) AddConcatenation(inputs []Tensor, axis int32) Layer {
	return r.addLayer(LayerConcatenation, append([]Tensor(nil), inputs...), nil, Concatenation{Axis: axis})
}

func (p Concatenation) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferConcatenation, c, in)
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

const LayerGather LayerType = 16 // kGATHER

// Gather is IGatherLayer (addGatherV2 with setGatherAxis / setNbElementWiseDims).
type Gather struct {
	Axis              int32
	NbElementWiseDims int32
	Mode              GatherMode
}

func (Gather) Kind() LayerType       { return LayerGather }
func (Gather) Arity() (min, max int) { return 2, 2 }
func (p Gather) AddTo(net Network, in []Tensor) Layer {
	return net.AddGather(in[0], in[1], p)
}
func (p Gather) text() string {
	var f fields
	f.add("%v", p.Mode)
	if p.Mode != GatherND {
		f.add("axis=%d", p.Axis)
	}
	if p.NbElementWiseDims != 0 {
		f.add("elementWiseDims=%d", p.NbElementWiseDims)
	}
	return f.String()
}

func (r *Recorder) AddGather(data, indices Tensor, p Gather) Layer {
	return r.addLayer(LayerGather, []Tensor{data, indices}, nil, p)
}

func (p Gather) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferGather, c, in)
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
			out[0] = c.broadcast(func() string { return "elementwise dimension 0 of data and indices" }, data.Dims[:1], idx.Dims[:1])[0]
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

const LayerScatter LayerType = 37 // kSCATTER

// Scatter is IScatterLayer (addScatter(data, indices, updates, mode) and
// setAxis, which only kELEMENT reads): the output is data with updates
// written at indices; writes to one element twice are undefined
// (NvInfer.h), so a lowering needing sums must combine them first.
type Scatter struct {
	Mode ScatterMode
	Axis int32
}

func (Scatter) Kind() LayerType       { return LayerScatter }
func (Scatter) Arity() (min, max int) { return 3, 3 }
func (p Scatter) AddTo(net Network, in []Tensor) Layer {
	return net.AddScatter(in[0], in[1], in[2], p)
}
func (p Scatter) text() string {
	var f fields
	f.add("%v", p.Mode)
	if p.Mode == ScatterElement {
		f.add("axis=%d", p.Axis)
	}
	return f.String()
}

func (r *Recorder) AddScatter(data, indices, updates Tensor, p Scatter) Layer {
	return r.addLayer(LayerScatter, []Tensor{data, indices, updates}, nil, p)
}

func (p Scatter) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferScatter, c, in)
}

func inferScatter(c *checker, in []*TensorDesc, p *Scatter) []outSpec {
	c.nInputs(in, 3, 3)
	data := c.input(in, 0, "data")
	idx := c.input(in, 1, "indices")
	upd := c.input(in, 2, "updates")
	c.typeIn("indices", idx.Type, Int32)
	if upd.Type != data.Type {
		c.failf("updates type %v differs from data type %v", upd.Type, data.Type)
	}
	r, q := len(data.Dims), len(idx.Dims)
	switch p.Mode {
	case ScatterND:
		if q < 1 {
			c.failf("kND mode: indices must have rank ≥ 1")
			break
		}
		k := idx.Dims[q-1]
		if k < 0 || k > int64(r) {
			c.failf("kND mode: indices last dimension %d must be in [0, %d]", k, r)
			break
		}
		want := append(Dims{}, idx.Dims[:q-1]...)
		want = append(want, data.Dims[k:]...)
		if !dimsEqual(want, upd.Dims) {
			c.failf("kND mode: updates dims %v, want %v (indices %v, data %v)", upd.Dims, want, idx.Dims, data.Dims)
		}
	case ScatterElement:
		if q != r || len(upd.Dims) != r {
			c.failf("kELEMENT mode: data, indices and updates ranks %d, %d, %d differ", r, q, len(upd.Dims))
		} else if !dimsEqual(idx.Dims, upd.Dims) {
			c.failf("kELEMENT mode: updates dims %v differ from indices dims %v", upd.Dims, idx.Dims)
		}
		if p.Axis < 0 || int(p.Axis) >= r {
			c.failf("axis %d outside [0, %d)", p.Axis, r)
		}
	default:
		c.failf("unknown scatter mode %v", p.Mode)
	}
	return []outSpec{{data.Type, clone(data.Dims)}}
}

const LayerCumulative LayerType = 49 // kCUMULATIVE

// Cumulative is ICumulativeLayer (addCumulative(input, axis, operation,
// exclusive, reverse)). TensorRT takes the axis as a build-time constant
// 0-D shape tensor; the binding makes that Constant layer itself, so the
// description keeps the axis here (in [0, rank)).
type Cumulative struct {
	Axis      int32
	Operation CumulativeOperation
	Exclusive bool
	Reverse   bool
}

func (Cumulative) Kind() LayerType       { return LayerCumulative }
func (Cumulative) Arity() (min, max int) { return 1, 1 }
func (p Cumulative) AddTo(net Network, in []Tensor) Layer {
	return net.AddCumulative(in[0], p)
}
func (p Cumulative) text() string {
	var f fields
	f.add("%v axis=%d", p.Operation, p.Axis)
	if p.Exclusive {
		f.add("exclusive")
	}
	if p.Reverse {
		f.add("reverse")
	}
	return f.String()
}

func (r *Recorder) AddCumulative(input Tensor, p Cumulative) Layer {
	return r.addLayer(LayerCumulative, []Tensor{input}, nil, p)
}

func (p Cumulative) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferCumulative, c, in)
}

func inferCumulative(c *checker, in []*TensorDesc, p *Cumulative) []outSpec {
	c.nInputs(in, 1, 1)
	x := c.input(in, 0, "input")
	c.typeIn("input", x.Type, Float, Half, BF16, Int32, Int64)
	if len(x.Dims) < 1 {
		c.failf("input must have rank ≥ 1")
	} else if p.Axis < 0 || int(p.Axis) >= len(x.Dims) {
		c.failf("axis %d outside [0, %d)", p.Axis, len(x.Dims))
	}
	if p.Operation != CumulativeSum {
		c.failf("unknown cumulative operation %v", p.Operation)
	}
	return []outSpec{{x.Type, clone(x.Dims)}}
}

func dimsEqual(a, b Dims) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
