package trt

import (
	"fmt"
	"strings"
)

// The rules: one function per layer kind (infer<Kind>, in its layers_*.go) that
// both the Recorder (at Add time) and Validate (on a whole Description)
// apply, so the two always agree. A rule takes the layer's inputs and a
// pointer to its parameters, fills TensorRT's defaults into the parameters
// (nil strides/dilations → 1, nil paddings → 0, groups 0 → 1, nil
// permutations → identity, nil slice stride → 1, TopK indices type →
// kINT32), reports every violated restriction to its checker and returns
// the output types and dimensions — best effort when the parameters are
// invalid, never a panic.
//
// The restrictions are NvInfer.h's (TensorRT 11.1), per kind:
//
//   - Convolution/Deconvolution: 2D or 3D kernel; input [N, C, spatial...]
//     of rank kernel+2, kFLOAT/kHALF/kBF16; stride, dilation ≥ 1, padding ≥ 0,
//     each of kernel rank; groups divide C and NbOutputMaps; kernel weights
//     NbOutputMaps × C/groups × prod(kernel) float values, bias 0 or
//     NbOutputMaps; every output size ≥ 1 (PaddingMode formulas).
//   - Pooling: 2D or 3D window over the innermost dimensions (rank ≥
//     window+1); float input; output size ≥ 1.
//   - Activation: float input (kINT8 too); kINT32/kINT64 only for kRELU.
//   - ElementWise: equal ranks, each dimension pair equal or one of them 1;
//     equal types (or kFLOAT with kHALF, giving kFLOAT); kAND/kOR/kXOR on
//     kBOOL; comparisons give kBOOL; no arithmetic on kBOOL; kPOW on floats.
//   - Unary: kNOT on kBOOL; kABS/kSIGN on floats, kINT8, kINT32, kINT64;
//     the rest on floats; kISINF/kISNAN give kBOOL.
//   - Reduce: non-empty axes bitmask within the rank; no kBOOL.
//   - SoftMax: exactly one axis bit, within the rank; float input.
//   - TopK: exactly one axis, one of the last four; 1 ≤ K ≤ 3840 and K ≤
//     the axis size; indices kINT32 or kINT64; input float, kINT32, kINT64.
//   - Shuffle: permutations of the right rank; reshape: 0 copies the input
//     dimension when ZeroIsPlaceholder, at most one -1 (not with a zero
//     volume), otherwise sizes ≥ 0 with the input's volume.
//   - Slice: start/size/stride of the input rank, size ≥ 0; kSTRICT_BOUNDS
//     reads in bounds; kCLAMP/kREFLECT of an empty dimension give size 0;
//     a fill value (input 1) only with kFILL, a scalar of the input type.
//   - Concatenation: axis in [0, rank); equal types, ranks and dimensions
//     off the axis.
//   - Gather: indices kINT32/kINT64; kDEFAULT: axis in [0, rank), 0 or 1
//     elementwise dims (≤ axis), broadcast over them; kELEMENT: equal
//     ranks, no elementwise dims; kND: elementwise dims < both ranks, the
//     indices' last dimension fits.
//   - MatrixMultiply: float inputs of one type; rank ≥ 2 (≥ 1 for
//     kVECTOR); equal numbers of batch dimensions, broadcast; inner sizes
//     equal.
//   - Einsum: kFLOAT/kHALF inputs (output kFLOAT); lowercase subscripts and
//     ellipsis; subscripts of each operand match its rank; equal labels
//     have equal or broadcastable sizes.
//   - Resize: output dimensions of the input rank, ≥ 0; kLINEAR resizes
//     only the innermost 3, kCUBIC the innermost 2; kLINEAR/kCUBIC need
//     floats; no kINT32.
//   - Constant: dimensions ≥ 0 with the weights' count; weights' bytes
//     match; no kUINT8.
//   - Scatter: indices kINT32 (addScatter's doc); data and updates of one
//     type; kND: indices rank ≥ 1, last dimension k ≤ rank(data), updates
//     dims = indices dims[:-1] + data dims[k:]; kELEMENT: equal ranks, axis
//     in [0, rank), updates dims = indices dims. Output: data's.
//   - Cumulative: kFLOAT/kHALF/kBF16/kINT32/kINT64, rank ≥ 1, axis in
//     [0, rank), kSUM. Output: the input's type and dims.
//   - Quantize: kFLOAT/kHALF/kBF16 data of rank ≥ 1, output kINT8; scale of
//     the data's type or kFLOAT, a scalar (Axis any valid axis, unused) or a
//     vector of dimension Axis's size. Dequantize: kINT8 data, output
//     kFLOAT/kHALF/kBF16, scale alike.
//   - ParametricReLU: float input; slope of its type and rank, each
//     dimension 1 or the input's. Output: the input's type and dims.
//   - Cast: a known type. Select: kBOOL condition, then/else of one type,
//     the three broadcast. Scale: rank ≥ 4, channel axis in range, weight
//     counts per mode (1, C, prod(dims[axis:])).
//   - Normalization (addNormalizationV2): float input; scale and bias of
//     the input type, one shape, the input's rank, broadcasting to it;
//     non-empty axes; groups divide dimension 1 and then the axes are
//     exactly the dimensions after it.
//   - Padding: 2D pre/post; rank ≥ 4; padded sizes ≥ 0.
//   - Fill: kFLOAT/kHALF/kINT32/kINT64 output; kLINSPACE: 1 dimension, not
//     kHALF; random: float output, min ≤ max, stddev ≥ 0.
//   - every output: rank ≤ MaxDims.

// outSpec is the type and dimensions of one layer output.
type outSpec struct {
	Type DataType
	Dims Dims
}

