package trt

// Layers with data-dependent output sizes: non-maximum suppression and nonzero.

func init() {
	registerKinds(NMS{}, NonZero{})
}

const LayerNMS LayerType = 43 // kNMS

// NMS is INMSLayer (addNMS(boxes, scores, maxOutputBoxesPerClass,
// indicesType), setBoundingBoxFormat, setTopKBoxLimit; optional inputs 3
// IoUThreshold and 4 ScoreThreshold, 0-D kFLOAT, default 0). Per batch
// item and class, boxes are visited by decreasing score; a box is selected
// if its score exceeds ScoreThreshold and its IoU with every box of its
// class selected before is ≤ IoUThreshold, at most MaxOutputBoxesPerClass
// per class; only the TopKBoxLimit highest-scoring boxes of a batch item
// are considered. Output 0, SelectedIndices, is [NumOutputBoxes, 3]
// (batch, class, box) rows sorted by batch, then by decreasing score;
// the order of equal scores is unspecified (NvInfer.h). NumOutputBoxes is
// data-dependent: the Description records it as -1 (DataDependent), and
// output 1 is that count, a 0-D kINT32. TensorRT-RTX declares the layer
// but cannot build it (NVIDIA/TensorRT-RTX issue 5).
type NMS struct {
	BoundingBoxFormat BoundingBoxFormat
	TopKBoxLimit      int32    // default and maximum NMSTopKLimit
	IndicesType       DataType // kINT32 (default) or kINT64
}

// NMSTopKLimit is INMSLayer's default and largest TopK box limit on the
// GPUs TensorRT-RTX supports (NvInfer.h: 2000 on SM 5.3 and 6.2 only).
const NMSTopKLimit = 5000

// DataDependent is the dimension of a tensor whose size is known only when
// the network runs (INMSLayer's NumOutputBoxes, INonZeroLayer's count,
// and the dimensions computed from them).
const DataDependent = -1

func (NMS) Kind() LayerType       { return LayerNMS }
func (NMS) Arity() (min, max int) { return 3, 5 }
func (p NMS) AddTo(net Network, in []Tensor) Layer {
	var iou, score Tensor
	if len(in) > 3 && in[3] != nil {
		iou = in[3]
	}
	if len(in) > 4 && in[4] != nil {
		score = in[4]
	}
	return net.AddNMS(in[0], in[1], in[2], iou, score, p)
}
func (p NMS) text() string {
	var f fields
	f.add("%v topk=%d indices=%v", p.BoundingBoxFormat, p.TopKBoxLimit, p.IndicesType)
	return f.String()
}

// AddNMS records an NMS layer. Absent thresholds are nil inputs; trailing
// absent ones are left out, as TensorRT's getNbInputs does.
func (r *Recorder) AddNMS(boxes, scores, maxOutputBoxesPerClass, iouThreshold, scoreThreshold Tensor, p NMS) Layer {
	ins := []Tensor{boxes, scores, maxOutputBoxesPerClass, iouThreshold, scoreThreshold}
	for len(ins) > 3 && (ins[len(ins)-1] == nil || isNilTensor(ins[len(ins)-1])) {
		ins = ins[:len(ins)-1]
	}
	return r.addLayer(LayerNMS, ins, []bool{3: true, 4: true}, p)
}

func (p NMS) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferNMS, c, in)
}

