// Package synth builds synthetic TensorFlow GraphDefs of any size, for
// benchmarks of import and compilation that must not depend on generated
// files: a chain of dense blocks (MatMul, BiasAdd, Relu, AddV2 residual)
// on a [1, Width] float32 input, five nodes per block plus their constants.
package synth

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
)

// Width is the feature width of the synthetic model.
const Width = 8

// NodesPerBlock is the number of GraphDef nodes one block adds.
const NodesPerBlock = 6

// Graph returns a GraphDef with about n nodes (at least one block), with
// input "x:0" of shape [1, Width] and output "<last block>/out:0".
// Weights are seeded random numbers, the same for the same n.
func Graph(n int) *tfpb.GraphDef {
	rng := rand.New(rand.NewPCG(uint64(n), 42))
	g := &tfpb.GraphDef{}
	add := func(name, op string, inputs []string, attr map[string]*tfpb.AttrValue) {
		g.Node = append(g.Node, &tfpb.NodeDef{Name: name, Op: op, Input: inputs, Attr: attr})
	}
	dtF := &tfpb.AttrValue{Value: &tfpb.AttrValue_Type{Type: tfpb.DataType_DT_FLOAT}}
	add("x", "Placeholder", nil, map[string]*tfpb.AttrValue{
		"dtype": dtF,
		"shape": {Value: &tfpb.AttrValue_Shape{Shape: shapeProto(1, Width)}},
	})
	prev := "x"
	blocks := max(1, (n-1)/NodesPerBlock)
	for b := range blocks {
		p := fmt.Sprintf("block%d/", b)
		add(p+"w", "Const", nil, constAttr(rng, Width, Width))
		add(p+"b", "Const", nil, constAttr(rng, Width))
		add(p+"matmul", "MatMul", []string{prev, p + "w"}, map[string]*tfpb.AttrValue{
			"T":           dtF,
			"transpose_a": {Value: &tfpb.AttrValue_B{B: false}},
			"transpose_b": {Value: &tfpb.AttrValue_B{B: false}},
		})
		add(p+"bias", "BiasAdd", []string{p + "matmul", p + "b"}, map[string]*tfpb.AttrValue{"T": dtF})
		add(p+"relu", "Relu", []string{p + "bias"}, map[string]*tfpb.AttrValue{"T": dtF})
		add(p+"out", "AddV2", []string{p + "relu", prev}, map[string]*tfpb.AttrValue{"T": dtF})
		prev = p + "out"
	}
	return g
}

func shapeProto(dims ...int64) *tfpb.TensorShapeProto {
	s := &tfpb.TensorShapeProto{}
	for _, d := range dims {
		s.Dim = append(s.Dim, &tfpb.TensorShapeProto_Dim{Size: d})
	}
	return s
}

// constAttr makes the attributes of a float32 Const with random values
// scaled so that activations stay bounded along a long chain.
func constAttr(rng *rand.Rand, dims ...int64) map[string]*tfpb.AttrValue {
	n := int64(1)
	for _, d := range dims {
		n *= d
	}
	buf := make([]byte, 4*n)
	for i := range n {
		v := float32((rng.Float64()*2 - 1) / Width)
		binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(v))
	}
	return map[string]*tfpb.AttrValue{
		"dtype": {Value: &tfpb.AttrValue_Type{Type: tfpb.DataType_DT_FLOAT}},
		"value": {Value: &tfpb.AttrValue_Tensor{Tensor: &tfpb.TensorProto{
			Dtype:         tfpb.DataType_DT_FLOAT,
			TensorShape:   shapeProto(dims...),
			TensorContent: buf,
		}}},
	}
}
