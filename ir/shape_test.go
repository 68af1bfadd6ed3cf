package ir

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

// TestShapeValuesGolden parses, verifies and reprints the shape-value
// program: every result type there was computed by the type rules from
// shape values with symbolic elements.
func TestShapeValuesGolden(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "shape_values.tfir"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse("shape_values.tfir", src)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(f); err != nil {
		t.Fatal(err)
	}
	if got := printString(t, f, PrintOptions{}); got != string(src) {
		t.Errorf("prints differently:\n%s", firstDiff(string(src), got))
	}
	want := map[string]string{"%15": "[N/2,S/2,32]", "%16": "[2*(N/2),2*(S/2),64]", "%4": "[N*S]", "%11": "[N,-1,4,16]"}
	for i, op := range f.Ops {
		r := op.Results[0]
		name := "%" + strconv.Itoa(i)
		if w, ok := want[name]; ok {
			vals, err := ShapeValue(r)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			var parts []string
			for _, d := range vals {
				parts = append(parts, d.String())
			}
			if got := "[" + strings.Join(parts, ",") + "]"; got != w {
				t.Errorf("ShapeValue(%s) = %s, want %s", name, got, w)
			}
		}
	}
	// Specialized, every shape value is a constant and the program static.
	g, err := Specialize(f, map[string]int64{"N": 3, "S": 5})
	if err != nil {
		t.Fatal(err)
	}
	if g.Symbolic() {
		t.Errorf("specialized program is still symbolic")
	}
	var sliced []tensor.Shape
	for _, op := range g.Ops {
		if op.Opcode == OpDynamicSlice {
			sliced = append(sliced, op.Results[0].Type.Shape)
		}
		if op.Opcode == OpDynamicReshape && !slices.Equal(op.Results[0].Type.Shape, []int{15, 64}) && !slices.Equal(op.Results[0].Type.Shape, []int{3, 5, 4, 16}) && !slices.Equal(op.Results[0].Type.Shape, []int{1, 1, 64}) {
			t.Errorf("specialized %v", op.Results[0].Type)
		}
	}
	if want := []tensor.Shape{{3, 4, 64}, {3, 5, 64}, {3, 1, 64}}; !slices.EqualFunc(sliced, want, tensor.Shape.Equal) {
		t.Errorf("specialized dynamic_slice shapes %v, want %v", sliced, want)
	}
}

// TestShapeValuesRejected: shape operands that are not shape values, and
// results the rules cannot prove, are errors naming the reason.
func TestShapeValuesRejected(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"shape read from an input",
			`%0 = input {name="x"} : f32[N,4]
  %1 = input {name="s"} : i32[2]
  %2 = dynamic_reshape(%0, %1) : f32[N,4]`, "input: its result is not computed from dimensions and constants"},
		{"element count not provable",
			`%0 = input {name="x"} : f32[N,4]
  %1 = const {value=dense<[3,-1]>} : i32[2]
  %2 = dynamic_reshape(%0, %1) : f32[3,N]`, "the -1 is not a whole size"},
		{"element count differs",
			`%0 = input {name="x"} : f32[N,4]
  %1 = shape(%0) {dtype=i32} : i32[2]
  %2 = const {value=dense<[2]>} : i32[]
  %3 = mul(%1, %2) : i32[2]
  %4 = dynamic_reshape(%0, %3) : f32[2*N,8]`, "(4*N elements) to [2*N,8] (16*N elements)"},
		{"two -1",
			`%0 = input {name="x"} : f32[N,4]
  %1 = const {value=dense<[-1,-1]>} : i32[2]
  %2 = dynamic_reshape(%0, %1) : f32[N,4]`, "at most one -1"},
		{"division by a computed value",
			`%0 = input {name="x"} : f32[N,4]
  %1 = shape(%0) {dtype=i32} : i32[2]
  %2 = floor_div(%1, %1) : i32[2]
  %3 = dynamic_broadcast(%0, %2) : f32[1,1]`, "divisor N is not a positive constant"},
		{"broadcast of N to M",
			`%0 = input {name="x"} : f32[N,4]
  %1 = input {name="y"} : f32[M,4]
  %2 = shape(%1) {dtype=i64} : i64[2]
  %3 = dynamic_broadcast(%0, %2) : f32[M,4]`, "cannot broadcast f32[N,4] to [M,4]"},
		{"shape with a float dtype",
			`%0 = input {name="x"} : f32[N,4]
  %1 = shape(%0) {dtype=f32} : f32[2]`, "dtype has element type f32"},
		{"slice size that does not follow the dimension",
			`%0 = input {name="x"} : f32[N,4]
  %1 = input {name="y"} : f32[M,4]
  %2 = shape(%1) {dtype=i32} : i32[2]
  %3 = dynamic_slice(%0, %2) {start=[0,0], stride=[1,1]} : f32[M,4]`, "size M does not follow N"},
		{"slice past the end of a symbolic dimension",
			`%0 = input {name="x"} : f32[N,4]
  %1 = shape(%0) {dtype=i32} : i32[2]
  %2 = dynamic_slice(%0, %1) {start=[1,0], stride=[1,1]} : f32[N,4]`, "needs 0 ≤ start ≤ 0 (start 1)"},
		{"symbolic slice size with stride 2",
			`%0 = input {name="x"} : f32[N,4]
  %1 = shape(%0) {dtype=i32} : i32[2]
  %2 = dynamic_slice(%0, %1) {start=[0,0], stride=[2,1]} : f32[N,4]`, "with stride 2 (only 1 and -1)"},
		{"reverse from the start",
			`%0 = input {name="x"} : f32[N,4]
  %1 = shape(%0) {dtype=i32} : i32[2]
  %2 = dynamic_slice(%0, %1) {start=[0,0], stride=[-1,1]} : f32[N,4]`, "needs -1 ≤ start < 0 (start 0)"},
		{"slice window crossing from the end to the start",
			`%0 = input {name="x"} : f32[N,4]
  %1 = const {value=dense<[3,4]>} : i32[2]
  %2 = dynamic_slice(%0, %1) {start=[-2,0], stride=[1,1]} : f32[3,4]`, "indices -2..0 step 1 cross 0"},
		{"slice outside a static dimension",
			`%0 = input {name="x"} : f32[N,4]
  %1 = const {value=dense<[1,2]>} : i32[2]
  %2 = dynamic_slice(%0, %1) {start=[0,-5], stride=[1,1]} : f32[1,2]`, "indices -5..-4 step 1 are outside dimension 4"},
		{"wrong result type",
			`%0 = input {name="x"} : f32[N,4]
  %1 = shape(%0) {dtype=i32} : i32[2]
  %2 = dynamic_reshape(%0, %1) : f32[N,5]`, "want f32[N,4]"},
	} {
		src := "func @f {\n  " + c.body + "\n  return\n}\n"
		f, err := Parse("t.tfir", []byte(src))
		if err == nil {
			err = Verify(f)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
}
