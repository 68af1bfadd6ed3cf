package savedmodel

import (
	"sort"

	"github.com/tfc-dev/tfc/frontend/tf/bundle"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/tensor"
)

// Variable is one variable the saver restores.
type Variable struct {
	// Node is the variable's node (VarHandleOp or VariableV2) and Op its op.
	Node, Op string
	// Key is its checkpoint key; DType, Shape and Bytes describe the
	// checkpoint tensor (DType is DT_INVALID when the key is missing).
	Key   string
	DType tfpb.DataType
	Shape tensor.Shape
	Bytes int64
}

// CheckpointInfo summarizes a model's checkpoint.
type CheckpointInfo struct {
	Prefix  string
	Shards  int
	Tensors int   // entries, the header excluded
	Bytes   int64 // of all tensors
}

// Variables lists the variables the meta graph's saver restores, sorted by
// node name, and summarizes the checkpoint (nil for a SavedModel without
// variables). Listing reads the index only; VerifyCheckpoint reads the
// data.
func (m *Model) Variables() ([]Variable, *CheckpointInfo, error) {
	g, err := newGraph(m.GraphFile, m.MetaGraph)
	if err != nil {
		return nil, nil, err
	}
	fz := &freezer{m: m, g: g}
	defer fz.close()
	restore, err := fz.restoreMap()
	if err != nil {
		return nil, nil, err
	}
	var ck *CheckpointInfo
	if m.VariablesPrefix != "" {
		if err := fz.openBundle(); err != nil {
			return nil, nil, err
		}
		ck = &CheckpointInfo{Prefix: m.VariablesPrefix, Shards: fz.bundle.NumShards(),
			Tensors: len(fz.bundle.Keys()), Bytes: fz.bundle.TotalBytes()}
	}
	var vars []Variable
	for node, key := range restore {
		v := Variable{Node: node, Op: g.nodes[node].op(), Key: key}
		if fz.bundle != nil {
			if e, ok := fz.bundle.Entry(key); ok {
				v.DType, v.Shape, v.Bytes = e.DType, e.Shape, e.Size
			}
		}
		vars = append(vars, v)
	}
	sort.Slice(vars, func(i, j int) bool { return vars[i].Node < vars[j].Node })
	return vars, ck, nil
}

// VerifyCheckpoint reads every tensor of the model's checkpoint and checks
// its checksum.
func (m *Model) VerifyCheckpoint() error {
	if m.VariablesPrefix == "" {
		return nil
	}
	b, err := bundle.Open(m.VariablesPrefix)
	if err != nil {
		return err
	}
	defer b.Close()
	return b.VerifyAll()
}
