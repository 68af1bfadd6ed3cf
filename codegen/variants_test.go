package codegen_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"math/rand/v2"
	osexec "os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/backend/trt/exec"
	"github.com/tfc-dev/tfc/codegen"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/tensor"
	"github.com/tfc-dev/tfc/tensor/npy"
)

// The variant network: every layer kind of backend/trt, each with the
// parameter variants the lowering (backend/lower) can emit, for
// TestGeneratedBuilders. builderVariants is keyed by layer kind;
// TestBuilderVariantsCover checks it against the layer-kind list and the
// lowering's source, so a new layer kind, enum constant or parameter field
// the lowering starts to use fails until a variant here exercises it.

// vnet is the network under construction with a few inputs of each type.
type vnet struct {
	net trt.Network
	x   trt.Tensor // float [1,4,6,6] (NCHW)
	m   trt.Tensor // float [2,3,5]
	b   trt.Tensor // bool [1,4,6,6]
	i   trt.Tensor // int32 [2,3]
	q   trt.Tensor // float [2,5,5]
	n   int
}

// out names l and marks all its outputs.
func (v *vnet) out(name string, l trt.Layer) {
	v.n++
	name = fmt.Sprintf("%s_%d", name, v.n)
	l.SetName(name)
	for i := range l.NbOutputs() {
		l.Output(i).SetName(fmt.Sprintf("%s:%d", name, i))
		v.net.MarkOutput(l.Output(i))
	}
}

// f32 is n float32 weights, distinct and not symmetric, so a swapped or
// misplaced value changes the weight digest.
func f32(n int) trt.Weights {
	b := make([]byte, 4*n)
	for i := range n {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(float32(math.Sin(float64(i)*1.7+0.3))))
	}
	return trt.Weights{Type: trt.Float, Count: int64(n), Values: b}
}

func i32(vals ...int32) trt.Weights {
	b := make([]byte, 4*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(v))
	}
	return trt.Weights{Type: trt.Int32, Count: int64(len(vals)), Values: b}
}

func (v *vnet) constF32(dims trt.Dims) trt.Tensor {
	n := int64(1)
	for _, d := range dims {
		n *= d
	}
	return v.net.AddConstant(dims, f32(int(n))).Output(0)
}

// enumValues is every value of enum type T, in order.
func enumValues[T ~int32](t *testing.T) []T {
	names, ok := codegen.EnumNames[reflect.TypeFor[T]()]
	if !ok {
		t.Fatalf("no enum names for %v", reflect.TypeFor[T]())
	}
	var vs []T
	for k := range names {
		vs = append(vs, T(k))
	}
	slices.Sort(vs)
	return vs
}

