package trt

import (
	"encoding/binary"
	"math"
	"slices"
)

// Shape tensors.
//
// TensorRT computes some small Int32/Int64 tensors while it builds and
// sizes a network rather than on the GPU: shape tensors, the outputs of
// IShapeLayer and what is computed from them and constants (the
// Developer Guide's "Execution Tensors vs. Shape Tensors"). The layers
// that take dimensions as a tensor (IShuffleLayer input 1, ISliceLayer
// input 2) read their values there. At static input dimensions tfc
// computes them the same way: every tensor whose values follow from
// dimensions and constants through the layers below carries them in
// TensorDesc.ShapeValues (recorded by the Recorder, checked by
// Validate), and the rules of the layers that read a shape tensor use
// them. A dynamic network (dimensions of -1) has them only at its static
// instances (Specialize), which is where its dimensions are computed.
//
// The layers: IShapeLayer; IConstantLayer of Int32/Int64 weights;
// ICastLayer between Int32 and Int64; IIdentityLayer; IElementWiseLayer
// kSUM, kSUB, kPROD, kDIV (truncating), kFLOOR_DIV, kMAX, kMIN
// (broadcasting); IGatherLayer kDEFAULT along axis 0 of a vector;
// IConcatenationLayer; ISliceLayer of a vector with static parameters;
// IShuffleLayer reshaping (no transposes) to a scalar or vector;
// IReduceLayer kSUM, kPROD, kMAX, kMIN of a vector; IFillLayer kLINSPACE
// of integers. Values stay within
// MaxShapeValues elements (TensorRT's own limit on shape tensors is of
// that order).

// MaxShapeValues bounds the element count of a tensor whose values the
// rules track.
const MaxShapeValues = 64

// A data-dependent dimension (DataDependent: an INonZeroLayer's count and
// what is computed from it) read by IShapeLayer is a shape-tensor value
// known only when the network runs (TensorRT's size tensors): it is
// UnknownValue in ShapeValues. The layers copying values (Cast,
// Identity, Shuffle, Gather, Concatenation, Slice) copy it; arithmetic
// on it (ElementWise, Reduce) gives UnknownValue; an unknown index or a
// value read as anything but reshape dimensions is not a shape tensor. An
// IShuffleLayer reshaping to such values has DataDependent dimensions
// there (the reshape TensorRT's NonZero documentation suggests for
// "compress").
const UnknownValue int64 = math.MinInt64

// shapeValues returns the values of a layer's outputs that are shape
// tensors (see above), nil for the others.
func shapeValues(typ LayerType, in []*TensorDesc, params any, outs []outSpec) [][]int64 {
	if len(outs) != 1 || !intType(outs[0].Type) || len(outs[0].Dims) > 1 {
		return nil
	}
	n := outs[0].Dims.Volume()
	if n > MaxShapeValues || n < 0 {
		return nil
	}
	v := computeShapeValues(typ, in, params, n)
	if v == nil || len(v) != int(n) {
		return nil
	}
	if outs[0].Type == Int32 {
		for i := range v {
			if v[i] != UnknownValue {
				v[i] = int64(int32(v[i]))
			}
		}
	}
	return [][]int64{v}
}

func intType(t DataType) bool { return t == Int32 || t == Int64 }

// vals returns in[i]'s shape values, or nil.
func vals(in []*TensorDesc, i int) []int64 {
	if i >= len(in) || in[i] == nil {
		return nil
	}
	return in[i].ShapeValues
}

