package trt

import (
	"slices"
	"testing"
)

// TestMarkAll checks which tensors MarkAll marks: the network's own
// outputs and every execution tensor outside loops and conditionals, in
// layer order; no constants, shape tensors or tensors inside a loop.
func TestMarkAll(t *testing.T) {
	n, layers := loopNet(t, nil) // x, n; a loop squaring x; its last value marked
	d := n.Description()
	last := layers[LayerLoopOutput].Output(0)
	y := n.AddInput("y", Float, Dims{2})
	twice := n.AddElementWise(y, y, ElementWiseSum).Output(0)        // marked
	shape := n.AddCast(n.AddShape(twice).Output(0), Int32).Output(0) // a shape tensor
	two := n.AddConstant(Dims{1}, i32Vals(2)).Output(0)
	scaled := n.AddElementWise(shape, two, ElementWiseProd).Output(0) // from a shape: marked only as an output
	notMarked := n.AddElementWise(shape, two, ElementWiseSum).Output(0)
	exp := n.AddUnary(last, UnaryExp).Output(0) // after the loop: marked
	n.MarkOutput(scaled)
	n.MarkOutput(n.AddShuffle(notMarked, Shuffle{}).Output(0))
	if err := n.Err(); err != nil {
		t.Fatal(err)
	}
	m := MarkAll(d)
	var got []string
	for _, o := range m.Outputs {
		got = append(got, o.Name)
	}
	want := []string{last.Name(), twice.Name(), scaled.Name(), exp.Name(), d.Outputs[2].Name}
	if !slices.Equal(got, want) {
		t.Errorf("MarkAll marks %q, want %q", got, want)
	}
	if len(d.Outputs) != 3 || len(d.Layers) != len(m.Layers) {
		t.Errorf("MarkAll changed the description: %d outputs, %d layers", len(d.Outputs), len(m.Layers))
	}
}
