package passes

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

func tfirOrFatal(t *testing.T, src string) *ir.Func {
	t.Helper()
	f, err := ir.Parse("test", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := ir.Verify(f); err != nil {
		t.Fatal(err)
	}
	return f
}

// The broadcast result is 2×3 f32 = 24 bytes: folded at a limit of 24,
// left alone at 23. The limit applies per result, to what folding would
// create, not to the operands.
func TestFoldLimit(t *testing.T) {
	const src = `func @f {
  %0 = input {name="x:0"} : f32[2,3]
  %1 = const {value=dense<[1, 2, 3]>} : f32[3] loc("c")
  %2 = broadcast(%1) {shape=[2,3]} : f32[2,3] loc("b")
  %3 = add(%0, %2) : f32[2,3] loc("use")
  return "y:0" = %3
}
`
	for _, tc := range []struct {
		limit  int64
		folded bool
	}{{24, true}, {23, false}, {1 << 20, true}} {
		f := tfirOrFatal(t, src)
		changed, err := fold(f, &Config{FoldLimit: tc.limit})
		if err != nil {
			t.Fatal(err)
		}
		if err := ir.Verify(f); err != nil {
			t.Fatal(err)
		}
		if changed != tc.folded {
			t.Errorf("limit %d: changed = %v, want %v", tc.limit, changed, tc.folded)
		}
		hasBroadcast := strings.Contains(f.String(), "broadcast(")
		if hasBroadcast == tc.folded {
			t.Errorf("limit %d: folded = %v, want %v:\n%s", tc.limit, !hasBroadcast, tc.folded, f)
		}
		if !tc.folded && f.String() != tfirOrFatal(t, src).String() {
			t.Errorf("limit %d: unfolded function changed:\n%s", tc.limit, f)
		}
	}
}

// The limit stops a chain midway: the small ops before a large one fold,
// the large one and what follows it stay.
func TestFoldLimitChain(t *testing.T) {
	f := tfirOrFatal(t, `func @f {
  %0 = input {name="x:0"} : f32[4,4]
  %1 = const {value=dense<[1]>} : f32[] loc("one")
  %2 = neg(%1) : f32[] loc("small")
  %3 = broadcast(%2) {shape=[4,4]} : f32[4,4] loc("large")
  %4 = exp(%3) : f32[4,4] loc("after")
  %5 = add(%0, %4) : f32[4,4] loc("use")
  return "y:0" = %5
}
`)
	if _, err := fold(f, &Config{FoldLimit: 16}); err != nil {
		t.Fatal(err)
	}
	want := `func @f {
  %0 = input {name="x:0"} : f32[4,4]
  %1 = const {value=dense<[-1]>} : f32[] loc("small")
  %2 = broadcast(%1) {shape=[4,4]} : f32[4,4] loc("large")
  %3 = exp(%2) : f32[4,4] loc("after")
  %4 = add(%0, %3) : f32[4,4] loc("use")
  return "y:0" = %4
}
`
	if got := f.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// An op whose evaluation fails (integer division by zero) is not folded:
// the error is the run time's to report, not the compiler's.
func TestFoldLeavesRunTimeErrors(t *testing.T) {
	const src = `func @f {
  %0 = input {name="x:0"} : i32[2]
  %1 = const {value=dense<[6, 7]>} : i32[2] loc("a")
  %2 = const {value=dense<[2, 0]>} : i32[2] loc("b")
  %3 = div(%1, %2) : i32[2] loc("div")
  %4 = add(%0, %3) : i32[2] loc("use")
  return "y:0" = %4
}
`
	f := tfirOrFatal(t, src)
	changed, err := fold(f, &Config{FoldLimit: DefaultFoldLimit})
	if err != nil {
		t.Fatal(err)
	}
	if changed || f.String() != tfirOrFatal(t, src).String() {
		t.Errorf("changed = %v:\n%s", changed, f)
	}
}

// Folding a reshape (whose kernel returns a view of its operand) must
// not leave the new constant sharing storage with the old one.
func TestFoldCopiesViews(t *testing.T) {
	f := tfirOrFatal(t, `func @f {
  %0 = const {value=dense<[1, 2, 3, 4]>} : f32[4] loc("c")
  %1 = reshape(%0) {shape=[2,2]} : f32[2,2] loc("r")
  return "y:0" = %1, "c:0" = %0
}
`)
	c := f.Ops[0].Tensor("value")
	if _, err := fold(f, &Config{FoldLimit: DefaultFoldLimit}); err != nil {
		t.Fatal(err)
	}
	r := f.Outputs[0].Value
	if r.Op.Opcode != ir.OpConst {
		t.Fatalf("reshape not folded:\n%s", f)
	}
	if &r.Op.Tensor("value").F32[0] == &c.F32[0] {
		t.Error("folded constant shares storage with its operand")
	}
}

// A transpose of a large float32 constant read by it alone is folded in
// the constant's own storage (no second copy of a model's weights); one
// that is read elsewhere too, or is an output, is left as it was.
func TestFoldTransposeInPlace(t *testing.T) {
	const n = 64 * 64 * 8 // 128 KiB of f32, above inPlaceMinBytes
	build := func(shared bool) (*ir.Func, *tensor.Tensor) {
		f := ir.NewFunc("f")
		w := tensor.MustNew(tensor.Float32, tensor.Shape{8, 64, 64})
		for i := range w.F32 {
			w.F32[i] = float32(i)
		}
		c := f.Const(w, "w")
		tr, err := f.Emit(ir.OpTranspose, []*ir.Value{c}, ir.Attrs{"perm": []int{2, 1, 0}}, "t")
		if err != nil {
			t.Fatal(err)
		}
		f.AddOutput("y:0", tr)
		if shared {
			f.AddOutput("w:0", c)
		}
		return f, w
	}
	for _, shared := range []bool{false, true} {
		f, w := build(shared)
		orig := w.Clone()
		want, err := kernels.Transpose(orig, []int{2, 1, 0})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fold(f, &Config{FoldLimit: DefaultFoldLimit}); err != nil {
			t.Fatal(err)
		}
		got := f.Outputs[0].Value.Op.Tensor("value")
		if got == nil || !reflect.DeepEqual(got.F32, want.F32) || !got.Shape.Equal(want.Shape) {
			t.Fatalf("shared=%v: transpose not folded to its value:\n%s", shared, f)
		}
		inPlace := &got.F32[0] == &w.F32[0]
		if inPlace == shared {
			t.Errorf("shared=%v: folded in place: %v", shared, inPlace)
		}
		if shared && !reflect.DeepEqual(w.F32, orig.F32) {
			t.Error("a constant that is also an output was overwritten")
		}
	}
	if n*4 < inPlaceMinBytes {
		t.Fatal("the constant is too small to be folded in place")
	}
}
