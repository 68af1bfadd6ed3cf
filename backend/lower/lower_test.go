package lower_test

import (
	"errors"
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/backend/lower"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/backend/trt/exec"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
)

// parse reads a Func from IR text and verifies it.
func parse(t *testing.T, src string) *ir.Func {
	t.Helper()
	f, err := ir.Parse("test", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, src)
	}
	if err := ir.Verify(f); err != nil {
		t.Fatalf("verify: %v\n%s", err, src)
	}
	return f
}

// randomInputs fills every input of f: floats in [-3, 3), integers in
// [-10, 10], bools at random.
func randomInputs(f *ir.Func, seed int64) map[string]*tensor.Tensor {
	rng := rand.New(rand.NewSource(seed))
	in := map[string]*tensor.Tensor{}
	for _, op := range f.Inputs() {
		typ := op.Result().Type
		x := tensor.MustNew(typ.DType, typ.Shape)
		for i := range x.Len() {
			switch x.DType.Storage() {
			case tensor.StoreF32:
				x.F32[i] = float32(rng.Float64()*6 - 3)
			case tensor.StoreI32:
				x.I32[i] = int32(rng.Intn(21) - 10)
			case tensor.StoreI64:
				x.I64[i] = int64(rng.Intn(21) - 10)
			case tensor.StoreBool:
				x.B[i] = rng.Intn(2) == 1
			}
		}
		x.RoundToDType()
		in[op.Str("name")] = x
	}
	return in
}

// lowerIR makes f canonical (the required passes alone), lowers it into a
// Recorder and validates the network.
func lowerIR(t *testing.T, f *ir.Func) *trt.Description {
	t.Helper()
	if _, err := passes.Run(f, passes.Options{Passes: passes.Required(), VerifyEach: true}); err != nil {
		t.Fatalf("required passes: %v", err)
	}
	rec := trt.NewRecorder()
	if err := lower.Lower(f, rec); err != nil {
		t.Fatalf("lower: %v", err)
	}
	d := rec.Description()
	if err := trt.Validate(d); err != nil {
		t.Fatalf("validate: %v", err)
	}
	return d
}

// matchInterp lowers f, runs the network with the reference executor and
// compares every output with the IR interpreter's (the IR's semantics).
func matchInterp(t *testing.T, f *ir.Func, in map[string]*tensor.Tensor, rtol, atol float64) *trt.Description {
	t.Helper()
	d := lowerIR(t, f)
	want, err := interp.Run(f, in)
	if err != nil {
		t.Fatalf("interp: %v", err)
	}
	got, err := exec.Run(d, in)
	if err != nil {
		t.Fatalf("exec: %v", err)
	}
	for i := range want {
		if d.Outputs[i].Name != f.Outputs[i].Name {
			t.Errorf("output %d named %q, want %q", i, d.Outputs[i].Name, f.Outputs[i].Name)
		}
		diff, err := golden.Compare(got[i], want[i], rtol, atol)
		if err != nil {
			t.Errorf("output %s: %v", f.Outputs[i].Name, err)
			continue
		}
		if diff.Bad > 0 {
			t.Errorf("output %s: %d of %d elements differ, first at %d: got %v, want %v",
				f.Outputs[i].Name, diff.Bad, want[i].Len(), diff.FirstBad, got[i].Float64At(diff.FirstBad), want[i].Float64At(diff.FirstBad))
		}
	}
	return d
}

// kinds lists a Description's layer kinds in order, space-separated.
func kinds(d *trt.Description) string {
	var s []string
	for _, l := range d.Layers {
		s = append(s, l.Type.String())
	}
	return strings.Join(s, " ")
}

// TestOpsMatchInterpreter lowers small functions exercising every rule,
// including the compositions no TensorFlow case reaches, and checks the
// network against the interpreter and the exact layer sequence.
func TestOpsMatchInterpreter(t *testing.T) {
	for _, tc := range opTests {
		t.Run(tc.name, func(t *testing.T) {
			f := parse(t, tc.src)
			in := randomInputs(f, 1)
			if tc.set != nil {
				tc.set(in)
			}
			d := matchInterp(t, f, in, tc.tol, tc.tol)
			if got := kinds(d); got != tc.layers {
				t.Errorf("layers:\n got %s\nwant %s", got, tc.layers)
			}
		})
	}
}

