package trt

import (
	"fmt"
	"slices"
	"strings"
)

// Data-movement rules: shuffle, slice, concatenation, gather, matrix multiply, einsum, resize.

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

func (p MatrixMultiply) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferMatrixMultiply, c, in)
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

func (p Einsum) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferEinsum, c, in)
}

// inferEinsum: one or more kFLOAT/kHALF inputs; equal subscripts have
// equal or broadcastable (1) sizes, ellipsis dimensions broadcast like
// numpy. The output is kFLOAT (IEinsumLayer's class comment), except that
// all-kHALF inputs give kHALF: TensorRT-RTX 1.6 (strongly typed) builds
// an einsum of kHALF inputs with a kHALF output, whatever the comment says.
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
	outType := Half
	for i := range in {
		if in[i] == nil || in[i].Type != Half {
			outType = Float
		}
	}
	return []outSpec{{outType, dims}}
}

func (p Resize) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferResize, c, in)
}

func inferResize(c *checker, in []*TensorDesc, p *Resize) []outSpec {
	c.nInputs(in, 1, 2)
	x := c.input(in, 0, "input")
	p.OutputTensor = nil
	p.OutputDimensions = clone(p.OutputDimensions)
	if len(in) > 1 && in[1] != nil {
		// setInput(1): the output dimensions are a shape tensor's values.
		if p.OutputDimensions != nil {
			c.failf("output dimensions %v given with an output tensor (input 1)", p.OutputDimensions)
		}
		d, ok := c.shapeInput("output dimensions (input 1)", in[1], false)
		if !ok {
			d = clone(x.Dims)
		}
		out := checkResize(c, x, p, d)
		p.OutputDimensions = nil
		return out
	}
	return checkResize(c, x, p, p.OutputDimensions)
}

func checkResize(c *checker, x *TensorDesc, p *Resize, outDims Dims) []outSpec {
	r := len(x.Dims)
	p.OutputDimensions = outDims
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
