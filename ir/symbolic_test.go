package ir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

// TestSymbolicRejected checks that what cannot be proven consistent for
// every value of the symbols is an error naming the op and the reason.
func TestSymbolicRejected(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"broadcast N against M",
			`%0 = input {name="a"} : f32[N,4]
  %1 = input {name="b"} : f32[M,4]
  %2 = add(%0, %1) : f32[N,4]`, "with symbols M=1009,N=1013"},
		{"broadcast N against 3",
			`%0 = input {name="a"} : f32[N,4]
  %1 = input {name="b"} : f32[3,4]
  %2 = add(%0, %1) : f32[N,4]`, "with symbols N=1009"},
		{"conv over a symbolic spatial dimension",
			`%0 = input {name="x"} : f32[1,3,H,8]
  %1 = const {value=dense<elided>} : f32[4,3,3,3]
  %2 = conv(%0, %1) {strides=[2,2], dilations=[1,1], pads=[1,1,1,1], groups=1} : f32[1,4,H,4]`,
			"result 0 dimension 2 is computed from symbolic dimensions"},
		{"concat of N and M off the axis",
			`%0 = input {name="x"} : f32[N,3]
  %1 = input {name="y"} : f32[M,3]
  %2 = concat(%0, %1) {axis=1} : f32[N,6]`, "operand 1 has type f32[M,3], operand 0 has f32[N,3] (they may differ only in axis 1)"},
		{"concat of N and M, wrong type",
			`%0 = input {name="x"} : f32[N,3]
  %1 = input {name="y"} : f32[M,3]
  %2 = concat(%0, %1) {axis=0} : f32[N,3]`, "result type is f32[N,3], want f32[M+N,3]"},
		{"concat along a symbolic axis, wrong type",
			`%0 = input {name="x"} : f32[N,3]
  %1 = concat(%0, %0) {axis=0} : f32[N,3]`, "result type is f32[N,3], want f32[2*N,3]"},
		{"slice of a symbolic tensor",
			`%0 = input {name="x"} : f32[N,3]
  %1 = slice(%0) {start=[0,0], size=[1,3], stride=[1,1]} : f32[1,3]`, "slice has no type rule for symbolic dimensions"},
		{"gather with batch dimensions N and M",
			`%0 = input {name="x"} : f32[N,5]
  %1 = input {name="i"} : i32[M,2]
  %2 = gather(%0, %1) {axis=1, batch_dims=1} : f32[N,2]`, "batch dimension 0: input has"},
		{"reshape of a symbolic tensor",
			`%0 = input {name="x"} : f32[N,3]
  %1 = reshape(%0) {shape=[3]} : f32[3]`, "reshape has no type rule for symbolic dimensions"},
		{"input with an expression",
			`%0 = input {name="x"} : f32[2*N,3]`, "an input's dimensions are constants or symbols"},
		{"nonzero count reused",
			`%0 = input {name="x"} : f32[4]
  %1 = nonzero(%0) {count="K"} : i64[K,1]
  %2 = nonzero(%0) {count="K"} : i64[K,1]`, "count K is already the count of %1 = nonzero"},
		{"nonzero count is an input symbol",
			`%0 = input {name="x"} : f32[N]
  %1 = nonzero(%0) {count="N"} : i64[N,1]`, `count="N" is a symbol of the operand`},
		{"nonzero count is another input's symbol",
			`%0 = input {name="x"} : f32[4]
  %1 = input {name="y"} : f32[N]
  %2 = nonzero(%0) {count="N"} : i64[N,1]`, "count N is already an input's symbol"},
		{"input after a nonzero with its count",
			`%0 = input {name="x"} : f32[4]
  %1 = nonzero(%0) {count="K"} : i64[K,1]
  %2 = input {name="y"} : f32[K]`, "symbol K is the count of %1 = nonzero"},
		{"nonzero count not a symbol",
			`%0 = input {name="x"} : f32[4]
  %1 = nonzero(%0) {count="2K"} : i64[K,1]`, `count="2K" is not a symbol name`},
		{"nonzero wrong rank",
			`%0 = input {name="x"} : f32[4,2]
  %1 = nonzero(%0) {count="K"} : i64[K,1]`, "result type is i64[K,1], want i64[K,2]"},
		{"reshape of a data-dependent value",
			`%0 = input {name="x"} : f32[4]
  %1 = nonzero(%0) {count="K"} : i64[K,1]
  %2 = reshape(%1) {shape=[4]} : i64[4]`, "reshape has no type rule for symbolic dimensions"},
		{"gather_nd with a data-dependent tuple length",
			`%0 = input {name="x"} : f32[4,2]
  %1 = nonzero(%0) {count="K"} : i64[K,2]
  %2 = transpose(%1) {perm=[1,0]} : i64[2,K]
  %3 = gather_nd(%0, %2) {batch_dims=0} : f32[2]`, "gather_nd: index tuples of length"},
		{"wrong symbolic result type",
			`%0 = input {name="x"} : f32[N,3]
  %1 = relu(%0) : f32[M,3]`, "result type is f32[M,3], want f32[N,3]"},
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

