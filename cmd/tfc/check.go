package main

import (
	"fmt"
	"io"
	"sort"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/lower"
	"github.com/tfc-dev/tfc/frontend/tf"
	"github.com/tfc-dev/tfc/frontend/tf/savedmodel"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/internal/safeio"
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
	format := addFormatFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &exitError{code: 2, msg: "want exactly one MODEL argument"}
	}
	path := pos[0]
	rep, err := checkModel(path, m, stderr)
	if format.json {
		if err != nil {
			rep.Error = oneLine(err.Error())
		}
		if werr := writeJSON(stdout, rep); werr != nil {
			return werr
		}
		if !rep.OK {
			return &exitError{code: 1}
		}
		return nil
	}
	rep.writeText(stdout)
	if err != nil {
		return err
	}
	if rep.TensorRT != nil && !rep.TensorRT.OK {
		return &exitError{code: 1, msg: "some IR ops have no TensorRT lowering (listed above)"}
	}
	return nil
}

// checkReport is what check finds (-format=json prints it).
type checkReport struct {
	Schema string `json:"schema"`
	Model  string `json:"model"`
	// OK: every op is supported, the IR verifies and lowers to TensorRT.
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"` // why not, when translating failed
	// TensorFlow counts the graph's nodes by op (absent for .tfir).
	TensorFlow *checkTF `json:"tensorflow,omitempty"`
	// IR counts the imported IR's ops by opcode.
	IR      *checkIR     `json:"ir,omitempty"`
	Inputs  []tensorInfo `json:"inputs"`
	Outputs []tensorInfo `json:"outputs"`
	// TensorRT says whether the IR after the pass pipeline lowers.
	TensorRT *checkTRT `json:"tensorrt,omitempty"`
}

// checkTF counts a TensorFlow graph's nodes by op.
type checkTF struct {
	Nodes       int            `json:"nodes"`
	Ops         map[string]int `json:"ops"`
	Unsupported []string       `json:"unsupported"`
}

// checkIR counts the imported IR's ops by opcode.
type checkIR struct {
	Ops     int            `json:"ops"`
	Opcodes map[string]int `json:"opcodes"`
}

// checkTRT says whether the IR after the pass pipeline lowers.
type checkTRT struct {
	OK    bool   `json:"ok"`
	Ops   int    `json:"ops"`
	Error string `json:"error,omitempty"`
}

// checkModel fills a report; err is the error that stopped it, if any.
func checkModel(path string, m *modelFlags, stderr io.Writer) (rep *checkReport, err error) {
	rep = &checkReport{Schema: schemaVersion, Model: path, Inputs: []tensorInfo{}, Outputs: []tensorInfo{}}
	var data []byte
	if !tfc.IsSavedModel(path) {
		if data, err = readModel(path); err != nil {
			return rep, err
		}
	}
	if !tfc.IsIRText(data) {
		g, err := checkGraph(path, data, m)
		if err != nil {
			return rep, err
		}
		rep.TensorFlow = &checkTF{Nodes: len(g.GetNode()), Ops: map[string]int{}, Unsupported: []string{}}
		for _, n := range g.GetNode() {
			rep.TensorFlow.Ops[n.GetOp()]++
		}
		for _, op := range sortedKeys(rep.TensorFlow.Ops) {
			if !tf.Supported(op) {
				rep.TensorFlow.Unsupported = append(rep.TensorFlow.Unsupported, op)
			}
		}
	}
	var f *ir.Func
	if data == nil {
		f, err = tfc.Load(path, m.loadOptions(stderr)) // a SavedModel or checkpoint
	} else {
		f, err = tfc.LoadBytes(path, data, m.loadOptions(stderr))
	}
	if err != nil {
		return rep, err
	}
	rep.IR = &checkIR{Ops: len(f.Ops), Opcodes: map[string]int{}}
	for _, op := range f.Ops {
		rep.IR.Opcodes[op.Opcode.String()]++
	}
	rep.Inputs, rep.Outputs = funcTensors(f)
	// The TensorRT side: what the pass pipeline leaves must lower to layers.
	if _, err := tfc.Optimize(f, passes.Options{}); err != nil {
		return rep, err
	}
	rep.TensorRT = &checkTRT{OK: true, Ops: len(f.Ops)}
	if err := lower.Check(f); err != nil {
		rep.TensorRT.OK, rep.TensorRT.Error = false, err.Error()
		return rep, nil
	}
	rep.OK = true
	return rep, nil
}

// writeText prints the report for people.
func (rep *checkReport) writeText(w io.Writer) {
	if t := rep.TensorFlow; t != nil {
		fmt.Fprintf(w, "%s: %d TensorFlow nodes, %d op types\n", rep.Model, t.Nodes, len(t.Ops))
		for _, op := range sortedKeys(t.Ops) {
			mark := ""
			if !tf.Supported(op) {
				mark = "  UNSUPPORTED"
			}
			fmt.Fprintf(w, "  %-28s %6d%s\n", op, t.Ops[op], mark)
		}
	}
	if rep.IR == nil {
		return
	}
	fmt.Fprintf(w, "IR: %s, %s, %s\n", count(rep.IR.Ops, "op"), count(len(rep.Inputs), "input"), count(len(rep.Outputs), "output"))
	for _, op := range sortedKeys(rep.IR.Opcodes) {
		fmt.Fprintf(w, "  %-28s %6d\n", op, rep.IR.Opcodes[op])
	}
	for _, in := range rep.Inputs {
		fmt.Fprintf(w, "input  %s: %s\n", in.Name, typeText(in))
	}
	for _, o := range rep.Outputs {
		fmt.Fprintf(w, "output %s: %s\n", o.Name, typeText(o))
	}
	if t := rep.TensorRT; t != nil {
		if !t.OK {
			fmt.Fprintf(w, "TensorRT: %s\n", t.Error)
			return
		}
		fmt.Fprintf(w, "TensorRT: all %d ops after the pass pipeline lower to TensorRT layers\n", t.Ops)
		fmt.Fprintln(w, "OK: every op is supported and the IR verifies")
	}
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
	return safeio.ReadFile(path, safeio.MaxProtoBytes)
}

func sortedKeys(m map[string]int) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
