package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/tensorrt"
	"github.com/tfc-dev/tfc/backend/trt"
)

// inspect describes a model of any kind tfc reads, without running it:
//
//	frozen_graph  .pb/.pbtxt: candidate inputs and outputs (inspect_graph.go)
//	savedmodel    a SavedModel directory: tag sets, signatures, variables
//	checkpoint    a TF1 checkpoint: the same, and likely outputs when it has
//	              no signatures (inspect_savedmodel.go)
//	tfir          tfc IR text (inspect_ir.go)
//	engine        a TensorRT plan with its .json sidecar (inspect_ir.go)
//
// Each fills one inspectReport; -format=json prints it, the text form
// writes it for people.

func runInspect(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("inspect", "[-tags TAG,...] [-variables] [-checksums] [-format text|json] MODEL",
		"Inspect describes a model of any kind without running it: its inputs and outputs\n"+
			"(name, dtype, shape), a histogram of its ops, and the bytes of its weights.\n"+
			"  frozen graph (.pb, .pbtxt): the candidate inputs (placeholders and tf.data\n"+
			"      iterator outputs) and outputs (the sinks), as -inputs and -outputs take them\n"+
			"  SavedModel directory or TF1 checkpoint (PREFIX, PREFIX.meta or PREFIX.index),\n"+
			"      like saved_model_cli show --all: the meta graphs' tag sets; every\n"+
			"      signature's inputs and outputs with the variables and weight bytes its\n"+
			"      frozen graph holds; the variables the saver restores and the checkpoint's\n"+
			"      size; for a checkpoint without signatures, its likely outputs\n"+
			"  tfc IR text (.tfir): inputs, outputs, IR ops and constant bytes\n"+
			"  TensorRT engine (FILE.plan with FILE.plan.json beside it, from compile\n"+
			"      -emit=engine): its inputs and outputs, TensorRT version and targets\n"+
			"-variables lists every variable; -checksums also reads the whole checkpoint\n"+
			"and checks every tensor's CRC32C.", stderr)
	var tags listFlag
	fs.Var(&tags, "tags", "the meta graph's tag set, `tag,...` (default serve, or the only meta graph)")
	listVars := fs.Bool("variables", false, "list every variable: node, checkpoint key, dtype, shape")
	checksums := fs.Bool("checksums", false, "read every checkpoint tensor and check its checksum")
	format := addFormatFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &exitError{code: 2, msg: "want exactly one MODEL argument"}
	}
	path := pos[0]
	rep := &inspectReport{Schema: schemaVersion, Model: path, Ops: map[string]int{}, Inputs: []tensorInfo{}, Outputs: []tensorInfo{}}
	switch {
	case tfc.IsSavedModel(path):
		err = inspectSavedModel(rep, path, tags, *listVars, *checksums)
	case fileExistsRegular(path) && fileExistsRegular(path+".json"):
		err = inspectEngine(rep, path)
	default:
		var data []byte
		if data, err = readModel(path); err != nil {
			return err // already names path
		}
		if tfc.IsIRText(data) {
			err = inspectIR(rep, path, data)
		} else {
			err = inspectGraph(rep, path, data)
		}
	}
	if err != nil {
		return err
	}
	if format.json {
		return writeJSON(stdout, rep)
	}
	rep.writeText(stdout)
	return nil
}

// inspectReport is inspect's -format=json document (docs/json.md).
type inspectReport struct {
	Schema string `json:"schema"`
	Model  string `json:"model"`
	// Kind: frozen_graph, savedmodel, checkpoint, tfir or engine.
	Kind string `json:"kind"`
	// Nodes counts TensorFlow nodes (IR ops for tfir, 0 for an engine);
	// Functions the graph's function library.
	Nodes     int `json:"nodes"`
	Functions int `json:"functions,omitempty"`
	// Ops is the histogram of TensorFlow ops (IR opcodes for tfir) of the
	// graph, or of the default signature's frozen graph.
	Ops         map[string]int `json:"ops"`
	WeightBytes int64          `json:"weight_bytes"` // constants (frozen variables included)
	// Inputs and Outputs: a frozen graph's candidates; a SavedModel's
	// default signature; a checkpoint's placeholders and likely outputs.
	Inputs  []tensorInfo `json:"inputs"`
	Outputs []tensorInfo `json:"outputs"`

	// SavedModels and checkpoints.
	TensorFlowVersion string          `json:"tensorflow_version,omitempty"`
	GraphFile         string          `json:"graph_file,omitempty"`
	TagSets           [][]string      `json:"tag_sets,omitempty"`
	Tags              []string        `json:"tags,omitempty"` // the selected meta graph's
	Signatures        []signatureInfo `json:"signatures,omitempty"`
	Variables         []variableInfo  `json:"variables,omitempty"` // with -variables
	VariableCount     int             `json:"variable_count,omitempty"`
	VariableBytes     int64           `json:"variable_bytes,omitempty"`
	Checkpoint        *checkpointInfo `json:"checkpoint,omitempty"`
	ChecksumsOK       *bool           `json:"checksums_ok,omitempty"` // with -checksums

	// Engines.
	Engine *engineInfo `json:"engine,omitempty"`

	// inputsNote and outputsNote follow the titles under the inputs and outputs (text only).
	inputsNote, outputsNote string
}

// signatureInfo is one SavedModel signature.
type signatureInfo struct {
	Key     string       `json:"key"`
	Method  string       `json:"method,omitempty"`
	Inputs  []tensorInfo `json:"inputs"`
	Outputs []tensorInfo `json:"outputs"`
	// Frozen describes the graph freezing this signature gives.
	Frozen *frozenInfo `json:"frozen,omitempty"`
	// FreezeError says why it cannot be frozen.
	FreezeError string `json:"freeze_error,omitempty"`
}

