package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/internal/atomicfile"
	"github.com/tfc-dev/tfc/ir"
)

// modelFlags are the flags every command that loads a model shares.
type modelFlags struct {
	inputs  shapesFlag
	outputs listFlag
}

func addModelFlags(fs *flag.FlagSet) *modelFlags {
	m := &modelFlags{inputs: shapesFlag{}}
	fs.Var(m.inputs, "inputs", "input shapes, `name:0[1,224,224,3],...` (overrides the graph's; unknown dims default to 1)")
	fs.Var(&m.outputs, "outputs", "outputs to compute, `name:0,...` (default: the graph's sinks)")
	return m
}

func (m *modelFlags) load(path string, stderr io.Writer) (*ir.Func, error) {
	return tfc.Load(path, tfc.LoadOptions{
		InputShapes: m.inputs,
		Outputs:     m.outputs,
		Warn:        func(s string) { fmt.Fprintf(stderr, "tfc: warning: %s\n", s) },
	})
}

func runCompile(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("compile", "[flags] MODEL",
		"Compile translates MODEL and writes the result to standard output or -o.\n"+
			"-emit=ir writes tfc IR text, which tfc reads back as a MODEL.", stderr)
	emit := fs.String("emit", "ir", "what to write: ir (tfc IR text)")
	out := fs.String("o", "", "write to `FILE` (atomically) instead of standard output")
	consts := fs.Bool("print-consts", false, "print every constant in full (default: elide those over 16 elements)")
	m := addModelFlags(fs)
	pf := addPassFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return &exitError{code: 2, msg: "want exactly one MODEL argument"}
	}
	switch *emit {
	case "ir":
	case "network", "go", "engine":
		return fmt.Errorf("-emit=%s is not implemented yet in this version of tfc; -emit=ir is", *emit)
	default:
		return &exitError{code: 2, msg: fmt.Sprintf("unknown -emit=%s (want ir)", *emit)}
	}
	f, err := m.load(pos[0], stderr)
	if err != nil {
		return err
	}
	if err := pf.run(f, stderr); err != nil {
		return err
	}
	opts := ir.PrintOptions{}
	if *consts {
		opts.ElideOver = -1
	}
	write := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<16)
		if err := ir.Print(bw, f, opts); err != nil {
			return err
		}
		return bw.Flush()
	}
	if *out == "" {
		return write(stdout)
	}
	return atomicfile.Write(*out, write)
}
