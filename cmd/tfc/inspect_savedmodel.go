package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/tfc-dev/tfc/frontend/tf"
	"github.com/tfc-dev/tfc/frontend/tf/savedmodel"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
)

// inspectSavedModel describes a SavedModel directory or TF1 checkpoint,
// like saved_model_cli show --all. The report's inputs, outputs, ops and
// weight bytes are those of the default signature's frozen graph; for a
// checkpoint without signatures, of the graph frozen at its likely
// outputs.
func inspectSavedModel(rep *inspectReport, path string, tags []string, listVars, checksums bool) error {
	m, err := savedmodel.Open(path, tags)
	if err != nil {
		return err
	}
	mg := m.MetaGraph
	rep.Kind = "savedmodel"
	if m.Kind != savedmodel.SavedModelDir {
		rep.Kind = "checkpoint"
	}
	rep.GraphFile = m.GraphFile
	rep.TensorFlowVersion = mg.GetMetaInfoDef().GetTensorflowVersion()
	if m.Kind == savedmodel.SavedModelDir {
		rep.TagSets = m.TagSets
	}
	rep.Tags = mg.GetMetaInfoDef().GetTags()

	for _, key := range m.Signatures() {
		sig := mg.GetSignatureDef()[key]
		si := signatureInfo{Key: key, Method: sig.GetMethodName(), Inputs: []tensorInfo{}, Outputs: []tensorInfo{}}
		for _, k := range sortedStrings(sig.GetInputs()) {
			si.Inputs = append(si.Inputs, sigTensor(k, sig.GetInputs()[k]))
		}
		for _, k := range sortedStrings(sig.GetOutputs()) {
			si.Outputs = append(si.Outputs, sigTensor(k, sig.GetOutputs()[k]))
		}
		fr, err := m.Freeze(savedmodel.Options{Signature: key})
		if err != nil {
			si.FreezeError = err.Error()
		} else {
			si.Frozen = &frozenInfo{Nodes: len(fr.Graph.GetNode()), Variables: fr.Variables, WeightBytes: fr.WeightBytes}
			fr.Close()
		}
		rep.Signatures = append(rep.Signatures, si)
	}

	// The model as the commands load it by default.
	if len(rep.Signatures) == 0 {
		likelyIO(rep, mg)
		var outs []string
		for _, o := range rep.Outputs {
			outs = append(outs, o.Name)
		}
		if len(outs) > 0 {
			if fr, err := m.Freeze(savedmodel.Options{Outputs: outs}); err == nil {
				graphSummary(rep, fr.Graph)
				fr.Close()
			}
		}
	} else if fr, err := m.Freeze(savedmodel.Options{}); err == nil {
		graphSummary(rep, fr.Graph)
		for _, in := range fr.Inputs {
			rep.Inputs = append(rep.Inputs, tensorInfo{Name: in.Name, Key: in.Key, DType: dtypeName(in.DType), Shape: protoShape(in.Shape)})
		}
		for _, o := range fr.Outputs {
			rep.Outputs = append(rep.Outputs, tensorInfo{Name: o.Name, Key: o.Key, DType: dtypeName(o.DType), Shape: protoShape(o.Shape)})
		}
		fr.Close()
	}

	vars, ck, err := m.Variables()
	if err != nil {
		return err
	}
	rep.VariableCount = len(vars)
	for _, v := range vars {
		rep.VariableBytes += v.Bytes
		if listVars {
			vi := variableInfo{Node: v.Node, Op: v.Op, Key: v.Key, Shape: shapeJSON(v.Shape), Bytes: v.Bytes}
			if v.DType != 0 {
				vi.DType = dtypeName(v.DType)
			}
			rep.Variables = append(rep.Variables, vi)
		}
	}
	if ck != nil {
		rep.Checkpoint = &checkpointInfo{Prefix: ck.Prefix, Tensors: ck.Tensors, Shards: ck.Shards, Bytes: ck.Bytes}
	}
	if checksums {
		if err := m.VerifyCheckpoint(); err != nil {
			return err
		}
		ok := true
		rep.ChecksumsOK = &ok
	}
	return nil
}