// checker collects the rule violations of one layer.
type checker struct {
	msgs []string
}

func (c *checker) failf(format string, args ...any) {
	c.msgs = append(c.msgs, fmt.Sprintf(format, args...))
}

// placeholder stands for a missing or nil input so rules never dereference nil.
var placeholder = &TensorDesc{ID: -1, Name: "<missing>", Type: Float}

// input returns in[i], reporting a missing input.
func (c *checker) input(in []*TensorDesc, i int, what string) *TensorDesc {
	if i >= len(in) || in[i] == nil {
		c.failf("missing input %d (%s)", i, what)
		return placeholder
	}
	return in[i]
}

// nInputs checks the number of inputs is between lo and hi.
func (c *checker) nInputs(in []*TensorDesc, lo, hi int) {
	if len(in) < lo || len(in) > hi {
		if lo == hi {
			c.failf("has %d inputs, want %d", len(in), lo)
		} else {
			c.failf("has %d inputs, want %d to %d", len(in), lo, hi)
		}
	}
}

func isFloat(t DataType) bool { return t == Float || t == Half || t == BF16 }

func knownType(t DataType) bool { _, ok := dataTypeNames[t]; return ok }

// typeIn checks t is one of allowed.
func (c *checker) typeIn(what string, t DataType, allowed ...DataType) bool {
	for _, a := range allowed {
		if t == a {
			return true
		}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = a.String()
	}
	c.failf("%s has type %v, want %s", what, t, strings.Join(names, " or "))
	return false
}

var floatTypes = []DataType{Float, Half, BF16}

func filled(d Dims, n int, v int64) Dims {
	out := make(Dims, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func clone(d Dims) Dims {
	if d == nil {
		return nil
	}
	return append(Dims{}, d...)
}

func identityPerm(n int) Permutation {
	p := make(Permutation, n)
	for i := range p {
		p[i] = int32(i)
	}
	return p
}

// axesList returns the set bits of mask below 32.
func axesList(mask uint32) []int {
	var out []int
	for i := 0; i < 32; i++ {
		if mask&(1<<i) != 0 {
			out = append(out, i)
		}
	}
	return out
}

// checkAxes checks a bitmask names only dimensions of a rank-r tensor.
func (c *checker) checkAxes(what string, mask uint32, r int) bool {
	if r < 32 && mask>>uint(r) != 0 {
		c.failf("%s bitmask %#x names a dimension ≥ rank %d", what, mask, r)
		return false
	}
	return true
}

// checkWeights checks w's byte length agrees with its count and type.
func (c *checker) checkWeights(what string, w Weights) {
	if !knownType(w.Type) || w.Type.Size() == 0 {
		c.failf("%s have unknown type %v", what, w.Type)
		return
	}
	if err := w.check(); err != nil {
		c.failf("%s: %v", what, err)
	}
}

// checkRank checks a tensor rank is at most MaxDims.
func (c *checker) checkRank(what string, d Dims) {
	if len(d) > MaxDims {
		c.failf("%s has rank %d > MaxDims %d", what, len(d), MaxDims)
	}
}

// broadcast computes TensorRT's broadcast of equal-rank dims: each pair
// equal, or one of them 1 (then the other, which may be 0). what names
// the dims in messages (a function: it is formatted only for one).
func (c *checker) broadcast(what func() string, ds ...Dims) Dims {
	r := len(ds[0])
	for _, d := range ds[1:] {
		if len(d) != r {
			strs := make([]string, len(ds))
			for i, d := range ds {
				strs[i] = d.String()
			}
			c.failf("%s must have equal ranks, got %s", what(), strings.Join(strs, ", "))
			if len(d) > r {
				r = len(d)
			}
		}
	}
	out := make(Dims, r)
	for i := 0; i < r; i++ {
		out[i] = -2 // unset
		for _, d := range ds {
			j := i - (r - len(d)) // align right for best effort
			if j < 0 {
				continue
			}
			x := d[j]
			switch {
			case out[i] == -2 || out[i] == 1:
				out[i] = x
			case x == 1 || x == out[i]:
			default:
				c.failf("%s are not broadcast-compatible in dimension %d (%d vs %d)", what(), i, out[i], x)
			}
		}
		if out[i] == -2 {
			out[i] = 1
		}
	}
	return out
}

// inferLayer applies the rule of kind typ (its parameters' rule method) to
// a layer's inputs and parameters. It returns the parameters with defaults
// filled in and the output specs.
func inferLayer(c *checker, typ LayerType, in []*TensorDesc, params LayerParams) (LayerParams, []outSpec) {
	var outs []outSpec
	switch {
	case layerTypeNames[typ] == "":
		c.failf("unknown layer type %v", typ)
		outs = []outSpec{{Float, Dims{}}}
	case params == nil || params.Kind() != typ:
		// Placeholder outputs, one per output the kind has.
		c.failf("parameters of type %T do not belong to a %v layer", params, typ)
		outs = []outSpec{{Float, Dims{}}}
		if typ == LayerTopK || typ == LayerNMS {
			outs = append(outs, outSpec{Int32, Dims{}})
		}
	default:
		params, outs = params.rule(c, in)
	}
	for i, o := range outs {
		if len(o.Dims) > MaxDims { // checkRank, with the label formatted only then
			c.checkRank(fmt.Sprintf("output %d", i), o.Dims)
		}
	}
	return params, outs
}

// ruleOf applies the rule f of parameters P to a copy of p, which f
// completes with TensorRT's defaults.
func ruleOf[P LayerParams](p P, f func(*checker, []*TensorDesc, *P) []outSpec, c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	outs := f(c, in, &p)
	return p, outs
}