func inferNMS(c *checker, in []*TensorDesc, p *NMS) []outSpec {
	c.nInputs(in, 3, 5)
	boxes := c.input(in, 0, "boxes")
	scores := c.input(in, 1, "scores")
	limit := c.input(in, 2, "maxOutputBoxesPerClass")
	if p.TopKBoxLimit == 0 {
		p.TopKBoxLimit = NMSTopKLimit
	}
	if p.IndicesType == Float { // the zero value: TensorRT's default
		p.IndicesType = Int32
	}
	c.typeIn("boxes", boxes.Type, Float, Half)
	if scores.Type != boxes.Type {
		c.failf("scores type %v differs from boxes type %v", scores.Type, boxes.Type)
	}
	bd, sd := boxes.Dims, scores.Dims
	switch {
	case len(sd) != 3:
		c.failf("scores %v: want [batch, boxes, classes]", sd)
	case len(bd) == 3 && bd[2] == 4 && bd[0] == sd[0] && bd[1] == sd[1]:
	case len(bd) == 4 && bd[3] == 4 && bd[0] == sd[0] && bd[1] == sd[1] && bd[2] == sd[2]:
	default:
		c.failf("boxes %v, scores %v: want boxes [B,N,4] or [B,N,C,4] for scores [B,N,C]", bd, sd)
	}
	c.typeIn("maxOutputBoxesPerClass", limit.Type, Int32)
	if len(limit.Dims) != 0 {
		c.failf("maxOutputBoxesPerClass %v: want a 0-D tensor", limit.Dims)
	}
	if limit.Producer == nil || limit.Producer.Type != LayerConstant {
		c.failf("maxOutputBoxesPerClass must be a Constant layer's output (a build-time bound)")
	}
	for i, what := range []string{3: "IoUThreshold", 4: "ScoreThreshold"} {
		if i < 3 || i >= len(in) || in[i] == nil {
			continue
		}
		c.typeIn(what, in[i].Type, Float)
		if len(in[i].Dims) != 0 {
			c.failf("%s %v: want a 0-D tensor", what, in[i].Dims)
		}
	}
	if p.BoundingBoxFormat != BoxCornerPairs && p.BoundingBoxFormat != BoxCenterSizes {
		c.failf("unknown bounding box format %v", p.BoundingBoxFormat)
	}
	if p.TopKBoxLimit < 1 || p.TopKBoxLimit > NMSTopKLimit {
		c.failf("TopK box limit %d outside [1, %d]", p.TopKBoxLimit, NMSTopKLimit)
	}
	c.typeIn("indices type", p.IndicesType, Int32, Int64)
	return []outSpec{{p.IndicesType, Dims{DataDependent, 3}}, {Int32, Dims{}}}
}

const LayerNonZero LayerType = 41 // kNON_ZERO

// NonZero is INonZeroLayer (addNonZero(input, indicesType)): the
// coordinates of the input's nonzero elements (true, or ≠ 0), one column
// each, columns in lexical (row-major) order. The input is kFLOAT, kHALF,
// kINT32 or kBOOL of rank ≥ 1 (NvInfer.h); the output is [rank, count] of
// IndicesType (kINT32, the default, or kINT64), the count data-dependent
// (DataDependent). TensorRT-RTX 1.6 declares the layer but its builder
// has no implementation ("has no runners that implement it"), so the
// binding refuses it there.
type NonZero struct {
	IndicesType DataType
}

func (NonZero) Kind() LayerType       { return LayerNonZero }
func (NonZero) Arity() (min, max int) { return 1, 1 }
func (p NonZero) AddTo(net Network, in []Tensor) Layer {
	return net.AddNonZero(in[0], p)
}
func (p NonZero) text() string {
	var f fields
	f.add("indices=%v", p.IndicesType)
	return f.String()
}

func (r *Recorder) AddNonZero(input Tensor, p NonZero) Layer {
	return r.addLayer(LayerNonZero, []Tensor{input}, nil, p)
}

func (p NonZero) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferNonZero, c, in)
}

func inferNonZero(c *checker, in []*TensorDesc, p *NonZero) []outSpec {
	c.nInputs(in, 1, 1)
	x := c.input(in, 0, "input")
	if p.IndicesType == Float { // the zero value: TensorRT's default
		p.IndicesType = Int32
	}
	c.typeIn("input", x.Type, Float, Half, Int32, Bool)
	c.typeIn("indices type", p.IndicesType, Int32, Int64)
	if len(x.Dims) < 1 {
		c.failf("input %v: want rank ≥ 1", x.Dims)
	}
	return []outSpec{{p.IndicesType, Dims{int64(len(x.Dims)), DataDependent}}}
}