// likelyIO fills a checkpoint's inputs (its placeholders) and likely
// outputs: the graph's sinks, leaving out the saver's name scope and
// variable bookkeeping (initializers, IsInitialized checks), and keeping
// those that depend on an input when any do.
func likelyIO(rep *inspectReport, mg *tfpb.MetaGraphDef) {
	g := mg.GetGraphDef()
	saver := mg.GetSaverDef().GetFilenameTensorName()
	scope := ""
	if i := strings.LastIndexByte(saver, '/'); i > 0 {
		scope = saver[:i+1]
	}
	inSaver := func(name string) bool { return scope != "" && strings.HasPrefix(name, scope) }
	ins, outs := tf.Candidates(g)
	var inputs []tf.Candidate
	isInput := map[string]bool{}
	for _, c := range ins {
		if !inSaver(c.Tensor) {
			inputs = append(inputs, c)
			isInput[strings.Split(c.Tensor, ":")[0]] = true
		}
	}
	// Which nodes depend (through data inputs) on an input.
	byName := map[string]*tfpb.NodeDef{}
	for _, n := range g.GetNode() {
		byName[n.GetName()] = n
	}
	memo := map[string]int{} // 1: depends, 2: does not, 3: visiting
	var depends func(string) bool
	depends = func(name string) bool {
		switch memo[name] {
		case 1:
			return true
		case 2, 3:
			return false
		}
		memo[name] = 3
		r := isInput[name]
		if n := byName[name]; n != nil && !r {
			for _, in := range n.GetInput() {
				if strings.HasPrefix(in, "^") {
					continue
				}
				if depends(strings.Split(in, ":")[0]) {
					r = true
					break
				}
			}
		}
		memo[name] = 2
		if r {
			memo[name] = 1
		}
		return r
	}
	bookkeeping := map[string]bool{
		"Assign": true, "AssignVariableOp": true, "AssignAdd": true, "AssignSub": true,
		"VarIsInitializedOp": true, "IsVariableInitialized": true, "SaveV2": true, "RestoreV2": true,
		"MergeV2Checkpoints": true, "ShardedFilename": true,
	}
	var likely, fed []tf.Candidate
	for _, c := range outs {
		if inSaver(c.Tensor) || bookkeeping[c.Op] {
			continue
		}
		likely = append(likely, c)
		if depends(strings.Split(c.Tensor, ":")[0]) {
			fed = append(fed, c)
		}
	}
	if len(fed) > 0 {
		likely = fed
	}
	rep.Inputs, rep.Outputs = candidateInfos(inputs), candidateInfos(likely)
	rep.inputsNote = " (placeholders outside the saver)"
	rep.outputsNote = " (likely: sinks outside the saver and variable bookkeeping, fed by an input; freeze with -outputs)"
}

func sigTensor(key string, ti *tfpb.TensorInfo) tensorInfo {
	return tensorInfo{Key: key, Name: ti.GetName(), DType: dtypeName(ti.GetDtype()), Shape: protoShape(ti.GetTensorShape())}
}

// protoShape is a TensorShapeProto for JSON: nil for an unknown rank.
func protoShape(sp *tfpb.TensorShapeProto) []int {
	if sp == nil || sp.GetUnknownRank() {
		return nil
	}
	s := make([]int, len(sp.GetDim()))
	for i, d := range sp.GetDim() {
		s[i] = int(max(d.GetSize(), -1))
	}
	return s
}

// writeSavedModelText prints signatures, variables and the checkpoint.
func (r *inspectReport) writeSavedModelText(w io.Writer) {
	if len(r.Signatures) == 0 {
		fmt.Fprintln(w, "\nno signatures (freeze with -outputs name:0,...)")
	}
	for _, si := range r.Signatures {
		fmt.Fprintf(w, "\nsignature_def[%q]:\n", si.Key)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, t := range si.Inputs {
			fmt.Fprintf(tw, "  inputs[%q]\t%s\t%s\t%s\n", t.Key, t.DType, shapeString(t.Shape), tensorOf(t.Name))
		}
		for _, t := range si.Outputs {
			fmt.Fprintf(tw, "  outputs[%q]\t%s\t%s\t%s\n", t.Key, t.DType, shapeString(t.Shape), tensorOf(t.Name))
		}
		tw.Flush()
		if si.Method != "" {
			fmt.Fprintf(w, "  method: %s\n", si.Method)
		}
		if si.Frozen == nil {
			fmt.Fprintf(w, "  frozen: cannot freeze: %s\n", si.FreezeError)
			continue
		}
		fmt.Fprintf(w, "  frozen: %s, %s, %s of weights\n", count(si.Frozen.Nodes, "node"), count(si.Frozen.Variables, "variable"), byteSize(si.Frozen.WeightBytes))
	}
	fmt.Fprintf(w, "\nvariables restored by the saver: %d (%s)\n", r.VariableCount, byteSize(r.VariableBytes))
	if ck := r.Checkpoint; ck != nil {
		fmt.Fprintf(w, "checkpoint %s: %s in %s, %s\n", ck.Prefix, count(ck.Tensors, "tensor"), count(ck.Shards, "shard"), byteSize(ck.Bytes))
	} else {
		fmt.Fprintln(w, "no checkpoint (no variables/variables.index)")
	}
	for _, v := range r.Variables {
		what := "MISSING from the checkpoint"
		if v.DType != "" {
			what = v.DType + " " + shapeString(v.Shape)
		}
		fmt.Fprintf(w, "  %s (%s) <- %q  %s\n", v.Node, v.Op, v.Key, what)
	}
	if r.ChecksumsOK != nil {
		fmt.Fprintln(w, "checksums: every checkpoint tensor matches its CRC32C")
	}
}

func tensorOf(name string) string {
	if name == "" {
		return "(not a dense tensor)"
	}
	return "tensor " + name
}