var builderVariants = map[trt.LayerType]func(t *testing.T, v *vnet){
	// A loop (three iterations of tanh, a counter against a limit) adds
	// the Recurrence, TripLimit and LoopOutput kinds, a conditional (exp
	// or the input) the Condition, ConditionalInput and ConditionalOutput
	// kinds.
	trt.LayerRecurrence: func(t *testing.T, v *vnet) {
		loop := v.net.AddLoop("variant_loop")
		ri := loop.AddRecurrence(v.net.AddConstant(trt.Dims{}, i32(0)).Output(0))
		rx := loop.AddRecurrence(v.m)
		less := v.net.AddElementWise(ri.Output(0), v.net.AddConstant(trt.Dims{}, i32(3)).Output(0), trt.ElementWiseLess)
		loop.AddTripLimit(less.Output(0), trt.TripLimitWhile).SetName("variant_trip_limit")
		loop.SetRecurrenceNext(ri, v.net.AddElementWise(ri.Output(0), v.net.AddConstant(trt.Dims{}, i32(1)).Output(0), trt.ElementWiseSum).Output(0))
		loop.SetRecurrenceNext(rx, v.net.AddActivation(rx.Output(0), trt.Activation{Type: trt.ActivationTanh}).Output(0))
		v.out("loop_output", loop.AddLoopOutput(rx.Output(0), trt.LoopOutputLastValue, 0))
		// A counted loop: two iterations of tanh.
		counted := v.net.AddLoop("variant_counted_loop")
		counted.AddTripLimit(v.net.AddConstant(trt.Dims{}, i32(2)).Output(0), trt.TripLimitCount).SetName("variant_count")
		rc := counted.AddRecurrence(v.m)
		counted.SetRecurrenceNext(rc, v.net.AddActivation(rc.Output(0), trt.Activation{Type: trt.ActivationTanh}).Output(0))
		v.out("counted_output", counted.AddLoopOutput(rc.Output(0), trt.LoopOutputLastValue, 0))
	},
	trt.LayerTripLimit:  func(t *testing.T, v *vnet) {}, // in the LayerRecurrence variant
	trt.LayerLoopOutput: func(t *testing.T, v *vnet) {}, // likewise
	trt.LayerCondition: func(t *testing.T, v *vnet) {
		c := v.net.AddIfConditional("variant_if")
		c.SetCondition(v.net.AddCast(v.net.AddConstant(trt.Dims{}, i32(1)).Output(0), trt.Bool).Output(0)).SetName("variant_condition")
		in := c.AddInput(v.m)
		v.out("if_output", c.AddOutput(v.net.AddUnary(in.Output(0), trt.UnaryExp).Output(0), in.Output(0)))
	},
	trt.LayerConditionalInput:  func(t *testing.T, v *vnet) {}, // in the LayerCondition variant
	trt.LayerConditionalOutput: func(t *testing.T, v *vnet) {}, // likewise
	trt.LayerConvolution: func(t *testing.T, v *vnet) {
		v.out("conv", v.net.AddConvolutionNd(v.x, trt.Convolution{NbOutputMaps: 3, KernelSize: trt.Dims{3, 2},
			Kernel: f32(3 * 4 * 3 * 2), Bias: f32(3), Stride: trt.Dims{2, 1}, PrePadding: trt.Dims{0, 1},
			PostPadding: trt.Dims{1, 2}, PaddingMode: trt.PaddingExplicitRoundDown, Dilation: trt.Dims{1, 2}}))
		k := v.net.AddUnary(v.constF32(trt.Dims{2, 4, 3, 3}), trt.UnaryNeg).Output(0)
		v.out("conv_kernel_tensor", v.net.AddConvolutionNd(v.x, trt.Convolution{NbOutputMaps: 2, KernelSize: trt.Dims{3, 3},
			Kernel: trt.Weights{}, PrePadding: trt.Dims{1, 0}, PostPadding: trt.Dims{1, 0}, KernelTensor: k}))
		v.out("conv_grouped", v.net.AddConvolutionNd(v.x, trt.Convolution{NbOutputMaps: 4, KernelSize: trt.Dims{3, 3},
			Kernel: f32(4 * 1 * 9), NbGroups: 4, PrePadding: trt.Dims{1, 1}, PostPadding: trt.Dims{1, 1}}))
		kernel := v.net.AddActivation(v.net.AddConstant(trt.Dims{2, 4, 3, 3}, f32(2*4*9)).Output(0),
			trt.Activation{Type: trt.ActivationTanh}).Output(0)
		v.out("conv_kernel_input", v.net.AddConvolutionNd(v.x, trt.Convolution{NbOutputMaps: 2, KernelSize: trt.Dims{3, 3},
			KernelTensor: kernel}))
	},
	trt.LayerDeconvolution: func(t *testing.T, v *vnet) {
		v.out("deconv", v.net.AddDeconvolutionNd(v.x, trt.Deconvolution{NbOutputMaps: 2, KernelSize: trt.Dims{3, 3},
			Kernel: f32(4 * 2 * 9), Bias: f32(2), Stride: trt.Dims{2, 2}, PrePadding: trt.Dims{0, 1},
			PostPadding: trt.Dims{1, 0}, Dilation: trt.Dims{1, 1}}))
		v.out("deconv_grouped", v.net.AddDeconvolutionNd(v.x, trt.Deconvolution{NbOutputMaps: 4, KernelSize: trt.Dims{2, 2},
			Kernel: f32(4 * 1 * 4), NbGroups: 4, Stride: trt.Dims{2, 2}}))
		// The kernel as input 1, CKRS: C × K/G × kernel = 4 × 3/1 × 2 × 2.
		k := v.net.AddUnary(v.constF32(trt.Dims{4, 3, 2, 2}), trt.UnaryNeg).Output(0)
		v.out("deconv_kernel_input", v.net.AddDeconvolutionNd(v.x, trt.Deconvolution{NbOutputMaps: 3, KernelSize: trt.Dims{2, 2},
			Stride: trt.Dims{2, 2}, KernelTensor: k}))
	},
	trt.LayerActivation: func(t *testing.T, v *vnet) {
		for _, a := range enumValues[trt.ActivationType](t) {
			v.out("act", v.net.AddActivation(v.x, trt.Activation{Type: a, Alpha: 0.25, Beta: 1.5}))
		}
	},
	trt.LayerPooling: func(t *testing.T, v *vnet) {
		v.out("maxpool", v.net.AddPoolingNd(v.x, trt.Pooling{Type: trt.PoolingMax, WindowSize: trt.Dims{3, 4},
			Stride: trt.Dims{2, 1}, PrePadding: trt.Dims{0, 1}, PostPadding: trt.Dims{1, 2}}))
		v.out("avgpool_excl", v.net.AddPoolingNd(v.x, trt.Pooling{Type: trt.PoolingAverage, WindowSize: trt.Dims{3, 3},
			Stride: trt.Dims{2, 2}, PrePadding: trt.Dims{1, 0}, PostPadding: trt.Dims{0, 1}, AverageCountExcludesPadding: true}))
		v.out("avgpool_incl", v.net.AddPoolingNd(v.x, trt.Pooling{Type: trt.PoolingAverage, WindowSize: trt.Dims{2, 2},
			Stride: trt.Dims{2, 2}, PaddingMode: trt.PaddingExplicitRoundDown}))
	},
	trt.LayerElementWise: func(t *testing.T, v *vnet) {
		for _, op := range enumValues[trt.ElementWiseOperation](t) {
			a, b := v.x, v.constF32(trt.Dims{1, 4, 1, 1})
			switch op {
			case trt.ElementWiseAnd, trt.ElementWiseOr, trt.ElementWiseXor:
				a, b = v.b, v.net.AddElementWise(v.x, b, trt.ElementWiseGreater).Output(0)
			}
			v.out("elementwise", v.net.AddElementWise(a, b, op))
		}
	},
	trt.LayerUnary: func(t *testing.T, v *vnet) {
		for _, op := range enumValues[trt.UnaryOperation](t) {
			in := v.x
			if op == trt.UnaryNot {
				in = v.b
			}
			v.out("unary", v.net.AddUnary(in, op))
		}
	},
	trt.LayerReduce: func(t *testing.T, v *vnet) {
		for i, op := range enumValues[trt.ReduceOperation](t) {
			v.out("reduce", v.net.AddReduce(v.x, trt.Reduce{Operation: op, ReduceAxes: 1<<2 | 1<<3, KeepDimensions: i%2 == 0}))
		}
	},
	trt.LayerSoftMax: func(t *testing.T, v *vnet) {
		for axis := range 4 {
			v.out("softmax", v.net.AddSoftMax(v.x, 1<<axis))
		}
	},
	trt.LayerTopK: func(t *testing.T, v *vnet) {
		v.out("topk_max", v.net.AddTopK(v.m, trt.TopK{Operation: trt.TopKMax, K: 2, ReduceAxes: 1 << 2, IndicesType: trt.Int32}))
		v.out("topk_min", v.net.AddTopK(v.m, trt.TopK{Operation: trt.TopKMin, K: 3, ReduceAxes: 1 << 1, IndicesType: trt.Int64}))
	},
	trt.LayerShuffle: func(t *testing.T, v *vnet) {
		v.out("shuffle", v.net.AddShuffle(v.m, trt.Shuffle{FirstTranspose: trt.Permutation{2, 0, 1},
			ReshapeDimensions: trt.Dims{5, 6}, SecondTranspose: trt.Permutation{1, 0}}))
		v.out("shuffle_placeholder", v.net.AddShuffle(v.m, trt.Shuffle{ReshapeDimensions: trt.Dims{0, 15}, ZeroIsPlaceholder: true}))
		// Reshape dimensions from a shape tensor: [2, 3*5] from the shape of m.
		s := v.net.AddShape(v.m).Output(0)
		head := v.net.AddSlice(s, trt.Slice{Start: trt.Dims{0}, Size: trt.Dims{1}, Stride: trt.Dims{1}}).Output(0)
		tail := v.net.AddReduce(v.net.AddSlice(s, trt.Slice{Start: trt.Dims{1}, Size: trt.Dims{2}, Stride: trt.Dims{1}}).Output(0),
			trt.Reduce{Operation: trt.ReduceProd, ReduceAxes: 1, KeepDimensions: true}).Output(0)
		dims := v.net.AddConcatenation([]trt.Tensor{head, tail}, 0).Output(0)
		v.out("shuffle_tensor", v.net.AddShuffle(v.m, trt.Shuffle{ReshapeTensor: dims}))
	},
	trt.LayerSlice: func(t *testing.T, v *vnet) {
		for _, mode := range enumValues[trt.SampleMode](t) {
			p := trt.Slice{Start: trt.Dims{0, 0, 1, 0}, Size: trt.Dims{1, 2, 3, 3}, Stride: trt.Dims{1, 2, 1, 2}, Mode: mode}
			if mode != trt.SampleStrictBounds {
				p.Start = trt.Dims{0, 1, -2, 5}
				p.Size = trt.Dims{1, 4, 9, 3}
				p.Stride = trt.Dims{1, 1, 1, -1}
			}
			if mode == trt.SampleFill {
				p.Fill = v.net.AddConstant(trt.Dims{}, f32(1)).Output(0)
			}
			v.out("slice", v.net.AddSlice(v.x, p))
		}
		// A broadcast: stride 0 along a dimension of 1, size from a shape tensor.
		size := v.net.AddConstant(trt.Dims{3}, i32(4, 3, 5)).Output(0)
		one := v.net.AddSlice(v.m, trt.Slice{Start: trt.Dims{0, 0, 0}, Size: trt.Dims{1, 3, 5}, Stride: trt.Dims{1, 1, 1}}).Output(0)
		v.out("slice_size_tensor", v.net.AddSlice(one, trt.Slice{Start: trt.Dims{0, 0, 0}, Stride: trt.Dims{0, 1, 1}, SizeTensor: size}))
	},
	trt.LayerConcatenation: func(t *testing.T, v *vnet) {
		v.out("concat", v.net.AddConcatenation([]trt.Tensor{v.x, v.x, v.constF32(trt.Dims{1, 4, 6, 2})}, 3))
	},
	trt.LayerGather: func(t *testing.T, v *vnet) {
		idx := v.net.AddConstant(trt.Dims{2}, i32(3, 0)).Output(0)
		v.out("gather", v.net.AddGather(v.x, idx, trt.Gather{Axis: 1, Mode: trt.GatherDefault}))
		nd := v.net.AddConstant(trt.Dims{2, 2}, i32(1, 2, 0, 4)).Output(0)
		v.out("gather_nd", v.net.AddGather(v.m, nd, trt.Gather{Mode: trt.GatherND}))
		el := v.net.AddConstant(trt.Dims{2, 1, 5}, i32(0, 2, 1, 0, 2, 1, 1, 0, 2, 2)).Output(0)
		v.out("gather_elements", v.net.AddGather(v.m, el, trt.Gather{Axis: 1, Mode: trt.GatherElement}))
		b := v.net.AddConstant(trt.Dims{2, 2}, i32(4, 0, 1, 3)).Output(0)
		v.out("gather_batched", v.net.AddGather(v.m, b, trt.Gather{Axis: 2, NbElementWiseDims: 1}))
	},
	trt.LayerMatrixMult: func(t *testing.T, v *vnet) {
		// Both operands' flags, in every combination (codegen must not
		// mix them up), and a vector operand.
		sq := v.constF32(trt.Dims{2, 5, 5})
		for _, a := range []trt.MatrixOperation{trt.MatrixNone, trt.MatrixTranspose} {
			for _, b := range []trt.MatrixOperation{trt.MatrixNone, trt.MatrixTranspose} {
				v.out("matmul", v.net.AddMatrixMultiply(sq, a, v.q, b))
			}
		}
		vec := v.constF32(trt.Dims{2, 5})
		v.out("matvec", v.net.AddMatrixMultiply(v.m, trt.MatrixNone, vec, trt.MatrixVector))
	},
	trt.LayerEinsum: func(t *testing.T, v *vnet) {
		w := v.constF32(trt.Dims{5, 7})
		v.out("einsum", v.net.AddEinsum([]trt.Tensor{v.m, w}, "abc,cd->abd"))
	},
	trt.LayerResize: func(t *testing.T, v *vnet) {
		// Output dimensions from a shape tensor: m's shape with its last dimension doubled.
		two := v.net.AddConstant(trt.Dims{3}, trt.Weights{Type: trt.Int64, Count: 3, Values: []byte{1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0}}).Output(0)
		outDims := v.net.AddElementWise(v.net.AddShape(v.m).Output(0), two, trt.ElementWiseProd).Output(0)
		v.out("resize_output_tensor", v.net.AddResize(v.m, trt.Resize{ResizeMode: trt.InterpolationLinear, OutputTensor: outDims}))
		for _, m := range enumValues[trt.InterpolationMode](t) {
			for _, c := range enumValues[trt.ResizeCoordinateTransformation](t) {
				p := trt.Resize{OutputDimensions: trt.Dims{1, 4, 9, 12}, ResizeMode: m, CoordinateTransformation: c}
				switch m {
				case trt.InterpolationNearest:
					for _, r := range enumValues[trt.ResizeRoundMode](t) {
						p.NearestRounding = r
						v.out("resize", v.net.AddResize(v.x, p))
					}
					continue
				case trt.InterpolationCubic:
					p.CubicCoeff = -0.5
					p.ExcludeOutside = true
				}
				for _, s := range enumValues[trt.ResizeSelector](t) {
					p.SelectorForSinglePixel = s
					v.out("resize", v.net.AddResize(v.x, p))
				}
			}
		}
	},
	trt.LayerConstant: func(t *testing.T, v *vnet) {
		v.out("constant", v.net.AddConstant(trt.Dims{3, 2}, f32(6)))
		v.out("constant_i32", v.net.AddConstant(trt.Dims{3}, i32(7, -1, 2)))
		v.out("constant_big", v.net.AddConstant(trt.Dims{64, 64}, f32(64*64)))
	},
	trt.LayerIdentity: func(t *testing.T, v *vnet) {
		v.out("identity", v.net.AddIdentity(v.x))
	},
	trt.LayerCast: func(t *testing.T, v *vnet) {
		for _, to := range []trt.DataType{trt.Float, trt.Half, trt.Int32, trt.Int64, trt.Bool} {
			v.out("cast", v.net.AddCast(v.x, to))
		}
		// (.npy has no bfloat16: back to float for the output)
		v.out("cast_bf16", v.net.AddCast(v.net.AddCast(v.x, trt.BF16).Output(0), trt.Float))
		v.out("cast_bool", v.net.AddCast(v.b, trt.Float))
		v.out("cast_int", v.net.AddCast(v.i, trt.Float))
	},
	trt.LayerQuantize: func(t *testing.T, v *vnet) {
		s := v.net.AddConstant(trt.Dims{}, f32(1)).Output(0)
		v.out("quantize", v.net.AddQuantize(v.x, s, trt.Quantize{ToType: trt.Int8}))
		w := v.constF32(trt.Dims{3, 2})
		ws := v.net.AddConstant(trt.Dims{2}, f32(2)).Output(0)
		v.out("quantize_axis", v.net.AddQuantize(w, ws, trt.Quantize{Axis: 1, ToType: trt.Int8}))
	},
	trt.LayerDequantize: func(t *testing.T, v *vnet) {
		s := v.net.AddConstant(trt.Dims{}, f32(1)).Output(0)
		q := v.net.AddQuantize(v.x, s, trt.Quantize{ToType: trt.Int8}).Output(0)
		v.out("dequantize", v.net.AddDequantize(q, s, trt.Dequantize{ToType: trt.Float}))
		w := v.constF32(trt.Dims{3, 2})
		ws := v.net.AddConstant(trt.Dims{2}, f32(2)).Output(0)
		wq := v.net.AddQuantize(w, ws, trt.Quantize{Axis: 1, ToType: trt.Int8}).Output(0)
		v.out("dequantize_axis", v.net.AddDequantize(wq, ws, trt.Dequantize{Axis: 1, ToType: trt.Half}))
		q8 := v.net.AddQuantize(v.x, s, trt.Quantize{ToType: trt.FP8}).Output(0)
		v.out("dequantize_fp8", v.net.AddDequantize(q8, s, trt.Dequantize{ToType: trt.Float}))
	},
	trt.LayerParametricReLU: func(t *testing.T, v *vnet) {
		v.out("prelu", v.net.AddParametricReLU(v.x, v.constF32(trt.Dims{1, 4, 1, 1})))
	},
	trt.LayerSelect: func(t *testing.T, v *vnet) {
		v.out("select", v.net.AddSelect(v.b, v.x, v.constF32(trt.Dims{1, 4, 1, 1})))
	},
	trt.LayerScale: func(t *testing.T, v *vnet) {
		v.out("scale_uniform", v.net.AddScaleNd(v.x, trt.Scale{Mode: trt.ScaleUniform, Shift: f32(1), Scale: f32(1), Power: f32(1), ChannelAxis: 1}))
		v.out("scale_channel", v.net.AddScaleNd(v.x, trt.Scale{Mode: trt.ScaleChannel, Shift: f32(4), Scale: f32(4), ChannelAxis: 1}))
		v.out("scale_elementwise", v.net.AddScaleNd(v.x, trt.Scale{Mode: trt.ScaleElementwise, Scale: f32(4 * 36), ChannelAxis: 1}))
	},
	trt.LayerNormalization: func(t *testing.T, v *vnet) {
		g, b := v.constF32(trt.Dims{1, 4, 1, 1}), v.constF32(trt.Dims{1, 4, 1, 1})
		v.out("instnorm", v.net.AddNormalization(v.x, g, b, trt.Normalization{Epsilon: 1e-5, Axes: 1<<2 | 1<<3}))
		v.out("groupnorm", v.net.AddNormalization(v.x, g, b, trt.Normalization{Epsilon: 1e-3, Axes: 1<<2 | 1<<3, NbGroups: 2}))
		g3, b3 := v.constF32(trt.Dims{1, 1, 5}), v.constF32(trt.Dims{1, 1, 5})
		v.out("layernorm", v.net.AddNormalization(v.m, g3, b3, trt.Normalization{Epsilon: 1e-6, Axes: 1 << 2}))
	},
	trt.LayerPadding: func(t *testing.T, v *vnet) {
		v.out("padding", v.net.AddPaddingNd(v.x, trt.Dims{1, 0}, trt.Dims{2, -1}))
	},
	trt.LayerFill: func(t *testing.T, v *vnet) {
		v.out("linspace", v.net.AddFill(trt.Fill{Dimensions: trt.Dims{6}, Operation: trt.FillLinspace, ToType: trt.Float, Alpha: 1.5, Beta: -0.25}))
		v.out("linspace_int", v.net.AddFill(trt.Fill{Dimensions: trt.Dims{4}, Operation: trt.FillLinspace, ToType: trt.Int32, Alpha: 3, Beta: 2}))
		// Dimensions from a shape tensor: a range as long as m's last dimension.
		last := v.net.AddSlice(v.net.AddShape(v.m).Output(0), trt.Slice{Start: trt.Dims{2}, Size: trt.Dims{1}, Stride: trt.Dims{1}}).Output(0)
		v.out("linspace_dims_tensor", v.net.AddFill(trt.Fill{Operation: trt.FillLinspace, ToType: trt.Int64, Alpha: 1, Beta: 3, DimensionsTensor: last}))
	},
	trt.LayerShape: func(t *testing.T, v *vnet) {
		v.out("shape", v.net.AddShape(v.m))
	},
	trt.LayerScatter: func(t *testing.T, v *vnet) {
		rows := v.net.AddConstant(trt.Dims{1, 1}, i32(1)).Output(0)
		upd := v.constF32(trt.Dims{1, 3, 5})
		v.out("scatter_nd", v.net.AddScatter(v.m, rows, upd, trt.Scatter{Mode: trt.ScatterND}))
		el := v.net.AddConstant(trt.Dims{2, 1, 5}, i32(0, 2, 1, 0, 2, 1, 1, 0, 2, 2)).Output(0)
		upd2 := v.constF32(trt.Dims{2, 1, 5})
		v.out("scatter_elements", v.net.AddScatter(v.m, el, upd2, trt.Scatter{Mode: trt.ScatterElement, Axis: 1}))
	},
	trt.LayerNMS: func(t *testing.T, v *vnet) {
		// v.m as scores [batch 2, 3 boxes, 5 classes]; the selected rows
		// have a data-dependent count, so they are sliced to a fixed 8 rows
		// before being marked (output 1, the count, is marked as it is).
		limit := v.net.AddConstant(trt.Dims{}, i32(2)).Output(0)
		iou := v.net.AddConstant(trt.Dims{}, f32(1)).Output(0) // sin(0.3) ≈ 0.3
		score := v.net.AddConstant(trt.Dims{}, trt.Weights{Type: trt.Float, Count: 1, Values: []byte{0, 0, 0, 0}}).Output(0)
		for _, c := range []struct {
			name       string
			boxes      trt.Tensor
			iou, score trt.Tensor
			p          trt.NMS
		}{
			{"nms", v.constF32(trt.Dims{2, 3, 4}), iou, score, trt.NMS{BoundingBoxFormat: trt.BoxCornerPairs, TopKBoxLimit: trt.NMSTopKLimit, IndicesType: trt.Int32}},
			{"nms_per_class", v.constF32(trt.Dims{2, 3, 5, 4}), nil, nil, trt.NMS{BoundingBoxFormat: trt.BoxCornerPairs, TopKBoxLimit: 7, IndicesType: trt.Int64}},
		} {
			l := v.net.AddNMS(c.boxes, v.m, limit, c.iou, c.score, c.p)
			l.SetName(c.name)
			v.out(c.name+"_rows", v.net.AddSlice(l.Output(0), trt.Slice{Start: trt.Dims{0, 0}, Size: trt.Dims{8, 3}, Stride: trt.Dims{1, 1}, Mode: trt.SampleFill}))
			v.out(c.name+"_count", v.net.AddIdentity(l.Output(1)))
		}
	},
	trt.LayerNonZero: func(t *testing.T, v *vnet) {
		// Data-dependent outputs: [rank, count] of either index type.
		v.out("nonzero_bool", v.net.AddNonZero(v.b, trt.NonZero{IndicesType: trt.Int64}))
		v.out("nonzero_float", v.net.AddNonZero(v.m, trt.NonZero{IndicesType: trt.Int32}))
	},
	trt.LayerCumulative: func(t *testing.T, v *vnet) {
		for _, excl := range []bool{false, true} {
			for _, rev := range []bool{false, true} {
				v.out("cumsum", v.net.AddCumulative(v.m, trt.Cumulative{Axis: 2, Operation: trt.CumulativeSum, Exclusive: excl, Reverse: rev}))
			}
		}
	},
}

