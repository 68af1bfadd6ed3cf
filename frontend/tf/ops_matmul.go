package tf

import (
	"sort"
	"strings"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	register("matmul", "matmul{transpose_a, transpose_b}", convertMatMul, "MatMul")
	register("matmul", "matmul{transpose_a, transpose_b} (bf16 operands cast to f32)", convertMatMul, "SparseMatMul")
	register("matmul", "matmul{transpose_a=adj_x, transpose_b=adj_y} (batch dimensions broadcast)", convertBatchMatMul,
		"BatchMatMul", "BatchMatMulV2", "BatchMatMulV3")
	register("matmul", "einsum (ellipsis expanded to letters, broadcast dimensions made explicit)", convertEinsum, "Einsum")
}

// MatMul becomes matmul with transpose_a and transpose_b; both operands
// have rank 2.
func convertMatMul(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	a, b := vs[0], vs[1]
	if a.Type.Rank() != 2 || b.Type.Rank() != 2 {
		return n.errorf("operands %v and %v: want rank 2", a.Type, b.Type)
	}
	if n.op == "SparseMatMul" {
		// SparseMatMul is MatMul with sparsity hints (a_is_sparse,
		// b_is_sparse) that do not change the values; its operands are
		// f32 or bf16 and its result f32.
		e := c.emitter(n, tensor.Float32)
		a, b = e.cast(a, tensor.Float32), e.cast(b, tensor.Float32)
		if e.err != nil {
			return e.err
		}
	}
	ta, err := n.attrBoolOr("transpose_a", false)
	if err != nil {
		return err
	}
	tb, err := n.attrBoolOr("transpose_b", false)
	if err != nil {
		return err
	}
	y, err := c.emit(n, ir.OpMatMul, ir.Attrs{"transpose_a": ta, "transpose_b": tb}, a, b)
	if err != nil {
		return err
	}
	return c.bind(n, y)
}

// BatchMatMul, BatchMatMulV2 and BatchMatMulV3 become matmul with
// transpose_a=adj_x and transpose_b=adj_y (for real numbers the adjoint is
// the transpose). The batch dimensions broadcast (V2, V3); V1 requires
// them equal. BatchMatMulV3's Tout must equal the operands' element type.
func convertBatchMatMul(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	a, b := vs[0], vs[1]
	if a.Type.Rank() < 2 || b.Type.Rank() < 2 {
		return n.errorf("operands %v and %v: want rank ≥ 2", a.Type, b.Type)
	}
	if n.op == "BatchMatMul" {
		as, bs := a.Type.Shape, b.Type.Shape
		if len(as) != len(bs) || !as[:len(as)-2].Equal(bs[:len(bs)-2]) {
			return n.errorf("operands %v and %v: BatchMatMul needs equal batch dimensions", a.Type, b.Type)
		}
	}
	if n.op == "BatchMatMulV3" {
		for _, name := range []string{"Ta", "Tb", "Tout"} {
			if !n.hasAttr(name) {
				continue
			}
			dt, err := n.attrType(name)
			if err != nil {
				return err
			}
			if dt != a.Type.DType || dt != b.Type.DType {
				return n.errorf("attribute %s=%v differs from the operands' element types %v and %v (mixed-type products are not supported)", name, dt, a.Type.DType, b.Type.DType)
			}
		}
	}
	adjX, err := n.attrBoolOr("adj_x", false)
	if err != nil {
		return err
	}
	adjY, err := n.attrBoolOr("adj_y", false)
	if err != nil {
		return err
	}
	y, err := c.emit(n, ir.OpMatMul, ir.Attrs{"transpose_a": adjX, "transpose_b": adjY}, a, b)
	if err != nil {
		return err
	}
	return c.bind(n, y)
}

