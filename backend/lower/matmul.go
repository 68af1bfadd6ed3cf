package lower

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// matmul on floats → IMatrixMultiplyLayer with kTRANSPOSE for
// transpose_a/transpose_b; the operands get equal ranks (leading 1s) and
// TensorRT broadcasts the batch dimensions as numpy does. Under
// Options.TF32x3 a float32 matmul or einsum is one product of operands
// split into TF32 parts and concatenated along a contracted axis
// (tf32x3.go).
//
// TensorRT multiplies float matrices only, so integer matmul is
// sum_k a[..., m, k, 1] * b[..., 1, k, n]: a Shuffle per operand (the
// transpose, the rank padding and the extra unit dimension in one), a kPROD
// and a kSUM Reduce over k — exact, wrapping like the IR's integer
// arithmetic.
//
// einsum: a static two-operand contraction (batch, contracted and free
// letters only) → Shuffle, IMatrixMultiplyLayer, Shuffle (einsum_matmul.go);
// any other einsum on floats → IEinsumLayer. TensorRT's equations use lower-case
// letters only, so the letters are renamed (a, b, c, ... in order of first
// appearance; at most 26 distinct). TensorRT's einsum is float-only (an
// integer einsum is reported unsupported); its output is kFLOAT, or kHALF
// when every input is kHALF, and is cast to the IR result's type where
// that differs. It takes kFLOAT and kHALF only, so a bf16
// einsum casts its inputs to kFLOAT and the result back to kBF16: exact,
// since the IR computes bf16 in float32 and rounds once.
func init() {
	register(ir.OpMatMul, rule{lower: lowerMatMul})
	register(ir.OpEinsum, rule{check: checkEinsum, lower: lowerEinsum})
}

func lowerMatMul(l *lowerer, op *ir.Op) error {
	ta, tb := op.Bool("transpose_a"), op.Bool("transpose_b")
	if op.Result().Type.DType.IsFloat() {
		opA, opB := trt.MatrixNone, trt.MatrixNone
		if ta {
			opA = trt.MatrixTranspose
		}
		if tb {
			opB = trt.MatrixTranspose
		}
		if l.splitsF32(op.Result().Type.DType) {
			lowerMatMulTF32x3(l, op, opA, opB)
			return nil
		}
		a, b := l.operands2(op)
		l.set(op.Result(), l.named(op, "", l.net.AddMatrixMultiply(a, opA, b, opB)))
		return nil
	}
	r := op.Result()
	rank := r.Type.Rank() // batch dims + M, N
	m, n := r.Type.Shape[rank-2], r.Type.Shape[rank-1]
	k := op.Args[0].Type.Shape[op.Args[0].Type.Rank()-1]
	if ta {
		k = op.Args[0].Type.Shape[op.Args[0].Type.Rank()-2]
	}
	// operand reshapes x (rank q, matrix last) to rank+1 dimensions:
	// leading 1s, its batch dimensions, then tail.
	operand := func(v *ir.Value, transpose bool, tail []int, suffix string) trt.Tensor {
		q := v.Type.Rank()
		d := make(trt.Dims, 0, rank+1)
		for range rank - q {
			d = append(d, 1)
		}
		d = append(d, dims(v.Type.Shape[:q-2])...)
		d = append(d, dimsOf(tail...)...)
		p := trt.Shuffle{ReshapeDimensions: d}
		if transpose {
			perm := make([]int, q)
			for i := range perm {
				perm[i] = i
			}
			perm[q-2], perm[q-1] = q-1, q-2
			p.FirstTranspose = permutation(perm)
		}
		return l.named(op, suffix, l.net.AddShuffle(l.tensor(v), p))
	}
	a := operand(op.Args[0], ta, []int{m, k, 1}, "lhs")
	b := operand(op.Args[1], tb, []int{1, k, n}, "rhs")
	p := l.elementwise(op, "mul", a, b, trt.ElementWiseProd)
	l.set(r, l.reduce(op, "", p, trt.ReduceSum, []int{rank - 1}, false))
	return nil
}

