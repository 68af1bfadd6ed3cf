package interp

import (
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/tensor"
)

// The kernels of the shape-value ops (ir/ops_shape.go): they read their
// shape operands' values at run time, as TensorFlow does.

// shapeOf is the shape op: the dimensions of s as a vector of dtype dt.
func shapeOf(s tensor.Shape, dt tensor.DType) (*tensor.Tensor, error) {
	t, err := tensor.New(dt, tensor.Shape{len(s)})
	if err != nil {
		return nil, err
	}
	for i, d := range s {
		switch dt {
		case tensor.Int32:
			if d > math.MaxInt32 {
				return nil, fmt.Errorf("dimension %d of %v does not fit in i32", i, s)
			}
			t.I32[i] = int32(d)
		case tensor.Int64:
			t.I64[i] = int64(d)
		default:
			return nil, fmt.Errorf("shape of element type %v", dt)
		}
	}
	return t, nil
}

// shapeOperand reads a shape operand: dimensions ≥ 0.
func shapeOperand(t *tensor.Tensor) (tensor.Shape, error) {
	vals, err := t.Ints()
	if err != nil {
		return nil, err
	}
	for _, v := range vals {
		if v < 0 {
			return nil, fmt.Errorf("shape %v has a negative dimension", vals)
		}
	}
	s := tensor.Shape(vals)
	if _, err := s.NumElements(); err != nil {
		return nil, err
	}
	return s, nil
}

// resolveReshape reads dynamic_reshape's shape operand, resolving its -1
// from the element count of x.
func resolveReshape(x tensor.Shape, t *tensor.Tensor) (tensor.Shape, error) {
	vals, err := t.Ints()
	if err != nil {
		return nil, err
	}
	s := tensor.Shape(vals)
	infer, known := -1, 1
	for i, v := range vals {
		switch {
		case v == -1 && infer < 0:
			infer = i
		case v < 0:
			return nil, fmt.Errorf("shape %v: at most one -1 and no other negative dimension", vals)
		default:
			if known, err = mulSize(known, v); err != nil {
				return nil, err
			}
		}
	}
	n := x.Size()
	if infer >= 0 {
		if known == 0 || n%known != 0 {
			return nil, fmt.Errorf("cannot reshape %v to %v", x, vals)
		}
		s = s.Clone()
		s[infer] = n / known
	} else if known != n {
		return nil, fmt.Errorf("cannot reshape %v (%d elements) to %v", x, n, vals)
	}
	return s, nil
}

func mulSize(a, b int) (int, error) {
	if b != 0 && a > tensor.MaxElements/b {
		return 0, fmt.Errorf("size %d*%d is out of range", a, b)
	}
	return a * b, nil
}

// intRange is the range op: start, start+delta, ... up to (not including)
// limit, of the operands' integer type, TensorFlow's Range.
func intRange(start, limit, delta *tensor.Tensor) (*tensor.Tensor, error) {
	if start.Len() != 1 || limit.Len() != 1 || delta.Len() != 1 {
		return nil, fmt.Errorf("range operands must be scalars")
	}
	s, l, d := start.Int64At(0), limit.Int64At(0), delta.Int64At(0)
	switch {
	case d == 0:
		return nil, fmt.Errorf("range delta is 0")
	case d > 0 && s > l, d < 0 && s < l:
		return nil, fmt.Errorf("range from %d to %d by %d is empty backwards", s, l, d)
	}
	ad := max(d, -d)
	n := (max(l-s, s-l) + ad - 1) / ad
	if n > tensor.MaxElements {
		return nil, fmt.Errorf("range of %d elements is too large", n)
	}
	t, err := tensor.New(start.DType, tensor.Shape{int(n)})
	if err != nil {
		return nil, err
	}
	for i := range int(n) {
		v := s + int64(i)*d
		if t.DType == tensor.Int32 {
			t.I32[i] = int32(v)
		} else {
			t.I64[i] = v
		}
	}
	return t, nil
}
