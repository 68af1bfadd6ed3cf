package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/frontend/tf/savedmodel"
)

func runInspect(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("inspect", "[-tags TAG,...] [-variables] [-checksums] MODEL",
		"Inspect describes a frozen graph (.pb, .pbtxt): its candidate inputs (placeholders\n"+
			"and tf.data iterator outputs, with dtype and shape) and outputs. Or it describes a\n"+
			"SavedModel directory or a TF1 checkpoint (PREFIX, PREFIX.meta or PREFIX.index),\n"+
			"like saved_model_cli show --all: its meta graphs' tag sets;\n"+
			"for the selected meta graph every signature's inputs and outputs (key, dtype,\n"+
			"shape, graph tensor) with the variables and weight bytes its frozen graph\n"+
			"holds; the variables the saver restores and the checkpoint's size.\n"+
			"-variables lists every variable; -checksums also reads the whole checkpoint\n"+
			"and checks every tensor's CRC32C.", stderr)
	var tags listFlag
	fs.Var(&tags, "tags", "the meta graph's tag set, `tag,...` (default serve, or the only meta graph)")
	listVars := fs.Bool("variables", false, "list every variable: node, checkpoint key, dtype, shape")
	checksums := fs.Bool("checksums", false, "read every checkpoint tensor and check its checksum")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &exitError{code: 2, msg: "want exactly one MODEL argument"}
	}
	path := pos[0]
	if !tfc.IsSavedModel(path) {
		if st, err := os.Stat(path); err != nil {
			return fileError(path, err)
		} else if !st.IsDir() {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if !tfc.IsIRText(data) {
				return inspectGraph(path, data, stdout)
			}
		}
		return fmt.Errorf("%s: not a frozen graph, a SavedModel directory (no saved_model.pb) or a TF1 checkpoint (PREFIX.meta)", path)
	}
	m, err := savedmodel.Open(path, tags)
	if err != nil {
		return err
	}
	mg := m.MetaGraph
	fmt.Fprintf(stdout, "%s: %v (%s", path, m.Kind, m.GraphFile)
	if v := mg.GetMetaInfoDef().GetTensorflowVersion(); v != "" {
		fmt.Fprintf(stdout, ", written by TensorFlow %s", v)
	}
	fmt.Fprintln(stdout, ")")
	if m.Kind == savedmodel.SavedModelDir {
		fmt.Fprintf(stdout, "meta graphs (tag sets):")
		for _, t := range m.TagSets {
			mark := ""
			if sameTags(t, mg.GetMetaInfoDef().GetTags()) {
				mark = " (selected)"
			}
			fmt.Fprintf(stdout, " %s%s", tagList(t), mark)
		}
		fmt.Fprintln(stdout)
	}

	sigs := m.Signatures()
	if len(sigs) == 0 {
		fmt.Fprintln(stdout, "\nno signatures (freeze with -outputs name:0,...)")
	}
	for _, key := range sigs {
		sig := mg.GetSignatureDef()[key]
		fmt.Fprintf(stdout, "\nsignature_def[%q]:\n", key)
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		for _, k := range sortedStrings(sig.GetInputs()) {
			ti := sig.GetInputs()[k]
			fmt.Fprintf(tw, "  inputs[%q]\t%s\t%s\t%s\n", k, dtypeName(ti.GetDtype()), shapeText(ti.GetTensorShape()), tensorOf(ti.GetName()))
		}
		for _, k := range sortedStrings(sig.GetOutputs()) {
			ti := sig.GetOutputs()[k]
			fmt.Fprintf(tw, "  outputs[%q]\t%s\t%s\t%s\n", k, dtypeName(ti.GetDtype()), shapeText(ti.GetTensorShape()), tensorOf(ti.GetName()))
		}
		tw.Flush()
		if mn := sig.GetMethodName(); mn != "" {
			fmt.Fprintf(stdout, "  method: %s\n", mn)
		}
		fr, err := m.Freeze(savedmodel.Options{Signature: key})
		if err != nil {
			fmt.Fprintf(stdout, "  frozen: cannot freeze: %v\n", err)
			continue
		}
		fmt.Fprintf(stdout, "  frozen: %s, %s, %s of weights\n", count(len(fr.Graph.GetNode()), "node"), count(fr.Variables, "variable"), byteSize(fr.WeightBytes))
		fr.Close()
	}

	vars, ck, err := m.Variables()
	if err != nil {
		return err
	}
	var total int64
	for _, v := range vars {
		total += v.Bytes
	}
	fmt.Fprintf(stdout, "\nvariables restored by the saver: %d (%s)\n", len(vars), byteSize(total))
	if ck != nil {
		fmt.Fprintf(stdout, "checkpoint %s: %s in %s, %s\n", ck.Prefix, count(ck.Tensors, "tensor"), count(ck.Shards, "shard"), byteSize(ck.Bytes))
	} else {
		fmt.Fprintln(stdout, "no checkpoint (no variables/variables.index)")
	}
	if *listVars {
		for _, v := range vars {
			what := "MISSING from the checkpoint"
			if v.DType != 0 {
				what = fmt.Sprintf("%s %v", dtypeName(v.DType), v.Shape)
			}
			fmt.Fprintf(stdout, "  %s (%s) <- %q  %s\n", v.Node, v.Op, v.Key, what)
		}
	}
	if *checksums {
		if err := m.VerifyCheckpoint(); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "checksums: every checkpoint tensor matches its CRC32C")
	}
	return nil
}

func tensorOf(name string) string {
	if name == "" {
		return "(not a dense tensor)"
	}
	return "tensor " + name
}

func tagList(tags []string) string {
	if len(tags) == 0 {
		return "[]"
	}
	return "[" + strings.Join(tags, ",") + "]"
}

func sameTags(a, b []string) bool { return tagList(a) == tagList(b) }

func sortedStrings[V any](m map[string]V) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}
