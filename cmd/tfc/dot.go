package main

import (
	"fmt"
	"path"
	"strings"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/internal/dot"
	"github.com/tfc-dev/tfc/ir"
)

// Drawings for Graphviz: compile -emit=dot (the IR after the passes) and
// -emit=network -format=dot (the TensorRT network). Nodes sit in clusters
// by TensorFlow name scope (the op's or layer's source node name) and are
// coloured by op family or layer kind; constants are left out.

// irGraph draws f.
func irGraph(f *ir.Func, name string) *dot.Graph {
	g := &dot.Graph{Name: name}
	ids := map[*ir.Op]string{}
	for i, op := range f.Ops {
		if op.Opcode == ir.OpConst {
			continue
		}
		id := fmt.Sprintf("op%d", i)
		ids[op] = id
		var types []string
		for _, r := range op.Results {
			types = append(types, r.Type.String())
		}
		kind := op.Info().Family
		label := op.Info().Name
		if op.Opcode == ir.OpInput {
			kind, label = "input", "input "+op.Str("name")
		}
		g.Nodes = append(g.Nodes, dot.Node{
			ID: id, Label: label + "\n" + strings.Join(types, ", "),
			Scope: scopeOf(op.Loc), Kind: kind, Tooltip: op.Loc,
		})
		for _, a := range op.Args {
			if from, ok := ids[a.Op]; ok {
				g.Edges = append(g.Edges, dot.Edge{From: from, To: id})
			}
		}
	}
	for i, o := range f.Outputs {
		id := fmt.Sprintf("out%d", i)
		g.Nodes = append(g.Nodes, dot.Node{ID: id, Label: "output " + o.Name + "\n" + o.Value.Type.String(), Kind: "output", Shape: "box"})
		if from, ok := ids[o.Value.Op]; ok {
			g.Edges = append(g.Edges, dot.Edge{From: from, To: id})
		}
	}
	return g
}

// layerKinds maps TensorRT layer types to the IR's family names, so both
// drawings use the same colours.
var layerKinds = map[string]string{
	"Convolution": "conv", "Deconvolution": "conv", "MatrixMultiply": "matmul", "Einsum": "matmul",
	"ElementWise": "elementwise", "Scale": "elementwise", "Select": "elementwise",
	"Activation": "activation", "Unary": "unary", "Pooling": "pool", "Reduce": "reduce",
	"Normalization": "reduce", "Cumulative": "reduce", "TopK": "reduce", "SoftMax": "softmax",
	"Shuffle": "layout", "Slice": "layout", "Concatenation": "layout", "Padding": "layout",
	"Gather": "layout", "Scatter": "layout", "Resize": "layout", "Shape": "layout", "Fill": "layout",
	"Cast": "cast", "Identity": "cast", "Quantize": "cast", "Dequantize": "cast",
}

// networkGraph draws a TensorRT network.
func networkGraph(d *trt.Description, name string) *dot.Graph {
	g := &dot.Graph{Name: name}
	producer := map[*trt.TensorDesc]string{}
	for i, t := range d.Inputs {
		id := fmt.Sprintf("in%d", i)
		producer[t] = id
		g.Nodes = append(g.Nodes, dot.Node{ID: id, Label: "input " + t.Name + "\n" + t.Dims.String() + " " + t.Type.String(), Kind: "input"})
	}
	for _, l := range d.Layers {
		if l.Type == trt.LayerConstant {
			continue
		}
		id := fmt.Sprintf("layer%d", l.ID)
		var dims []string
		for _, o := range l.Outputs {
			producer[o] = id
			dims = append(dims, o.Dims.String()+" "+o.Type.String())
		}
		kind := layerKinds[l.Type.String()]
		if kind == "" {
			kind = l.Type.String()
		}
		g.Nodes = append(g.Nodes, dot.Node{
			ID: id, Label: l.Type.String() + "\n" + path.Base(l.Name) + "\n" + strings.Join(dims, ", "),
			Scope: scopeOf(l.Name), Kind: kind, Tooltip: l.Name,
		})
		for _, in := range l.Inputs {
			if from, ok := producer[in]; ok && in != nil {
				g.Edges = append(g.Edges, dot.Edge{From: from, To: id})
			}
		}
	}
	for i, t := range d.Outputs {
		id := fmt.Sprintf("out%d", i)
		g.Nodes = append(g.Nodes, dot.Node{ID: id, Label: "output " + t.Name + "\n" + t.Dims.String() + " " + t.Type.String(), Kind: "output"})
		if from, ok := producer[t]; ok {
			g.Edges = append(g.Edges, dot.Edge{From: from, To: id})
		}
	}
	return g
}

// scopeOf is a TensorFlow node name's scope: "a/b/conv" → "a/b".
func scopeOf(loc string) string {
	if i := strings.LastIndexByte(loc, '/'); i > 0 {
		return loc[:i]
	}
	return ""
}