// layerKinds is every layer kind backend/trt names.
func layerKinds() []trt.LayerType {
	var ks []trt.LayerType
	for k := trt.LayerType(0); k < 256; k++ {
		if !strings.HasPrefix(k.String(), "LayerType(") {
			ks = append(ks, k)
		}
	}
	return ks
}

// variantNetwork records the variant network of every kind.
func variantNetwork(t *testing.T) *trt.Description {
	t.Helper()
	net := trt.NewRecorder()
	v := &vnet{net: net}
	v.x = net.AddInput("x", trt.Float, trt.Dims{1, 4, 6, 6})
	v.m = net.AddInput("m", trt.Float, trt.Dims{2, 3, 5})
	v.b = net.AddInput("b", trt.Bool, trt.Dims{1, 4, 6, 6})
	v.i = net.AddInput("i", trt.Int32, trt.Dims{2, 3})
	v.q = net.AddInput("q", trt.Float, trt.Dims{2, 5, 5})
	for _, k := range layerKinds() {
		add, ok := builderVariants[k]
		if !ok {
			t.Errorf("layer kind %v has no entry in builderVariants (codegen/variants_test.go)", k)
			continue
		}
		add(t, v)
	}
	if err := net.Err(); err != nil {
		t.Fatalf("variant network: %v", err)
	}
	if err := trt.Validate(net.Description()); err != nil {
		t.Fatalf("variant network: %v", err)
	}
	return net.Description()
}

