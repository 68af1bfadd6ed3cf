package ir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// controlFunc parses testdata/control.tfir: a while whose body holds an if.
func controlFunc(t *testing.T) *Func {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "control.tfir"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse("control.tfir", src)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(f); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestVerifyRegions(t *testing.T) {
	// Ops of control.tfir: f.Ops[3] is the while; its body's Ops[9] the if.
	while := func(f *Func) *Op { return f.Ops[3] }
	body := func(f *Func) *Func { return while(f).Regions[1] }
	ifOp := func(f *Func) *Op { return body(f).Ops[9] }
	tests := []struct {
		name   string
		mutate func(f *Func)
		want   string // a line of the error
	}{
		{"region count", func(f *Func) {
			w := while(f)
			w.Regions = w.Regions[:1]
		}, `verify: %3, %4, %5 = while loc("while"): has 1 regions, want 2`},
		{"regions on an ordinary op", func(f *Func) {
			body(f).Ops[4].Regions = []*Func{NewFunc("r")}
		}, `has 1 regions, want 0`},
		{"body output type", func(f *Func) {
			b := body(f)
			b.Outputs[1].Value = b.Ops[0].Results[0]
		}, `verify: %3, %4, %5 = while loc("while"): body region output 1 ("x") is i32[], want f32[2]`},
		{"body output count", func(f *Func) {
			b := body(f)
			b.Outputs = b.Outputs[:2]
		}, `body region returns 2 values, want 3`},
		{"cond not bool", func(f *Func) {
			c := while(f).Regions[0]
			c.Outputs[0].Value = c.Ops[0].Results[0]
		}, `cond region returns i32[], want bool[]`},
		{"cond input type", func(f *Func) {
			c := while(f).Regions[0]
			c.Ops[0], c.Ops[1] = c.Ops[1], c.Ops[0]
		}, `cond region input 0 ("x") is f32[2], want i32[]`},
		{"value from outside the region", func(f *Func) {
			body(f).Ops[5].Args[0] = f.Ops[0].Results[0]
		}, `verify: %3, %4, %5 = while loc("while"): region 1 (@body): %5 = mul loc("while/body/mul"): operand 0 is not defined in this function`},
		{"region output from outside", func(f *Func) {
			body(f).Outputs[1].Value = f.Ops[0].Results[0]
		}, `region 1 (@body): output 1 "x": value is not defined in the function`},
		{"region used twice", func(f *Func) {
			w := while(f)
			w.Regions[0] = w.Regions[1]
		}, `region 1 (@body) appears more than once in the program`},
		{"if branch types", func(f *Func) {
			els := ifOp(f).Regions[1]
			b, _ := els.Emit(OpReduce, []*Value{els.Outputs[0].Value}, Attrs{"kind": "sum", "axes": []int{0}, "keep_dims": true}, "")
			els.Outputs[0].Value = b
		}, `else region output 0 ("y") is f32[1], want f32[2]`},
		{"if predicate", func(f *Func) {
			ifOp(f).Args[0] = body(f).Ops[0].Results[0]
		}, `predicate is i32[], want bool[]`},
		{"nested error inside the if", func(f *Func) {
			then := ifOp(f).Regions[0]
			then.Ops[1].Results[0].Type = TensorType(then.Ops[1].Results[0].Type.DType, 3)
		}, `region 1 (@body): %9 = if loc("while/body/cond"): region 0 (@then): %1 = tanh loc("while/body/cond/then/Tanh"): result type is f32[3], want f32[2]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := controlFunc(t)
			tt.mutate(f)
			err := Verify(f)
			if err == nil {
				t.Fatal("Verify accepted the mutated Func")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error\n%v\ndoes not contain\n%s", err, tt.want)
			}
		})
	}
}

func TestParseRegionErrors(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"func @f {\n  %0 = input {name=\"x\"} : f32[2]\n  %1 = relu(%0) : f32[2] {\n    func @r {\n      return\n    }\n  }\n  return\n}\n",
			"relu has no regions"},
		{"func @f {\n  %0 = input {name=\"x\"} : f32[2]\n  %1 = while(%0) : f32[2] {\n  }\n  return\n}\n",
			"expected 'func' in regions"},
		{"func @f {\n  %0 = input {name=\"x\"} : f32[2]\n  %1 = while(%0) : f32[2] {\n    func @c {\n      return \"c\" = %0\n    }\n  }\n  return\n}\n",
			"undefined value %0"},
		{strings.Repeat("func @f {\n %0 = input {name=\"x\"} : bool[]\n %1 = if(%0) : bool[] {\n", 70), "regions nested more than 64 deep"},
	} {
		_, err := Parse("r.tfir", []byte(tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse error %v, want %q", err, tt.want)
		}
	}
}

func TestLoopInvariant(t *testing.T) {
	f := controlFunc(t)
	got := LoopInvariant(f.Ops[3])
	if want := []bool{false, false, true}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("LoopInvariant = %v, want %v", got, want)
	}
}

func TestCloneRegions(t *testing.T) {
	f := controlFunc(t)
	g := f.Clone()
	if err := Verify(g); err != nil {
		t.Fatal(err)
	}
	if f.String() != g.String() {
		t.Errorf("clone prints differently:\n%s", firstDiff(f.String(), g.String()))
	}
	if g.Ops[3].Regions[1] == f.Ops[3].Regions[1] || g.Ops[3].Regions[1].Ops[9].Regions[0] == f.Ops[3].Regions[1].Ops[9].Regions[0] {
		t.Error("clone shares regions with the original")
	}
	// The two together are still one valid program each: no shared ops.
	f.Ops = append(f.Ops, g.Ops[3])
	if err := Verify(f); err == nil || !strings.Contains(err.Error(), "not defined in this function") {
		t.Errorf("a cloned op's operands belong to the clone; got %v", err)
	}
}