// TestOpsMatchInterpreterReduced runs the float cases of
// TestOpsMatchInterpreter with every f32 turned into f16 and into bf16.
// TensorRT stores each layer's result in the layer's type, so where the
// lowering composes an IR op from several layers the network rounds more
// often than the interpreter (which rounds once per IR op): the tolerance
// is a few units in the last place of the type, no more.
func TestOpsMatchInterpreterReduced(t *testing.T) {
	for _, dt := range []tensor.DType{tensor.Float16, tensor.BFloat16} {
		tol := 4 * math.Pow(2, -11) // f16: 10 fraction bits
		if dt == tensor.BFloat16 {
			tol = 4 * math.Pow(2, -8)
		}
		for _, tc := range opTests {
			if !strings.Contains(tc.src, "f32") {
				continue
			}
			t.Run(dt.String()+"/"+tc.name, func(t *testing.T) {
				src := strings.ReplaceAll(tc.src, "f32", dt.String())
				f, err := ir.Parse("test", []byte(src))
				if err != nil {
					t.Fatalf("parse: %v", err)
				}
				if err := ir.Verify(f); err != nil {
					t.Fatalf("verify: %v", err)
				}
				in := randomInputs(f, 1)
				if tc.set != nil {
					for name, x := range in {
						in[name], _ = kernels.Cast(x, tensor.Float32)
					}
					tc.set(in)
					for _, op := range f.Inputs() {
						name := op.Str("name")
						in[name], _ = kernels.Cast(in[name], op.Result().Type.DType)
					}
				}
				matchInterp(t, f, in, tol, tol)
			})
		}
	}
}

