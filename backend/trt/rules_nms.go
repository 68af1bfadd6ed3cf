package trt

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