// loweringUses parses backend/lower and returns the trt identifiers it
// names (trt.X) and, per parameter struct, the fields its composite
// literals set.
func loweringUses(t *testing.T) (idents map[string]bool, fields map[string]map[string]bool) {
	t.Helper()
	files, err := filepath.Glob("../backend/lower/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no lowering sources: %v", err)
	}
	idents, fields = map[string]bool{}, map[string]map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if id, ok := n.X.(*ast.Ident); ok && id.Name == "trt" {
					idents[n.Sel.Name] = true
				}
			case *ast.CompositeLit:
				sel, ok := n.Type.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "trt" {
					return true
				}
				for _, e := range n.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						if k, ok := kv.Key.(*ast.Ident); ok {
							if fields[sel.Sel.Name] == nil {
								fields[sel.Sel.Name] = map[string]bool{}
							}
							fields[sel.Sel.Name][k.Name] = true
						}
					}
				}
			}
			return true
		})
	}
	return idents, fields
}

// TestBuilderVariantsCover: the variant network has every layer kind, every
// enum constant the lowering names, every parameter field the lowering sets
// with a non-zero value (the generated code omits zero fields, so only a
// non-zero one tests its emission), and matrix multiplies with every
// combination of operand flags on both sides.
func TestBuilderVariantsCover(t *testing.T) {
	d := variantNetwork(t)
	kinds := map[trt.LayerType]bool{}
	enums := map[string]bool{}   // enum constant names present
	nonZero := map[string]bool{} // "Type.Field" set non-zero somewhere
	mm := map[[2]trt.MatrixOperation]bool{}
	params := map[string]reflect.Type{} // parameter structs by name
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		if names, ok := codegen.EnumNames[v.Type()]; ok {
			if n, ok := names[v.Int()]; ok {
				enums[n] = true
			}
			return
		}
		if v.Kind() == reflect.Struct {
			for i := range v.NumField() {
				if v.Field(i).CanInterface() {
					walk(v.Field(i))
				}
			}
		}
	}
	for _, in := range d.Inputs {
		walk(reflect.ValueOf(in.Type))
	}
	for _, l := range d.Layers {
		kinds[l.Type] = true
		for _, o := range l.Outputs {
			walk(reflect.ValueOf(o.Type))
		}
		p := reflect.ValueOf(l.Params)
		params[p.Type().Name()] = p.Type()
		walk(p)
		for i := range p.NumField() {
			if !p.Field(i).IsZero() {
				nonZero[p.Type().Name()+"."+p.Type().Field(i).Name] = true
			}
		}
		// Tensor-valued parameters are the layer's input 1 in a Description.
		if l.Type == trt.LayerSlice && len(l.Inputs) > 1 && l.Inputs[1] != nil {
			nonZero["Slice.Fill"] = true
		}
		if l.Type == trt.LayerResize && len(l.Inputs) > 1 && l.Inputs[1] != nil {
			nonZero["Resize.OutputTensor"] = true
		}
		if l.Type == trt.LayerFill && len(l.Inputs) > 0 && l.Inputs[0] != nil {
			nonZero["Fill.DimensionsTensor"] = true
		}
		if l.Type == trt.LayerSlice && len(l.Inputs) > 2 && l.Inputs[2] != nil {
			nonZero["Slice.SizeTensor"] = true
		}
		if l.Type == trt.LayerShuffle && len(l.Inputs) > 1 && l.Inputs[1] != nil {
			nonZero["Shuffle.ReshapeTensor"] = true
		}
		if l.Type == trt.LayerConvolution && len(l.Inputs) > 1 && l.Inputs[1] != nil {
			nonZero["Convolution.KernelTensor"] = true // the description keeps the kernel tensor as input 1
		}
		if l.Type == trt.LayerDeconvolution && len(l.Inputs) > 1 && l.Inputs[1] != nil {
			nonZero["Deconvolution.KernelTensor"] = true
		}
		if m, ok := l.Params.(trt.MatrixMultiply); ok {
			mm[[2]trt.MatrixOperation{m.Op0, m.Op1}] = true
		}
	}
	for _, k := range layerKinds() {
		if !kinds[k] {
			t.Errorf("the variant network has no %v layer", k)
		}
	}
	idents, fields := loweringUses(t)
	all := map[string]bool{}
	for _, names := range codegen.EnumNames {
		for _, n := range names {
			all[n] = true
		}
	}
	for id := range idents {
		if all[id] && !enums[id] {
			t.Errorf("the lowering emits trt.%s; no layer of the variant network uses it", id)
		}
	}
	for typ, fs := range fields {
		for f := range fs {
			if pt, ok := params[typ]; ok && !nonZero[typ+"."+f] && !zeroEnumOnly(pt, f, idents) {
				t.Errorf("the lowering sets trt.%s{%s: ...}; no layer of the variant network sets it non-zero", typ, f)
			}
		}
	}
	for _, a := range []trt.MatrixOperation{trt.MatrixNone, trt.MatrixTranspose} {
		for _, b := range []trt.MatrixOperation{trt.MatrixNone, trt.MatrixTranspose} {
			if !mm[[2]trt.MatrixOperation{a, b}] {
				t.Errorf("no matrix multiply with operand flags %v, %v", a, b)
			}
		}
	}
}