// opTests are small functions exercising every lowering rule, with the
// layer kinds each must produce.
var opTests = []struct {
	name   string
	src    string
	layers string // expected layer kinds, in order
	tol    float64
	// set, if not nil, adjusts the random inputs.
	set func(in map[string]*tensor.Tensor)
}{
	{name: "add_rank_expand", src: `func @f {
  %0 = input {name="x:0"} : f32[2,3,4]
  %1 = input {name="y:0"} : f32[4]
  %2 = add(%0, %1) : f32[2,3,4]
  return "z:0" = %2
}`, layers: "Shuffle ElementWise"},
	{name: "add_const_rank", src: `func @f {
  %0 = input {name="x:0"} : f32[2,3]
  %1 = const {value=dense<[1.5]>} : f32[]
  %2 = mul(%0, %1) : f32[2,3]
  return "z:0" = %2
}`, layers: "Constant ElementWise"},
	{name: "div_floor_div_floor_mod_int", src: `func @f {
  %0 = input {name="x:0"} : i32[3,4]
  %1 = input {name="y:0"} : i32[3,4]
  %2 = div(%0, %1) : i32[3,4]
  %3 = floor_div(%0, %1) : i32[3,4]
  %4 = floor_mod(%0, %1) : i32[3,4]
  return "d:0" = %2, "f:0" = %3, "m:0" = %4
}`, layers: "ElementWise ElementWise ElementWise ElementWise ElementWise", set: nonZero("y:0")},
	{name: "floor_mod_f32", src: `func @f {
  %0 = input {name="x:0"} : f32[3,4]
  %1 = input {name="y:0"} : f32[3,4]
  %2 = floor_mod(%0, %1) : f32[3,4]
  return "m:0" = %2
}`, layers: "ElementWise ElementWise ElementWise", tol: 1e-5, set: nonZero("y:0")},
	{name: "pow_int", src: `func @f {
  %0 = input {name="x:0"} : i64[5]
  %1 = const {value=dense<[5]>} : i64[]
  %2 = pow(%0, %1) : i64[5]
  %3 = const {value=dense<[0, 0, 0, 0, 0]>} : i64[5]
  %4 = pow(%0, %3) : i64[5]
  %5 = const {value=dense<[1]>} : i64[1]
  %6 = pow(%0, %5) : i64[5]
  %7 = const {value=dense<[2]>} : i64[]
  %8 = pow(%0, %7) : i64[5]
  return "p5:0" = %2, "p0:0" = %4, "p1:0" = %6, "p2:0" = %8
}`, layers: "ElementWise ElementWise ElementWise Constant Slice ElementWise Identity"},
	{name: "compare_nan", src: `func @f {
  %0 = input {name="x:0"} : f32[6]
  %1 = input {name="y:0"} : f32[6]
  %2 = less_equal(%0, %1) : bool[6]
  %3 = greater_equal(%0, %1) : bool[6]
  %4 = not_equal(%0, %1) : bool[6]
  %5 = equal(%0, %1) : bool[6]
  return "le:0" = %2, "ge:0" = %3, "ne:0" = %4, "eq:0" = %5
}`, layers: "ElementWise ElementWise ElementWise ElementWise ElementWise ElementWise ElementWise Unary ElementWise", set: func(in map[string]*tensor.Tensor) {
		copy(in["x:0"].F32, []float32{1, 2, float32(math.NaN()), 3, float32(math.NaN()), float32(math.Inf(1))})
		copy(in["y:0"].F32, []float32{1, 1, 0, float32(math.NaN()), float32(math.NaN()), float32(math.Inf(1))})
	}},
	{name: "compare_int_bool", src: `func @f {
  %0 = input {name="x:0"} : i32[8]
  %1 = input {name="y:0"} : i32[8]
  %2 = less_equal(%0, %1) : bool[8]
  %3 = greater_equal(%0, %1) : bool[8]
  %4 = input {name="a:0"} : bool[8]
  %5 = input {name="b:0"} : bool[8]
  %6 = equal(%4, %5) : bool[8]
  %7 = not_equal(%4, %5) : bool[8]
  return "le:0" = %2, "ge:0" = %3, "eq:0" = %6, "ne:0" = %7
}`, layers: "ElementWise Unary ElementWise Unary ElementWise Unary ElementWise"},
	{name: "select_ranks", src: `func @f {
  %0 = input {name="c:0"} : bool[3]
  %1 = input {name="x:0"} : f32[2,3]
  %2 = const {value=dense<[0]>} : f32[]
  %3 = select(%0, %1, %2) : f32[2,3]
  return "z:0" = %3
}`, layers: "Shuffle Constant Select"},
	{name: "unary_compositions", src: `func @f {
  %0 = input {name="x:0"} : f32[2,5]
  %1 = expm1(%0) : f32[2,5]
  %2 = log1p(%0) : f32[2,5]
  %3 = erfc(%0) : f32[2,5]
  %4 = rsqrt(%0) : f32[2,5]
  %5 = neg(%0) : f32[2,5]
  %6 = round(%0) : f32[2,5]
  return "a:0" = %1, "b:0" = %2, "c:0" = %3, "d:0" = %4, "e:0" = %5, "f:0" = %6
}`, layers: "Unary Constant ElementWise Constant ElementWise Unary Unary Constant ElementWise Unary Unary Unary Unary", tol: 1e-6, set: func(in map[string]*tensor.Tensor) {
		for i, x := range in["x:0"].F32 {
			in["x:0"].F32[i] = float32(math.Abs(float64(x))) + 0.1 // log1p, rsqrt domains
		}
		in["x:0"].F32[3] = 2.5 // a tie for round
	}},
	{name: "neg_abs_sign_int", src: `func @f {
  %0 = input {name="x:0"} : i64[2,5]
  %1 = neg(%0) : i64[2,5]
  %2 = abs(%0) : i64[2,5]
  %3 = sign(%0) : i64[2,5]
  return "a:0" = %1, "b:0" = %2, "c:0" = %3
}`, layers: "Constant ElementWise Unary Unary"},
	{name: "activations", src: `func @f {
  %0 = input {name="x:0"} : f32[2,8]
  %1 = selu(%0) {alpha=1.6732632, gamma=1.050701} : f32[2,8]
  %2 = softplus(%0) : f32[2,8]
  %3 = clamp(%0) {min=-1, max=2} : f32[2,8]
  %4 = hard_sigmoid(%0) {alpha=0.2, beta=0.5} : f32[2,8]
  %5 = leaky_relu(%0) {alpha=0.1} : f32[2,8]
  %6 = elu(%0) {alpha=0.7} : f32[2,8]
  %7 = gelu(%0) {approximate="tanh"} : f32[2,8]
  %8 = softsign(%0) : f32[2,8]
  return "a:0" = %1, "b:0" = %2, "c:0" = %3, "d:0" = %4, "e:0" = %5, "f:0" = %6, "g:0" = %7, "h:0" = %8
}`, layers: "Activation Activation Activation Activation Activation Activation Activation Activation", tol: 1e-6},
	{name: "matmul_int", src: `func @f {
  %0 = input {name="a:0"} : i32[2,1,4,3]
  %1 = input {name="b:0"} : i32[5,4]
  %2 = matmul(%0, %1) {transpose_a=true, transpose_b=true} : i32[2,1,3,5]
  return "c:0" = %2
}`, layers: "Shuffle Shuffle ElementWise Reduce"},
	{name: "matmul_f32_bcast", src: `func @f {
  %0 = input {name="a:0"} : f32[2,3,4]
  %1 = input {name="b:0"} : f32[4,5]
  %2 = matmul(%0, %1) {transpose_a=false, transpose_b=false} : f32[2,3,5]
  return "c:0" = %2
}`, layers: "Shuffle MatrixMultiply", tol: 1e-5},
	{name: "einsum_upper_f16", src: `func @f {
  %0 = input {name="a:0"} : f16[2,3]
  %1 = input {name="b:0"} : f16[3,4]
  %2 = einsum(%0, %1) {equation="Ij,jK->K"} : f16[4]
  return "c:0" = %2
}`, layers: "Einsum", tol: 2e-3},
	{name: "einsum_matmul_f16", src: `func @f {
  %0 = input {name="a:0"} : f16[2,3]
  %1 = input {name="b:0"} : f16[3,4]
  %2 = einsum(%0, %1) {equation="Ij,jK->IK"} : f16[2,4]
  return "c:0" = %2
}`, layers: "Shuffle Shuffle MatrixMultiply Shuffle", tol: 2e-3},
	{name: "einsum_matmul_batch_transposed", src: `func @f {
  %0 = input {name="a:0"} : f32[2,5,3,4]
  %1 = input {name="b:0"} : f32[2,6,3,4]
  %2 = einsum(%0, %1) {equation="btnh,bsnh->bnts"} : f32[2,3,5,6]
  return "c:0" = %2
}`, layers: "Shuffle Shuffle MatrixMultiply Shuffle", tol: 1e-5},
	{name: "einsum_matmul_outer", src: `func @f {
  %0 = input {name="a:0"} : f32[3]
  %1 = input {name="b:0"} : f32[0,4]
  %2 = einsum(%0, %1) {equation="i,jk->kji"} : f32[4,0,3]
  return "c:0" = %2
}`, layers: "Shuffle Shuffle MatrixMultiply Shuffle", tol: 1e-5},
	{name: "conv1d", src: `func @f {
  %0 = input {name="x:0"} : f32[2,4,9]
  %1 = const {value=dense<[1, -1, 0.5, 2, 0, 1, -2, 1, 0.25, 1, 1, -1, 0.5, 0.5, 2, -1, 1, 0, 1, 2, -1, 1, 0.5, -0.5]>} : f32[2,4,3]
  %2 = const {value=dense<[0.5, -1]>} : f32[2]
  %3 = conv(%0, %1, %2) {strides=[2], dilations=[1], pads=[1,2], groups=1} : f32[2,2,5]
  return "y:0" = %3
}`, layers: "Shuffle Convolution Shuffle", tol: 1e-5},
	{name: "conv_transpose_negative_pads", src: `func @f {
  %0 = input {name="x:0"} : f32[1,2,3,3]
  %1 = const {value=dense<[1, -1, 0.5, 2, 0, 1, -2, 1, 0.25, 1, 1, -1, 0.5, 0.5, 2, -1]>} : f32[2,2,2,2]
  %2 = const {value=dense<[0.5, -1]>} : f32[2]
  %3 = conv_transpose(%0, %1, %2) {strides=[2,2], dilations=[1,1], pads=[-1,0,1,-3], groups=1} : f32[1,2,6,9]
  return "y:0" = %3
}`, layers: "Slice Deconvolution", tol: 1e-5},
	{name: "conv_transpose_1d", src: `func @f {
  %0 = input {name="x:0"} : f32[1,2,4]
  %1 = const {value=dense<[1, -1, 0.5, 2, 0, 1, -2, 1, 0.25, 1, 1, -1]>} : f32[2,2,3]
  %2 = conv_transpose(%0, %1) {strides=[2], dilations=[1], pads=[1,-2], groups=1} : f32[1,2,10]
  return "y:0" = %2
}`, layers: "Shuffle Slice Deconvolution Shuffle", tol: 1e-5},
	{name: "weights_from_constant_expression", src: `func @f {
  %0 = input {name="x:0"} : f32[1,3,3,2]
  %1 = const {value=dense<[1, -1, 0.5, 2, 0, 1, -2, 1, 0.25, 1, 1, -1, 0.5, 0.5, 2, -1]>} : f32[2,2,2,2]
  %2 = transpose(%1) {perm=[3,2,0,1]} : f32[2,2,2,2]
  %3 = transpose(%0) {perm=[0,3,1,2]} : f32[1,2,3,3]
  %4 = conv(%3, %2) {strides=[1,1], dilations=[1,1], pads=[0,0,0,0], groups=1} : f32[1,2,2,2]
  return "y:0" = %4
}`, layers: "Shuffle Convolution", tol: 1e-5},
	{name: "pool1d", src: `func @f {
  %0 = input {name="x:0"} : f32[2,3,7]
  %1 = pool(%0) {kind="avg", window=[3], strides=[2], pads=[1,1], count_include_pad=false} : f32[2,3,4]
  return "y:0" = %1
}`, layers: "Shuffle Pooling Shuffle", tol: 1e-6},
	{name: "reduce_int_mean_all_any", src: `func @f {
  %0 = input {name="x:0"} : i32[3,4]
  %1 = reduce(%0) {kind="mean", axes=[1], keep_dims=false} : i32[3]
  %2 = input {name="b:0"} : bool[3,4]
  %3 = reduce(%2) {kind="all", axes=[0,1], keep_dims=true} : bool[1,1]
  %4 = reduce(%2) {kind="any", axes=[1], keep_dims=false} : bool[3]
  %5 = reduce(%0) {kind="sum", axes=[], keep_dims=false} : i32[3,4]
  return "m:0" = %1, "all:0" = %3, "any:0" = %4, "id:0" = %5
}`, layers: "Reduce Constant ElementWise Cast Reduce Cast Cast Reduce Cast Identity"},
	{name: "argmax_argmin", src: `func @f {
  %0 = input {name="x:0"} : f32[2,3,5]
  %1 = argmax(%0) {axis=2, keep_dims=false, index_type=i64} : i64[2,3]
  %2 = argmin(%0) {axis=1, keep_dims=true, index_type=i32} : i32[2,1,5]
  return "a:0" = %1, "b:0" = %2
}`, layers: "TopK Shuffle TopK"},
	{name: "topk_argmax_rank6", src: `func @f {
  %0 = input {name="x:0"} : f32[4,2,1,3,2,2]
  %1, %2 = topk(%0) {axis=0, k=2} : f32[2,2,1,3,2,2], i32[2,2,1,3,2,2]
  %3 = argmax(%0) {axis=1, keep_dims=false, index_type=i32} : i32[4,1,3,2,2]
  return "v:0" = %1, "i:0" = %2, "a:0" = %3
}`, layers: "Shuffle TopK Shuffle Shuffle Shuffle TopK Shuffle"},
	{name: "softmax_log_softmax", src: `func @f {
  %0 = input {name="x:0"} : f32[2,6]
  %1 = softmax(%0) {axis=1} : f32[2,6]
  %2 = log_softmax(%0) {axis=0} : f32[2,6]
  return "s:0" = %1, "l:0" = %2
}`, layers: "SoftMax Reduce ElementWise Unary Reduce Unary ElementWise", tol: 1e-6},
	{name: "pads", src: `func @f {
  %0 = input {name="x:0"} : f32[3,4]
  %1 = pad(%0) {mode="constant", pads=[1,0,2,3], value=-2.5} : f32[6,7]
  %2 = pad(%0) {mode="reflect", pads=[2,1,1,3], value=0} : f32[6,8]
  %3 = pad(%0) {mode="edge", pads=[0,2,3,1], value=0} : f32[6,7]
  %4 = pad(%0) {mode="symmetric", pads=[3,1,2,4], value=0} : f32[8,9]
  %5 = pad(%0) {mode="constant", pads=[1,1,1,1], value=0} : f32[5,6]
  return "c:0" = %1, "r:0" = %2, "e:0" = %3, "s:0" = %4, "z:0" = %5
}`, layers: "Constant Slice Slice Slice Constant Gather Constant Gather Slice"},
	{name: "pad_int_bool", src: `func @f {
  %0 = input {name="x:0"} : i64[3]
  %1 = pad(%0) {mode="constant", pads=[2,1], value=7} : i64[6]
  %2 = input {name="b:0"} : bool[2,2]
  %3 = pad(%2) {mode="constant", pads=[0,1,1,0], value=1} : bool[3,3]
  return "i:0" = %1, "bp:0" = %3
}`, layers: "Constant Slice Constant Cast Slice"},
	{name: "tile_broadcast_slice", src: `func @f {
  %0 = input {name="x:0"} : f32[2,1,3]
  %1 = tile(%0) {multiples=[2,3,1]} : f32[4,3,3]
  %2 = broadcast(%0) {shape=[4,2,5,3]} : f32[4,2,5,3]
  %3 = broadcast(%0) {shape=[1,2,1,3]} : f32[1,2,1,3]
  %4 = slice(%0) {start=[1,0,2], size=[1,1,2], stride=[-1,1,-2]} : f32[1,1,2]
  return "t:0" = %1, "b:0" = %2, "r:0" = %3, "s:0" = %4
}`, layers: "Slice Shuffle Slice Slice"},
	{name: "reduce_keepdims_reshape", src: `func @f {
  %0 = input {name="x:0"} : f32[2,3,4]
  %1 = reduce(%0) {kind="mean", axes=[1,2], keep_dims=true} : f32[2,1,1]
  %2 = reshape(%1) {shape=[2]} : f32[2]
  %3 = input {name="i:0"} : i32[2,3,4]
  %4 = reduce(%3) {kind="mean", axes=[0], keep_dims=true} : i32[1,3,4]
  %5 = reshape(%4) {shape=[3,4]} : i32[3,4]
  %6 = reduce(%0) {kind="max", axes=[2], keep_dims=true} : f32[2,3,1]
  %7 = reshape(%6) {shape=[3,2]} : f32[3,2]
  %8 = reduce(%0) {kind="sum", axes=[2], keep_dims=true} : f32[2,3,1]
  %9 = reshape(%8) {shape=[2,3]} : f32[2,3]
  %10 = transpose(%9) {perm=[1,0]} : f32[3,2]
  return "m:0" = %2, "im:0" = %5, "xm:0" = %7, "t:0" = %10
}`, layers: "Reduce Reduce Constant ElementWise Reduce Shuffle Reduce Shuffle", tol: 1e-6},
	{name: "shuffle_fusion", src: `func @f {
  %0 = input {name="x:0"} : f32[2,3,4]
  %1 = transpose(%0) {perm=[2,0,1]} : f32[4,2,3]
  %2 = reshape(%1) {shape=[8,3]} : f32[8,3]
  %3 = transpose(%2) {perm=[1,0]} : f32[3,8]
  %4 = reshape(%3) {shape=[24]} : f32[24]
  %5 = reshape(%0) {shape=[6,4]} : f32[6,4]
  %6 = transpose(%5) {perm=[1,0]} : f32[4,6]
  %7 = reshape(%6) {shape=[2,12]} : f32[2,12]
  return "a:0" = %4, "b:0" = %7
}`, layers: "Shuffle Shuffle Shuffle Shuffle"},
	{name: "gather_batch_dims", src: `func @f {
  %0 = input {name="x:0"} : f32[2,3,5,4]
  %1 = const {value=dense<[0, 4, 1, 2, 3, 3, 0, 0, 1, 4, 2, 2]>} : i32[2,3,2]
  %2 = gather(%0, %1) {axis=2, batch_dims=2} : f32[2,3,2,4]
  %3 = const {value=dense<[1, 0, 2]>} : i64[3]
  %4 = gather(%0, %3) {axis=1, batch_dims=0} : f32[2,3,5,4]
  %5 = const {value=dense<[0, 2, 1, 1]>} : i32[2,2]
  %6 = gather(%0, %5) {axis=1, batch_dims=1} : f32[2,2,5,4]
  return "g2:0" = %2, "g0:0" = %4, "g1:0" = %6
}`, layers: "Shuffle Constant Gather Shuffle Constant Gather Constant Gather"},
	{name: "resize_nearest_coords", src: `func @f {
  %0 = input {name="x:0"} : f32[1,2,5,7]
  %1 = resize(%0) {mode="nearest", coord="tf_half_pixel_for_nn", nearest_rounding="floor", shape=[1,2,8,3]} : f32[1,2,8,3]
  %2 = resize(%0) {mode="nearest", coord="half_pixel", nearest_rounding="round_prefer_ceil", shape=[1,2,9,4]} : f32[1,2,9,4]
  %3 = resize(%0) {mode="nearest", coord="align_corners", nearest_rounding="round_prefer_floor", shape=[1,2,1,11]} : f32[1,2,1,11]
  %4 = resize(%0) {mode="nearest", coord="asymmetric", nearest_rounding="ceil", shape=[1,2,3,13]} : f32[1,2,3,13]
  %5 = resize(%0) {mode="linear", coord="half_pixel", nearest_rounding="floor", shape=[1,2,3,13]} : f32[1,2,3,13]
  %6 = resize(%0) {mode="linear", coord="align_corners", nearest_rounding="floor", shape=[1,2,1,13]} : f32[1,2,1,13]
  return "a:0" = %1, "b:0" = %2, "c:0" = %3, "d:0" = %4, "e:0" = %5, "f:0" = %6
}`, layers: "Resize Resize Resize Resize Resize Resize", tol: 1e-5},
	{name: "resize_nearest_int_bool", src: `func @f {
  %0 = input {name="x:0"} : i64[1,5,7,2]
  %1 = resize(%0) {mode="nearest", coord="tf_half_pixel_for_nn", nearest_rounding="floor", shape=[1,8,3,2]} : i64[1,8,3,2]
  %2 = input {name="b:0"} : bool[3,4]
  %3 = resize(%2) {mode="nearest", coord="align_corners", nearest_rounding="round_prefer_ceil", shape=[1,9]} : bool[1,9]
  %4 = resize(%2) {mode="nearest", coord="asymmetric", nearest_rounding="floor", shape=[3,4]} : bool[3,4]
  return "a:0" = %1, "b2:0" = %3, "c:0" = %4
}`, layers: "Constant Gather Constant Gather Constant Gather Constant Gather Identity"},
	{name: "outputs_shared", src: `func @f {
  %0 = input {name="x:0"} : f32[2]
  %1 = relu(%0) : f32[2]
  %2 = const {value=dense<[1, 2]>} : f32[2]
  %3 = cast(%0) {to=f32} : f32[2]
  return "r:0" = %1, "r2:0" = %1, "c:0" = %2, "x_out:0" = %0, "cast:0" = %3
}`, layers: "Activation Identity Constant Identity Identity"},
	{name: "cast_concat", src: `func @f {
  %0 = input {name="x:0"} : f32[2,2]
  %1 = cast(%0) {to=i32} : i32[2,2]
  %2 = cast(%0) {to=bool} : bool[2,2]
  %3 = cast(%2) {to=i64} : i64[2,2]
  %4 = cast(%1) {to=i64} : i64[2,2]
  %5 = concat(%3, %4, %3) {axis=1} : i64[2,6]
  %6 = concat(%0) {axis=0} : f32[2,2]
  return "c:0" = %5, "d:0" = %6
}`, layers: "Cast Cast Cast Cast Concatenation Identity"},
}