// lowerMatMulTF32x3 is a float32 matmul under Options.TF32x3
// (tf32x3.go): one IMatrixMultiplyLayer on the operands' parts (a
// constant operand split on the host) concatenated along the contraction
// axis K: the last axis of a, or its second-last if transposed; the
// second-last of b, or its last if transposed.
func lowerMatMulTF32x3(l *lowerer, op *ir.Op, opA, opB trt.MatrixOperation) {
	rank := max(op.Args[0].Type.Rank(), op.Args[1].Type.Rank())
	fs := make([]factor, 2)
	for i, v := range op.Args[:2] {
		d := make(trt.Dims, rank)
		for k := range d {
			d[k] = 1
		}
		copy(d[rank-v.Type.Rank():], dims(v.Type.Shape))
		fs[i] = l.splitValue(op, fmt.Sprintf("tf32x3/in%d", i), v, d, func() trt.Tensor { return l.tensorRank(op, v, rank) })
	}
	axes := []int{rank - 1, rank - 2}
	if opA == trt.MatrixTranspose {
		axes[0] = rank - 2
	}
	if opB == trt.MatrixTranspose {
		axes[1] = rank - 1
	}
	in := l.concatFactors(op, "tf32x3", fs, axes)
	l.set(op.Result(), l.named(op, "", l.net.AddMatrixMultiply(in[0], opA, in[1], opB)))
}

func checkEinsum(op *ir.Op) error {
	if !op.Result().Type.DType.IsFloat() {
		return fmt.Errorf("integer einsum (TensorRT's einsum is float-only)")
	}
	if _, err := lowerCaseEquation(op.Str("equation")); err != nil {
		return err
	}
	return nil
}

// lowerCaseEquation renames the letters of an einsum equation to a, b, c,
// ... in order of first appearance.
func lowerCaseEquation(eq string) (string, error) {
	rename := map[rune]rune{}
	var b strings.Builder
	for _, c := range strings.ReplaceAll(eq, " ", "") {
		if (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') {
			r, ok := rename[c]
			if !ok {
				if len(rename) == 26 {
					return "", fmt.Errorf("einsum %q has more than 26 distinct letters (TensorRT uses a-z only)", eq)
				}
				r = rune('a' + len(rename))
				rename[c] = r
			}
			c = r
		}
		b.WriteRune(c)
	}
	return b.String(), nil
}

func lowerEinsum(l *lowerer, op *ir.Op) error {
	eq, err := lowerCaseEquation(op.Str("equation"))
	if err != nil {
		return err
	}
	if einsumMatMul(l, op, eq) {
		return nil
	}
	if l.splitsF32(op.Result().Type.DType) && allF32(op.Args) {
		lowerEinsumTF32x3(l, op, eq)
		return nil
	}
	ts := make([]trt.Tensor, len(op.Args))
	for i, a := range op.Args {
		ts[i] = l.tensor(a)
		if a.Type.DType == tensor.BFloat16 {
			ts[i] = l.cast(op, fmt.Sprintf("in%d", i), ts[i], trt.Float)
		}
	}
	r := op.Result()
	layer := l.net.AddEinsum(ts, eq)
	want := mustType(r.Type.DType)
	if layer.Output(0).Type() != want {
		l.named(op, "einsum", layer)
		l.set(r, l.cast(op, "", layer.Output(0), want))
		return nil
	}
	l.set(r, l.named(op, "", layer))
	return nil
}

// allF32 reports whether every value is float32.
func allF32(vs []*ir.Value) bool {
	for _, v := range vs {
		if v.Type.DType != tensor.Float32 {
			return false
		}
	}
	return true
}

