package passes

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// layoutModels are the models the layout pass is measured on: the CNNs
// must end with at most maxTransposes transposes (the input's, and the
// output's if it stays NHWC).
var layoutModels = []struct {
	dir           string
	maxTransposes int // -1: no more than before
	large         bool
}{
	{"../testdata/models/resnet_small", 2, false},
	{"../testdata/models/mobilenetv2", 2, false},
	{"../testdata/models/encoder", -1, false},
	{"../testdata/large/resnet50", 2, true}, // git-ignored; skipped when absent
}

// countTransposes counts transpose ops, and those of values not computed
// from constants alone (the fold pass removes the others).
func countTransposes(f *ir.Func) (all, live int) {
	konst := map[*ir.Value]bool{}
	for _, op := range f.Ops {
		k := op.Opcode == ir.OpConst
		if op.Opcode != ir.OpInput && len(op.Args) > 0 {
			k = true
			for _, a := range op.Args {
				k = k && konst[a]
			}
		}
		for _, r := range op.Results {
			konst[r] = k
		}
		if op.Opcode == ir.OpTranspose {
			all++
			if !konst[op.Args[0]] {
				live++
			}
		}
	}
	return all, live
}

// checkEqualRanks: every binary elementwise op and select has operands of
// the rank of its result.
func checkEqualRanks(t *testing.T, f *ir.Func) {
	t.Helper()
	bad := 0
	for _, op := range f.Ops {
		if layoutKindOf(op.Opcode) != kindElementwise || len(op.Args) < 2 {
			continue
		}
		for _, a := range op.Args {
			if a.Type.Rank() != op.Results[0].Type.Rank() {
				if bad++; bad <= 5 {
					t.Errorf("%s loc(%q): operand %v, result %v: ranks differ", op.Opcode, op.Loc, a.Type, op.Results[0].Type)
				}
			}
		}
	}
}

func loadModel(t *testing.T, dir string, large bool) (*golden.Case, *ir.Func) {
	t.Helper()
	if _, err := os.Stat(dir + "/model.pb"); err != nil {
		if large {
			t.Skipf("%s not present (git-ignored large model)", dir)
		}
		t.Fatal(err)
	}
	c, err := golden.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	f, err := importCase(c)
	if err != nil {
		t.Fatal(err)
	}
	return c, f
}

// TestLayoutModels runs the default pipeline on the models and counts the
// transposes left: a CNN keeps at most one at its input and one at its
// output. It also checks elementwise operand ranks are equal, and, for
// the large model (not in TestPipelineMatchesTensorFlow), the outputs
// against TensorFlow's.
func TestLayoutModels(t *testing.T) {
	for _, m := range layoutModels {
		name := m.dir[strings.LastIndexByte(m.dir, '/')+1:]
		t.Run(name, func(t *testing.T) {
			if m.large && testing.Short() {
				t.Skip("large model in -short mode")
			}
			c, f := loadModel(t, m.dir, m.large)
			before, _ := countTransposes(f)
			if _, err := Run(f, Options{VerifyEach: true}); err != nil {
				t.Fatal(err)
			}
			after, live := countTransposes(f)
			t.Logf("%s: transposes %d before, %d after (%d of non-constant values)", name, before, after, live)
			limit := m.maxTransposes
			if limit < 0 {
				limit = before
			}
			n := after
			if _, ok := Lookup("fold"); !ok {
				n = live // without fold, transposed weights stay transposes
			}
			if n > limit {
				t.Errorf("%d transposes left, want ≤ %d", n, limit)
			}
			checkEqualRanks(t, f)
			if m.large {
				compareWithTF(t, c, f)
			}
		})
	}
}

func compareWithTF(t *testing.T, c *golden.Case, f *ir.Func) {
	t.Helper()
	in, err := c.ReadInputs()
	if err != nil {
		t.Fatal(err)
	}
	want, err := c.ReadOutputs()
	if err != nil {
		t.Fatal(err)
	}
	got, err := interp.Run(f, in)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		rtol, atol := c.Tolerance(i)
		d, err := golden.Compare(got[i], want[i], rtol+Tolerance, atol+Tolerance/10)
		if err == nil && d.Bad > 0 {
			err = fmt.Errorf("%d elements differ (max abs %g)", d.Bad, d.MaxAbs)
		}
		if err != nil {
			t.Errorf("output %s: %v", c.Outputs[i].Name, err)
		}
	}
}