// nonZero replaces zeros of an integer or float input by 1.
func nonZero(name string) func(map[string]*tensor.Tensor) {
	return func(in map[string]*tensor.Tensor) {
		x := in[name]
		for i := range x.Len() {
			if x.Float64At(i) == 0 {
				switch x.DType.Storage() {
				case tensor.StoreF32:
					x.F32[i] = 1
				case tensor.StoreI32:
					x.I32[i] = 1
				case tensor.StoreI64:
					x.I64[i] = 1
				}
			}
		}
	}
}

// TestUnsupportedReportsAll checks that every unlowerable op is reported
// at once, grouped by opcode and reason with counts and locations, and
// that nothing is added to the network.
func TestUnsupportedReportsAll(t *testing.T) {
	f := parse(t, `func @f {
  %0 = input {name="x:0"} : f32[1,2,2,2,2,2]
  %1 = input {name="w:0"} : f32[2,2,1,1,1,1]
  %2 = conv_transpose(%0, %1) {strides=[1,1,1,1], dilations=[1,1,1,1], pads=[0,0,0,0,0,0,0,0], groups=1} : f32[1,2,2,2,2,2] loc("conv_a")
  %3 = conv_transpose(%2, %1) {strides=[1,1,1,1], dilations=[1,1,1,1], pads=[0,0,0,0,0,0,0,0], groups=1} : f32[1,2,2,2,2,2] loc("conv_b")
  %4 = input {name="i:0"} : i32[3,4]
  %5 = input {name="j:0"} : i32[4,2]
  %6 = einsum(%4, %5) {equation="ij,jk->ik"} : i32[3,2] loc("ein")
  %9 = input {name="v:0"} : f32[1,1,2,2,2,2]
  %7 = pool(%9) {kind="max", window=[1,1,1,1], strides=[1,1,1,1], pads=[0,0,0,0,0,0,0,0], count_include_pad=false} : f32[1,1,2,2,2,2] loc("pool4d")
  %8 = relu(%3) : f32[1,2,2,2,2,2] loc("fine")
  return "y:0" = %8, "e:0" = %6, "p:0" = %7
}`)
	rec := trt.NewRecorder()
	err := lower.Lower(f, rec)
	var u *lower.UnsupportedError
	if !errors.As(err, &u) {
		t.Fatalf("Lower: %v, want an *UnsupportedError", err)
	}
	if n := len(rec.Description().Layers) + len(rec.Description().Inputs); n != 0 {
		t.Errorf("the network has %d inputs and layers, want none", n)
	}
	if len(u.Ops) != 3 {
		t.Fatalf("%d groups, want 3: %v", len(u.Ops), err)
	}
	want := []struct {
		opcode string
		locs   []string
		reason string
	}{
		{"conv_transpose", []string{"conv_a", "conv_b"}, "4-D convolution (TensorRT convolves 2-D and 3-D"},
		{"einsum", []string{"ein"}, "integer einsum"},
		{"pool", []string{"pool4d"}, "4-D pooling"},
	}
	for i, w := range want {
		g := u.Ops[i]
		if g.Opcode != w.opcode || strings.Join(g.Locs, ",") != strings.Join(w.locs, ",") || !strings.Contains(g.Reason, w.reason) {
			t.Errorf("group %d = %+v, want %s %v %q", i, g, w.opcode, w.locs, w.reason)
		}
	}
	msg := err.Error()
	for _, s := range []string{"4 IR ops cannot be lowered", `conv_transpose (2 ops: "conv_a", "conv_b")`, `einsum (1 op: "ein")`, `pool (1 op: "pool4d")`} {
		if !strings.Contains(msg, s) {
			t.Errorf("message lacks %q:\n%s", s, msg)
		}
	}
	if err2 := lower.Check(f); err2 == nil || err2.Error() != msg {
		t.Errorf("Check = %v, want the same report", err2)
	}
}

