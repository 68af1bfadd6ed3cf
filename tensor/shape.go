package tensor

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Shape is the list of a tensor's dimensions, outermost first. A scalar has
// the empty shape. A dimension of -1 (Unknown) means not known statically;
// tensors that hold data never have unknown dimensions.
type Shape []int

// Unknown marks a dimension whose size is not known statically.
const Unknown = -1

// MaxElements bounds the number of elements of any tensor tfc will build or
// allocate (2^40). Shapes whose product exceeds it are rejected by
// NumElements so that hostile graphs cannot make tfc overflow or exhaust
// memory.
const MaxElements = 1 << 40

// ErrShapeOverflow is returned when a shape's element count exceeds MaxElements.
var ErrShapeOverflow = errors.New("shape has too many elements")

// Rank is the number of dimensions.
func (s Shape) Rank() int { return len(s) }

// Known reports whether every dimension is known.
func (s Shape) Known() bool {
	for _, d := range s {
		if d < 0 {
			return false
		}
	}
	return true
}

// NumElements returns the product of the dimensions. It returns an error
// for unknown or negative dimensions and when the product exceeds
// MaxElements.
func (s Shape) NumElements() (int, error) {
	n := 1
	for i, d := range s {
		if d < 0 {
			return 0, fmt.Errorf("dimension %d of %v is not known", i, s)
		}
		if d != 0 && n > MaxElements/d {
			return 0, fmt.Errorf("%v: %w", s, ErrShapeOverflow)
		}
		n *= d
	}
	return n, nil
}

// Size returns the product of the dimensions; it must only be used on
// shapes already checked by NumElements (it panics otherwise).
func (s Shape) Size() int {
	n, err := s.NumElements()
	if err != nil {
		panic(err)
	}
	return n
}

// Equal reports whether two shapes are identical.
func (s Shape) Equal(t Shape) bool {
	if len(s) != len(t) {
		return false
	}
	for i := range s {
		if s[i] != t[i] {
			return false
		}
	}
	return true
}

// Clone returns a copy of s; a scalar's copy is an empty, non-nil Shape.
func (s Shape) Clone() Shape {
	c := make(Shape, len(s))
	copy(c, s)
	return c
}

// Strides returns the row-major element strides of s.
func (s Shape) Strides() []int {
	st := make([]int, len(s))
	n := 1
	for i := len(s) - 1; i >= 0; i-- {
		st[i] = n
		n *= s[i]
	}
	return st
}

// String formats s as in the IR text form: [1,224,224,3], with ? for an
// unknown dimension, and [] for a scalar.
func (s Shape) String() string {
	var b strings.Builder
	b.WriteByte('[')
	for i, d := range s {
		if i > 0 {
			b.WriteByte(',')
		}
		if d < 0 {
			b.WriteByte('?')
		} else {
			b.WriteString(strconv.Itoa(d))
		}
	}
	b.WriteByte(']')
	return b.String()
}

// ParseShape parses the form written by Shape.String ("[1,?,3]"; spaces
// allowed after commas). Dimensions must be ? or non-negative integers.
func ParseShape(str string) (Shape, error) {
	t := strings.TrimSpace(str)
	if len(t) < 2 || t[0] != '[' || t[len(t)-1] != ']' {
		return nil, fmt.Errorf("shape %q: want [d0,d1,...]", str)
	}
	t = strings.TrimSpace(t[1 : len(t)-1])
	s := Shape{}
	if t == "" {
		return s, nil
	}
	for _, f := range strings.Split(t, ",") {
		f = strings.TrimSpace(f)
		if f == "?" || f == "-1" {
			s = append(s, Unknown)
			continue
		}
		d, err := strconv.Atoi(f)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("shape %q: bad dimension %q", str, f)
		}
		s = append(s, d)
	}
	if s.Known() {
		if _, err := s.NumElements(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// BroadcastShapes returns the numpy broadcast of a and b: shapes are aligned
// at their last dimension, and each pair of dimensions must be equal or
// one of them 1.
func BroadcastShapes(a, b Shape) (Shape, error) {
	n := max(len(a), len(b))
	out := make(Shape, n)
	for i := range n {
		da, db := 1, 1
		if j := len(a) - n + i; j >= 0 {
			da = a[j]
		}
		if j := len(b) - n + i; j >= 0 {
			db = b[j]
		}
		switch {
		case da == db:
			out[i] = da
		case da == 1:
			out[i] = db
		case db == 1:
			out[i] = da
		case da < 0 || db < 0:
			out[i] = Unknown
		default:
			return nil, fmt.Errorf("shapes %v and %v do not broadcast (dimension %d: %d vs %d)", a, b, i, da, db)
		}
	}
	return out, nil
}

// NormAxis maps a possibly negative axis into [0, rank). It returns an
// error if axis is out of [-rank, rank).
func NormAxis(axis, rank int) (int, error) {
	if axis < -rank || axis >= rank {
		return 0, fmt.Errorf("axis %d out of range for rank %d", axis, rank)
	}
	if axis < 0 {
		axis += rank
	}
	return axis, nil
}