// Einsum becomes einsum with the same equation. An ellipsis ("...") is
// expanded into letters the equation does not use, one per dimension it
// covers (aligned at the right, as numpy and TensorFlow do); where those
// dimensions broadcast (size 1 against a larger size) the operand is
// broadcast explicitly, since the IR's einsum wants equal sizes. An
// equation without "->" gets numpy's implicit output.
func convertEinsum(c *ctx, n *node) error {
	vs, err := c.inputs(n, 1, -1)
	if err != nil {
		return err
	}
	eq, err := n.attrString("equation")
	if err != nil {
		return err
	}
	eq = strings.ReplaceAll(eq, " ", "")
	lhs, rhs, explicit := strings.Cut(eq, "->")
	terms := strings.Split(lhs, ",")
	if len(terms) != len(vs) {
		return n.errorf("equation %q has %d inputs, node has %d", eq, len(terms), len(vs))
	}
	if !explicit {
		rhs = einsumImplicitOutput(terms)
	}
	// Letters the equation does not use, for the ellipsis dimensions.
	var free []byte
	for _, ch := range []byte("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		if !strings.ContainsRune(eq, rune(ch)) {
			free = append(free, ch)
		}
	}
	// Number of dimensions each term's ellipsis covers.
	ell := 0
	cover := make([]int, len(terms))
	for i, t := range terms {
		k := strings.Count(t, "...")
		if k == 0 {
			continue
		}
		if k > 1 || strings.Count(t, ".") != 3 {
			return n.errorf("equation %q: term %q has a malformed ellipsis", eq, t)
		}
		cover[i] = vs[i].Type.Rank() - (len(t) - 3)
		if cover[i] < 0 {
			return n.errorf("equation %q: term %q has more letters than operand %d has dimensions (%v)", eq, t, i, vs[i].Type)
		}
		ell = max(ell, cover[i])
	}
	if strings.Count(rhs, ".") != 3*strings.Count(rhs, "...") || strings.Count(rhs, "...") > 1 {
		return n.errorf("equation %q: output %q has a malformed ellipsis", eq, rhs)
	}
	if ell > len(free) {
		return n.errorf("equation %q: too many dimensions under the ellipsis", eq)
	}
	if strings.Contains(rhs, "...") || ell > 0 {
		letters := string(free[:ell])
		// The broadcast sizes of the ellipsis dimensions.
		sizes := make([]int, ell)
		for j := range sizes {
			sizes[j] = 1
		}
		for i, t := range terms {
			if !strings.Contains(t, "...") {
				continue
			}
			at := strings.Index(t, "...")
			for j := 0; j < cover[i]; j++ {
				d := vs[i].Type.Shape[at+j]
				e := ell - cover[i] + j
				switch {
				case sizes[e] == 1:
					sizes[e] = d
				case d != 1 && d != sizes[e]:
					return n.errorf("equation %q: dimensions under the ellipsis do not broadcast (%d vs %d)", eq, d, sizes[e])
				}
			}
		}
		for i, t := range terms {
			if !strings.Contains(t, "...") {
				continue
			}
			at := strings.Index(t, "...")
			shape := vs[i].Type.Shape.Clone()
			for j := 0; j < cover[i]; j++ {
				shape[at+j] = sizes[ell-cover[i]+j]
			}
			if !shape.Equal(vs[i].Type.Shape) {
				v, err := c.emit(n, ir.OpBroadcast, ir.Attrs{"shape": []int(shape)}, vs[i])
				if err != nil {
					return err
				}
				vs[i] = v
			}
			terms[i] = strings.Replace(t, "...", letters[ell-cover[i]:], 1)
		}
		rhs = strings.Replace(rhs, "...", letters, 1)
	}
	// A letter repeated within a term (a diagonal: "ii->i", a trace
	// "ii->") is taken out before the einsum, which wants distinct letters.
	for i := range terms {
		for {
			t, v, err := c.einsumDiagonal(n, terms[i], vs[i])
			if err != nil {
				return err
			}
			if t == terms[i] {
				break
			}
			terms[i], vs[i] = t, v
		}
	}
	equation := strings.Join(terms, ",") + "->" + rhs
	y, err := c.emit(n, ir.OpEinsum, ir.Attrs{"equation": equation}, vs...)
	if err != nil {
		return err
	}
	return c.bind(n, y)
}

// einsumDiagonal takes the diagonal of the first letter that term repeats:
// the second of its two axes is moved next to the first, the two merged
// by a reshape, and every (n+1)-th element kept by a strided slice. That
// reads exactly the elements x[..i..i..], as TensorFlow does. It returns
// the term without the second occurrence and the new value, or term and
// v unchanged when no letter repeats.
func (c *ctx) einsumDiagonal(n *node, term string, v *ir.Value) (string, *ir.Value, error) {
	p, q := -1, -1
	for i := 0; i < len(term) && p < 0; i++ {
		if j := strings.IndexByte(term[i+1:], term[i]); j >= 0 {
			p, q = i, i+1+j
		}
	}
	if p < 0 {
		return term, v, nil
	}
	if len(term) != v.Type.Rank() {
		return "", nil, n.errorf("equation term %q has %d letters for an operand of rank %d", term, len(term), v.Type.Rank())
	}
	shape := v.Type.Shape
	if shape[p] != shape[q] {
		return "", nil, n.errorf("equation term %q: letter %c labels dimensions of sizes %d and %d", term, term[p], shape[p], shape[q])
	}
	perm := []int{}
	for i := range shape {
		if i == q {
			continue
		}
		perm = append(perm, i)
		if i == p {
			perm = append(perm, q)
		}
	}
	x := v
	var err error
	if !isIdentityPerm(perm) {
		if x, err = c.emit(n, ir.OpTranspose, ir.Attrs{"perm": perm}, x); err != nil {
			return "", nil, err
		}
	}
	d := shape[p]
	merged := []int{}
	for i, a := range perm {
		switch {
		case i == p:
			merged = append(merged, d*d)
		case i == p+1:
		default:
			merged = append(merged, shape[a])
		}
	}
	if x, err = c.emit(n, ir.OpReshape, ir.Attrs{"shape": merged}, x); err != nil {
		return "", nil, err
	}
	start, size, stride := make([]int, len(merged)), append([]int(nil), merged...), ones(len(merged))
	size[p], stride[p] = d, d+1
	if d == 0 {
		stride[p] = 1
	}
	if x, err = c.slice(n, x, start, size, stride); err != nil {
		return "", nil, err
	}
	return term[:q] + term[q+1:], x, nil
}

func isIdentityPerm(perm []int) bool {
	for i, p := range perm {
		if p != i {
			return false
		}
	}
	return true
}

// einsumImplicitOutput is numpy's output for an equation without "->":
// the ellipsis (if any) followed by the letters that appear exactly once,
// in alphabetical order.
func einsumImplicitOutput(terms []string) string {
	count := map[rune]int{}
	hasEll := false
	for _, t := range terms {
		if strings.Contains(t, "...") {
			hasEll = true
			t = strings.ReplaceAll(t, "...", "")
		}
		for _, ch := range t {
			count[ch]++
		}
	}
	var once []rune
	for ch, k := range count {
		if k == 1 {
			once = append(once, ch)
		}
	}
	sort.Slice(once, func(i, j int) bool { return once[i] < once[j] })
	out := string(once)
	if hasEll {
		out = "..." + out
	}
	return out
}
