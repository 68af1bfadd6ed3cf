package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/tensorrt"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/codegen"
	"github.com/tfc-dev/tfc/internal/atomicfile"
	"github.com/tfc-dev/tfc/ir"
)

func runCompile(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("compile", "[flags] MODEL",
		"Compile translates MODEL and writes the result to standard output or -o:\n"+
			"  -emit=ir       tfc IR text (after the pass pipeline), which tfc reads back as a MODEL\n"+
			"  -emit=network  the TensorRT network, one line per layer (-format=json for tools,\n"+
			"                 -format=dot for Graphviz)\n"+
			"  -emit=dot      the IR as a Graphviz graph (dot -Tsvg): clusters per TensorFlow\n"+
			"                 name scope, ops coloured by family, constants left out\n"+
			"  -emit=go       Go code that builds the network through tfc's TensorRT API, and\n"+
			"                 its weights file beside it (-o builder.go → builder.weights);\n"+
			"                 without -o the code goes to standard output and no weights\n"+
			"                 file is written\n"+
			"  -emit=engine   a serialized TensorRT engine (.plan) and a .json sidecar; needs\n"+
			"                 tfc built with -tags tensorrt_rtx or -tags tensorrt", stderr)
	emit := fs.String("emit", "ir", "what to write: ir, network, dot, go or engine")
	out := fs.String("o", "", "write to `FILE` (atomically) instead of standard output")
	elide := fs.Bool("elide-consts", false, "-emit=ir: shorten constants over 16 elements to their type (for reading; such text cannot be run or compiled)")
	format := fs.String("format", "text", "-emit=network: text, json or dot")
	pkg := fs.String("package", "builder", "-emit=go: package `name`")
	fn := fs.String("func", "Build", "-emit=go: builder function `name`")
	embed := fs.Bool("embed-weights", false, "-emit=go: embed the weights file with //go:embed")
	eng := addEngineFlags(fs)
	fs.BoolVar(&eng.quiet, "q", false, "-emit=engine: no progress spinner (it is drawn only when stdout and stderr are terminals)")
	m := addModelFlags(fs)
	pf := addPassFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &exitError{code: 2, msg: "want exactly one MODEL argument"}
	}
	switch *emit {
	case "ir", "network", "dot", "go", "engine":
	default:
		return &exitError{code: 2, msg: fmt.Sprintf("unknown -emit=%s (want ir, network, dot, go or engine)", *emit)}
	}
	if *emit == "network" && *format != "text" && *format != "json" && *format != "dot" {
		return &exitError{code: 2, msg: fmt.Sprintf("unknown -format=%s (want text, json or dot)", *format)}
	}
	if *emit == "engine" {
		if !tensorrt.Available() {
			return tensorrt.ErrNotBuilt
		}
		if *out == "" {
			return &exitError{code: 2, msg: "-emit=engine needs -o FILE.plan"}
		}
	}
	if err := atomicfile.CheckTarget(*out); *out != "" && err != nil {
		return fmt.Errorf("-o %v", err)
	}
	f, err := m.load(pos[0], stderr)
	if err != nil {
		return err
	}
	if err := pf.run(f, stderr); err != nil {
		return err
	}
	if *emit == "ir" {
		opts := ir.PrintOptions{ElideOver: -1}
		if *elide {
			opts.ElideOver = ir.DefaultElideOver
		}
		return writeOut(*out, stdout, func(w io.Writer) error { return ir.Print(w, f, opts) })
	}
	if *emit == "dot" {
		return writeOut(*out, stdout, func(w io.Writer) error { return irGraph(f, filepath.Base(pos[0])).Write(w) })
	}
	// Nothing reads f after this: the lowering may release it as it goes
	// (a million-op graph then never holds its IR and network whole at once).
	lo := lowerOptions()
	lo.Consume = true
	d, err := tfc.LowerWith(f, lo, m.profiles...)
	if err != nil {
		return err
	}
	switch *emit {
	case "network":
		switch *format {
		case "json":
			return writeOut(*out, stdout, func(w io.Writer) error { return trt.PrintJSON(w, d) })
		case "dot":
			return writeOut(*out, stdout, func(w io.Writer) error { return networkGraph(d, filepath.Base(pos[0])).Write(w) })
		}
		return writeOut(*out, stdout, func(w io.Writer) error { return trt.Print(w, d) })
	case "go":
		return emitGo(d, pos[0], *out, *pkg, *fn, *embed, stdout, stderr)
	}
	eng.tf32, eng.fp32Math = engineAllowsTF32(), fp32Math()
	return eng.build(d, *out, stderr)
}

// writeOut writes to path atomically, or to stdout when path is empty.
func writeOut(path string, stdout io.Writer, fill func(io.Writer) error) error {
	write := func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<16)
		if err := fill(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	if path == "" {
		return write(stdout)
	}
	return atomicfile.Write(path, write)
}

// emitGo writes the generated builder and its weights file. The weights
// file is written first, so a failure leaves no builder that reads a
// missing file; if the builder cannot be written the weights are removed.
//
// Without -o the code goes to stdout and no weights file is written: tfc
// writes files only where it is told to.
func emitGo(d *trt.Description, model, out, pkg, fn string, embed bool, stdout, stderr io.Writer) error {
	if out == "" {
		res, err := codegen.Generate(d, codegen.Options{
			Package: pkg, Func: fn, Source: filepath.Base(model), Version: version(),
			WeightsFile: "builder.weights", EmbedWeights: embed, FP32Math: fp32Math(),
		})
		if err != nil {
			return err
		}
		if _, err := stdout.Write(res.Code); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "tfc compile: -emit=go without -o: code on standard output, weights (%s) not written; give -o builder.go to write builder.weights beside it\n", byteSize(res.WeightsSize()))
		return nil
	}
	if !strings.HasSuffix(out, ".go") {
		return &exitError{code: 2, msg: fmt.Sprintf("-emit=go: -o %s must end in .go", out)}
	}
	weights := strings.TrimSuffix(out, ".go") + ".weights"
	res, err := codegen.Generate(d, codegen.Options{
		Package: pkg, Func: fn, Source: filepath.Base(model), Version: version(),
		WeightsFile: filepath.Base(weights), EmbedWeights: embed, FP32Math: fp32Math(),
	})
	if err != nil {
		return err
	}
	existed := fileExists(weights)
	var size int64
	if err := atomicfile.Write(weights, func(w io.Writer) (err error) {
		size, err = res.WriteWeights(w)
		return err
	}); err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(out, res.Code); err != nil {
		if !existed {
			os.Remove(weights)
		}
		return err
	}
	fmt.Fprintf(stderr, "tfc compile: wrote %s (%s) and %s (%s)\n", out, count(len(d.Layers), "layer"), weights, byteSize(size))
	return nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