// TestLayoutAlone runs the layout pass by itself (no folding) on the
// imported models: the transposes of computed values drop to at most
// two, the outputs are bit-identical on the models' inputs, every
// elementwise op has operands of equal rank, and a second run changes
// nothing.
func TestLayoutAlone(t *testing.T) {
	for _, m := range layoutModels {
		if m.large {
			continue
		}
		name := m.dir[strings.LastIndexByte(m.dir, '/')+1:]
		t.Run(name, func(t *testing.T) {
			c, f := loadModel(t, m.dir, m.large)
			_, before := countTransposes(f)
			in, err := c.ReadInputs()
			if err != nil {
				t.Fatal(err)
			}
			want, err := interp.Run(f, in)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Run(f, Options{Passes: []string{"layout"}, VerifyEach: true}); err != nil {
				t.Fatal(err)
			}
			_, after := countTransposes(f)
			t.Logf("%s: transposes of computed values %d before, %d after", name, before, after)
			limit := m.maxTransposes
			if limit < 0 {
				limit = before
			}
			if after > limit {
				t.Errorf("%d transposes left, want ≤ %d", after, limit)
			}
			checkEqualRanks(t, f)
			got, err := interp.Run(f, in)
			if err != nil {
				t.Fatal(err)
			}
			for i := range want {
				if d, err := golden.Compare(got[i], want[i], 0, 0); err != nil || d.Bad > 0 {
					t.Errorf("output %d changed: %v %+v", i, err, d)
				}
			}
			once := f.String()
			rep, err := Run(f, Options{Passes: []string{"layout"}, VerifyEach: true})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Runs[0].Changed || f.String() != once {
				t.Errorf("a second run changed the function")
			}
		})
	}
}