// TestUnsupportedOther covers the remaining reasons an op is refused,
// non-canonical IR among them.
func TestUnsupportedOther(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`func @f {
  %0 = input {name="x:0"} : f32[1,2,3,3]
  %1 = const {value=dense<[1, -2, 0.5, 3]>} : f32[1,1,2,2]
  %2 = transpose(%1) {perm=[3,2,0,1]} : f32[2,2,1,1]
  %3 = conv(%0, %2) {strides=[1,1], dilations=[1,1], pads=[0,0,0,0], groups=1} : f32[1,2,3,3] loc("conv")
  return "y:0" = %3
}`, `conv (1 op: "conv"): operand 1 is a constant expression (transpose), not a constant: the IR is not canonical`},
		{`func @f {
  %0 = const {value=dense<[0, 2]>} : i32[2,1]
  %1 = neg(%0) : i32[2,1]
  %2 = input {name="u:0"} : f32[2]
  %3 = scatter_nd(%1, %2) {shape=[4]} : f32[4] loc("scatter")
  return "y:0" = %3
}`, `scatter_nd (1 op: "scatter"): operand 0 is a constant expression (neg), not a constant`},
		{`func @f {
  %0 = input {name="x:0"} : f32[4000]
  %1, %2 = topk(%0) {axis=0, k=3841} : f32[3841], i32[3841]
  return "v:0" = %1
}`, "k=3841 exceeds TensorRT's TopK limit 3840"},
		{`func @f {
  %0 = input {name="x:0"} : f32[2,3,4,4]
  %1 = resize(%0) {mode="linear", coord="half_pixel", nearest_rounding="floor", shape=[4,3,4,4]} : f32[4,3,4,4]
  return "v:0" = %1
}`, "linear resize of dimension 0 of 4"},
		{`func @f {
  %0 = input {name="x:0"} : f32[1,1,2,2,2,2]
  %1 = pool(%0) {kind="max", window=[1,1,1,1], strides=[1,1,1,1], pads=[0,0,0,0,0,0,0,0], count_include_pad=false} : f32[1,1,2,2,2,2]
  return "v:0" = %1
}`, "4-D pooling"},
		{`func @f {
  %0 = input {name="x:0"} : f32[2]
  %1 = const {value=dense<elided>} : f32[20]
  %2 = reduce(%1) {kind="sum", axes=[0], keep_dims=true} : f32[1]
  %3 = add(%0, %2) : f32[2]
  return "v:0" = %3
}`, "constant data was elided"},
	} {
		f := parse(t, tc.src)
		err := lower.Lower(f, trt.NewRecorder())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Lower = %v, want an error containing %q", err, tc.want)
		}
	}
}

