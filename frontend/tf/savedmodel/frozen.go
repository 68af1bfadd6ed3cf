package savedmodel

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"strings"

	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	"github.com/tfc-dev/tfc/frontend/tf/bundle"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/tensor"
)

// Frozen is a frozen graph whose weights stay in the checkpoint until they
// are needed: Graph's weight constants have a dtype and shape but no
// content, and WriteBinary/WriteText fill them one at a time as they write,
// Weight reads one into a tensor (for importing without a TensorProto
// copy), Materialize fills them all. Close releases the checkpoint files.
type Frozen struct {
	// Graph is the frozen GraphDef without the weights' contents.
	Graph *tfpb.GraphDef
	// Signature is the frozen signature's key ("" for a checkpoint).
	Signature string
	// Inputs and Outputs of the frozen graph.
	Inputs, Outputs []TensorInfo
	// Variables is the number of distinct variables the graph reads;
	// WeightBytes the size of their constants.
	Variables   int
	WeightBytes int64

	weights map[string]string // weight Const node → checkpoint key
	bundle  *bundle.Reader
}

// Close closes the checkpoint; the weights cannot be read afterwards.
func (f *Frozen) Close() error {
	if f.bundle == nil {
		return nil
	}
	err := f.bundle.Close()
	f.bundle = nil
	return err
}

// IsWeight reports whether node is a Const whose value is in the
// checkpoint.
func (f *Frozen) IsWeight(node string) bool {
	_, ok := f.weights[node]
	return ok
}

// Weight reads the value of weight constant node into a new tensor,
// straight from the checkpoint (checksum checked). It returns (nil, nil)
// for a node that is not a weight.
func (f *Frozen) Weight(node string) (*tensor.Tensor, error) {
	key, ok := f.weights[node]
	if !ok {
		return nil, nil
	}
	if f.bundle == nil {
		return nil, fmt.Errorf("weight %q: the frozen model is closed", node)
	}
	return f.bundle.ReadTensor(key)
}

// weightNode returns node with its value's tensor_content set to raw.
func weightNode(n *tfpb.NodeDef, raw []byte) *tfpb.NodeDef {
	tp := n.GetAttr()["value"].GetTensor()
	return &tfpb.NodeDef{Name: n.GetName(), Op: n.GetOp(), Attr: map[string]*tfpb.AttrValue{
		"dtype": n.GetAttr()["dtype"],
		"value": {Value: &tfpb.AttrValue_Tensor{Tensor: &tfpb.TensorProto{
			Dtype: tp.GetDtype(), TensorShape: tp.GetTensorShape(), TensorContent: raw}}},
	}}
}

// fill returns n, or for a weight a copy holding its bytes (read into
// buf when it is large enough).
func (f *Frozen) fill(n *tfpb.NodeDef, buf []byte) (*tfpb.NodeDef, []byte, error) {
	key, ok := f.weights[n.GetName()]
	if !ok {
		return n, buf, nil
	}
	if f.bundle == nil {
		return nil, buf, fmt.Errorf("weight %q: the frozen model is closed", n.GetName())
	}
	raw, err := f.bundle.ReadBytes(key, buf)
	if err != nil {
		return nil, buf, err
	}
	return weightNode(n, raw), raw, nil
}

// Materialize returns the frozen GraphDef with every weight's content
// (the other nodes are shared with Graph).
func (f *Frozen) Materialize() (*tfpb.GraphDef, error) {
	gd := &tfpb.GraphDef{Versions: f.Graph.GetVersions(), Node: make([]*tfpb.NodeDef, len(f.Graph.GetNode()))}
	for i, n := range f.Graph.GetNode() {
		m, _, err := f.fill(n, nil)
		if err != nil {
			return nil, err
		}
		gd.Node[i] = m
	}
	return gd, nil
}

// GraphDef field numbers and wire tags, for streaming.
const (
	tagNode     = 1<<3 | 2 // field 1 (node), length-delimited
	tagVersions = 4<<3 | 2 // field 4 (versions)
)

// WriteBinary writes the frozen GraphDef in the binary wire format, node by
// node, reading each weight from the checkpoint just before writing it, so
// that at most one weight is in memory (twice: read and encoded). The
// output equals proto.Marshal (deterministic) of Materialize's GraphDef.
func (f *Frozen) WriteBinary(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	var buf, out []byte
	opts := proto.MarshalOptions{Deterministic: true}
	write := func(tag byte, m proto.Message) error {
		var err error
		out, err = opts.MarshalAppend(out[:0], m)
		if err != nil {
			return err
		}
		var hdr [binary.MaxVarintLen64 + 1]byte
		hdr[0] = tag
		k := binary.PutUvarint(hdr[1:], uint64(len(out)))
		if _, err := bw.Write(hdr[:1+k]); err != nil {
			return err
		}
		_, err = bw.Write(out)
		return err
	}
	for _, n := range f.Graph.GetNode() {
		m, b, err := f.fill(n, buf)
		if err != nil {
			return err
		}
		buf = b[:0]
		if err := write(tagNode, m); err != nil {
			return err
		}
	}
	if v := f.Graph.GetVersions(); v != nil {
		if err := write(tagVersions, v); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteText writes the frozen GraphDef in the protobuf text format, node
// by node like WriteBinary.
func (f *Frozen) WriteText(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	opts := prototext.MarshalOptions{Multiline: true, Indent: "  "}
	var buf []byte
	block := func(field string, m proto.Message) error {
		text, err := opts.Marshal(m)
		if err != nil {
			return err
		}
		fmt.Fprintf(bw, "%s {\n", field)
		for _, line := range strings.Split(strings.TrimRight(string(text), "\n"), "\n") {
			if line != "" {
				bw.WriteString("  ")
				bw.WriteString(line)
			}
			bw.WriteByte('\n')
		}
		_, err = bw.WriteString("}\n")
		return err
	}
	for _, n := range f.Graph.GetNode() {
		m, b, err := f.fill(n, buf)
		if err != nil {
			return err
		}
		buf = b[:0]
		if err := block("node", m); err != nil {
			return err
		}
	}
	if v := f.Graph.GetVersions(); v != nil {
		if err := block("versions", v); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// OpHistogram counts the frozen graph's nodes by op.
func (f *Frozen) OpHistogram() map[string]int {
	h := map[string]int{}
	for _, n := range f.Graph.GetNode() {
		h[n.GetOp()]++
	}
	return h
}