// zeroEnumOnly reports whether field f of the parameter struct typ is an
// enum of which the lowering names only the zero value (so the field is
// always zero in a lowered network, e.g. Cumulative.Operation, CumulativeSum).
func zeroEnumOnly(typ reflect.Type, f string, idents map[string]bool) bool {
	sf, ok := typ.FieldByName(f)
	if !ok {
		return false
	}
	names, ok := codegen.EnumNames[sf.Type]
	if !ok {
		return false
	}
	for v, n := range names {
		if v != 0 && idents[n] {
			return false
		}
	}
	return true
}

// testVariantBuilder generates, builds and runs the builder of the variant
// network in the child module mod.
func testVariantBuilder(t *testing.T, mod string) {
	d := variantNetwork(t)
	res, err := codegen.Generate(d, codegen.Options{Source: "variants", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	bin, weights := buildChild(t, mod, res)
	inDir, outDir := t.TempDir(), t.TempDir()
	rng := rand.New(rand.NewPCG(3, 4))
	inputs := map[string]*tensor.Tensor{}
	args := []string{weights, outDir}
	for _, in := range d.Inputs {
		shape := make(tensor.Shape, len(in.Dims))
		for i, x := range in.Dims {
			shape[i] = int(x)
		}
		var x *tensor.Tensor
		switch in.Type {
		case trt.Float:
			vals := make([]float32, shape.Size())
			for i := range vals {
				vals[i] = float32(rng.NormFloat64())
			}
			x = tensor.FromF32(shape, vals)
		case trt.Int32:
			vals := make([]int32, shape.Size())
			for i := range vals {
				vals[i] = int32(rng.IntN(9)) - 4
			}
			x = tensor.FromI32(shape, vals)
		case trt.Bool:
			vals := make([]bool, shape.Size())
			for i := range vals {
				vals[i] = rng.IntN(2) == 0
			}
			x = tensor.FromBool(shape, vals)
		default:
			t.Fatalf("input %s: type %v", in.Name, in.Type)
		}
		inputs[in.Name] = x
		file := filepath.Join(inDir, in.Name+".npy")
		if err := npy.WriteFile(file, x); err != nil {
			t.Fatal(err)
		}
		args = append(args, in.Name+"="+file)
	}
	var stdout, stderr bytes.Buffer
	run := osexec.Command(bin, args...)
	run.Stdout, run.Stderr = &stdout, &stderr
	if err := run.Run(); err != nil {
		t.Fatalf("generated builder: %v\n%s", err, stderr.String())
	}
	var got any
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(jsonOf(t, d), got); diff != "" {
		t.Fatalf("generated builder's network differs from the recorded one (-recorded +generated):\n%s", diff)
	}
	want, err := exec.Run(d, inputs)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		g, err := npy.ReadFile(filepath.Join(outDir, fmt.Sprint(i)+".npy"))
		if err != nil {
			t.Fatal(err)
		}
		diff, err := golden.Compare(g, w, 0, 0)
		if err == nil && diff.Bad > 0 {
			err = fmt.Errorf("%d elements differ (max abs %g)", diff.Bad, diff.MaxAbs)
		}
		if err != nil {
			t.Errorf("output %s: %v", d.Outputs[i].Name, err)
		}
	}
}
