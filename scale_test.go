package tfc_test

import (
	"flag"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/codegen"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/passes"
)

var large = flag.Bool("large", false, "run the large hostile-scale cases")

// addN is a GraphDef of one AddN summing the placeholder x n times.
func addN(t testing.TB, n int) []byte {
	f32 := &tfpb.AttrValue{Value: &tfpb.AttrValue_Type{Type: tfpb.DataType_DT_FLOAT}}
	shape := &tfpb.AttrValue{Value: &tfpb.AttrValue_Shape{Shape: &tfpb.TensorShapeProto{Dim: []*tfpb.TensorShapeProto_Dim{{Size: 2}}}}}
	in := make([]string, n)
	for i := range in {
		in[i] = "x"
	}
	g := &tfpb.GraphDef{Node: []*tfpb.NodeDef{
		{Name: "x", Op: "Placeholder", Attr: map[string]*tfpb.AttrValue{"dtype": f32, "shape": shape}},
		{Name: "sum", Op: "AddN", Input: in, Attr: map[string]*tfpb.AttrValue{
			"T": f32, "N": {Value: &tfpb.AttrValue_I{I: int64(n)}}}},
	}}
	b, err := proto.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sharedLoc is IR text of n chained ops that all carry one loc.
func sharedLoc(n int) []byte {
	var b strings.Builder
	b.WriteString("func @f {\n  %0 = input {name=\"x:0\"} : f32[2]\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  %%%d = relu(%%%d) : f32[2] loc(\"same\")\n", i, i-1)
	}
	fmt.Fprintf(&b, "  return \"y:0\" = %%%d\n}\n", n)
	return []byte(b.String())
}

// compileAll runs data through import, the default pipeline, lowering
// and Go code generation.
func compileAll(t testing.TB, name string, data []byte) {
	f, err := tfc.LoadBytes(name, data, tfc.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := passes.Run(f, passes.Options{}); err != nil {
		t.Fatal(err)
	}
	d, err := tfc.Lower(f)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := codegen.Generate(d, codegen.Options{}); err != nil {
		t.Fatal(err)
	}
}

// TestWideAndSharedNames compiles an AddN of many inputs and many ops
// sharing one loc (their layer names and identifiers all collide); the
// name uniquing used to be quadratic (20k inputs: 27 s). -large runs
// 100k.
func TestWideAndSharedNames(t *testing.T) {
	n := 5000
	if *large {
		n = 100000
	}
	compileAll(t, "addn.pb", addN(t, n))
	compileAll(t, "shared.tfir", sharedLoc(n))
}

func BenchmarkAddNWide(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		data := addN(b, n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				compileAll(b, "addn.pb", data)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/input")
		})
	}
}

func BenchmarkSharedLoc(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		data := sharedLoc(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				compileAll(b, "shared.tfir", data)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/op")
		})
	}
}
