package ir

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tfc-dev/tfc/tensor"
)

// Attrs are attributes by name, as they are written when an op is made
// (NewOp, Emit); the op holds them as an AttrList. Every attribute an
// opcode declares is present on every op of that opcode: the IR has no
// implicit defaults, so what is printed is everything there is.
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

// List returns the attributes as an op holds them.
func (a Attrs) List() AttrList {
	if len(a) == 0 {
		return nil
	}
	l := make(AttrList, 0, len(a))
	for name, v := range a {
		l = append(l, Attr{Name: name, Value: v})
	}
	slices.SortFunc(l, func(x, y Attr) int { return strings.Compare(x.Name, y.Name) })
	return l
}

// An AttrList is an op's attributes, sorted by name, as MLIR's
// DictionaryAttr holds them: an op has a few, and a list of them is one
// small allocation where a Go map of even one attribute is a 336-byte
// table (a million-op program held 190 MB of them).
type AttrList []Attr

// An Attr is one named attribute; Value has the Go type of its kind
// (see Attrs).
type Attr struct {
	Name  string
	Value any
}

// Get returns the attribute name and whether l has it.
func (l AttrList) Get(name string) (any, bool) {
	for i := range l {
		if l[i].Name == name {
			return l[i].Value, true
		}
	}
	return nil, false
}

// Value returns the attribute name, or nil.
func (l AttrList) Value(name string) any {
	v, _ := l.Get(name)
	return v
}

// Set sets the attribute name to v, adding it in order if l lacks it.
func (l *AttrList) Set(name string, v any) {
	i, found := slices.BinarySearchFunc(*l, name, func(a Attr, name string) int { return strings.Compare(a.Name, name) })
	if found {
		(*l)[i].Value = v
		return
	}
	*l = slices.Insert(*l, i, Attr{Name: name, Value: v})
}

// Delete removes the attribute name, if l has it.
func (l *AttrList) Delete(name string) {
	*l = slices.DeleteFunc(*l, func(a Attr) bool { return a.Name == name })
}

// Map returns the attributes by name (a new map).
func (l AttrList) Map() Attrs {
	m := make(Attrs, len(l))
	for _, a := range l {
		m[a.Name] = a.Value
	}
	return m
}

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
	v, ok := op.Attrs.Value(name).(T)
	if !ok {
		panic(fmt.Sprintf("ir: %s has no %T attribute %q", op.Opcode, v, name))
	}
	return v
}

// checkAttrs checks op.Attrs against the opcode's specs: every declared
// attribute present with the right kind and enum value, nothing else.
func checkAttrs(op *Op) error {
	for i := 1; i < len(op.Attrs); i++ {
		if op.Attrs[i-1].Name >= op.Attrs[i].Name {
			return fmt.Errorf("attributes %q and %q are out of order or repeated (an AttrList is sorted by name)", op.Attrs[i-1].Name, op.Attrs[i].Name)
		}
	}
	info := op.Opcode.Info()
	for _, s := range info.Attrs {
		v, ok := op.Attrs.Get(s.Name)
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
		for _, a := range op.Attrs {
			if info.Attr(a.Name) == nil {
				return fmt.Errorf("unknown attribute %q", a.Name)
			}
		}
	}
	return nil
}
