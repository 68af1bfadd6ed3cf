package ir

import (
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

// Attrs holds an op's attributes by name. Every attribute an opcode
// declares is present on every op of that opcode: the IR has no implicit
// defaults, so what is printed is everything there is.
//
// Values have one of these Go types, fixed per attribute by its AttrKind:
//
//	AttrInt     int
//	AttrInts    []int
//	AttrFloat   float64
//	AttrBool    bool
//	AttrString  string  (an enum when AttrSpec.Enum is set)
//	AttrDType   tensor.DType
//	AttrTensor  *tensor.Tensor
type Attrs map[string]any

// AttrKind is the type of an attribute.
type AttrKind uint8

// The attribute kinds.
const (
	AttrInt AttrKind = iota + 1
	AttrInts
	AttrFloat
	AttrBool
	AttrString
	AttrDType
	AttrTensor
)

func (k AttrKind) String() string {
	switch k {
	case AttrInt:
		return "int"
	case AttrInts:
		return "ints"
	case AttrFloat:
		return "float"
	case AttrBool:
		return "bool"
	case AttrString:
		return "string"
	case AttrDType:
		return "dtype"
	case AttrTensor:
		return "tensor"
	}
	return fmt.Sprintf("AttrKind(%d)", uint8(k))
}

// AttrSpec declares one attribute of an opcode.
type AttrSpec struct {
	Name string
	Kind AttrKind
	// Enum lists the allowed values of an AttrString attribute (nil: any string).
	Enum []string
}

// checkKind reports whether v has the Go type of kind k.
func checkKind(k AttrKind, v any) bool {
	switch v.(type) {
	case int:
		return k == AttrInt
	case []int:
		return k == AttrInts
	case float64:
		return k == AttrFloat
	case bool:
		return k == AttrBool
	case string:
		return k == AttrString
	case tensor.DType:
		return k == AttrDType
	case *tensor.Tensor:
		return k == AttrTensor
	}
	return false
}

// Int returns the int attribute name; it panics if the op does not have
// it (ops are verified before use, so that is a bug in tfc).
func (op *Op) Int(name string) int { return attr[int](op, name) }

// Ints returns the []int attribute name.
func (op *Op) Ints(name string) []int { return attr[[]int](op, name) }

// Float returns the float64 attribute name.
func (op *Op) Float(name string) float64 { return attr[float64](op, name) }

// Bool returns the bool attribute name.
func (op *Op) Bool(name string) bool { return attr[bool](op, name) }

// Str returns the string attribute name.
func (op *Op) Str(name string) string { return attr[string](op, name) }

// DType returns the dtype attribute name.
func (op *Op) DType(name string) tensor.DType { return attr[tensor.DType](op, name) }

// Tensor returns the tensor attribute name.
func (op *Op) Tensor(name string) *tensor.Tensor { return attr[*tensor.Tensor](op, name) }

func attr[T any](op *Op, name string) T {
	v, ok := op.Attrs[name].(T)
	if !ok {
		panic(fmt.Sprintf("ir: %s has no %T attribute %q", op.Opcode, v, name))
	}
	return v
}

// checkAttrs checks op.Attrs against the opcode's specs: every declared
// attribute present with the right kind and enum value, nothing else.
func checkAttrs(op *Op) error {
	info := op.Opcode.Info()
	for _, s := range info.Attrs {
		v, ok := op.Attrs[s.Name]
		if !ok {
			return fmt.Errorf("missing attribute %q", s.Name)
		}
		if !checkKind(s.Kind, v) {
			return fmt.Errorf("attribute %q is %T, want %v", s.Name, v, s.Kind)
		}
		switch v := v.(type) {
		case int:
			if v > maxAttrInt || v < -maxAttrInt {
				return fmt.Errorf("attribute %s=%d is out of range", s.Name, v)
			}
		case []int:
			for _, x := range v {
				if x > maxAttrInt || x < -maxAttrInt {
					return fmt.Errorf("attribute %s has value %d, out of range", s.Name, x)
				}
			}
		}
		if s.Enum != nil {
			str := v.(string)
			found := false
			for _, e := range s.Enum {
				found = found || e == str
			}
			if !found {
				return fmt.Errorf("attribute %s=%q is not one of %q", s.Name, str, s.Enum)
			}
		}
	}
	if len(op.Attrs) != len(info.Attrs) {
		for name := range op.Attrs {
			if info.Attr(name) == nil {
				return fmt.Errorf("unknown attribute %q", name)
			}
		}
	}
	return nil
}
