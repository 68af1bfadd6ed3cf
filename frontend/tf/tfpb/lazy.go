package tfpb

import (
	"math"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// A decoded NodeDef costs several hundred bytes (its attr map, the
// AttrValues, a TensorProto and its shape), so a million-node GraphDef
// decoded whole holds about 700 MB beside the IR its import builds.
// ParseLazy reads a binary GraphDef only as far as an importer indexes
// its nodes (name, op; NodeInputs the inputs) and leaves each NodeDef
// encoded, to be decoded (DecodeNode) when it is translated and dropped
// after.

// Field numbers of NodeDef (tensorflow/core/framework/node_def.proto;
// TestLazyFieldNumbers checks them against the generated code).
const (
	nodeDefName  protowire.Number = 1
	nodeDefOp    protowire.Number = 2
	nodeDefInput protowire.Number = 3
)

// A LazyGraph is a binary GraphDef with its nodes left encoded.
type LazyGraph struct {
	// Graph holds every field of the GraphDef but its nodes.
	Graph *GraphDef
	// Nodes are the GraphDef's nodes, in order.
	Nodes []LazyNode
	// Data is the data given to ParseLazy; each node's encoding is the
	// piece of it at the node's Offset.
	Data []byte
}

// A LazyNode is one NodeDef of a LazyGraph: its name and op, decoded,
// and its encoding.
type LazyNode struct {
	// Name and Op are the node's name and op. The names of a graph are
	// pieces of one string, so that a million names are one allocation.
	Name, Op string
	// Enc is the NodeDef's encoding (without its length prefix), a slice
	// of the data given to ParseLazy: DecodeNode decodes it, NodeInputs
	// reads its inputs.
	Enc []byte
	// Plain says that the encoding is of the plain form (lazy_attr.go):
	// it decodes, and NodeAttr reads its attributes.
	Plain bool
	// DataInputs is the number of its inputs that are not "^control" ones.
	DataInputs int32
	// Offset is where Enc starts in the graph's Data.
	Offset int
}

// ParseLazy is ParseGraphDef for a binary GraphDef whose nodes are left
// encoded. It takes only data that ParseGraphDef parses as binary first,
// with at least one node and no function library, whose nodes' names,
// ops and inputs are well-formed strings; ok is false for anything else
// (the caller then uses ParseGraphDef, which reports the errors). It does
// not check the rest of each node's encoding unless it is plain:
// DecodeNode does, and a caller that decodes some nodes only must decode
// the others that are not plain to know that ParseGraphDef would have
// accepted the data.
//
// The nodes' encodings and what DecodeNode makes of them alias data
// (see ParseGraphDef), which must stay unchanged while they are used.
func ParseLazy(data []byte, name string) (g *LazyGraph, ok bool) {
	if len(data) == 0 || looksLikeText(data) || hasTextExt(name) && isPlainText(data) {
		return nil, false
	}
	count := countNodes(data) // sizes the slices: a million nodes are not copied as they grow
	nodes := make([]LazyNode, 0, count)
	var names []byte              // every node's name, end to end
	ends := make([]int, 0, count) // where each node's name ends in names
	var rest []byte               // the fields that are not nodes
	ops := map[string]string{}
	for pos := 0; pos < len(data); {
		num, typ, n := protowire.ConsumeTag(data[pos:])
		if n < 0 {
			return nil, false
		}
		m := protowire.ConsumeFieldValue(num, typ, data[pos+n:])
		if m < 0 {
			return nil, false
		}
		field := data[pos : pos+n+m]
		pos += n + m
		if num != graphDefNode {
			rest = append(rest, field...)
			continue
		}
		if typ != protowire.BytesType {
			return nil, false
		}
		body, _ := protowire.ConsumeBytes(field[n:])
		nm, op, inputs, ok := nodeHeader(body)
		if !ok {
			return nil, false
		}
		names = append(names, nm...)
		ends = append(ends, len(names))
		o, seen := ops[string(op)]
		if !seen {
			o = string(op)
			ops[o] = o
		}
		nodes = append(nodes, LazyNode{Op: o, Enc: body[:len(body):len(body)], Plain: plainNode(body), DataInputs: int32(min(inputs, math.MaxInt32)),
			Offset: pos - len(body)})
	}
	if len(nodes) == 0 {
		return nil, false
	}
	all, start := string(names), 0
	for i := range nodes {
		nodes[i].Name = all[start:ends[i]]
		start = ends[i]
	}
	g = &LazyGraph{Graph: new(GraphDef), Nodes: nodes, Data: data}
	if err := proto.Unmarshal(rest, g.Graph); err != nil || len(g.Graph.GetLibrary().GetFunction()) > 0 {
		return nil, false
	}
	return g, true
}

// countNodes returns the number of node fields at the top level of data,
// up to the first malformed field (ParseLazy then gives up anyway).
func countNodes(data []byte) int {
	count := 0
	fields(data, func(f wireField) bool {
		if f.num == graphDefNode {
			count++
		}
		return true
	})
	return count
}

// nodeHeader reads a NodeDef's name and op from its encoding as
// proto.Unmarshal would (the last of each), counts its data inputs (not
// "^control" ones), and checks that they and its inputs are strings that
// decode (valid UTF-8).
func nodeHeader(body []byte) (name, op []byte, dataInputs int, ok bool) {
	for pos := 0; pos < len(body); {
		num, typ, n := protowire.ConsumeTag(body[pos:])
		if n < 0 {
			return nil, nil, 0, false
		}
		m := protowire.ConsumeFieldValue(num, typ, body[pos+n:])
		if m < 0 {
			return nil, nil, 0, false
		}
		v := body[pos+n : pos+n+m]
		pos += n + m
		if num != nodeDefName && num != nodeDefOp && num != nodeDefInput {
			continue
		}
		s, k := protowire.ConsumeBytes(v)
		if typ != protowire.BytesType || k < 0 || !utf8.Valid(s) {
			return nil, nil, 0, false
		}
		switch num {
		case nodeDefName:
			name = s
		case nodeDefOp:
			op = s
		case nodeDefInput:
			if len(s) == 0 || s[0] != '^' {
				dataInputs++
			}
		}
	}
	return name, op, dataInputs, true
}

// NodeInputs calls input with each input of a LazyNode's encoding, in
// order, as a slice of the encoding (ParseLazy checked them).
func NodeInputs(enc []byte, input func(in []byte)) {
	for pos := 0; pos < len(enc); {
		num, typ, n := protowire.ConsumeTag(enc[pos:])
		m := protowire.ConsumeFieldValue(num, typ, enc[pos+n:])
		if num == nodeDefInput {
			s, _ := protowire.ConsumeBytes(enc[pos+n:])
			input(s)
		}
		pos += n + m
	}
}

// DecodeNode decodes a LazyNode's encoding into the NodeDef that
// ParseGraphDef gives for it, large tensor contents aliased.
func DecodeNode(enc []byte) (*NodeDef, error) {
	if len(enc) >= aliasMinBytes {
		if nd, ok := nodeBodyAliased(enc); ok {
			return nd, nil
		}
	}
	nd := new(NodeDef)
	// One level less than the default: ParseGraphDef decodes the node a
	// level deeper, inside its GraphDef.
	opts := proto.UnmarshalOptions{RecursionLimit: protowire.DefaultRecursionLimit - 1}
	if err := opts.Unmarshal(enc, nd); err != nil {
		return nil, err
	}
	return nd, nil
}
