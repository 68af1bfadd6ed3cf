package main

import (
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/lower"
	"github.com/tfc-dev/tfc/frontend/tf"
	"github.com/tfc-dev/tfc/frontend/tf/savedmodel"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/passes"
)

func runCheck(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("check", "[flags] MODEL",
		"Check parses MODEL, translates it to tfc IR and verifies it, then checks that the\n"+
			"optimised IR lowers to TensorRT layers. It prints the count of every TensorFlow\n"+
			"op and IR op, and every unsupported op with its nodes.\n"+
			"The exit status is 0 only if the whole model translates.", stderr)
	m := addModelFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &exitError{code: 2, msg: "want exactly one MODEL argument"}
	}
	path := pos[0]
	var data []byte
	if !tfc.IsSavedModel(path) {
		if data, err = readModel(path); err != nil {
			return err
		}
	}
	if !tfc.IsIRText(data) {
		g, err := checkGraph(path, data, m)
		if err != nil {
			return err
		}
		counts := map[string]int{}
		for _, n := range g.GetNode() {
			counts[n.GetOp()]++
		}
		fmt.Fprintf(stdout, "%s: %d TensorFlow nodes, %d op types\n", path, len(g.GetNode()), len(counts))
		for _, op := range sortedKeys(counts) {
			mark := ""
			if !tf.Supported(op) {
				mark = "  UNSUPPORTED"
			}
			fmt.Fprintf(stdout, "  %-28s %6d%s\n", op, counts[op], mark)
		}
	}
	var f *ir.Func
	if data == nil {
		f, err = tfc.Load(path, m.loadOptions(stderr)) // a SavedModel or checkpoint
	} else {
		f, err = tfc.LoadBytes(path, data, m.loadOptions(stderr))
	}
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, op := range f.Ops {
		counts[op.Opcode.String()]++
	}
	fmt.Fprintf(stdout, "IR: %s, %s, %s\n", count(len(f.Ops), "op"), count(len(f.Inputs()), "input"), count(len(f.Outputs), "output"))
	for _, op := range sortedKeys(counts) {
		fmt.Fprintf(stdout, "  %-28s %6d\n", op, counts[op])
	}
	for _, in := range f.Inputs() {
		fmt.Fprintf(stdout, "input  %s: %v\n", in.Str("name"), in.Results[0].Type)
	}
	for _, o := range f.Outputs {
		fmt.Fprintf(stdout, "output %s: %v\n", o.Name, o.Value.Type)
	}
	// The TensorRT side: what the pass pipeline leaves must lower to layers.
	if _, err := tfc.Optimize(f, passes.Options{}); err != nil {
		return err
	}
	if err := lower.Check(f); err != nil {
		fmt.Fprintf(stdout, "TensorRT: %v\n", err)
		return &exitError{code: 1, msg: "some IR ops have no TensorRT lowering (listed above)"}
	}
	fmt.Fprintf(stdout, "TensorRT: all %d ops after the pass pipeline lower to TensorRT layers\n", len(f.Ops))
	fmt.Fprintln(stdout, "OK: every op is supported and the IR verifies")
	return nil
}

// checkGraph returns the GraphDef of a model: a SavedModel's or
// checkpoint's frozen graph (without reading weights), or the parsed file.
func checkGraph(path string, data []byte, m *modelFlags) (*tfpb.GraphDef, error) {
	if data != nil {
		g, err := tfpb.ParseGraphDef(data, path)
		if err != nil {
			return nil, err
		}
		// Count the ops of the functions a frozen graph calls, as the
		// import inlines them.
		g, _, err = savedmodel.InlineCalls(path, g)
		return g, err
	}
	fr, err := tfc.Freeze(path, m.loadOptions(io.Discard))
	if err != nil {
		return nil, err
	}
	fr.Close()
	return fr.Graph, nil
}

func readModel(path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(os.Stdin)
	}
	return os.ReadFile(path)
}

func sortedKeys(m map[string]int) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
