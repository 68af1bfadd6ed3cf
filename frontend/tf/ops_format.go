package tf

import (
	"strings"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// DataFormatDimMap, the data-format arithmetic of layout-converting
// graphs: a dimension index of src_format → its index in dst_format, a
// gather of a constant table built from the two format strings at
// floormod(x, rank); the index itself may be computed at run time.
// (DataFormatVecPermute is in ops_sequence.go.)

func init() {
	register("format", "gather of a constant table at floormod(x, rank)", convertDataFormatDimMap, "DataFormatDimMap")
}

// formats reads src_format and dst_format, which must be permutations of
// each other.
func formats(n *node) (string, string, error) {
	src, err := n.attrStringOr("src_format", "NHWC")
	if err != nil {
		return "", "", err
	}
	dst, err := n.attrStringOr("dst_format", "NCHW")
	if err != nil {
		return "", "", err
	}
	if len(src) != len(dst) || len(src) < 1 {
		return "", "", n.errorf("formats %q and %q: want two permutations of the same letters", src, dst)
	}
	for _, ch := range src {
		if strings.Count(src, string(ch)) != 1 || strings.Count(dst, string(ch)) != 1 {
			return "", "", n.errorf("formats %q and %q: want two permutations of the same letters", src, dst)
		}
	}
	return src, dst, nil
}

// convertDataFormatDimMap: y = index in dst of src[x mod len] (x in
// [-len, len), as TensorFlow requires; others wrap here).
func convertDataFormatDimMap(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	src, dst, err := formats(n)
	if err != nil {
		return err
	}
	dt := x.Type.DType
	if dt != tensor.Int32 && dt != tensor.Int64 {
		return n.errorf("x is %v; want int32 or int64", dt)
	}
	k := len(src)
	table := make([]int, k)
	for i := range k {
		table[i] = strings.IndexByte(dst, src[i])
	}
	tt, err := intsTensor(n, dt, tensor.Shape{k}, table)
	if err != nil {
		return err
	}
	idx, err := c.emit(n, ir.OpFloorMod, nil, x, c.scalar(n, dt, float64(k)))
	if err != nil {
		return err
	}
	v, err := c.emit(n, ir.OpGather, ir.Attrs{"axis": 0, "batch_dims": 0}, c.constant(n, tt), idx)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}