func computeShapeValues(typ LayerType, in []*TensorDesc, params any, n int64) []int64 {
	switch p := params.(type) {
	case Shape:
		if len(in) != 1 || in[0] == nil {
			return nil
		}
		out := slices.Clone([]int64(in[0].Dims))
		for i, d := range out {
			if d < 0 {
				out[i] = UnknownValue
			}
		}
		return out
	case Constant:
		w := p.Weights
		if !intType(w.Type) || w.Count != n || w.check() != nil {
			return nil
		}
		out := make([]int64, n)
		for i := range out {
			if w.Type == Int32 {
				out[i] = int64(int32(binary.LittleEndian.Uint32(w.Values[4*i:])))
			} else {
				out[i] = int64(binary.LittleEndian.Uint64(w.Values[8*i:]))
			}
		}
		return out
	case Cast, Identity:
		return slices.Clone(vals(in, 0))
	case Shuffle:
		if len(in) != 1 || !isIdentity(p.FirstTranspose) || !isIdentity(p.SecondTranspose) {
			return nil
		}
		return slices.Clone(vals(in, 0))
	case ElementWise:
		a, b := vals(in, 0), vals(in, 1)
		if a == nil || b == nil || (len(a) != int(n) && len(a) != 1) || (len(b) != int(n) && len(b) != 1) {
			return nil
		}
		out := make([]int64, n)
		for i := range out {
			x, y := a[i%len(a)], b[i%len(b)]
			if x == UnknownValue || y == UnknownValue {
				switch p.Operation {
				case ElementWiseSum, ElementWiseSub, ElementWiseProd, ElementWiseMax, ElementWiseMin, ElementWiseDiv, ElementWiseFloorDiv:
				default:
					return nil
				}
				out[i] = UnknownValue
				continue
			}
			switch p.Operation {
			case ElementWiseSum:
				out[i] = x + y
			case ElementWiseSub:
				out[i] = x - y
			case ElementWiseProd:
				out[i] = x * y
			case ElementWiseMax:
				out[i] = max(x, y)
			case ElementWiseMin:
				out[i] = min(x, y)
			case ElementWiseDiv, ElementWiseFloorDiv:
				if y == 0 {
					return nil
				}
				q := x / y
				if p.Operation == ElementWiseFloorDiv && (x%y != 0) && ((x < 0) != (y < 0)) {
					q--
				}
				out[i] = q
			default:
				return nil
			}
		}
		return out
	case Gather:
		data, idx := vals(in, 0), vals(in, 1)
		if data == nil || idx == nil || p.Mode != GatherDefault || p.Axis != 0 || len(in[0].Dims) != 1 {
			return nil
		}
		out := make([]int64, len(idx))
		for i, k := range idx {
			if k == UnknownValue {
				return nil
			}
			if k < 0 {
				k += int64(len(data))
			}
			if k < 0 || k >= int64(len(data)) {
				return nil
			}
			out[i] = data[k]
		}
		return out
	case Concatenation:
		var out []int64
		for i := range in {
			v := vals(in, i)
			if v == nil || len(in[i].Dims) != 1 {
				return nil
			}
			out = append(out, v...)
		}
		return out
	case Slice:
		x := vals(in, 0)
		if x == nil || len(in) != 1 || len(in[0].Dims) != 1 || len(p.Start) != 1 || len(p.Stride) != 1 {
			return nil
		}
		out := make([]int64, n)
		for i := range out {
			k := p.Start[0] + int64(i)*p.Stride[0]
			if k < 0 || k >= int64(len(x)) {
				return nil
			}
			out[i] = x[k]
		}
		return out
	case Fill:
		if p.Operation != FillLinspace || p.Alpha != float64(int64(p.Alpha)) || p.Beta != float64(int64(p.Beta)) {
			return nil
		}
		out := make([]int64, n)
		for i := range out {
			out[i] = int64(p.Alpha) + int64(i)*int64(p.Beta)
		}
		return out
	case Reduce:
		x := vals(in, 0)
		if x == nil || len(in[0].Dims) != 1 || p.ReduceAxes != 1 || len(x) == 0 && (p.Operation == ReduceMax || p.Operation == ReduceMin) {
			return nil
		}
		if slices.Contains(x, UnknownValue) {
			switch p.Operation {
			case ReduceSum, ReduceProd, ReduceMax, ReduceMin:
				return []int64{UnknownValue}
			}
			return nil
		}
		var acc int64
		switch p.Operation {
		case ReduceSum:
			for _, v := range x {
				acc += v
			}
		case ReduceProd:
			acc = 1
			for _, v := range x {
				acc *= v
			}
		case ReduceMax, ReduceMin:
			acc = x[0]
			for _, v := range x[1:] {
				if p.Operation == ReduceMax {
					acc = max(acc, v)
				} else {
					acc = min(acc, v)
				}
			}
		default:
			return nil
		}
		return []int64{acc}
	}
	return nil
}

// shapeInput reads a layer input that must be a shape tensor holding
// dimensions: a 1-D Int32/Int64 tensor whose values are known. Values
// known only when the network runs (UnknownValue) are an error unless
// unknownOK, when they are returned as they are.
func (c *checker) shapeInput(what string, t *TensorDesc, unknownOK bool) (Dims, bool) {
	if !intType(t.Type) || len(t.Dims) != 1 {
		c.failf("%s %q has type %v and dimensions %v, want a 1-D kINT32 or kINT64 tensor", what, t.Name, t.Type, t.Dims)
		return nil, false
	}
	if t.ShapeValues == nil {
		c.failf("%s %q is not a shape tensor (its values do not follow from dimensions and constants)", what, t.Name)
		return nil, false
	}
	if !unknownOK && slices.Contains(t.ShapeValues, UnknownValue) {
		c.failf("%s %q has data-dependent values; tfc's rules take those only as reshape dimensions", what, t.Name)
		return nil, false
	}
	return Dims(slices.Clone(t.ShapeValues)), true
}
