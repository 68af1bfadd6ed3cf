package main

import (
	"flag"
	"fmt"
	"io"
	"slices"

	"github.com/tfc-dev/tfc/internal/atomicfile"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
)

// passFlags are the pass manager's flags (compile).
type passFlags struct {
	pipeline   string
	disable    string
	printAfter string
	verifyEach bool
	timePasses bool
	stats      bool
	foldLimit  int64
	html       string
	precision  *precisionFlags
}

func addPassFlags(fs *flag.FlagSet) *passFlags {
	p := &passFlags{}
	fs.StringVar(&p.pipeline, "passes", "", "run this pass list once (`a,b,c`) instead of the default pipeline; \"none\" runs no pass (tfc passes lists them)")
	fs.StringVar(&p.disable, "disable", "", "skip these passes (`a,b`)")
	fs.StringVar(&p.printAfter, "print-after", "", "print the IR to stderr after these passes (`a,b` or all)")
	fs.BoolVar(&p.verifyEach, "verify-each", false, "verify the IR after every pass")
	fs.StringVar(&p.html, "html", "", "write an HTML report to `FILE`: the IR after each pass side by side, changes highlighted (like Go's ssa.html)")
	fs.BoolVar(&p.timePasses, "time-passes", false, "print time and op-count change per pass to stderr")
	fs.BoolVar(&p.stats, "stats", false, "print op counts by kind before and after the passes to stderr")
	p.foldLimit = passes.DefaultFoldLimit
	fs.Var((*bytesFlag)(&p.foldLimit), "fold-limit", "largest constant that constant folding may create, `size` in bytes or with a unit (16MiB)")
	p.precision = addPrecisionFlags(fs)
	return p
}

func (p *passFlags) run(f *ir.Func, stderr io.Writer) error {
	opts := passes.Options{
		Config:     passes.Config{FoldLimit: p.foldLimit},
		Disable:    passes.ParseList(p.disable),
		PrintAfter: passes.ParseList(p.printAfter),
		PrintTo:    stderr,
		VerifyEach: p.verifyEach,
	}
	if err := p.precision.config(&opts.Config, stderr); err != nil {
		return err
	}
	switch p.pipeline {
	case "":
	case "none":
		opts.Passes = []string{}
	default:
		opts.Passes = passes.ParseList(p.pipeline)
	}
	if opts.Passes != nil {
		// A custom pipeline must run the passes the precision flags ask for.
		need := map[string]bool{
			"precision": opts.Precision != tensor.Invalid && opts.Precision != tensor.Float32,
			"int8":      opts.Calibration != nil,
		}
		for name, needed := range need {
			if needed && !slices.Contains(opts.Passes, name) {
				return &exitError{code: 2, msg: fmt.Sprintf("-passes %s does not run the %s pass that -precision/-calibration need", p.pipeline, name)}
			}
		}
	}
	var hr *passReport
	if p.html != "" {
		if err := atomicfile.CheckTarget(p.html); err != nil {
			return fmt.Errorf("-html %v", err)
		}
		hr = &passReport{Model: f.Name}
		if err := hr.add("imported", fmt.Sprintf("%d ops", len(f.Ops)), f); err != nil {
			return err
		}
		opts.AfterPass = hr.afterPass
	}
	rep, err := passes.Run(f, opts)
	if err != nil {
		return err
	}
	if hr != nil {
		if err := atomicfile.Write(p.html, hr.write); err != nil {
			return err
		}
	}
	if p.timePasses {
		rep.WriteTimes(stderr)
	}
	if p.stats {
		rep.WriteStats(stderr)
	}
	return nil
}

func runPasses(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("passes", "",
		"Passes lists the IR passes in default pipeline order. The pipeline repeats\n"+
			"until a whole round changes nothing. Select passes on compile with -passes,\n"+
			"-disable and -print-after.", stderr)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return &exitError{code: 2, msg: "passes takes no arguments"}
	}
	for _, p := range passes.Passes() {
		flags := ""
		if p.Required {
			flags += " (required)"
		}
		if !p.Exact {
			flags += " (reassociates floats)"
		}
		fmt.Fprintf(stdout, "%-16s %s%s\n", p.Name, p.Summary, flags)
	}
	return nil
}
