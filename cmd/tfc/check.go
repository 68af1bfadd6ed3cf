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
	// The model is read, parsed or frozen once: the TensorFlow op counts
	// and the IR come from the same graph.
	var f *ir.Func
	opts := m.loadOptions(stderr)
	if tfc.IsSavedModel(path) {
		fr, err := tfc.Freeze(path, opts)
		if err != nil {
			return rep, err
		}
		defer fr.Close()
		rep.TensorFlow = countTF(fr.Graph)
		if f, err = tfc.LoadFrozen(path, fr, opts); err != nil {
			return rep, err
		}
	} else {
		data, err := readModel(path)
		if err != nil {
			return rep, err
		}
		if tfc.IsIRText(data) {
			f, err = tfc.LoadBytes(path, data, opts)
		} else {
			f, err = checkGraphDef(path, data, opts, rep)
		}
		if err != nil {
			return rep, err
		}
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

// checkGraphDef parses a GraphDef file once, counts its TensorFlow ops
// into rep (those of the functions it calls too, as the import inlines
// them) and translates it.
func checkGraphDef(path string, data []byte, opts tfc.LoadOptions, rep *checkReport) (*ir.Func, error) {
	g, err := tfpb.ParseGraphDef(data, path)
	if err != nil {
		return nil, err
	}
	inlined, _, err := savedmodel.InlineCalls(path, g)
	if err != nil {
		return nil, err
	}
	rep.TensorFlow = countTF(inlined)
	return tfc.LoadGraph(path, g, opts)
}

// countTF counts a graph's nodes by op and names the unsupported ops.
func countTF(g *tfpb.GraphDef) *checkTF {
	c := &checkTF{Nodes: len(g.GetNode()), Ops: map[string]int{}, Unsupported: []string{}}
	for _, n := range g.GetNode() {
		c.Ops[n.GetOp()]++
	}
	for _, op := range sortedKeys(c.Ops) {
		if !tf.Supported(op) {
			c.Unsupported = append(c.Unsupported, op)
		}
	}
	return c
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
