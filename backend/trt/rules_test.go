package trt

import (
	"strconv"
	"strings"
	"testing"
)

type in struct {
	typ  DataType
	dims Dims
}

func fl(d ...int64) in  { return in{Float, d} }
func hf(d ...int64) in  { return in{Half, d} }
func i32(d ...int64) in { return in{Int32, d} }
func i64(d ...int64) in { return in{Int64, d} }
func bl(d ...int64) in  { return in{Bool, d} }

// zeros is n kFLOAT zero weights.
func zeros(n int64) Weights { return Weights{Type: Float, Count: n, Values: make([]byte, 4*n)} }

func build(ins []in, f func(n *Recorder, t []Tensor) Layer) (*Recorder, Layer) {
	n := NewRecorder()
	ts := make([]Tensor, len(ins))
	for i, x := range ins {
		ts[i] = n.AddInput("in"+strconv.Itoa(i), x.typ, x.dims)
	}
	return n, f(n, ts)
}

// The expected dimensions come from TensorRT's documented formulas; each
// case's comment is the derivation.
var shapeCases = []struct {
	name string
	ins  []in
	add  func(n *Recorder, t []Tensor) Layer
	want []in
}{
	// Convolution (NvInfer.h, PaddingMode): M = I+B+A, DK = 1+D*(F-1).
	{"conv/resnet-stem", []in{fl(1, 3, 224, 224)}, func(n *Recorder, t []Tensor) Layer {
		// floor((224+3+3 - 7)/2)+1 = floor(223/2)+1 = 112.
		return n.AddConvolutionNd(t[0], Convolution{NbOutputMaps: 64, KernelSize: Dims{7, 7}, Kernel: zeros(64 * 3 * 49), Bias: zeros(64),
			Stride: Dims{2, 2}, PrePadding: Dims{3, 3}, PostPadding: Dims{3, 3}})
	}, []in{fl(1, 64, 112, 112)}},
	{"conv/defaults", []in{hf(2, 4, 10, 9)}, func(n *Recorder, t []Tensor) Layer {
		// stride 1, no padding, dilation 1: floor((10-3)/1)+1 = 8, floor((9-3)/1)+1 = 7.
		return n.AddConvolutionNd(t[0], Convolution{NbOutputMaps: 5, KernelSize: Dims{3, 3}, Kernel: zeros(5 * 4 * 9)})
	}, []in{hf(2, 5, 8, 7)}},
	{"conv/dilation", []in{fl(1, 1, 10, 10)}, func(n *Recorder, t []Tensor) Layer {
		// DK = 1+2*(3-1) = 5: floor((10-5)/1)+1 = 6; with stride 2 in W: floor(5/2)+1 = 3.
		return n.AddConvolutionNd(t[0], Convolution{NbOutputMaps: 1, KernelSize: Dims{3, 3}, Kernel: zeros(9), Stride: Dims{1, 2}, Dilation: Dims{2, 2}})
	}, []in{fl(1, 1, 6, 3)}},
	{"conv/round-up", []in{fl(1, 1, 7, 7)}, func(n *Recorder, t []Tensor) Layer {
		// kEXPLICIT_ROUND_UP: ceil((7-2)/2)+1 = 4 (round down would give 3).
		return n.AddConvolutionNd(t[0], Convolution{NbOutputMaps: 1, KernelSize: Dims{2, 2}, Kernel: zeros(4), Stride: Dims{2, 2}, PaddingMode: PaddingExplicitRoundUp})
	}, []in{fl(1, 1, 4, 4)}},
	{"conv/round-down", []in{fl(1, 1, 7, 7)}, func(n *Recorder, t []Tensor) Layer {
		// floor((7-2)/2)+1 = 3.
		return n.AddConvolutionNd(t[0], Convolution{NbOutputMaps: 1, KernelSize: Dims{2, 2}, Kernel: zeros(4), Stride: Dims{2, 2}})
	}, []in{fl(1, 1, 3, 3)}},
	{"conv/same-upper", []in{fl(1, 1, 7, 6)}, func(n *Recorder, t []Tensor) Layer {
		// kSAME_UPPER: ceil(I/S) = ceil(7/2) = 4, ceil(6/2) = 3.
		return n.AddConvolutionNd(t[0], Convolution{NbOutputMaps: 1, KernelSize: Dims{3, 3}, Kernel: zeros(9), Stride: Dims{2, 2}, PaddingMode: PaddingSameUpper})
	}, []in{fl(1, 1, 4, 3)}},
	{"conv/groups", []in{fl(1, 4, 5, 5)}, func(n *Recorder, t []Tensor) Layer {
		// Kernel count K × C/G × R × S = 6 × 2 × 3 × 3.
		return n.AddConvolutionNd(t[0], Convolution{NbOutputMaps: 6, NbGroups: 2, KernelSize: Dims{3, 3}, Kernel: zeros(6 * 2 * 9), PrePadding: Dims{1, 1}, PostPadding: Dims{1, 1}})
	}, []in{fl(1, 6, 5, 5)}},
	{"conv/3d", []in{fl(1, 2, 4, 8, 8)}, func(n *Recorder, t []Tensor) Layer {
		// Each spatial dim: floor((I+1+1-3)/1)+1 = I.
		return n.AddConvolutionNd(t[0], Convolution{NbOutputMaps: 4, KernelSize: Dims{3, 3, 3}, Kernel: zeros(4 * 2 * 27),
			PrePadding: Dims{1, 1, 1}, PostPadding: Dims{1, 1, 1}})
	}, []in{fl(1, 4, 4, 8, 8)}},
	// Deconvolution: explicit O = (I-1)*S + DK - (B+A); same O = min(I*S, (I-1)*S+DK).
	{"deconv/explicit", []in{fl(1, 8, 4, 4)}, func(n *Recorder, t []Tensor) Layer {
		// (4-1)*2 + 4 - (1+1) = 8.
		return n.AddDeconvolutionNd(t[0], Deconvolution{NbOutputMaps: 3, KernelSize: Dims{4, 4}, Kernel: zeros(8 * 3 * 16),
			Stride: Dims{2, 2}, PrePadding: Dims{1, 1}, PostPadding: Dims{1, 1}})
	}, []in{fl(1, 3, 8, 8)}},
	{"deconv/same", []in{fl(1, 2, 4, 5)}, func(n *Recorder, t []Tensor) Layer {
		// DK = 1, S = 2: min(4*2, 3*2+1) = 7, min(5*2, 4*2+1) = 9.
		return n.AddDeconvolutionNd(t[0], Deconvolution{NbOutputMaps: 2, KernelSize: Dims{1, 1}, Kernel: zeros(4),
			Stride: Dims{2, 2}, PaddingMode: PaddingSameLower})
	}, []in{fl(1, 2, 7, 9)}},
	{"deconv/dilation-groups", []in{fl(1, 4, 3, 3)}, func(n *Recorder, t []Tensor) Layer {
		// DK = 1+2*(2-1) = 3: (3-1)*1 + 3 - 0 = 5; kernel C × K/G × R × S = 4 × 2/2 × 4.
		return n.AddDeconvolutionNd(t[0], Deconvolution{NbOutputMaps: 2, NbGroups: 2, KernelSize: Dims{2, 2}, Kernel: zeros(4 * 1 * 4), Dilation: Dims{2, 2}})
	}, []in{fl(1, 2, 5, 5)}},
	{"deconv/kernel-input", []in{fl(1, 4, 3, 3), fl(4, 3, 2, 2)}, func(n *Recorder, t []Tensor) Layer {
		// The kernel as input 1 in CKRS order: C × K/G × R × S = 4 × 6/2 × 2 × 2.
		return n.AddDeconvolutionNd(t[0], Deconvolution{NbOutputMaps: 6, NbGroups: 2, KernelSize: Dims{2, 2}, Stride: Dims{2, 2}, KernelTensor: t[1]})
	}, []in{fl(1, 6, 6, 6)}},
	// Pooling: O = floor((M-F)/S)+1, header example I=6, B=3, A=2, S=2, F=3 → 5 (both roundings).
	{"pool/header-example", []in{fl(1, 1, 6, 6)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddPoolingNd(t[0], Pooling{Type: PoolingMax, WindowSize: Dims{3, 3}, Stride: Dims{2, 2}, PrePadding: Dims{3, 3}, PostPadding: Dims{2, 2}})
	}, []in{fl(1, 1, 5, 5)}},
	{"pool/header-example-up", []in{fl(1, 1, 6, 6)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddPoolingNd(t[0], Pooling{Type: PoolingMax, WindowSize: Dims{3, 3}, Stride: Dims{2, 2}, PrePadding: Dims{3, 3}, PostPadding: Dims{2, 2}, PaddingMode: PaddingExplicitRoundUp})
	}, []in{fl(1, 1, 5, 5)}},
	{"pool/same-upper", []in{fl(1, 1, 6, 6)}, func(n *Recorder, t []Tensor) Layer {
		// Header: O = ceil(6/2) = 3.
		return n.AddPoolingNd(t[0], Pooling{Type: PoolingAverage, WindowSize: Dims{3, 3}, Stride: Dims{2, 2}, PaddingMode: PaddingSameUpper})
	}, []in{fl(1, 1, 3, 3)}},
	{"pool/3d-no-batch", []in{fl(2, 4, 4, 4)}, func(n *Recorder, t []Tensor) Layer {
		// Last 3 dims pooled with window 2 stride 2: floor((4-2)/2)+1 = 2.
		return n.AddPoolingNd(t[0], Pooling{Type: PoolingMax, WindowSize: Dims{2, 2, 2}, Stride: Dims{2, 2, 2}})
	}, []in{fl(2, 2, 2, 2)}},
	// Activation keeps type and dims.
	{"activation", []in{i32(2, 3)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddActivation(t[0], Activation{Type: ActivationRelu})
	}, []in{i32(2, 3)}},
	// ElementWise: equal ranks, each dim the max (one side is 1), comparisons give kBOOL.
	{"elementwise/broadcast", []in{fl(2, 1, 4), fl(2, 3, 1)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddElementWise(t[0], t[1], ElementWiseSum)
	}, []in{fl(2, 3, 4)}},
	{"elementwise/compare", []in{i32(1, 5), i32(3, 1)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddElementWise(t[0], t[1], ElementWiseLess)
	}, []in{bl(3, 5)}},
	{"elementwise/logical", []in{bl(2), bl(2)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddElementWise(t[0], t[1], ElementWiseXor)
	}, []in{bl(2)}},
	{"elementwise/empty", []in{fl(1, 0), fl(1, 1)}, func(n *Recorder, t []Tensor) Layer {
		// A 1 broadcasts against 0: the output dimension is 0.
		return n.AddElementWise(t[0], t[1], ElementWiseFloorDiv)
	}, []in{fl(1, 0)}},
	{"elementwise/mixed-float-half", []in{fl(2), hf(2)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddElementWise(t[0], t[1], ElementWiseProd)
	}, []in{fl(2)}},
	// Unary: kISINF/kISNAN give kBOOL, kNOT needs kBOOL.
	{"unary/isnan", []in{hf(3, 4)}, func(n *Recorder, t []Tensor) Layer { return n.AddUnary(t[0], UnaryIsNan) }, []in{bl(3, 4)}},
	{"unary/not", []in{bl(3)}, func(n *Recorder, t []Tensor) Layer { return n.AddUnary(t[0], UnaryNot) }, []in{bl(3)}},
	{"unary/abs-int", []in{i64(3)}, func(n *Recorder, t []Tensor) Layer { return n.AddUnary(t[0], UnaryAbs) }, []in{i64(3)}},
	// Reduce: bit i reduces dim i; kept as 1 or removed.
	{"reduce/drop", []in{fl(2, 3, 4, 5)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddReduce(t[0], Reduce{Operation: ReduceMax, ReduceAxes: 0b1010})
	}, []in{fl(2, 4)}},
	{"reduce/keep", []in{fl(2, 3, 4, 5)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddReduce(t[0], Reduce{Operation: ReduceAvg, ReduceAxes: 0b1010, KeepDimensions: true})
	}, []in{fl(2, 1, 4, 1)}},
	{"reduce/all", []in{i32(2, 3)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddReduce(t[0], Reduce{Operation: ReduceSum, ReduceAxes: 0b11})
	}, []in{i32()}},
	{"softmax", []in{fl(2, 3, 4)}, func(n *Recorder, t []Tensor) Layer { return n.AddSoftMax(t[0], 1<<2) }, []in{fl(2, 3, 4)}},
	// TopK: the reduced axis becomes K; indices of IndicesType (default kINT32).
	{"topk/default-indices", []in{fl(2, 10)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddTopK(t[0], TopK{Operation: TopKMin, K: 3, ReduceAxes: 0b10})
	}, []in{fl(2, 3), i32(2, 3)}},
	{"topk/int64", []in{i32(7, 2)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddTopK(t[0], TopK{Operation: TopKMax, K: 7, ReduceAxes: 0b01, IndicesType: Int64})
	}, []in{i32(7, 2), i64(7, 2)}},
	// Shuffle: out[i] = in[perm[i]]; reshape with 0 (placeholder) and one -1.
	{"shuffle/transpose", []in{fl(2, 3, 4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddShuffle(t[0], Shuffle{FirstTranspose: Permutation{2, 0, 1}})
	}, []in{fl(4, 2, 3)}},
	{"shuffle/placeholder", []in{fl(2, 3, 4)}, func(n *Recorder, t []Tensor) Layer {
		// 0 copies input dim 0 (2); -1 = 24/2 = 12.
		return n.AddShuffle(t[0], Shuffle{ReshapeDimensions: Dims{0, -1}, ZeroIsPlaceholder: true})
	}, []in{fl(2, 12)}},
	{"shuffle/real-zero", []in{fl(2, 0, 3)}, func(n *Recorder, t []Tensor) Layer {
		// Without placeholders 0 is a size: volume 0 = 0.
		return n.AddShuffle(t[0], Shuffle{ReshapeDimensions: Dims{0, 5}})
	}, []in{fl(0, 5)}},
	{"shuffle/all-three", []in{fl(1, 3, 4, 5)}, func(n *Recorder, t []Tensor) Layer {
		// [1,3,4,5] -first [0,2,3,1]-> [1,4,5,3] -reshape-> [1,20,3] -second [0,2,1]-> [1,3,20].
		return n.AddShuffle(t[0], Shuffle{FirstTranspose: Permutation{0, 2, 3, 1}, ReshapeDimensions: Dims{1, 20, 3}, SecondTranspose: Permutation{0, 2, 1}})
	}, []in{fl(1, 3, 20)}},
	{"shuffle/to-scalar", []in{i32(1, 1)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddShuffle(t[0], Shuffle{ReshapeDimensions: Dims{}})
	}, []in{i32()}},
	// Slice: output dims = size.
	{"slice/strided", []in{fl(10, 8)}, func(n *Recorder, t []Tensor) Layer {
		// Last index 1+2*3 = 7 < 10 and 0+3*2 = 6 < 8: in bounds.
		return n.AddSlice(t[0], Slice{Start: Dims{1, 0}, Size: Dims{3, 4}, Stride: Dims{3, 2}})
	}, []in{fl(3, 4)}},
	{"slice/negative-stride", []in{fl(10, 8)}, func(n *Recorder, t []Tensor) Layer {
		// 9-4*2 = 1 ≥ 0 and 7-3*2 = 1 ≥ 0.
		return n.AddSlice(t[0], Slice{Start: Dims{9, 7}, Size: Dims{5, 4}, Stride: Dims{-2, -2}})
	}, []in{fl(5, 4)}},
	{"slice/fill", []in{fl(2, 3), fl()}, func(n *Recorder, t []Tensor) Layer {
		// kFILL may read out of bounds (padding).
		return n.AddSlice(t[0], Slice{Start: Dims{-1, -1}, Size: Dims{4, 5}, Mode: SampleFill, Fill: t[1]})
	}, []in{fl(4, 5)}},
	{"concat", []in{fl(1, 2, 3), fl(1, 5, 3), fl(1, 1, 3)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddConcatenation(t, 1)
	}, []in{fl(1, 8, 3)}},
	// Gather kDEFAULT: data[:axis] + indices[b:] + data[axis+1:].
	{"gather/default", []in{fl(5, 6, 7), i32(2, 3)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddGather(t[0], t[1], Gather{Axis: 1})
	}, []in{fl(5, 2, 3, 7)}},
	{"gather/scalar-index", []in{i64(5, 6), i32()}, func(n *Recorder, t []Tensor) Layer {
		return n.AddGather(t[0], t[1], Gather{})
	}, []in{i64(6)}},
	{"gather/elementwise-dim", []in{fl(4, 6, 7), i64(4, 3)}, func(n *Recorder, t []Tensor) Layer {
		// b = 1: [4] + [3] + [7]; rank q+r-1-b = 2+3-1-1 = 3.
		return n.AddGather(t[0], t[1], Gather{Axis: 1, NbElementWiseDims: 1})
	}, []in{fl(4, 3, 7)}},
	{"gather/element", []in{fl(3, 4), i32(3, 2)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddGather(t[0], t[1], Gather{Axis: 1, Mode: GatherElement})
	}, []in{fl(3, 2)}},
	{"gather/nd", []in{fl(2, 3, 4), i32(5, 2)}, func(n *Recorder, t []Tensor) Layer {
		// indices[:-1] + data[0+2:] = [5,4]; rank q+r-last-1-b = 2+3-2-1-0 = 2.
		return n.AddGather(t[0], t[1], Gather{Mode: GatherND})
	}, []in{fl(5, 4)}},
	{"gather/nd-batch", []in{fl(2, 3, 4), i32(2, 5, 1)}, func(n *Recorder, t []Tensor) Layer {
		// indices[:-1] + data[1+1:] = [2,5,4].
		return n.AddGather(t[0], t[1], Gather{Mode: GatherND, NbElementWiseDims: 1})
	}, []in{fl(2, 5, 4)}},
	// Quantize/Dequantize: the data's dimensions, kINT8 between them.
	{"quantize/per-tensor", []in{fl(2, 3), fl()}, func(n *Recorder, t []Tensor) Layer {
		return n.AddQuantize(t[0], t[1], Quantize{Axis: 0, ToType: Int8})
	}, []in{{Int8, Dims{2, 3}}}},
	{"quantize/per-channel", []in{hf(4, 3), fl(4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddQuantize(t[0], t[1], Quantize{Axis: 0, ToType: Int8})
	}, []in{{Int8, Dims{4, 3}}}},
	{"dequantize/per-channel", []in{{Int8, Dims{4, 3}}, fl(3)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddDequantize(t[0], t[1], Dequantize{Axis: 1, ToType: Float})
	}, []in{fl(4, 3)}},
	// MatrixMultiply: batch dims broadcast, kVECTOR drops the M or N dimension.
	{"matmul/batched", []in{fl(2, 3, 4), fl(2, 4, 5)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddMatrixMultiply(t[0], MatrixNone, t[1], MatrixNone)
	}, []in{fl(2, 3, 5)}},
	{"matmul/broadcast", []in{fl(1, 3, 4), fl(7, 4, 5)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddMatrixMultiply(t[0], MatrixNone, t[1], MatrixNone)
	}, []in{fl(7, 3, 5)}},
	{"matmul/transpose", []in{hf(3, 4), hf(5, 3)}, func(n *Recorder, t []Tensor) Layer {
		// A^T is 4×3, B^T is 3×5.
		return n.AddMatrixMultiply(t[0], MatrixTranspose, t[1], MatrixTranspose)
	}, []in{hf(4, 5)}},
	{"matmul/vector-a", []in{fl(2, 4), fl(2, 4, 5)}, func(n *Recorder, t []Tensor) Layer {
		// A is 2 row vectors of length 4: [2] × (1×4 · 4×5) → [2,5].
		return n.AddMatrixMultiply(t[0], MatrixVector, t[1], MatrixNone)
	}, []in{fl(2, 5)}},
	{"matmul/vector-b", []in{fl(2, 3, 4), fl(2, 4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddMatrixMultiply(t[0], MatrixNone, t[1], MatrixVector)
	}, []in{fl(2, 3)}},
	{"matmul/dot", []in{fl(4), fl(4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddMatrixMultiply(t[0], MatrixVector, t[1], MatrixVector)
	}, []in{fl()}},
	// Einsum: the output is kFLOAT (IEinsumLayer), kHALF for all-kHALF inputs (TensorRT-RTX).
	{"einsum/matmul", []in{hf(2, 3), hf(3, 4)}, func(n *Recorder, t []Tensor) Layer { return n.AddEinsum(t, "ij,jk->ik") }, []in{hf(2, 4)}},
	{"einsum/mixed", []in{hf(2, 3), fl(3, 4)}, func(n *Recorder, t []Tensor) Layer { return n.AddEinsum(t, "ij,jk->ik") }, []in{fl(2, 4)}},
	{"einsum/implicit", []in{fl(2, 3), fl(3, 4)}, func(n *Recorder, t []Tensor) Layer { return n.AddEinsum(t, "ij,jk") }, []in{fl(2, 4)}},
	{"einsum/implicit-sorted", []in{fl(2, 3)}, func(n *Recorder, t []Tensor) Layer { return n.AddEinsum(t, "ba") }, []in{fl(3, 2)}},
	{"einsum/diagonal", []in{fl(3, 3)}, func(n *Recorder, t []Tensor) Layer { return n.AddEinsum(t, "ii->i") }, []in{fl(3)}},
	{"einsum/sum", []in{fl(3, 5)}, func(n *Recorder, t []Tensor) Layer { return n.AddEinsum(t, "ij->") }, []in{fl()}},
	{"einsum/ellipsis", []in{fl(5, 2, 3), fl(3, 4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddEinsum(t, "...ij,...jk->...ik")
	}, []in{fl(5, 2, 4)}},
	{"einsum/broadcast", []in{fl(1, 3), fl(4, 3)}, func(n *Recorder, t []Tensor) Layer { return n.AddEinsum(t, "ij,ij->ij") }, []in{fl(4, 3)}},
	{"resize/linear", []in{fl(1, 3, 4, 4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddResize(t[0], Resize{OutputDimensions: Dims{1, 3, 8, 6}, ResizeMode: InterpolationLinear, CoordinateTransformation: ResizeHalfPixel})
	}, []in{fl(1, 3, 8, 6)}},
	{"resize/nearest-all-dims", []in{fl(2, 3, 4, 4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddResize(t[0], Resize{OutputDimensions: Dims{4, 6, 2, 2}, CoordinateTransformation: ResizeAsymmetric, NearestRounding: ResizeRoundFloor})
	}, []in{fl(4, 6, 2, 2)}},
	{"constant", nil, func(n *Recorder, t []Tensor) Layer {
		return n.AddConstant(Dims{2, 3}, Weights{Type: Int32, Count: 6, Values: make([]byte, 24)})
	}, []in{i32(2, 3)}},
	{"constant/bool-scalar", nil, func(n *Recorder, t []Tensor) Layer {
		return n.AddConstant(Dims{}, Weights{Type: Bool, Count: 1, Values: []byte{1}})
	}, []in{bl()}},
	{"identity", []in{bl(2, 2)}, func(n *Recorder, t []Tensor) Layer { return n.AddIdentity(t[0]) }, []in{bl(2, 2)}},
	{"cast", []in{fl(2, 2)}, func(n *Recorder, t []Tensor) Layer { return n.AddCast(t[0], Half) }, []in{hf(2, 2)}},
	{"cast/to-bool", []in{i32(2)}, func(n *Recorder, t []Tensor) Layer { return n.AddCast(t[0], Bool) }, []in{bl(2)}},
	{"select/header-example", []in{bl(1, 1, 5, 9), fl(1, 1, 5, 9), fl(1, 3, 1, 9)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddSelect(t[0], t[1], t[2])
	}, []in{fl(1, 3, 5, 9)}},
	{"select/empty", []in{bl(1, 1, 0, 9), fl(1, 1, 0, 9), fl(1, 3, 1, 9)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddSelect(t[0], t[1], t[2])
	}, []in{fl(1, 3, 0, 9)}},
	{"parametric-relu/channel", []in{fl(2, 3, 4, 4), fl(1, 3, 1, 1)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddParametricReLU(t[0], t[1])
	}, []in{fl(2, 3, 4, 4)}},
	{"parametric-relu/half", []in{hf(5, 2), hf(5, 2)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddParametricReLU(t[0], t[1])
	}, []in{hf(5, 2)}},
	{"scale/channel", []in{fl(1, 3, 4, 4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddScaleNd(t[0], Scale{Mode: ScaleChannel, Shift: zeros(3), Scale: zeros(3), ChannelAxis: 1})
	}, []in{fl(1, 3, 4, 4)}},
	{"scale/elementwise", []in{fl(1, 3, 4, 4)}, func(n *Recorder, t []Tensor) Layer {
		// Weights count = prod(dims[channelAxis:]) = 4*4.
		return n.AddScaleNd(t[0], Scale{Mode: ScaleElementwise, Power: zeros(16), ChannelAxis: 2})
	}, []in{fl(1, 3, 4, 4)}},
	{"normalization/group", []in{fl(2, 4, 5, 5), fl(1, 4, 1, 1), fl(1, 4, 1, 1)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddNormalization(t[0], t[1], t[2], Normalization{Epsilon: 1e-5, Axes: 0b1100, NbGroups: 2})
	}, []in{fl(2, 4, 5, 5)}},
	{"normalization/layer", []in{hf(2, 7, 16), hf(1, 1, 16), hf(1, 1, 16)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddNormalization(t[0], t[1], t[2], Normalization{Epsilon: 1e-5, Axes: 0b100})
	}, []in{hf(2, 7, 16)}},
	{"padding/docs-example", []in{fl(1, 1, 3, 5)}, func(n *Recorder, t []Tensor) Layer {
		// Operators doc: pre (-1,3), post (3,-2): 3-1+3 = 5, 5+3-2 = 6.
		return n.AddPaddingNd(t[0], Dims{-1, 3}, Dims{3, -2})
	}, []in{fl(1, 1, 5, 6)}},
	{"fill/linspace", nil, func(n *Recorder, t []Tensor) Layer {
		return n.AddFill(Fill{Dimensions: Dims{5}, Operation: FillLinspace, ToType: Int32, Alpha: 0, Beta: 1})
	}, []in{i32(5)}},
	{"fill/random", nil, func(n *Recorder, t []Tensor) Layer {
		return n.AddFill(Fill{Dimensions: Dims{2, 3}, Operation: FillRandomUniform, ToType: Half, Alpha: -1, Beta: 1})
	}, []in{hf(2, 3)}},
	{"shape", []in{bl(2, 3, 4)}, func(n *Recorder, t []Tensor) Layer { return n.AddShape(t[0]) }, []in{i64(3)}},
	// Scatter: the output is data's; kND updates = indices[:-1] + data[k:].
	{"scatter/nd", []in{fl(4, 3), i32(2, 1), fl(2, 3)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddScatter(t[0], t[1], t[2], Scatter{Mode: ScatterND})
	}, []in{fl(4, 3)}},
	{"scatter/element", []in{hf(2, 3), i32(2, 2), hf(2, 2)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddScatter(t[0], t[1], t[2], Scatter{Mode: ScatterElement, Axis: 1})
	}, []in{hf(2, 3)}},
	// NMS: [DataDependent, 3] rows and a 0-D count.
	{"nms", []in{fl(1, 6, 4), fl(1, 6, 2)}, func(n *Recorder, t []Tensor) Layer {
		k := n.AddConstant(Dims{}, Weights{Type: Int32, Count: 1, Values: []byte{3, 0, 0, 0}}).Output(0)
		return n.AddNMS(t[0], t[1], k, nil, nil, NMS{})
	}, []in{i32(DataDependent, 3), i32()}},
	// NonZero: [rank, DataDependent] coordinates.
	{"nonzero", []in{bl(2, 3, 4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddNonZero(t[0], NonZero{IndicesType: Int64})
	}, []in{i64(3, DataDependent)}},
	{"nonzero/default", []in{fl(5)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddNonZero(t[0], NonZero{})
	}, []in{i32(1, DataDependent)}},
	{"cumulative", []in{i64(2, 5)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddCumulative(t[0], Cumulative{Axis: 1, Exclusive: true})
	}, []in{i64(2, 5)}},
}

func TestOutputDims(t *testing.T) {
	kinds := map[LayerType]bool{}
	for _, c := range shapeCases {
		n, l := build(c.ins, c.add)
		if err := n.Err(); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		kinds[LayerDescOf(l).Type] = true
		if l.NbOutputs() != len(c.want) {
			t.Errorf("%s: %d outputs, want %d", c.name, l.NbOutputs(), len(c.want))
			continue
		}
		for i, w := range c.want {
			o := l.Output(i)
			if o.Type() != w.typ || !o.Dimensions().Equal(w.dims) {
				t.Errorf("%s: output %d is %v %v, want %v %v", c.name, i, o.Type(), o.Dimensions(), w.typ, w.dims)
			}
		}
		// The recorded layer passes Validate once its outputs are marked
		// (a data-dependent one too: TensorRT sizes it when it runs).
		for i := 0; i < l.NbOutputs(); i++ {
			n.MarkOutput(l.Output(i))
		}
		if err := Validate(n.Description()); err != nil {
			t.Errorf("%s: Validate: %v", c.name, err)
		}
	}
	for _, k := range controlFlowKinds {
		kinds[k] = true // boundary layers are no network alone: TestControlFlowLayers
	}
	for typ := range layerTypeNames {
		if !kinds[typ] {
			t.Errorf("no output-dims case for %v", typ)
		}
	}
}

// Each case breaks one rule: the Recorder must record an error naming the
// layer (index, kind) and the rule (want is a substring), must not panic,
// and must still return a layer with outputs.
var errCases = []struct {
	name string
	ins  []in
	add  func(n *Recorder, t []Tensor) Layer
	kind LayerType
	want string
}{
	{"conv/kernel-count", []in{fl(1, 3, 8, 8)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddConvolutionNd(t[0], Convolution{NbOutputMaps: 4, KernelSize: Dims{3, 3}, Kernel: zeros(100)})
	}, LayerConvolution, "kernel weights have 100 values, want 108"},
	{"conv/bias-count", []in{fl(1, 3, 8, 8)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddConvolutionNd(t[0], Convolution{NbOutputMaps: 4, KernelSize: Dims{3, 3}, Kernel: zeros(108), Bias: zeros(3)})
	}, LayerConvolution, "bias weights have 3 values, want 0 or NbOutputMaps 4"},
	{"conv/kernel-bytes", []in{fl(1, 3, 8, 8)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddConvolutionNd(t[0], Convolution{NbOutputMaps: 1, KernelSize: Dims{1, 1}, Kernel: Weights{Type: Float, Count: 3, Values: make([]byte, 11)}})
	}, LayerConvolution, "hold 11 bytes, want 12"},
	{"conv/1d", []in{fl(1, 3, 8)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddConvolutionNd(t[0], Convolution{NbOutputMaps: 1, KernelSize: Dims{3}, Kernel: zeros(9)})
	}, LayerConvolution, "only 2D or 3D"},
	{"conv/input-rank", []in{fl(3, 8, 8)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddConvolutionNd(t[0], Convolution{NbOutputMaps: 1, KernelSize: Dims{3, 3}, Kernel: zeros(27)})
	}, LayerConvolution, "has rank 3, want 4"},
	{"conv/groups", []in{fl(1, 3, 8, 8)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddConvolutionNd(t[0], Convolution{NbOutputMaps: 4, NbGroups: 2, KernelSize: Dims{1, 1}, Kernel: zeros(4)})
	}, LayerConvolution, "input channels 3 not divisible by 2 groups"},
	{"conv/int-input", []in{i32(1, 1, 4, 4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddConvolutionNd(t[0], Convolution{NbOutputMaps: 1, KernelSize: Dims{1, 1}, Kernel: zeros(1)})
	}, LayerConvolution, "input has type kINT32"},
	{"conv/too-small", []in{fl(1, 1, 3, 3)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddConvolutionNd(t[0], Convolution{NbOutputMaps: 1, KernelSize: Dims{5, 5}, Kernel: zeros(25)})
	}, LayerConvolution, "output size -1 < 1"},
	{"conv/stride-rank", []in{fl(1, 1, 3, 3)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddConvolutionNd(t[0], Convolution{NbOutputMaps: 1, KernelSize: Dims{1, 1}, Kernel: zeros(1), Stride: Dims{1}})
	}, LayerConvolution, "stride [1] has 1 dimensions, want 2"},
	{"conv/zero-stride", []in{fl(1, 1, 3, 3)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddConvolutionNd(t[0], Convolution{NbOutputMaps: 1, KernelSize: Dims{1, 1}, Kernel: zeros(1), Stride: Dims{0, 1}})
	}, LayerConvolution, "stride [0,1] has a value < 1"},
	{"deconv/kernel-count", []in{fl(1, 2, 4, 4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddDeconvolutionNd(t[0], Deconvolution{NbOutputMaps: 3, KernelSize: Dims{2, 2}, Kernel: zeros(4)})
	}, LayerDeconvolution, "kernel weights have 4 values, want 24"},
	{"deconv/kernel-input-kcrs", []in{fl(1, 4, 3, 3), fl(6, 2, 2, 2)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddDeconvolutionNd(t[0], Deconvolution{NbOutputMaps: 6, NbGroups: 2, KernelSize: Dims{2, 2}, KernelTensor: t[1]})
	}, LayerDeconvolution, "kernel input is kFLOAT [6,2,2,2], want kFLOAT [4,3,2,2] (CKRS)"},
	{"deconv/kernel-twice", []in{fl(1, 2, 3, 3), fl(2, 1, 1, 1)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddDeconvolutionNd(t[0], Deconvolution{NbOutputMaps: 1, KernelSize: Dims{1, 1}, Kernel: zeros(2), KernelTensor: t[1]})
	}, LayerDeconvolution, "kernel given both as weights and as input 1"},
	{"pool/window-rank", []in{fl(1, 1, 4, 4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddPoolingNd(t[0], Pooling{WindowSize: Dims{2}})
	}, LayerPooling, "only 2D or 3D pooling"},
	{"pool/bool", []in{bl(1, 1, 4, 4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddPoolingNd(t[0], Pooling{WindowSize: Dims{2, 2}})
	}, LayerPooling, "input has type kBOOL"},
	{"activation/int-sigmoid", []in{i32(2)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddActivation(t[0], Activation{Type: ActivationSigmoid})
	}, LayerActivation, "input of kSIGMOID has type kINT32"},
	{"activation/unknown", []in{fl(2)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddActivation(t[0], Activation{Type: 99})
	}, LayerActivation, "unknown activation type"},
	{"elementwise/ranks", []in{fl(2, 3), fl(3)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddElementWise(t[0], t[1], ElementWiseSum)
	}, LayerElementWise, "must have equal ranks"},
	{"elementwise/broadcast", []in{fl(2, 3), fl(3, 3)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddElementWise(t[0], t[1], ElementWiseSum)
	}, LayerElementWise, "not broadcast-compatible in dimension 0 (2 vs 3)"},
	{"elementwise/and-float", []in{fl(2), fl(2)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddElementWise(t[0], t[1], ElementWiseAnd)
	}, LayerElementWise, "kAND input1 has type kFLOAT, want kBOOL"},
	{"elementwise/types", []in{fl(2), i32(2)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddElementWise(t[0], t[1], ElementWiseSum)
	}, LayerElementWise, "input types kFLOAT and kINT32 differ"},
	{"elementwise/bool-sum", []in{bl(2), bl(2)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddElementWise(t[0], t[1], ElementWiseSum)
	}, LayerElementWise, "kSUM input1 has type kBOOL"},
	{"unary/not-float", []in{fl(2)}, func(n *Recorder, t []Tensor) Layer { return n.AddUnary(t[0], UnaryNot) },
		LayerUnary, "kNOT input has type kFLOAT, want kBOOL"},
	{"unary/exp-int", []in{i32(2)}, func(n *Recorder, t []Tensor) Layer { return n.AddUnary(t[0], UnaryExp) },
		LayerUnary, "kEXP input has type kINT32"},
	{"unary/neg-int", []in{i32(2)}, func(n *Recorder, t []Tensor) Layer { return n.AddUnary(t[0], UnaryNeg) },
		LayerUnary, "kNEG input has type kINT32"},
	{"reduce/axes-range", []in{fl(2, 3)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddReduce(t[0], Reduce{ReduceAxes: 0b100})
	}, LayerReduce, "names a dimension ≥ rank 2"},
	{"reduce/no-axes", []in{fl(2, 3)}, func(n *Recorder, t []Tensor) Layer { return n.AddReduce(t[0], Reduce{}) },
		LayerReduce, "bitmask is 0"},
	{"reduce/bool", []in{bl(2, 3)}, func(n *Recorder, t []Tensor) Layer { return n.AddReduce(t[0], Reduce{ReduceAxes: 1}) },
		LayerReduce, "input has type kBOOL"},
	{"softmax/two-bits", []in{fl(2, 3)}, func(n *Recorder, t []Tensor) Layer { return n.AddSoftMax(t[0], 0b11) },
		LayerSoftMax, "exactly one bit"},
	{"softmax/range", []in{fl(2, 3)}, func(n *Recorder, t []Tensor) Layer { return n.AddSoftMax(t[0], 0b100) },
		LayerSoftMax, "names a dimension ≥ rank 2"},
	{"topk/k-max", []in{fl(1, 5000)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddTopK(t[0], TopK{K: 3841, ReduceAxes: 0b10})
	}, LayerTopK, "K 3841 outside [1, 3840]"},
	{"topk/k-dim", []in{fl(1, 5)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddTopK(t[0], TopK{K: 6, ReduceAxes: 0b10})
	}, LayerTopK, "K 6 exceeds dimension 1 of size 5"},
	{"topk/last-four", []in{fl(5, 1, 1, 1, 1)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddTopK(t[0], TopK{K: 1, ReduceAxes: 0b1})
	}, LayerTopK, "not one of the last four dimensions"},
	{"topk/indices-type", []in{fl(1, 5)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddTopK(t[0], TopK{K: 1, ReduceAxes: 0b10, IndicesType: Half})
	}, LayerTopK, "indices type has type kHALF"},
	{"shuffle/perm", []in{fl(2, 3)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddShuffle(t[0], Shuffle{FirstTranspose: Permutation{0, 0}})
	}, LayerShuffle, "first transpose [0,0] is not a permutation"},
	{"shuffle/perm-length", []in{fl(2, 3)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddShuffle(t[0], Shuffle{SecondTranspose: Permutation{0, 1, 2}})
	}, LayerShuffle, "second transpose [0,1,2] has 3 entries, want 2"},
	{"shuffle/volume", []in{fl(2, 3)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddShuffle(t[0], Shuffle{ReshapeDimensions: Dims{7}})
	}, LayerShuffle, "(volume 7) do not match input [2,3] (volume 6)"},
	{"shuffle/two-minus-one", []in{fl(2, 3)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddShuffle(t[0], Shuffle{ReshapeDimensions: Dims{-1, -1}})
	}, LayerShuffle, "more than one -1"},
	{"shuffle/indivisible", []in{fl(2, 3)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddShuffle(t[0], Shuffle{ReshapeDimensions: Dims{4, -1}})
	}, LayerShuffle, "do not divide the input volume 6"},
	{"shuffle/placeholder-rank", []in{fl(6)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddShuffle(t[0], Shuffle{ReshapeDimensions: Dims{6, 0}, ZeroIsPlaceholder: true})
	}, LayerShuffle, "placeholder 0 at position 1 beyond input rank 1"},
	{"slice/bounds", []in{fl(4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddSlice(t[0], Slice{Start: Dims{1}, Size: Dims{3}, Stride: Dims{2}})
	}, LayerSlice, "out of bounds in dimension 0: indices 1..5 of size 4"},
	{"slice/lengths", []in{fl(4, 4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddSlice(t[0], Slice{Start: Dims{0}, Size: Dims{1, 1}})
	}, LayerSlice, "start [0] has 1 dimensions, want the input rank 2"},
	{"slice/fill-mode", []in{fl(4), fl()}, func(n *Recorder, t []Tensor) Layer {
		return n.AddSlice(t[0], Slice{Start: Dims{0}, Size: Dims{1}, Mode: SampleWrap, Fill: t[1]})
	}, LayerSlice, "fill value given with mode kWRAP"},
	{"slice/clamp-empty", []in{fl(0)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddSlice(t[0], Slice{Start: Dims{0}, Size: Dims{2}, Mode: SampleClamp})
	}, LayerSlice, "empty dimension 0 must have size 0"},
	{"concat/axis", []in{fl(2), fl(2)}, func(n *Recorder, t []Tensor) Layer { return n.AddConcatenation(t, 1) },
		LayerConcatenation, "axis 1 outside [0, 1)"},
	{"concat/dims", []in{fl(2, 3), fl(2, 4)}, func(n *Recorder, t []Tensor) Layer { return n.AddConcatenation(t, 0) },
		LayerConcatenation, "differ from input 0 [2,3] outside axis 0"},
	{"concat/types", []in{fl(2), i32(2)}, func(n *Recorder, t []Tensor) Layer { return n.AddConcatenation(t, 0) },
		LayerConcatenation, "input 1 has type kINT32, want kFLOAT"},
	{"gather/axis", []in{fl(2, 3), i32(1)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddGather(t[0], t[1], Gather{Axis: 2})
	}, LayerGather, "axis 2 outside [0, 2)"},
	{"gather/float-indices", []in{fl(2, 3), fl(1)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddGather(t[0], t[1], Gather{})
	}, LayerGather, "indices has type kFLOAT"},
	{"gather/element-rank", []in{fl(2, 3), i32(2)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddGather(t[0], t[1], Gather{Mode: GatherElement})
	}, LayerGather, "indices rank 1 differs from data rank 2"},
	{"gather/default-ew-dims", []in{fl(2, 3, 4), i32(2, 1)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddGather(t[0], t[1], Gather{Axis: 2, NbElementWiseDims: 2})
	}, LayerGather, "nbElementWiseDims 2, want 0 or 1"},
	{"matmul/inner", []in{fl(2, 3), fl(4, 5)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddMatrixMultiply(t[0], MatrixNone, t[1], MatrixNone)
	}, LayerMatrixMult, "inner dimensions differ"},
	{"matmul/batch-rank", []in{fl(2, 2, 3), fl(3, 5)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddMatrixMultiply(t[0], MatrixNone, t[1], MatrixNone)
	}, LayerMatrixMult, "batch ranks differ"},
	{"matmul/int", []in{i32(2, 2), i32(2, 2)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddMatrixMultiply(t[0], MatrixNone, t[1], MatrixNone)
	}, LayerMatrixMult, "input0 has type kINT32"},
	{"matmul/rank", []in{fl(3), fl(3, 2)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddMatrixMultiply(t[0], MatrixNone, t[1], MatrixNone)
	}, LayerMatrixMult, "want at least 2 for kNONE"},
	{"einsum/letters", []in{fl(2, 2)}, func(n *Recorder, t []Tensor) Layer { return n.AddEinsum(t, "iJ->i") },
		LayerEinsum, "not a lowercase letter"},
	{"einsum/operands", []in{fl(2, 2)}, func(n *Recorder, t []Tensor) Layer { return n.AddEinsum(t, "ij,jk->ik") },
		LayerEinsum, "has 2 operands, layer has 1 inputs"},
	{"einsum/sizes", []in{fl(2, 3), fl(4, 5)}, func(n *Recorder, t []Tensor) Layer { return n.AddEinsum(t, "ij,jk->ik") },
		LayerEinsum, "subscript 'j' has sizes 3 and 4"},
	{"einsum/rank", []in{fl(2, 3, 4)}, func(n *Recorder, t []Tensor) Layer { return n.AddEinsum(t, "ij->i") },
		LayerEinsum, "operand 0 has 2 subscripts, input has rank 3"},
	{"einsum/int", []in{i32(2)}, func(n *Recorder, t []Tensor) Layer { return n.AddEinsum(t, "i->i") },
		LayerEinsum, "input 0 has type kINT32"},
	{"resize/rank", []in{fl(1, 3, 4, 4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddResize(t[0], Resize{OutputDimensions: Dims{8, 8}})
	}, LayerResize, "want the input rank 4"},
	{"resize/linear-4d", []in{fl(1, 3, 4, 4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddResize(t[0], Resize{OutputDimensions: Dims{2, 3, 8, 8}, ResizeMode: InterpolationLinear})
	}, LayerResize, "only the innermost 3 may be resized"},
	{"resize/int", []in{i32(1, 4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddResize(t[0], Resize{OutputDimensions: Dims{1, 8}})
	}, LayerResize, "input has type kINT32"},
	{"constant/volume", nil, func(n *Recorder, t []Tensor) Layer { return n.AddConstant(Dims{2, 3}, zeros(5)) },
		LayerConstant, "dimensions [2,3] have volume 6, weights have 5 values"},
	{"constant/uint8", nil, func(n *Recorder, t []Tensor) Layer {
		return n.AddConstant(Dims{1}, Weights{Type: Uint8, Count: 1, Values: []byte{1}})
	}, LayerConstant, "kUINT8 are not supported"},
	{"cast/unknown", []in{fl(2)}, func(n *Recorder, t []Tensor) Layer { return n.AddCast(t[0], 42) },
		LayerCast, "unknown cast type DataType(42)"},
	{"select/cond", []in{fl(2), fl(2), fl(2)}, func(n *Recorder, t []Tensor) Layer { return n.AddSelect(t[0], t[1], t[2]) },
		LayerSelect, "condition has type kFLOAT, want kBOOL"},
	{"parametric-relu/int", []in{i32(2, 3), i32(1, 3)}, func(n *Recorder, t []Tensor) Layer { return n.AddParametricReLU(t[0], t[1]) },
		LayerParametricReLU, "input has type kINT32, want kFLOAT or kHALF or kBF16"},
	{"parametric-relu/rank", []in{fl(2, 3), fl(3)}, func(n *Recorder, t []Tensor) Layer { return n.AddParametricReLU(t[0], t[1]) },
		LayerParametricReLU, "equal ranks"},
	{"parametric-relu/bidirectional", []in{fl(1, 3), fl(2, 3)}, func(n *Recorder, t []Tensor) Layer { return n.AddParametricReLU(t[0], t[1]) },
		LayerParametricReLU, "does not broadcast to input"},
	{"parametric-relu/slope-type", []in{fl(2, 3), hf(1, 3)}, func(n *Recorder, t []Tensor) Layer { return n.AddParametricReLU(t[0], t[1]) },
		LayerParametricReLU, "differs from input type"},
	{"select/types", []in{bl(2), fl(2), hf(2)}, func(n *Recorder, t []Tensor) Layer { return n.AddSelect(t[0], t[1], t[2]) },
		LayerSelect, "then type kFLOAT differs from else type kHALF"},
	{"scale/rank", []in{fl(3, 4, 4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddScaleNd(t[0], Scale{Mode: ScaleUniform, ChannelAxis: 0})
	}, LayerScale, "has rank 3, want at least 4"},
	{"scale/count", []in{fl(1, 3, 4, 4)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddScaleNd(t[0], Scale{Mode: ScaleChannel, Scale: zeros(4), ChannelAxis: 1})
	}, LayerScale, "scale weights have 4 values, want 3 for kCHANNEL"},
	{"normalization/groups", []in{fl(1, 6, 2, 2), fl(1, 6, 1, 1), fl(1, 6, 1, 1)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddNormalization(t[0], t[1], t[2], Normalization{Axes: 0b1100, NbGroups: 4})
	}, LayerNormalization, "channels 6 not divisible by 4 groups"},
	{"normalization/group-axes", []in{fl(1, 6, 2, 2), fl(1, 6, 1, 1), fl(1, 6, 1, 1)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddNormalization(t[0], t[1], t[2], Normalization{Axes: 0b1000, NbGroups: 2})
	}, LayerNormalization, "axes must be exactly the dimensions after the channel (0xc)"},
	{"normalization/scale-shape", []in{fl(1, 6, 2, 2), fl(1, 3, 1, 1), fl(1, 3, 1, 1)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddNormalization(t[0], t[1], t[2], Normalization{Axes: 0b1100})
	}, LayerNormalization, "does not broadcast to the input"},
	{"padding/3d", []in{fl(1, 1, 2, 2, 2)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddPaddingNd(t[0], Dims{1, 1, 1}, Dims{1, 1, 1})
	}, LayerPadding, "only 2D padding"},
	{"padding/crop", []in{fl(1, 1, 2, 2)}, func(n *Recorder, t []Tensor) Layer {
		return n.AddPaddingNd(t[0], Dims{-2, 0}, Dims{-1, 0})
	}, LayerPadding, "padded size -1 < 0"},
	{"fill/random-int", nil, func(n *Recorder, t []Tensor) Layer {
		return n.AddFill(Fill{Dimensions: Dims{2}, Operation: FillRandomNormal, ToType: Int32, Beta: 1})
	}, LayerFill, "needs a float output type"},
	{"fill/linspace-rank", nil, func(n *Recorder, t []Tensor) Layer {
		return n.AddFill(Fill{Dimensions: Dims{2, 2}, Operation: FillLinspace, Beta: 1})
	}, LayerFill, "needs 1 dimension"},
	{"foreign-tensor", []in{fl(2)}, func(n *Recorder, t []Tensor) Layer {
		other := NewRecorder().AddInput("x", Float, Dims{2})
		return n.AddElementWise(t[0], other, ElementWiseSum)
	}, LayerElementWise, `input 1 "x" does not belong to this network`},
	{"nil-tensor", []in{fl(2)}, func(n *Recorder, t []Tensor) Layer { return n.AddElementWise(t[0], nil, ElementWiseSum) },
		LayerElementWise, "input 1 is nil"},
}

func TestRuleErrors(t *testing.T) {
	for _, c := range errCases {
		n, l := build(c.ins, c.add)
		err := n.Err()
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		idx := len(n.Description().Layers) - 1
		prefix := "layer " + strconv.Itoa(idx) + ` "` + DefaultLayerName(idx, c.kind) + `" (` + c.kind.String() + "): "
		if !strings.Contains(err.Error(), prefix) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q, want %q and %q", c.name, err, prefix, c.want)
		}
		if !IsLayerError(err, idx) {
			t.Errorf("%s: error is not a LayerError of layer %d", c.name, idx)
		}
		if l == nil || l.NbOutputs() == 0 || l.Output(0) == nil {
			t.Errorf("%s: no usable outputs", c.name)
			continue
		}
		// Builder code continues: the outputs feed further layers without panics.
		n.AddIdentity(l.Output(0))
		// Validate reports the same rule on the recorded Description.
		n.MarkOutput(l.Output(0))
		want := c.want
		if strings.HasPrefix(c.name, "foreign") || strings.HasPrefix(c.name, "nil") {
			// The Description holds a stand-in tensor that no layer produced.
			want = "is neither a network input nor an output of an earlier layer"
		}
		if verr := Validate(n.Description()); verr == nil || !strings.Contains(verr.Error(), want) {
			t.Errorf("%s: Validate = %v, want it to contain %q", c.name, verr, want)
		}
	}
}
