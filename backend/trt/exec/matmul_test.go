package exec

import (
	"math/rand/v2"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

// naiveMatMul multiplies [B, M, K] by [B', K, N] with B or B' 1, in
// float64.
func naiveMatMul(a, b *tensor.Tensor) *tensor.Tensor {
	ba, m, k := a.Shape[0], a.Shape[1], a.Shape[2]
	bb, n := b.Shape[0], b.Shape[2]
	bs := max(ba, bb)
	out := tensor.MustNew(tensor.Float32, tensor.Shape{bs, m, n})
	for q := range bs {
		qa, qb := q%ba, q%bb
		for i := range m {
			for j := range n {
				var s float64
				for l := range k {
					s += float64(a.F32[(qa*m+i)*k+l]) * float64(b.F32[(qb*k+l)*n+j])
				}
				out.F32[(q*m+i)*n+j] = float32(s)
			}
		}
	}
	return out
}

// transposeLast swaps the last two dimensions.
func transposeLast(t *testing.T, x *tensor.Tensor) *tensor.Tensor {
	r := len(x.Shape)
	perm := make([]int, r)
	for i := range perm {
		perm[i] = i
	}
	perm[r-2], perm[r-1] = r-1, r-2
	return must(t)(kernels.Transpose(x, perm))
}

func TestMatrixMultiplyOperations(t *testing.T) {
	// Every combination of operations, against a plain loop: A is
	// [B,M,K] (stored [B,K,M] for kTRANSPOSE, [B,K] with M = 1 for
	// kVECTOR), likewise B; a batch of 1 broadcasts against 3.
	rng := rand.New(rand.NewPCG(19, 20))
	const m, k, n = 4, 5, 3
	for _, opA := range []trt.MatrixOperation{trt.MatrixNone, trt.MatrixTranspose, trt.MatrixVector} {
		for _, opB := range []trt.MatrixOperation{trt.MatrixNone, trt.MatrixTranspose, trt.MatrixVector} {
			for _, batches := range [][2]int{{3, 3}, {1, 3}, {3, 1}} {
				mm, nn := m, n
				if opA == trt.MatrixVector {
					mm = 1
				}
				if opB == trt.MatrixVector {
					nn = 1
				}
				a := randF32(rng, batches[0], mm, k)
				b := randF32(rng, batches[1], k, nn)
				want := naiveMatMul(a, b)
				ain, bin := a, b
				switch opA {
				case trt.MatrixTranspose:
					ain = transposeLast(t, a)
				case trt.MatrixVector:
					ain = must(t)(a.Reshape(tensor.Shape{batches[0], k}))
				}
				switch opB {
				case trt.MatrixTranspose:
					bin = transposeLast(t, b)
				case trt.MatrixVector:
					bin = must(t)(b.Reshape(tensor.Shape{batches[1], k}))
				}
				// kVECTOR drops the vector's dimension from the result.
				wshape := tensor.Shape{max(batches[0], batches[1])}
				if opA != trt.MatrixVector {
					wshape = append(wshape, m)
				}
				if opB != trt.MatrixVector {
					wshape = append(wshape, n)
				}
				want = must(t)(want.Reshape(wshape))
				outs := oneLayer(t, func(nw *trt.Recorder, in []trt.Tensor) trt.Layer {
					return nw.AddMatrixMultiply(in[0], opA, in[1], opB)
				}, ain, bin)
				near(t, outs[0], want, 1e-5, 1e-6)
			}
		}
	}
	// The inputs must have the same number of batch dimensions: [2,3]
	// times [4,3,2] is an error although numpy would broadcast it.
	if _, err := matrixMultiply(iota32(2, 3), trt.MatrixNone, iota32(4, 3, 2), trt.MatrixNone); err == nil {
		t.Error("different batch ranks accepted")
	}
}

func TestEinsum(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	// The reference loop agrees with the kernel on equations the kernel
	// takes.
	for _, tc := range []struct {
		eq     string
		shapes []tensor.Shape
	}{
		{"ij,jk->ik", []tensor.Shape{{3, 4}, {4, 5}}},
		{"bij,bjk->bik", []tensor.Shape{{2, 3, 4}, {2, 4, 5}}},
		{"ij->ji", []tensor.Shape{{3, 4}}},
		{"ij->", []tensor.Shape{{3, 4}}},
		{"i,i->", []tensor.Shape{{6}, {6}}},
		{"abc,cd,be->ead", []tensor.Shape{{2, 3, 4}, {4, 2}, {3, 5}}},
	} {
		var xs []*tensor.Tensor
		for _, s := range tc.shapes {
			xs = append(xs, randF32(rng, s...))
		}
		e, err := parseEinsum(tc.eq, xs)
		if err != nil {
			t.Fatal(err)
		}
		if !e.simple {
			t.Fatalf("%s: not in the kernel's form", tc.eq)
		}
		want := must(t)(kernels.Einsum(tc.eq, xs...))
		near(t, must(t)(e.eval(xs)), want, 1e-5, 1e-6)
		near(t, must(t)(einsum(tc.eq, xs)), want, 1e-5, 1e-6)
	}
	// Implicit output: the labels occurring once, alphabetically, so "ji"
	// is the transpose and "ij,jk" a matrix product.
	x := iota32(2, 3)
	expect(t, must(t)(einsum("ji", []*tensor.Tensor{x})), must(t)(kernels.Transpose(x, []int{1, 0})))
	a, b := randF32(rng, 2, 3), randF32(rng, 3, 4)
	near(t, must(t)(einsum("ij,jk", []*tensor.Tensor{a, b})), must(t)(kernels.MatMul(a, b, false, false)), 1e-5, 1e-6)
	// A repeated label takes the diagonal: "ii->i" of [[0,1,2],[3,4,5],
	// [6,7,8]] is [0,4,8], and "ii" (implicit) sums it: 12.
	x = iota32(3, 3)
	expect(t, must(t)(einsum("ii->i", []*tensor.Tensor{x})), f32(tensor.Shape{3}, 0, 4, 8))
	expect(t, must(t)(einsum("ii", []*tensor.Tensor{x})), f32(tensor.Shape{}, 12))
	// Ellipsis batch dimensions broadcast: [2,1,3,4] · [5,4,2] ->
	// [2,5,3,2], as a batched matmul of the broadcast operands.
	a, b = randF32(rng, 2, 1, 3, 4), randF32(rng, 5, 4, 2)
	got := must(t)(einsum("...ij,...jk->...ik", []*tensor.Tensor{a, b}))
	b4 := must(t)(b.Reshape(tensor.Shape{1, 5, 4, 2}))
	near(t, got, must(t)(kernels.MatMul(a, b4, false, false)), 1e-5, 1e-6)
	// All-half inputs give a half output (TensorRT-RTX), mixed a float one.
	h := must(t)(kernels.Cast(iota32(2, 2), tensor.Float16))
	got = must(t)(einsum("ij->j", []*tensor.Tensor{h}))
	expect(t, got, must(t)(kernels.Cast(f32(tensor.Shape{2}, 2, 4), tensor.Float16)))
	got = must(t)(einsum("ij,ij->j", []*tensor.Tensor{h, iota32(2, 2)}))
	expect(t, got, f32(tensor.Shape{2}, 4, 10))
	for _, bad := range []string{"ij,jk->ik", "ij->k", "ij->ii", "i..j->ij", "iJ->i"} {
		if _, err := einsum(bad, []*tensor.Tensor{x}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