func TestSymbolicTypeText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"f32[N,96,96,3]", "f32[N,96,96,3]"},
		{"f32[N*S,64]", "f32[N*S,64]"},
		{"f32[(N+1)/2, 3]", "f32[(N+1)/2,3]"},
		{"f32[2*N-N,3]", "f32[N,3]"},
		{"f32[N-N+2,3]", "f32[2,3]"},
		{"f32[2,3]", "f32[2,3]"},
	} {
		ty, err := ParseType(c.in)
		if err != nil {
			t.Errorf("ParseType(%q): %v", c.in, err)
			continue
		}
		if got := ty.String(); got != c.want {
			t.Errorf("ParseType(%q) = %s, want %s", c.in, got, c.want)
		}
		if strings.Contains(c.want, "N") != ty.Symbolic() {
			t.Errorf("ParseType(%q).Symbolic() = %v", c.in, ty.Symbolic())
		}
	}
	for _, bad := range []string{"f32[N,", "f32[N-5-N]", "f32[N/0]"} {
		if _, err := ParseType(bad); err == nil {
			t.Errorf("ParseType(%q) succeeded", bad)
		}
	}
	// In the text form, constant dimensions must be written as integers.
	if _, err := Parse("t", []byte("func @f {\n  %0 = input {name=\"x\"} : f32[N-N+2]\n  return\n}\n")); err == nil ||
		!strings.Contains(err.Error(), "write constant dimensions as integers") {
		t.Errorf("constant expression accepted: %v", err)
	}
}

// TestDataBounds: a nonzero's count is bounded by its operand's size, at
// the inputs' sizes and the bounds of earlier counts.
func TestDataBounds(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "nonzero.tfir"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse("nonzero.tfir", src)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(DataSymbols(f)); got != 3 {
		t.Errorf("DataSymbols: %d symbols, want 3", got)
	}
	if !f.HasSymbolicInputs() {
		t.Errorf("HasSymbolicInputs = false")
	}
	b, err := DataBounds(f, map[string]int64{"N": 5})
	if err != nil {
		t.Fatal(err)
	}
	if b["K1"] != 15 || b["K2"] != 5 || b["K3"] != 15 || len(b) != 3 {
		t.Errorf("DataBounds = %v, want K1=15 K2=5 K3=15", b)
	}
	g, err := Specialize(f, map[string]int64{"N": 5})
	if err != nil {
		t.Fatal(err)
	}
	if g.HasSymbolicInputs() || !g.Symbolic() {
		t.Errorf("specialized: HasSymbolicInputs %v, Symbolic %v; want false, true (the counts stay)", g.HasSymbolicInputs(), g.Symbolic())
	}
	if got := g.Ops[13].Results[0].Type.String(); got != "f32[3,K2]" {
		t.Errorf("specialized transpose: %s, want f32[3,K2]", got)
	}
	all := map[string]int64{"N": 5}
	for k, v := range b {
		all[k] = v
	}
	s, err := MaxShape(g.Ops[11].Results[0].Type, all)
	if err != nil || !s.Equal(tensor.Shape{5, 3}) {
		t.Errorf("MaxShape(%v) = %v, %v; want [5,3]", g.Ops[11].Results[0].Type, s, err)
	}
}
