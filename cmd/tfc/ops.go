package main

import (
	_ "embed"
	"fmt"
	"io"
	"strings"

	"github.com/tfc-dev/tfc/frontend/tf"
)

// oplayersData is oplayers.txt: per TensorFlow op, the TensorRT layer
// kinds its TF-generated cases (testdata/cases) lower to, and the reasons
// any of those cases give for TensorRT's semantics differing from
// TensorFlow's. TestOpLayers derives it from the cases and checks it is
// current (-update rewrites it).
//
//go:embed oplayers.txt
var oplayersData string

// opLayers parses oplayersData: op → (number of cases, layers, TensorRT
// differences).
func opLayers() map[string][3]string {
	m := map[string][3]string{}
	for _, line := range strings.Split(oplayersData, "\n") {
		f := strings.Split(line, "\t")
		if len(f) == 4 && !strings.HasPrefix(line, "#") {
			m[f[0]] = [3]string{f[1], f[2], f[3]}
		}
	}
	return m
}

// cellText escapes s for a Markdown table cell ("—" when empty).
func cellText(s string) string {
	if s == "" {
		return "—"
	}
	return strings.ReplaceAll(s, "|", `\|`)
}

func runOps(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("ops", "[-markdown | -refused]",
		"Ops lists every TensorFlow op tfc translates, what it becomes in tfc IR,\n"+
			"and the frontend file (frontend/tf/ops_<family>.go) that translates it.\n"+
			"-markdown prints the README's op table: also the TensorRT layers each op's\n"+
			"TensorFlow-generated cases lower to and the known semantic differences, then\n"+
			"the ops tfc refuses on purpose. -refused lists those with their reasons.", stderr)
	md := fs.Bool("markdown", false, "print the Markdown op tables (supported, then refused)")
	refused := fs.Bool("refused", false, "list the ops tfc refuses on purpose, with the reason")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return &exitError{code: 2, msg: "ops takes no arguments"}
	}
	if *md && *refused {
		return &exitError{code: 2, msg: "-markdown and -refused exclude each other"}
	}
	ops := tf.SupportedOps()
	switch {
	case *md:
		layers := opLayers()
		cell := cellText
		fmt.Fprintf(stdout, "%d TensorFlow ops are translated. Cases: the TensorFlow-generated cases (testdata/cases,\n", len(ops))
		fmt.Fprintln(stdout, "testdata/models, testdata/control) whose graph holds the op (3+: three or more). TensorRT layers: the layer kinds those")
		fmt.Fprintln(stdout, "cases lower the op's nodes to, without optimization passes (Constant layers not listed; a loop's or conditional's")
		fmt.Fprintln(stdout, "include the layers of its body and branches).")
		fmt.Fprintln(stdout)
		fmt.Fprintln(stdout, "| TensorFlow op | tfc IR | cases | TensorRT layers | known semantic differences | frontend file |")
		fmt.Fprintln(stdout, "|---|---|---|---|---|---|")
		for _, o := range ops {
			l, ok := layers[o.Op]
			if !ok {
				l[0] = "0"
			}
			diff := o.Differs
			if l[2] != "" {
				diff = strings.TrimSpace(diff + " TensorRT: " + l[2] + ".")
			}
			fmt.Fprintf(stdout, "| `%s` | %s | %s | %s | %s | `ops_%s.go` |\n", o.Op, cell(o.LowersTo), l[0], cell(l[1]), cell(diff), o.Family)
		}
		rs := tf.RefusedOps()
		fmt.Fprintf(stdout, "\n%d TensorFlow ops are refused on purpose; importing one fails with its reason:\n\n", len(rs))
		fmt.Fprintln(stdout, "| TensorFlow op | why tfc refuses it |")
		fmt.Fprintln(stdout, "|---|---|")
		for _, r := range rs {
			fmt.Fprintf(stdout, "| `%s` | it %s |\n", r.Op, cell(r.Reason))
		}
		return nil
	case *refused:
		rs := tf.RefusedOps()
		for _, r := range rs {
			fmt.Fprintf(stdout, "%-28s it %s\n", r.Op, r.Reason)
		}
		fmt.Fprintf(stdout, "%d TensorFlow ops refused\n", len(rs))
		return nil
	}
	for _, o := range ops {
		fmt.Fprintf(stdout, "%-28s %-50s ops_%s.go\n", o.Op, o.LowersTo, o.Family)
	}
	fmt.Fprintf(stdout, "%d TensorFlow ops\n", len(ops))
	return nil
}
