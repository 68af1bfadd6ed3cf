package main

import (
	"github.com/tfc-dev/tfc/frontend/tf"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/tensor"
)

// inspectGraph describes a frozen GraphDef: its candidate inputs (the
// placeholders and tf.data iterator outputs, with dtype and shape) and
// outputs (the sinks), so that a user finds the names -inputs and
// -outputs take without Python; and its op histogram and weight bytes.
func inspectGraph(rep *inspectReport, path string, data []byte) error {
	g, err := tfpb.ParseGraphDef(data, path)
	if err != nil {
		return err
	}
	rep.Kind = "frozen_graph"
	rep.inputsNote = " (-inputs NAME[shape], -input NAME=FILE.npy; any other tensor also cuts the graph there)"
	rep.outputsNote = " (-outputs NAME; default: all of these)"
	graphSummary(rep, g)
	ins, outs := tf.Candidates(g)
	rep.Inputs, rep.Outputs = candidateInfos(ins), candidateInfos(outs)
	return nil
}

// graphSummary fills the node count, op histogram and weight bytes.
func graphSummary(rep *inspectReport, g *tfpb.GraphDef) {
	rep.Nodes = len(g.GetNode())
	rep.Functions = len(g.GetLibrary().GetFunction())
	rep.Ops = map[string]int{}
	rep.WeightBytes = 0
	for _, n := range g.GetNode() {
		rep.Ops[n.GetOp()]++
		if n.GetOp() == "Const" {
			rep.WeightBytes += constBytes(n.GetAttr()["value"].GetTensor())
		}
	}
}

// constBytes is the size of a constant's data as tfc holds it.
func constBytes(t *tfpb.TensorProto) int64 {
	dt, err := tfpb.DTypeFromProto(t.GetDtype())
	if err != nil {
		return int64(len(t.GetTensorContent()))
	}
	n := int64(1)
	for _, d := range t.GetTensorShape().GetDim() {
		n *= max(d.GetSize(), 0)
	}
	return n * int64(dt.Size())
}

func candidateInfos(cs []tf.Candidate) []tensorInfo {
	out := []tensorInfo{}
	for _, c := range cs {
		t := tensorInfo{Name: c.Tensor, DType: "?", Op: c.Op}
		if c.DType != tensor.Invalid {
			t.DType = c.DType.String()
		}
		if c.ShapeKnown {
			t.Shape = shapeJSON(c.Shape)
		}
		out = append(out, t)
	}
	return out
}