// lowerEinsumTF32x3 is an IEinsumLayer under Options.TF32x3 (tf32x3.go),
// every operand split (a constant on the host). An einsum is linear in
// each operand, so with x_i = hi_i + lo_i the terms are the einsum of the
// hi parts and, for each operand i, the einsum with lo_i in place of hi_i
// (the terms with two or more lo parts, 2^-22 of the result, are
// dropped): n+1 terms for n operands, summed by one IEinsumLayer whose
// operands are the parts concatenated along a contracted letter: the
// first letter absent from the output that every operand has (the IR's
// equations are explicit, with a letter at most once per term and at one
// size), or else a new letter, a unit axis appended to every part (a
// reshape) and to every input term. Only an equation that uses all 26
// letters keeps one IEinsumLayer per term, summed by ElementWise layers,
// the small terms first.
func lowerEinsumTF32x3(l *lowerer, op *ir.Op, eq string) {
	fs := make([]factor, len(op.Args))
	mags := make([][]int, len(op.Args))
	for i, v := range op.Args {
		fs[i] = l.splitValue(op, fmt.Sprintf("tf32x3/in%d", i), v, dims(v.Type.Shape), func() trt.Tensor { return l.tensor(v) })
		mags[i] = fs[i].mags
	}
	lhs, out, _ := strings.Cut(eq, "->")
	ins := strings.Split(lhs, ",")
	if axes := sharedLetter(ins, out); axes != nil {
		in := l.concatFactors(op, "tf32x3", fs, axes)
		l.set(op.Result(), l.named(op, "", l.net.AddEinsum(in, eq)))
		return
	}
	if z, ok := freeLetter(eq); ok {
		axes := make([]int, len(fs))
		for k, f := range fs {
			ins[k] += string(z)
			r := op.Args[k].Type.Rank()
			axes[k] = r
			if f.host != nil {
				fs[k].d = append(slices.Clone(f.d), 1)
				continue
			}
			d := make(trt.Dims, r+1) // placeholders 0: the part's own dimensions
			d[r] = 1
			for j, t := range f.net {
				fs[k].net[j] = l.named(op, fmt.Sprintf("tf32x3/in%d/axis%d", k, j), l.net.AddShuffle(t, trt.Shuffle{ReshapeDimensions: d, ZeroIsPlaceholder: true}))
			}
		}
		in := l.concatFactors(op, "tf32x3", fs, axes)
		l.set(op.Result(), l.named(op, "", l.net.AddEinsum(in, strings.Join(ins, ",")+"->"+out)))
		return
	}
	for i, f := range fs {
		if f.host != nil {
			for j, h := range f.host {
				f.net = append(f.net, l.constant(op, fmt.Sprintf("tf32x3/in%d/part%d", i, j), h, f.d))
			}
			fs[i] = f
		}
	}
	ts := terms(mags...)
	ys := make([]trt.Tensor, len(ts))
	for s, t := range ts {
		in := make([]trt.Tensor, len(fs))
		for k, i := range t {
			in[k] = fs[k].net[i]
		}
		ys[s] = l.named(op, fmt.Sprintf("tf32x3/term%d", s), l.net.AddEinsum(in, eq))
	}
	l.set(op.Result(), l.sumTerms(op, "", ys))
}

// sharedLetter returns, for each input term of an einsum, the axis of the
// first letter that every term has and the output out has not, or nil.
func sharedLetter(terms []string, out string) []int {
	for c := byte('a'); c <= 'z'; c++ {
		if strings.IndexByte(out, c) >= 0 {
			continue
		}
		axes := make([]int, len(terms))
		for k, term := range terms {
			if axes[k] = strings.IndexByte(term, c); axes[k] < 0 {
				break
			}
		}
		if !slices.Contains(axes, -1) {
			return axes
		}
	}
	return nil
}

// freeLetter returns a lower-case letter that equation eq does not use.
func freeLetter(eq string) (byte, bool) {
	for c := byte('z'); c >= 'a'; c-- {
		if strings.IndexByte(eq, c) < 0 {
			return c, true
		}
	}
	return 0, false
}
