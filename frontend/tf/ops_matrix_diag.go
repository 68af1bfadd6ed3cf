package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Diagonals of batched matrices: MatrixDiag, MatrixDiagPart and
// MatrixSetDiag (V1, V2, V3), Diag and DiagPart. The diagonal offsets k,
// the output sizes and the alignment are constants, so every output
// element is either one known input element or the padding value: the
// translation flattens the matrices (and diagonals), appends the padding
// value (or the other operand) along the last axis, and gathers with a
// constant index map computed here from TensorFlow's definitions:
//
//	d = n - m                       (diagonal of element [m, n])
//	diag_len(d) = min(N - max(d, 0), M + min(d, 0))
//	offset(d) = max_diag_len - diag_len(d) when the diagonal is aligned
//	            right (superdiagonals d ≥ 0 by align's first word,
//	            subdiagonals d ≤ 0 by its second), else 0
//	position of [m, n] in diagonal d: n - max(d, 0) + offset(d)
//
// Diagonal i of a band k[0]..k[1] is d = k[1] - i (top first). V1 and V2
// align LEFT_LEFT; V3's default is RIGHT_LEFT.

func init() {
	const gatherDesc = "reshape + concat(padding) + gather with a constant index map"
	register("matrix_diag", gatherDesc, convertMatrixDiag(1), "MatrixDiag")
	register("matrix_diag", gatherDesc, convertMatrixDiag(2), "MatrixDiagV2")
	register("matrix_diag", gatherDesc, convertMatrixDiag(3), "MatrixDiagV3")
	register("matrix_diag", gatherDesc, convertMatrixDiagPart(1), "MatrixDiagPart")
	register("matrix_diag", gatherDesc, convertMatrixDiagPart(2), "MatrixDiagPartV2")
	register("matrix_diag", gatherDesc, convertMatrixDiagPart(3), "MatrixDiagPartV3")
	register("matrix_diag", "reshape + concat(input, diagonal) + gather with a constant index map", convertMatrixSetDiag(1), "MatrixSetDiag")
	register("matrix_diag", "reshape + concat(input, diagonal) + gather with a constant index map", convertMatrixSetDiag(2), "MatrixSetDiagV2")
	register("matrix_diag", "reshape + concat(input, diagonal) + gather with a constant index map", convertMatrixSetDiag(3), "MatrixSetDiagV3")
	register("matrix_diag", "reshape + concat(zero) + gather with a constant index map + reshape", convertDiag, "Diag")
	register("matrix_diag", "reshape + gather with a constant index map + reshape", convertDiagPart, "DiagPart")
}

// maxDiagIndexMap bounds the constant index maps (elements).
const maxDiagIndexMap = 1 << 22

// diagBand is the geometry of a band of diagonals of [M, N] matrices.
type diagBand struct {
	m, n, k0, k1, maxLen int
	rightSup, rightSub   bool
}

func (b diagBand) num() int { return b.k1 - b.k0 + 1 }

func (b diagBand) offset(d int) int {
	if (d >= 0 && b.rightSup) || (d <= 0 && b.rightSub) {
		l := min(b.n-max(d, 0), b.m+min(d, 0))
		return b.maxLen - l
	}
	return 0
}

// element returns the matrix element [m, n] at position p of diagonal d,
// and whether it is inside the matrix.
func (b diagBand) element(d, p int) (int, int, bool) {
	col := p - b.offset(d) + max(d, 0)
	row := col - d
	return row, col, row >= 0 && row < b.m && col >= 0 && col < b.n
}

// position returns the flat position (diagonal index · maxLen + position
// in it) of matrix element [m, n] in the band's diagonals, or -1.
func (b diagBand) position(m, n int) int {
	d := n - m
	if d < b.k0 || d > b.k1 {
		return -1
	}
	p := n - max(d, 0) + b.offset(d)
	if p < 0 || p >= b.maxLen {
		return -1
	}
	return (b.k1-d)*b.maxLen + p
}

// alignment reads V3's align attribute (V1, V2: LEFT_LEFT).
func alignment(n *node, version int) (sup, sub bool, err error) {
	if version < 3 {
		return false, false, nil
	}
	a, err := n.attrStringOr("align", "RIGHT_LEFT")
	if err != nil {
		return false, false, err
	}
	switch a {
	case "LEFT_LEFT":
		return false, false, nil
	case "LEFT_RIGHT":
		return false, true, nil
	case "RIGHT_LEFT":
		return true, false, nil
	case "RIGHT_RIGHT":
		return true, true, nil
	}
	return false, false, n.errorf("align %q: want LEFT_LEFT, LEFT_RIGHT, RIGHT_LEFT or RIGHT_RIGHT", a)
}

