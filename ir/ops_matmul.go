package ir

import (
	"fmt"
	"strings"

	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	register(OpMatMul, OpInfo{
		Name: "matmul", Family: "matmul", Summary: "batched matrix product with broadcasting",
		MinArgs: 2, MaxArgs: 2, NumResults: 1,
		Attrs: []AttrSpec{{Name: "transpose_a", Kind: AttrBool}, {Name: "transpose_b", Kind: AttrBool}},
		Infer: inferMatMul,
	})
	register(OpEinsum, OpInfo{
		Name: "einsum", Family: "matmul", Summary: "Einstein summation",
		MinArgs: 1, MaxArgs: -1, NumResults: 1,
		Attrs: []AttrSpec{{Name: "equation", Kind: AttrString}},
		Infer: inferEinsum,
	})
}

// matmul: batched matrix product.
//
//	%r = matmul(%a, %b) {transpose_a=false, transpose_b=true} : T
//
// a: [..., M, K] ([..., K, M] if transpose_a), b: [..., K, N] ([..., N, K] if
// transpose_b); both rank ≥ 2, same element type (f32, f16, bf16, i32, i64; floats accumulate in f32 and round once).
// The batch dimensions (all but the last two) broadcast as in numpy.
// r: [broadcast batch..., M, N], r[..., m, n] = Σ_k a'[..., m, k] * b'[..., k, n]
// where a', b' are the (optionally) transposed operands. Floats accumulate in
// f32.
func inferMatMul(op *Op) ([]Type, error) {
	dt, err := sameDTypes(op)
	if err != nil {
		return nil, err
	}
	if err := requireDType(dt, "operand", numericDTypes...); err != nil {
		return nil, err
	}
	a, b := op.Args[0].Type.Shape, op.Args[1].Type.Shape
	if len(a) < 2 || len(b) < 2 {
		return nil, fmt.Errorf("operands %v and %v: want rank ≥ 2", a, b)
	}
	m, ka := a[len(a)-2], a[len(a)-1]
	if op.Bool("transpose_a") {
		m, ka = ka, m
	}
	kb, n := b[len(b)-2], b[len(b)-1]
	if op.Bool("transpose_b") {
		kb, n = n, kb
	}
	if ka != kb {
		return nil, fmt.Errorf("contracting dimensions differ: %v (K=%d) and %v (K=%d)", a, ka, b, kb)
	}
	batch, err := tensor.BroadcastShapes(a[:len(a)-2], b[:len(b)-2])
	if err != nil {
		return nil, fmt.Errorf("batch dimensions: %v", err)
	}
	return []Type{{DType: dt, Shape: append(batch, m, n)}}, nil
}

// einsum: Einstein summation over explicit subscripts.
//
//	%r = einsum(%a, %b) {equation="abc,cd->abd"} : T
//
// equation is "in_1,in_2,...->out" with one letter (a-z, A-Z) per
// dimension, one term per operand (rank = term length). No ellipsis, and the
// output must be explicit (the "->" part). A letter may appear at most once
// per term; letters in the output appear in some input; all dimensions
// labelled by one letter have equal size. Operands share one element type
// (f32, f16, bf16, i32, i64).
// r[out indices] = Σ over letters not in the output of Π_i a_i[term_i indices].
func inferEinsum(op *Op) ([]Type, error) {
	dt, err := sameDTypes(op)
	if err != nil {
		return nil, err
	}
	if err := requireDType(dt, "operand", numericDTypes...); err != nil {
		return nil, err
	}
	ins, out, err := ParseEinsum(op.Str("equation"))
	if err != nil {
		return nil, err
	}
	if len(ins) != len(op.Args) {
		return nil, fmt.Errorf("equation %q has %d inputs, op has %d operands", op.Str("equation"), len(ins), len(op.Args))
	}
	size := map[byte]int{}
	for i, term := range ins {
		sh := op.Args[i].Type.Shape
		if len(term) != len(sh) {
			return nil, fmt.Errorf("term %q has %d letters, operand %d has rank %d", term, len(term), i, len(sh))
		}
		for j := range len(term) {
			c := term[j]
			if d, ok := size[c]; ok && d != sh[j] {
				return nil, fmt.Errorf("letter %q labels dimensions of size %d and %d", c, d, sh[j])
			}
			size[c] = sh[j]
		}
	}
	var shape tensor.Shape = tensor.Shape{}
	for j := range len(out) {
		d, ok := size[out[j]]
		if !ok {
			return nil, fmt.Errorf("output letter %q is in no input", out[j])
		}
		shape = append(shape, d)
	}
	return []Type{{DType: dt, Shape: shape}}, nil
}

// ParseEinsum splits an einsum equation into its input terms and output
// term, checking the restrictions of the einsum op.
func ParseEinsum(eq string) (ins []string, out string, err error) {
	eq = strings.ReplaceAll(eq, " ", "")
	lhs, rhs, ok := strings.Cut(eq, "->")
	if !ok {
		return nil, "", fmt.Errorf("equation %q has no explicit output (\"->\")", eq)
	}
	ins = strings.Split(lhs, ",")
	for _, t := range append(ins[:len(ins):len(ins)], rhs) {
		seen := map[rune]bool{}
		for _, c := range t {
			if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
				return nil, "", fmt.Errorf("equation %q: bad subscript %q (letters only; no ellipsis)", eq, c)
			}
			if seen[c] {
				return nil, "", fmt.Errorf("equation %q: letter %q repeated in term %q", eq, c, t)
			}
			seen[c] = true
		}
	}
	return ins, rhs, nil
}