// TestLayoutRandom builds random functions of transposes and the ops the
// pass rewrites, and checks that the pass keeps them valid and their
// outputs bit-identical, makes elementwise ranks equal, and is
// idempotent.
func TestLayoutRandom(t *testing.T) {
	n := 400
	if testing.Short() {
		n = 100
	}
	for seed := range n {
		rng := rand.New(rand.NewPCG(uint64(seed), 7))
		f := randomLayoutFunc(rng)
		var sb strings.Builder
		if err := ir.Print(&sb, f, ir.PrintOptions{ElideOver: -1}); err != nil {
			t.Fatal(err)
		}
		src := sb.String()
		if err := ir.Verify(f); err != nil {
			t.Fatalf("seed %d: generated function does not verify: %v\n%s", seed, err, src)
		}
		before, err := ir.Parse("random", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Run(f, Options{Passes: []string{"layout"}, VerifyEach: true}); err != nil {
			t.Fatalf("seed %d: %v\n%s", seed, err, src)
		}
		if err := sameOutputs(before, f, 0, false); err != nil {
			t.Fatalf("seed %d: %v\nbefore:\n%s\nafter:\n%s", seed, err, src, f)
		}
		checkEqualRanks(t, f)
		once := f.String()
		rep, err := Run(f, Options{Passes: []string{"layout"}, VerifyEach: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Runs[0].Changed || f.String() != once {
			t.Fatalf("seed %d: second run changed the function\ninput:\n%s\nonce:\n%s\ntwice:\n%s", seed, src, once, f)
		}
		if t.Failed() {
			t.Fatalf("seed %d:\n%s\nafter:\n%s", seed, src, once)
		}
	}
}

// randomLayoutFunc builds a random function: an input or two, then ops
// drawn from transposes (often NHWC↔NCHW and their inverses) and the ops
// the layout pass handles, on values picked from those made so far.
func randomLayoutFunc(rng *rand.Rand) *ir.Func {
	f := ir.NewFunc("random")
	rank := 2 + rng.IntN(3)
	dims := func(r int) []int {
		s := make([]int, r)
		for i := range s {
			s[i] = 1 + rng.IntN(4)
		}
		return s
	}
	var vals []*ir.Value
	vals = append(vals, f.Input("x:0", ir.TensorType(tensor.Float32, dims(rank)...)))
	if rng.IntN(2) == 0 {
		vals = append(vals, f.Input("y:0", ir.TensorType(tensor.Float32, dims(rank)...)))
	}
	pick := func() *ir.Value {
		// Prefer recent values, so chains form.
		i := len(vals) - 1 - rng.IntN(min(len(vals), 3))
		if rng.IntN(4) == 0 {
			i = rng.IntN(len(vals))
		}
		return vals[i]
	}
	sameShape := func(v *ir.Value) *ir.Value {
		var c []*ir.Value
		for _, w := range vals {
			if w != v && w.Type.Equal(v.Type) {
				c = append(c, w)
			}
		}
		if len(c) == 0 {
			return nil
		}
		return c[rng.IntN(len(c))]
	}
	randConst := func(s []int) *ir.Value {
		t := tensor.MustNew(tensor.Float32, s)
		for i := range t.F32 {
			t.F32[i] = float32(rng.IntN(9)-4) / 2
		}
		return f.Const(t, "c")
	}
	randPerm := func(r int) []int {
		if r == 4 && rng.IntN(2) == 0 {
			if rng.IntN(2) == 0 {
				return []int{0, 3, 1, 2}
			}
			return []int{0, 2, 3, 1}
		}
		return rng.Perm(r)
	}
	emit := func(opc ir.Opcode, args []*ir.Value, attrs ir.Attrs) {
		if v, err := f.Emit(opc, args, attrs, fmt.Sprintf("op%d", len(f.Ops))); err == nil {
			vals = append(vals, v)
		}
	}
	steps := 4 + rng.IntN(10)
	for range steps {
		v := pick()
		r := v.Type.Rank()
		s := v.Type.Shape
		switch k := rng.IntN(20); {
		case k < 4:
			if r > 0 {
				emit(ir.OpTranspose, []*ir.Value{v}, ir.Attrs{"perm": randPerm(r)})
			}
		case k == 4:
			emit([]ir.Opcode{ir.OpNeg, ir.OpRelu, ir.OpAbs}[rng.IntN(3)], []*ir.Value{v}, nil)
		case k == 5 || k == 6:
			var o *ir.Value
			switch rng.IntN(3) {
			case 0:
				o = sameShape(v)
			case 1:
				// A broadcasting constant: a suffix of v's shape, some dims 1.
				cr := rng.IntN(r + 1)
				cs := slices.Clone(s[r-cr:])
				for i := range cs {
					if rng.IntN(3) == 0 {
						cs[i] = 1
					}
				}
				o = randConst(cs)
			default:
				o = randConst(slices.Clone(s))
			}
			if o == nil {
				o = randConst([]int{})
			}
			args := []*ir.Value{v, o}
			if rng.IntN(2) == 0 {
				args[0], args[1] = o, v
			}
			emit([]ir.Opcode{ir.OpAdd, ir.OpMul, ir.OpMax, ir.OpSub}[rng.IntN(4)], args, nil)
		case k == 7:
			if r == 0 {
				continue
			}
			var axes []int
			for a := range r {
				if rng.IntN(2) == 0 {
					axes = append(axes, a)
				}
			}
			emit(ir.OpReduce, []*ir.Value{v}, ir.Attrs{"kind": []string{"sum", "max", "mean"}[rng.IntN(3)], "axes": axes, "keep_dims": rng.IntN(2) == 0})
		case k == 8:
			pads := make([]int, 2*r)
			for i := range pads {
				pads[i] = rng.IntN(2)
			}
			emit(ir.OpPad, []*ir.Value{v}, ir.Attrs{"mode": "constant", "pads": pads, "value": 0.5})
		case k == 9:
			start, size, stride := make([]int, r), make([]int, r), make([]int, r)
			for i := range r {
				start[i] = rng.IntN(s[i])
				size[i] = 1 + rng.IntN(s[i]-start[i])
				stride[i] = 1
			}
			emit(ir.OpSlice, []*ir.Value{v}, ir.Attrs{"start": start, "size": size, "stride": stride})
		case k == 10:
			if r > 0 {
				emit(ir.OpSoftmax, []*ir.Value{v}, ir.Attrs{"axis": rng.IntN(r)})
			}
		case k == 11:
			if r == 0 {
				continue
			}
			o := sameShape(v)
			if o == nil {
				o = v
			}
			emit(ir.OpConcat, []*ir.Value{v, o}, ir.Attrs{"axis": rng.IntN(r)})
		case k == 12:
			// Reshape: flatten, or insert a 1.
			ns := []int{s.Size()}
			if rng.IntN(2) == 0 && r < 5 {
				i := rng.IntN(r + 1)
				ns = slices.Insert(slices.Clone([]int(s)), i, 1)
			}
			emit(ir.OpReshape, []*ir.Value{v}, ir.Attrs{"shape": ns})
		case k == 14:
			// An op that takes no token (an identity einsum).
			if r > 0 {
				t := "abcde"[:r]
				emit(ir.OpEinsum, []*ir.Value{v}, ir.Attrs{"equation": t + "->" + t})
			}
		case k == 15:
			// select(v > c, v, w) with a broadcasting constant condition bound.
			c := randConst([]int{1})
			cond, err := f.Emit(ir.OpGreater, []*ir.Value{v, c}, nil, "gt")
			if err != nil {
				continue
			}
			o := sameShape(v)
			if o == nil {
				o = randConst([]int{})
			}
			emit(ir.OpSelect, []*ir.Value{cond, v, o}, nil)
		case k == 16:
			if r > 0 {
				mult, shape := make([]int, r), make([]int, r)
				for i := range r {
					mult[i] = 1 + rng.IntN(2)
					shape[i] = s[i]
					if s[i] == 1 {
						shape[i] = 1 + rng.IntN(3)
					}
				}
				if rng.IntN(2) == 0 {
					emit(ir.OpTile, []*ir.Value{v}, ir.Attrs{"multiples": mult})
				} else {
					emit(ir.OpBroadcast, []*ir.Value{v}, ir.Attrs{"shape": shape})
				}
			}
		case k == 17:
			if r > 0 {
				shape := make([]int, r)
				for i := range r {
					shape[i] = s[i]
					if rng.IntN(2) == 0 {
						shape[i] = 1 + rng.IntN(5)
					}
				}
				mode, coord := "nearest", []string{"asymmetric", "align_corners", "half_pixel", "tf_half_pixel_for_nn"}[rng.IntN(4)]
				if rng.IntN(2) == 0 {
					mode = "linear"
				}
				emit(ir.OpResize, []*ir.Value{v}, ir.Attrs{"mode": mode, "coord": coord, "nearest_rounding": "floor", "shape": shape})
			}
		case k == 18:
			if r > 0 {
				a := rng.IntN(r)
				if rng.IntN(2) == 0 {
					emit(ir.OpLogSoftmax, []*ir.Value{v}, ir.Attrs{"axis": a})
				} else if op, err := f.NewOp(ir.OpTopK, []*ir.Value{v}, ir.Attrs{"axis": a, "k": 1 + rng.IntN(s[a])}, "topk"); err == nil {
					vals = append(vals, op.Results[0])
				}
			}
		case k == 19:
			if r > 0 {
				emit(ir.OpArgMin, []*ir.Value{v}, ir.Attrs{"axis": rng.IntN(r), "keep_dims": rng.IntN(2) == 0, "index_type": tensor.Int64})
				if last := vals[len(vals)-1]; last.Type.DType == tensor.Int64 {
					emit(ir.OpCast, []*ir.Value{last}, ir.Attrs{"to": tensor.Float32})
				}
			}
		case k == 13:
			if r > 0 {
				emit(ir.OpArgMax, []*ir.Value{v}, ir.Attrs{"axis": rng.IntN(r), "keep_dims": rng.IntN(2) == 0, "index_type": tensor.Int32})
				if last := vals[len(vals)-1]; last.Type.DType == tensor.Int32 {
					emit(ir.OpCast, []*ir.Value{last}, ir.Attrs{"to": tensor.Float32})
				}
			}
		}
	}
	f.AddOutput("out:0", vals[len(vals)-1])
	for i := range rng.IntN(3) {
		v := vals[rng.IntN(len(vals))]
		dup := false
		for _, o := range f.Outputs {
			dup = dup || o.Value == v
		}
		if !dup && v.Op.Opcode != ir.OpConst {
			f.AddOutput(fmt.Sprintf("extra%d:0", i), v)
		}
	}
	return f
}
