package lower

import (
	"strings"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

// einsumMatMul lowers a static two-operand float32/float16 einsum whose
// letters each are a batch letter (in both operands and the output), a
// contracted one (in both operands only) or a free one (in one operand and
// the output) as TensorFlow's own kernel computes it: each operand
// transposed and reshaped to [batch, M, K] and [batch, K, N] by one Shuffle,
// an IMatrixMultiplyLayer, and one Shuffle to the output's shape and
// letter order. It reports false, adding nothing, for every other einsum
// (a letter summed within one operand, a letter repeated in a term,
// operand dimensions that broadcast, symbolic shapes), which stays an
// IEinsumLayer.
//
// Why not IEinsumLayer for all: on the H100, TensorRT-RTX's engine for an
// encoder with "abc,cde->abde" projections at input [1,8,64] gave wrong
// numbers (every element; the same network at [3,8,64], [1,16,64] and with
// a dynamic profile matched TensorFlow), and matrix multiplications are
// the layers TensorRT tunes most.
func einsumMatMul(l *lowerer, op *ir.Op, eq string) bool {
	r := op.Result()
	if len(op.Args) != 2 || r.Type.Dims != nil || op.Args[0].Type.Dims != nil || op.Args[1].Type.Dims != nil {
		return false
	}
	if s := l.sym[op]; s != nil && (s.Results[0].Type.Symbolic() || s.Args[0].Type.Symbolic() || s.Args[1].Type.Symbolic()) {
		return false // an instance of a dynamic program: the reshapes would need shape tensors
	}
	if dt := r.Type.DType; dt != tensor.Float32 && dt != tensor.Float16 ||
		op.Args[0].Type.DType != dt || op.Args[1].Type.DType != dt {
		return false
	}
	lhs, out, ok := strings.Cut(eq, "->")
	if !ok {
		return false
	}
	ta, tb, ok := strings.Cut(lhs, ",")
	if !ok || !distinct(ta) || !distinct(tb) || !distinct(out) {
		return false
	}
	sa, sb := op.Args[0].Type.Shape, op.Args[1].Type.Shape
	if len(ta) != len(sa) || len(tb) != len(sb) || len(out) != r.Type.Rank() {
		return false
	}
	size := map[byte]int{}
	for i := range len(ta) {
		size[ta[i]] = sa[i]
	}
	var batch, contract, freeA, freeB []byte
	for i := range len(out) {
		c := out[i]
		ia, ib := strings.IndexByte(ta, c), strings.IndexByte(tb, c)
		switch {
		case ia >= 0 && ib >= 0:
			if sb[ib] != sa[ia] {
				return false // broadcast
			}
			batch = append(batch, c)
		case ia >= 0:
			freeA = append(freeA, c)
		case ib >= 0:
			freeB = append(freeB, c)
			size[c] = sb[ib]
		default:
			return false
		}
	}
	for i := range len(ta) {
		c := ta[i]
		if strings.IndexByte(out, c) >= 0 {
			continue
		}
		ib := strings.IndexByte(tb, c)
		if ib < 0 || sb[ib] != sa[i] {
			return false // summed in one operand, or broadcast
		}
		contract = append(contract, c)
	}
	for i := range len(tb) {
		if strings.IndexByte(out, tb[i]) < 0 && strings.IndexByte(ta, tb[i]) < 0 {
			return false // summed in one operand
		}
	}
	prod := func(cs []byte) int {
		p := 1
		for _, c := range cs {
			p *= size[c]
		}
		return p
	}
	perm := func(term string, order ...[]byte) []int {
		var p []int
		for _, cs := range order {
			for _, c := range cs {
				p = append(p, strings.IndexByte(term, c))
			}
		}
		return p
	}
	nb, m, k, n := prod(batch), prod(freeA), prod(contract), prod(freeB)
	shA := trt.Shuffle{
		FirstTranspose:    permutation(perm(ta, batch, freeA, contract)),
		ReshapeDimensions: dimsOf(nb, m, k),
	}
	shB := trt.Shuffle{
		FirstTranspose:    permutation(perm(tb, batch, contract, freeB)),
		ReshapeDimensions: dimsOf(nb, k, n),
	}
	var mm trt.Tensor
	if l.splitsF32(r.Type.DType) {
		mm = einsumMatMulTF32x3(l, op, shA, shB)
	} else {
		a := l.named(op, "lhs", l.net.AddShuffle(l.tensor(op.Args[0]), shA))
		b := l.named(op, "rhs", l.net.AddShuffle(l.tensor(op.Args[1]), shB))
		mm = l.named(op, "matmul", l.net.AddMatrixMultiply(a, trt.MatrixNone, b, trt.MatrixNone))
	}
	// [batch, M, N] → the batch, free-A and free-B letters' sizes → out's order.
	mid := string(batch) + string(freeA) + string(freeB)
	var d []int
	for i := range len(mid) {
		d = append(d, size[mid[i]])
	}
	l.set(r, l.named(op, "", l.net.AddShuffle(mm, trt.Shuffle{
		ReshapeDimensions: dimsOf(d...),
		SecondTranspose:   permutation(perm(mid, []byte(out))),
	})))
	return true
}

// einsumMatMulTF32x3 is einsumMatMul's product under Options.TF32x3
// (tf32x3.go): one IMatrixMultiplyLayer on the parts of the operands in
// their matrix shapes [batch, M, K] and [batch, K, N], concatenated along
// K. A constant operand is transposed and split on the host, anything
// else split after its Shuffle.
func einsumMatMulTF32x3(l *lowerer, op *ir.Op, shA, shB trt.Shuffle) trt.Tensor {
	fs := make([]factor, 2)
	for i, name := range []string{"lhs", "rhs"} {
		v, sh := op.Args[i], shA
		if i == 1 {
			sh = shB
		}
		if c := constValue(v); c != nil {
			perm := make([]int, len(sh.FirstTranspose))
			for k, p := range sh.FirstTranspose {
				perm[k] = int(p)
			}
			t, err := kernels.Transpose(c, perm)
			if err != nil {
				panic("lower: " + err.Error()) // einsumMatMul built perm from the operand's own letters
			}
			fs[i] = splitHost(t, sh.ReshapeDimensions)
			continue
		}
		t := l.named(op, name, l.net.AddShuffle(l.tensor(v), sh))
		fs[i] = l.splitRun(op, "tf32x3/"+name, t)
	}
	in := l.concatFactors(op, "matmul/tf32x3", fs, []int{2, 1})
	return l.named(op, "matmul", l.net.AddMatrixMultiply(in[0], trt.MatrixNone, in[1], trt.MatrixNone))
}

// distinct reports whether no letter repeats in an einsum term.
func distinct(term string) bool {
	for i := range len(term) {
		if strings.IndexByte(term[i+1:], term[i]) >= 0 {
			return false
		}
	}
	return true
}