// TestLayerNames checks that layers are named after the IR op's Loc,
// helper layers with a suffix, repeats made unique with #n, ops without a
// Loc after their opcode and position; and that network inputs and
// outputs carry the TensorFlow tensor names.
func TestLayerNames(t *testing.T) {
	f := parse(t, `func @f {
  %0 = input {name="x:0"} : f32[1,3,4,4]
  %1 = transpose(%0) {perm=[0,2,3,1]} : f32[1,4,4,3] loc("conv1/Conv2D")
  %2 = transpose(%1) {perm=[0,3,1,2]} : f32[1,3,4,4] loc("conv1/Conv2D")
  %3 = const {value=dense<[1, 2, 3, 4, 5, 6]>} : f32[2,3,1,1] loc("conv1/kernel")
  %4 = conv(%2, %3) {strides=[1,1], dilations=[1,1], pads=[0,0,0,0], groups=1} : f32[1,2,4,4] loc("conv1/Conv2D")
  %5 = rsqrt(%4) : f32[1,2,4,4] loc("bn/Rsqrt")
  %6 = relu(%5) : f32[1,2,4,4]
  %7 = const {value=dense<[2]>} : f32[] loc("two")
  %8 = mul(%6, %7) : f32[1,2,4,4] loc("scale")
  return "out:0" = %8, "relu:0" = %6
}`)
	d := lowerIR(t, f)
	var names []string
	for _, l := range d.Layers {
		names = append(names, l.Name)
	}
	want := []string{"conv1/Conv2D", "conv1/Conv2D#2", "conv1/Conv2D#3", "bn/Rsqrt/sqrt", "bn/Rsqrt", "relu@6", "two", "scale"}
	if strings.Join(names, " | ") != strings.Join(want, " | ") {
		t.Errorf("layer names:\n got %q\nwant %q", names, want)
	}
	if d.Inputs[0].Name != "x:0" {
		t.Errorf("input named %q, want x:0", d.Inputs[0].Name)
	}
	if d.Outputs[0].Name != "out:0" || d.Outputs[1].Name != "relu:0" {
		t.Errorf("outputs named %q, %q, want out:0, relu:0", d.Outputs[0].Name, d.Outputs[1].Name)
	}
}