// diagK reads the constant diagonal offsets k (a scalar or a pair).
func (c *ctx) diagK(n *node, i int) (int, int, error) {
	k, err := c.constInts(n, i)
	if err != nil {
		return 0, 0, err
	}
	switch len(k) {
	case 1:
		return k[0], k[0], nil
	case 2:
		if k[0] > k[1] {
			return 0, 0, n.errorf("k %v: the lower diagonal index is larger than the upper", k)
		}
		return k[0], k[1], nil
	}
	return 0, 0, n.errorf("k has %d values; want 1 or 2", len(k))
}

// diagPadding returns the padding value input i as a scalar value of x's
// type, checking its shape.
func (c *ctx) diagPadding(n *node, i int, dt tensor.DType) (*ir.Value, error) {
	p, err := c.input(n, i)
	if err != nil {
		return nil, err
	}
	if p.Type.Shape.Size() != 1 || p.Type.Rank() > 1 {
		return nil, n.errorf("padding_value has shape %v; want a scalar", p.Type.Shape)
	}
	if p.Type.DType != dt {
		return nil, n.errorf("padding_value is %v; want %v", p.Type.DType, dt)
	}
	return p, nil
}

// gatherMap flattens the last `inner` dimensions of x, appends each
// extra value (broadcast over the batch dimensions, flattened likewise)
// along that axis and gathers with the constant index map idx: the
// result has shape batch + idx's shape.
func (c *ctx) gatherMap(n *node, x *ir.Value, inner int, extra []*ir.Value, idx []int32, idxShape tensor.Shape) (*ir.Value, error) {
	if len(idx) > maxDiagIndexMap {
		return nil, n.errorf("index map of %d elements; at most %d are supported", len(idx), maxDiagIndexMap)
	}
	batch := x.Type.Shape[:x.Type.Rank()-inner]
	flat := func(v *ir.Value, k int) (*ir.Value, error) {
		s := append(batch.Clone(), v.Type.Shape[v.Type.Rank()-k:].Size())
		if v.Type.Shape.Equal(s) {
			return v, nil
		}
		return c.reshape(n, v, s)
	}
	xf, err := flat(x, inner)
	if err != nil {
		return nil, err
	}
	parts := []*ir.Value{xf}
	for _, e := range extra {
		if e.Type.Rank() <= 1 && e.Type.Shape.Size() == 1 { // a scalar: broadcast over the batch
			one := make(tensor.Shape, len(batch)+1)
			for i := range one {
				one[i] = 1
			}
			r, err := c.reshape(n, e, one)
			if err != nil {
				return nil, err
			}
			if len(batch) > 0 && batch.Size() != 1 {
				if r, err = c.emit(n, ir.OpBroadcast, ir.Attrs{"shape": []int(append(batch.Clone(), 1))}, r); err != nil {
					return nil, err
				}
			}
			parts = append(parts, r)
			continue
		}
		ef, err := flat(e, e.Type.Rank()-len(batch))
		if err != nil {
			return nil, err
		}
		parts = append(parts, ef)
	}
	src := xf
	if len(parts) > 1 {
		if src, err = c.emit(n, ir.OpConcat, ir.Attrs{"axis": len(batch)}, parts...); err != nil {
			return nil, err
		}
	}
	it := c.constant(n, tensor.FromI32(idxShape.Clone(), idx))
	return c.emit(n, ir.OpGather, ir.Attrs{"axis": len(batch), "batch_dims": 0}, src, it)
}

