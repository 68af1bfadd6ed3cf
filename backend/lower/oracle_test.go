package lower_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/passes"
)

// withoutTF are the op variants of opTests no TensorFlow graph expresses,
// and why TestOpsMatchInterpreter is not circular for them: the reference
// executor does not call the kernel the interpreter uses, and the kernel
// has a closed-form test.
var withoutTF = map[string]string{
	"pad{mode=edge}:f32": "TF has no edge padding; lowered to a kCLAMP slice (exec's own slice); kernels TestPad checks PadEdge in closed form",
	"resize{coord=align_corners,mode=nearest,nearest_rounding=round_prefer_ceil}:bool": "ONNX-style nearest; exec's resize taps are its own code; kernels TestResize",
	"resize{coord=align_corners,mode=nearest,nearest_rounding=round_prefer_floor}:f32": "ONNX-style nearest; exec's resize taps are its own code; kernels TestResize",
	"resize{coord=asymmetric,mode=nearest,nearest_rounding=ceil}:f32":                  "ONNX-style nearest; exec's resize taps are its own code; kernels TestResize",
	"resize{coord=asymmetric,mode=nearest,nearest_rounding=floor}:bool":                "TF does not resize bool; exec's resize taps are its own code",
	"resize{coord=half_pixel,mode=nearest,nearest_rounding=round_prefer_ceil}:f32":     "ONNX-style nearest; exec's resize taps are its own code; kernels TestResize",
	"resize{coord=tf_half_pixel_for_nn,mode=nearest,nearest_rounding=floor}:i64":       "TF's ResizeNearestNeighbor has no int64 kernel on CPU; exec's resize taps are its own code",
}

// opVariant is an op's opcode, string and bool attributes and result dtype.
func opVariant(op *ir.Op) string {
	var parts []string
	for _, a := range op.Attrs {
		switch a.Value.(type) {
		case string, bool:
			parts = append(parts, fmt.Sprintf("%s=%v", a.Name, a.Value))
		}
	}
	sort.Strings(parts)
	dt := ""
	if len(op.Results) > 0 {
		dt = op.Results[0].Type.DType.String()
	}
	return op.Opcode.String() + "{" + strings.Join(parts, ",") + "}:" + dt
}

// TestOpTestsHaveOracle: TestOpsMatchInterpreter compares the lowered
// network, run by the reference executor, with the interpreter, and the
// executor reuses many of the interpreter's kernels; a wrong kernel would
// agree with itself. So every op variant opTests lower (opcode, string and
// bool attributes, dtype) must also be reached by a TensorFlow case
// (imported, and after the default passes), whose TF outputs check the
// kernel, or be in withoutTF with the reason it needs none.
func TestOpTestsHaveOracle(t *testing.T) {
	tf := map[string]bool{}
	for _, c := range loadCases(t, false) {
		f, err := importCase(c)
		if err != nil {
			continue // TestLoweringMatchesTensorFlow reports it
		}
		for _, op := range f.Ops {
			tf[opVariant(op)] = true
		}
		if _, err := passes.Run(f, passes.Options{}); err == nil {
			for _, op := range f.Ops {
				tf[opVariant(op)] = true
			}
		}
	}
	used := map[string]bool{}
	for _, tc := range opTests {
		f, err := ir.Parse(tc.name, []byte(tc.src))
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range f.Ops {
			if op.Opcode == ir.OpInput || op.Opcode == ir.OpConst {
				continue
			}
			v := opVariant(op)
			used[v] = true
			if !tf[v] && withoutTF[v] == "" {
				t.Errorf("opTests %s: op variant %s has no TensorFlow case (add one to testdata/gen, or to withoutTF with the reason none is needed)", tc.name, v)
			}
		}
	}
	for v := range withoutTF {
		if tf[v] || !used[v] {
			t.Errorf("withoutTF lists %s, which a TensorFlow case reaches or opTests no longer use", v)
		}
	}
}
