package kernels

import (
	"fmt"
	"strings"

	"github.com/tfc-dev/tfc/tensor"
)

// Einsum evaluates an Einstein summation with explicit output, e.g.
// "bij,bjk->bik": one letter (a-z, A-Z) per dimension, at most once per
// term, no ellipsis. Letters absent from the output are summed over. The
// operands share one dtype (f32, f16, bf16, i32, i64).
//
// It is computed as a chain of pairwise contractions, each a batched
// MatMul between transposes of its operands; letters no later term needs
// are summed out first.
func Einsum(equation string, ops ...*tensor.Tensor) (*tensor.Tensor, error) {
	r, err := einsum(equation, ops)
	if err != nil {
		return nil, fmt.Errorf("einsum %q: %v", equation, err)
	}
	return r, nil
}

type labelled struct {
	t       *tensor.Tensor
	letters string
}

func einsum(equation string, ops []*tensor.Tensor) (*tensor.Tensor, error) {
	eq := strings.ReplaceAll(equation, " ", "")
	lhs, out, ok := strings.Cut(eq, "->")
	if !ok {
		return nil, fmt.Errorf("no explicit output (\"->\")")
	}
	terms := strings.Split(lhs, ",")
	if len(terms) != len(ops) {
		return nil, fmt.Errorf("%d terms, %d operands", len(terms), len(ops))
	}
	for i, op := range ops {
		if err := checkTensor(fmt.Sprintf("operand %d", i), op); err != nil {
			return nil, err
		}
	}
	if err := sameDType(ops...); err != nil {
		return nil, err
	}
	if err := checkDType("operand", ops[0], numericTypes...); err != nil {
		return nil, err
	}
	size := map[byte]int{}
	for i, term := range append(terms[:len(terms):len(terms)], out) {
		seen := map[byte]bool{}
		for j := range len(term) {
			c := term[j]
			if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
				return nil, fmt.Errorf("bad subscript %q (letters only; no ellipsis)", c)
			}
			if seen[c] {
				return nil, fmt.Errorf("letter %q repeated in term %q", c, term)
			}
			seen[c] = true
			if i == len(terms) {
				if _, ok := size[c]; !ok {
					return nil, fmt.Errorf("output letter %q is in no input", c)
				}
				continue
			}
			sh := ops[i].Shape
			if len(term) != len(sh) {
				return nil, fmt.Errorf("term %q has %d letters, operand %d has rank %d", term, len(term), i, len(sh))
			}
			if d, ok := size[c]; ok && d != sh[j] {
				return nil, fmt.Errorf("letter %q labels dimensions of size %d and %d", c, d, sh[j])
			}
			size[c] = sh[j]
		}
	}
	// needed(i) is the set of letters used by the output or terms ≥ i.
	needed := func(i int) string {
		s := out
		for _, t := range terms[min(i, len(terms)):] {
			s += t
		}
		return s
	}
	cur := labelled{ops[0], terms[0]}
	var err error
	for i := 1; i < len(ops); i++ {
		next := labelled{ops[i], terms[i]}
		later := needed(i + 1)
		if cur, err = sumOut(cur, later+next.letters); err != nil {
			return nil, err
		}
		if next, err = sumOut(next, later+cur.letters); err != nil {
			return nil, err
		}
		if cur, err = contract(cur, next, later, size); err != nil {
			return nil, err
		}
	}
	if cur, err = sumOut(cur, out); err != nil {
		return nil, err
	}
	perm := make([]int, len(out))
	for i := range len(out) {
		perm[i] = strings.IndexByte(cur.letters, out[i])
	}
	return Transpose(cur.t, perm)
}

// sumOut sums x over its letters that are not in keep.
func sumOut(x labelled, keep string) (labelled, error) {
	var axes []int
	var rest []byte
	for i := range len(x.letters) {
		if strings.IndexByte(keep, x.letters[i]) < 0 {
			axes = append(axes, i)
		} else {
			rest = append(rest, x.letters[i])
		}
	}
	if len(axes) == 0 {
		return x, nil
	}
	t, err := Reduce(x.t, ReduceSum, axes, false)
	return labelled{t, string(rest)}, err
}

// contract multiplies a and b, summing over the letters they share that
// later does not contain.
func contract(a, b labelled, later string, size map[byte]int) (labelled, error) {
	var batch, left, right, sum []byte
	for i := range len(a.letters) {
		c := a.letters[i]
		switch {
		case strings.IndexByte(b.letters, c) < 0:
			left = append(left, c)
		case strings.IndexByte(later, c) >= 0:
			batch = append(batch, c)
		default:
			sum = append(sum, c)
		}
	}
	for i := range len(b.letters) {
		if c := b.letters[i]; strings.IndexByte(a.letters, c) < 0 {
			right = append(right, c)
		}
	}
	prod := func(ls []byte) int {
		n := 1
		for _, c := range ls {
			n *= size[c]
		}
		return n
	}
	arrange := func(x labelled, order []byte, shape tensor.Shape) (*tensor.Tensor, error) {
		perm := make([]int, len(order))
		for i, c := range order {
			perm[i] = strings.IndexByte(x.letters, c)
		}
		t, err := Transpose(x.t, perm)
		if err != nil {
			return nil, err
		}
		return Reshape(t, shape)
	}
	B, L, R, K := prod(batch), prod(left), prod(right), prod(sum)
	ta, err := arrange(a, concatBytes(batch, left, sum), tensor.Shape{B, L, K})
	if err != nil {
		return labelled{}, err
	}
	tb, err := arrange(b, concatBytes(batch, sum, right), tensor.Shape{B, K, R})
	if err != nil {
		return labelled{}, err
	}
	p, err := MatMul(ta, tb, false, false)
	if err != nil {
		return labelled{}, err
	}
	letters := concatBytes(batch, left, right)
	shape := make(tensor.Shape, len(letters))
	for i, c := range letters {
		shape[i] = size[c]
	}
	t, err := Reshape(p, shape)
	return labelled{t, string(letters)}, err
}

func concatBytes(parts ...[]byte) []byte {
	var r []byte
	for _, p := range parts {
		r = append(r, p...)
	}
	return r
}