// convertMatrixDiag: MatrixDiag(diagonal), MatrixDiagV2/V3(diagonal, k,
// num_rows, num_cols, padding_value).
func convertMatrixDiag(version int) converter {
	return func(c *ctx, n *node) error {
		nin := 5
		if version == 1 {
			nin = 1
		}
		vs, err := c.inputs(n, nin, nin)
		if err != nil {
			return err
		}
		x := vs[0]
		r := x.Type.Rank()
		if r < 1 {
			return n.errorf("diagonal is a scalar; want rank ≥ 1")
		}
		var b diagBand
		rows, cols := -1, -1
		var pad *ir.Value
		if version > 1 {
			if b.k0, b.k1, err = c.diagK(n, 1); err != nil {
				return err
			}
			if rows, err = c.constAxis(n, 2); err != nil {
				return err
			}
			if cols, err = c.constAxis(n, 3); err != nil {
				return err
			}
			if b.rightSup, b.rightSub, err = alignment(n, version); err != nil {
				return err
			}
			if pad, err = c.diagPadding(n, 4, x.Type.DType); err != nil {
				return err
			}
		} else {
			pad = c.scalar(n, x.Type.DType, 0)
		}
		inner := 1
		if b.num() > 1 {
			if r < 2 {
				return n.errorf("diagonal has shape %v; a band of %d diagonals wants rank ≥ 2", x.Type.Shape, b.num())
			}
			if x.Type.Shape[r-2] != b.num() {
				return n.errorf("diagonal has shape %v; its second innermost dimension must be the number of diagonals, %d", x.Type.Shape, b.num())
			}
			inner = 2
		}
		b.maxLen = x.Type.Shape[r-1]
		minRows, minCols := b.maxLen-min(b.k1, 0), b.maxLen+max(b.k0, 0)
		switch {
		case rows == -1 && cols == -1:
			rows = max(minRows, minCols)
			cols = rows
		case rows == -1:
			rows = minRows
		case cols == -1:
			cols = minCols
		}
		if rows < minRows || cols < minCols || (rows != minRows && cols != minCols) {
			return n.errorf("num_rows %d and num_cols %d do not fit k [%d, %d] and diagonals of length %d (want num_rows = %d or num_cols = %d, neither smaller)",
				rows, cols, b.k0, b.k1, b.maxLen, minRows, minCols)
		}
		b.m, b.n = rows, cols
		padAt := int32(b.num() * b.maxLen)
		idx := make([]int32, 0, rows*cols)
		if rows*cols > maxDiagIndexMap {
			return n.errorf("%d×%d matrices; at most %d elements are supported", rows, cols, maxDiagIndexMap)
		}
		for m := range rows {
			for k := range cols {
				p := b.position(m, k)
				if p < 0 {
					idx = append(idx, padAt)
				} else {
					idx = append(idx, int32(p))
				}
			}
		}
		v, err := c.gatherMap(n, x, inner, []*ir.Value{pad}, idx, tensor.Shape{rows, cols})
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
}

// convertMatrixDiagPart: MatrixDiagPart(input), MatrixDiagPartV2/V3(input,
// k, padding_value).
func convertMatrixDiagPart(version int) converter {
	return func(c *ctx, n *node) error {
		nin := 3
		if version == 1 {
			nin = 1
		}
		vs, err := c.inputs(n, nin, nin)
		if err != nil {
			return err
		}
		x := vs[0]
		r := x.Type.Rank()
		if r < 2 {
			return n.errorf("input has shape %v; want rank ≥ 2", x.Type.Shape)
		}
		b := diagBand{m: x.Type.Shape[r-2], n: x.Type.Shape[r-1]}
		var pad *ir.Value
		if version > 1 {
			if b.k0, b.k1, err = c.diagK(n, 1); err != nil {
				return err
			}
			if b.rightSup, b.rightSub, err = alignment(n, version); err != nil {
				return err
			}
			if pad, err = c.diagPadding(n, 2, x.Type.DType); err != nil {
				return err
			}
		}
		if b.m > 0 && b.n > 0 && (b.k0 <= -b.m || b.k0 >= b.n || b.k1 <= -b.m || b.k1 >= b.n) {
			return n.errorf("k [%d, %d] is outside the diagonals of %d×%d matrices, (-%d, %d)", b.k0, b.k1, b.m, b.n, b.m, b.n)
		}
		b.maxLen = max(0, min(b.m+min(b.k1, 0), b.n-max(b.k0, 0)))
		padAt := int32(b.m * b.n)
		idx := make([]int32, 0, b.num()*b.maxLen)
		if b.num()*b.maxLen > maxDiagIndexMap {
			return n.errorf("%d diagonals of %d elements; at most %d elements are supported", b.num(), b.maxLen, maxDiagIndexMap)
		}
		needPad := false
		for i := range b.num() {
			d := b.k1 - i
			for p := range b.maxLen {
				row, col, ok := b.element(d, p)
				if ok {
					idx = append(idx, int32(row*b.n+col))
				} else {
					idx = append(idx, padAt)
					needPad = true
				}
			}
		}
		shape := tensor.Shape{b.maxLen}
		if b.num() > 1 {
			shape = tensor.Shape{b.num(), b.maxLen}
		}
		var extra []*ir.Value
		if needPad {
			extra = []*ir.Value{pad}
		}
		v, err := c.gatherMap(n, x, 2, extra, idx, shape)
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
}

// convertMatrixSetDiag: MatrixSetDiag(input, diagonal),
// MatrixSetDiagV2/V3(input, diagonal, k).
func convertMatrixSetDiag(version int) converter {
	return func(c *ctx, n *node) error {
		nin := 3
		if version == 1 {
			nin = 2
		}
		vs, err := c.inputs(n, nin, nin)
		if err != nil {
			return err
		}
		x, diag := vs[0], vs[1]
		r := x.Type.Rank()
		if r < 2 {
			return n.errorf("input has shape %v; want rank ≥ 2", x.Type.Shape)
		}
		if diag.Type.DType != x.Type.DType {
			return n.errorf("diagonal is %v; want %v as input", diag.Type.DType, x.Type.DType)
		}
		b := diagBand{m: x.Type.Shape[r-2], n: x.Type.Shape[r-1]}
		if version > 1 {
			if b.k0, b.k1, err = c.diagK(n, 2); err != nil {
				return err
			}
			if b.rightSup, b.rightSub, err = alignment(n, version); err != nil {
				return err
			}
		}
		if b.m > 0 && b.n > 0 && (b.k0 <= -b.m || b.k0 >= b.n || b.k1 <= -b.m || b.k1 >= b.n) {
			return n.errorf("k [%d, %d] is outside the diagonals of %d×%d matrices, (-%d, %d)", b.k0, b.k1, b.m, b.n, b.m, b.n)
		}
		b.maxLen = max(0, min(b.m+min(b.k1, 0), b.n-max(b.k0, 0)))
		want := x.Type.Shape[:r-2].Clone()
		if b.num() > 1 {
			want = append(want, b.num())
		}
		want = append(want, b.maxLen)
		if !diag.Type.Shape.Equal(want) {
			return n.errorf("diagonal has shape %v; want %v for input %v and k [%d, %d]", diag.Type.Shape, want, x.Type.Shape, b.k0, b.k1)
		}
		if b.m*b.n > maxDiagIndexMap {
			return n.errorf("%d×%d matrices; at most %d elements are supported", b.m, b.n, maxDiagIndexMap)
		}
		base := int32(b.m * b.n)
		idx := make([]int32, 0, b.m*b.n)
		for m := range b.m {
			for k := range b.n {
				if p := b.position(m, k); p >= 0 {
					idx = append(idx, base+int32(p))
				} else {
					idx = append(idx, int32(m*b.n+k))
				}
			}
		}
		v, err := c.gatherMap(n, x, 2, []*ir.Value{diag}, idx, tensor.Shape{b.m, b.n})
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
}

// convertDiag: Diag(diagonal) of shape s is the [P, P] (P = |s|) diagonal
// matrix of the flattened values, reshaped to s + s.
func convertDiag(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	if x.Type.Rank() < 1 {
		return n.errorf("diagonal is a scalar; want rank ≥ 1")
	}
	s := x.Type.Shape
	p := s.Size()
	if p*p > maxDiagIndexMap {
		return n.errorf("a %d×%d result; at most %d elements are supported", p, p, maxDiagIndexMap)
	}
	idx := make([]int32, p*p)
	for i := range idx {
		idx[i] = int32(p)
	}
	for i := range p {
		idx[i*p+i] = int32(i)
	}
	v, err := c.gatherMap(n, x, x.Type.Rank(), []*ir.Value{c.scalar(n, x.Type.DType, 0)}, idx, tensor.Shape{p, p})
	if err != nil {
		return err
	}
	if v, err = c.reshape(n, v, append(s.Clone(), s...)); err != nil {
		return err
	}
	return c.bind(n, v)
}

// convertDiagPart: DiagPart(input) of shape s + s is the diagonal of its
// [P, P] flattening, reshaped to s.
func convertDiagPart(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	r := x.Type.Rank()
	if r == 0 || r%2 != 0 || !x.Type.Shape[:r/2].Equal(x.Type.Shape[r/2:]) {
		return n.errorf("input has shape %v; want s + s (even rank, two equal halves)", x.Type.Shape)
	}
	s := x.Type.Shape[:r/2]
	p := s.Size()
	idx := make([]int32, p)
	for i := range p {
		idx[i] = int32(i*p + i)
	}
	v, err := c.gatherMap(n, x, r, nil, idx, tensor.Shape{p})
	if err != nil {
		return err
	}
	if v, err = c.reshape(n, v, s.Clone()); err != nil {
		return err
	}
	return c.bind(n, v)
}