type frozenInfo struct {
	Nodes       int   `json:"nodes"`
	Variables   int   `json:"variables"`
	WeightBytes int64 `json:"weight_bytes"`
}

type variableInfo struct {
	Node  string `json:"node"`
	Op    string `json:"op"`
	Key   string `json:"key"`   // checkpoint key
	DType string `json:"dtype"` // "" when missing from the checkpoint
	Shape []int  `json:"shape"`
	Bytes int64  `json:"bytes"`
}

type checkpointInfo struct {
	Prefix  string `json:"prefix"`
	Tensors int    `json:"tensors"`
	Shards  int    `json:"shards"`
	Bytes   int64  `json:"bytes"`
}

type engineInfo struct {
	Library             string   `json:"library,omitempty"`
	TFCVersion          string   `json:"tfc_version,omitempty"`
	ComputeCapabilities []string `json:"compute_capabilities,omitempty"`
	PlanBytes           int64    `json:"plan_bytes"`
	// PlanMatches: the plan's size and SHA-256 are the sidecar's.
	PlanMatches bool `json:"plan_matches"`
	// Profiles: an engine with dynamic inputs, its optimization profiles
	// (per profile and dynamic input: min, opt and max shapes).
	Profiles []tensorrt.ProfileInfo `json:"profiles,omitempty"`
}

var kindNames = map[string]string{
	"frozen_graph": "frozen graph",
	"savedmodel":   "SavedModel",
	"checkpoint":   "TF1 checkpoint",
	"tfir":         "tfc IR",
	"engine":       "TensorRT engine",
}

// writeText prints the report for people.
func (r *inspectReport) writeText(w io.Writer) {
	fmt.Fprintf(w, "%s: %s", r.Model, kindNames[r.Kind])
	var about []string
	if r.GraphFile != "" {
		about = append(about, r.GraphFile)
	}
	if r.TensorFlowVersion != "" {
		about = append(about, "written by TensorFlow "+r.TensorFlowVersion)
	}
	switch r.Kind {
	case "frozen_graph":
		about = append(about, count(r.Nodes, "node"))
	case "tfir":
		about = append(about, count(r.Nodes, "op"))
	}
	if r.Functions > 0 {
		about = append(about, count(r.Functions, "function")+" in its library")
	}
	if len(about) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(about, ", "))
	}
	fmt.Fprintln(w)
	if r.Kind == "savedmodel" {
		fmt.Fprintf(w, "meta graphs (tag sets):")
		for _, t := range r.TagSets {
			mark := ""
			if sameTags(t, r.Tags) {
				mark = " (selected)"
			}
			fmt.Fprintf(w, " %s%s", tagList(t), mark)
		}
		fmt.Fprintln(w)
	}
	if e := r.Engine; e != nil {
		var built []string
		if e.Library != "" {
			built = append(built, "with "+e.Library)
		}
		if len(e.ComputeCapabilities) > 0 {
			built = append(built, "for "+strings.Join(e.ComputeCapabilities, ","))
		}
		if e.TFCVersion != "" {
			built = append(built, "by tfc "+e.TFCVersion)
		}
		if len(built) > 0 {
			fmt.Fprintf(w, "built %s\n", strings.Join(built, " "))
		}
		match := "matches its sidecar"
		if !e.PlanMatches {
			match = "does NOT match its sidecar (size or SHA-256 differ)"
		}
		fmt.Fprintf(w, "plan: %s, %s\n", byteSize(e.PlanBytes), match)
		for _, p := range e.Profiles {
			fmt.Fprintf(w, "profile %d %s: min %v, opt %v, max %v\n", p.Profile, p.Input, trt.Dims(p.Min), trt.Dims(p.Opt), trt.Dims(p.Max))
		}
	}
	if r.Kind != "savedmodel" {
		tensorTable(w, "inputs"+r.inputsNote, r.Inputs)
		tensorTable(w, "outputs"+r.outputsNote, r.Outputs)
	}
	if r.Kind == "savedmodel" || r.Kind == "checkpoint" {
		r.writeSavedModelText(w)
	}
	if len(r.Ops) > 0 {
		fmt.Fprintf(w, "\nops (%d kinds; weights %s):\n", len(r.Ops), byteSize(r.WeightBytes))
		writeHistogram(w, r.Ops)
	}
}

// tensorTable lists tensors: name, dtype, shape and producing op.
func tensorTable(w io.Writer, title string, ts []tensorInfo) {
	fmt.Fprintf(w, "\n%s:\n", title)
	if len(ts) == 0 {
		fmt.Fprintln(w, "  (none)")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, t := range ts {
		shape := "[*]"
		if t.Shape != nil {
			shape = shapeString(t.Shape)
		}
		if t.Op == "" {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", t.Name, t.DType, shape)
		} else {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", t.Name, t.DType, shape, t.Op)
		}
	}
	tw.Flush()
}

// writeHistogram prints counts, most frequent first.
func writeHistogram(w io.Writer, counts map[string]int) {
	keys := sortedKeys(counts)
	sort.SliceStable(keys, func(i, j int) bool { return counts[keys[i]] > counts[keys[j]] })
	for _, k := range keys {
		fmt.Fprintf(w, "  %-28s %6d\n", k, counts[k])
	}
}

func tagList(tags []string) string {
	if len(tags) == 0 {
		return "[]"
	}
	return "[" + strings.Join(tags, ",") + "]"
}

func sameTags(a, b []string) bool { return tagList(a) == tagList(b) }

func sortedStrings[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func fileExistsRegular(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
