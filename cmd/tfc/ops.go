package main

import (
	"fmt"
	"io"

	"github.com/tfc-dev/tfc/frontend/tf"
)

func runOps(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("ops", "[-markdown]",
		"Ops lists every TensorFlow op tfc translates, what it becomes in tfc IR,\n"+
			"and the frontend file (frontend/tf/ops_<family>.go) that translates it.", stderr)
	md := fs.Bool("markdown", false, "print a Markdown table")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return &exitError{code: 2, msg: "ops takes no arguments"}
	}
	ops := tf.SupportedOps()
	if *md {
		fmt.Fprintln(stdout, "| TensorFlow op | tfc IR | frontend file |")
		fmt.Fprintln(stdout, "|---|---|---|")
		for _, o := range ops {
			fmt.Fprintf(stdout, "| `%s` | %s | `frontend/tf/ops_%s.go` |\n", o.Op, o.LowersTo, o.Family)
		}
		return nil
	}
	for _, o := range ops {
		fmt.Fprintf(stdout, "%-28s %-50s ops_%s.go\n", o.Op, o.LowersTo, o.Family)
	}
	fmt.Fprintf(stdout, "%d TensorFlow ops\n", len(ops))
	return nil
}
