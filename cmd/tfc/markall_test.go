package main

import (
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/internal/golden"
)

// TestCompareMarkAll runs verify -mark-all's comparison with the reference
// executor on both sides (the GPU's engine is the other side in use): every
// marked layer output is compared, the model's own outputs among them,
// and none differs.
func TestCompareMarkAll(t *testing.T) {
	cs, err := golden.Find(filepath.Join("..", "..", "testdata", "cases", "nms_v4_equal_scores"))
	if err != nil || len(cs) != 1 {
		t.Fatalf("case: %v (%d)", err, len(cs))
	}
	res := compareCase(cs[0], []string{"trt-ref", "trt-ref"}, 1, -1, -1, &precisionFlags{precision: "fp32", quantType: "int8"}, &profileFlags{}, &markSpec{all: true}, io.Discard)
	if len(res) != 1 || res[0].Error != "" {
		t.Fatalf("compare: %+v", *res[0])
	}
	r := res[0]
	if !r.OK || r.FirstDiffering != "" {
		t.Errorf("the executor differs from itself: first %q", r.FirstDiffering)
	}
	if n := len(cs[0].OutputNames()); len(r.Outputs) < 10*n {
		t.Errorf("compared %d tensors; the model has %d outputs and the static NMS dozens of layers", len(r.Outputs), n)
	}
	if got := r.Outputs[1].Name; got != "NonMaxSuppressionV4/scores" {
		t.Errorf("second marked tensor is labelled %q, want its layer's name NonMaxSuppressionV4/scores", got)
	}
	for _, o := range r.Outputs {
		if o.Elements == 0 && o.Error == "" && !o.OK {
			t.Errorf("%s: empty and failed", o.Name)
		}
	}
}

// TestCompareMark: -mark PATTERNS marks the matching layers' outputs only
// (the nine greedy rounds of the static NMS), besides the model's; a
// pattern matching no layer fails the model with its name.
func TestCompareMark(t *testing.T) {
	cs, err := golden.Find(filepath.Join("..", "..", "testdata", "cases", "nms_v4_equal_scores"))
	if err != nil || len(cs) != 1 {
		t.Fatalf("case: %v (%d)", err, len(cs))
	}
	run := func(patterns ...string) *caseResult {
		m, err := newMarkSpec(false, patterns)
		if err != nil {
			t.Fatal(err)
		}
		res := compareCase(cs[0], []string{"trt-ref", "trt-ref"}, 1, -1, -1, &precisionFlags{precision: "fp32", quantType: "int8"}, &profileFlags{}, m, io.Discard)
		if len(res) != 1 {
			t.Fatalf("compare: %d results", len(res))
		}
		return res[0]
	}
	r := run("NonMaxSuppressionV4/round/keep_next*")
	if r.Error != "" || !r.OK || len(r.Outputs) != 9+2 {
		t.Errorf("-mark keep_next*: error %q, ok %v, %d outputs, want the 9 rounds and 2 outputs", r.Error, r.OK, len(r.Outputs))
	}
	if r := run("NonMaxSuppressionV4/nosuch"); !strings.Contains(r.Error, `-mark "NonMaxSuppressionV4/nosuch": no layer`) {
		t.Errorf("-mark of no layer: error %q", r.Error)
	}
	if _, err := newMarkSpec(false, []string{"a[", ""}); err == nil {
		t.Error("-mark a[: no error for a malformed pattern")
	}
}
