package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/frontend/tf/savedmodel"
	"github.com/tfc-dev/tfc/internal/atomicfile"
)

// addSavedModelFlags adds -signature and -tags, which choose what a
// SavedModel freezes to.
func addSavedModelFlags(fs *flag.FlagSet, signature *string, tags *listFlag) {
	fs.StringVar(signature, "signature", "", "SavedModel: the signature `key` to freeze (default serving_default, or the only one)")
	fs.Var(tags, "tags", "SavedModel: the meta graph's tag set, `tag,...` (default serve, or the only meta graph)")
}

func runFreeze(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("freeze", "[-signature KEY] [-tags TAG,...] [-outputs name:0,...] -o FILE MODEL",
		"Freeze turns a SavedModel directory (TF2 tf.saved_model.save or Keras model.export,\n"+
			"or TF1 SavedModelBuilder) or a TF1 checkpoint (PREFIX.meta with PREFIX.index and\n"+
			"its data shards; MODEL is PREFIX, PREFIX.meta or PREFIX.index) into a frozen\n"+
			"GraphDef: one signature's graph with its function calls inlined, variables\n"+
			"replaced by constants read from the checkpoint (every checksum checked), and\n"+
			"only what the outputs need. Inputs are named by the signature's input keys and\n"+
			"outputs by its output keys. -o FILE is written atomically, in the text format\n"+
			"if it ends in .pbtxt (or .txt, .prototxt), else binary; -o - writes binary to\n"+
			"standard output. A checkpoint has no signatures: give -outputs.", stderr)
	out := fs.String("o", "", "write the frozen graph to `FILE` (.pb binary, .pbtxt text; - for standard output)")
	var signature string
	var tags, outputs listFlag
	addSavedModelFlags(fs, &signature, &tags)
	fs.Var(&outputs, "outputs", "outputs to keep, `name:0,...`: signature output keys or graph tensor names (default: the signature's outputs)")
	quiet := addQuietFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &exitError{code: 2, msg: "want exactly one MODEL argument"}
	}
	if *out == "" {
		return &exitError{code: 2, msg: "want -o FILE (.pb or .pbtxt; - for standard output)"}
	}
	path := pos[0]
	if !tfc.IsSavedModel(path) {
		if _, err := os.Stat(path); err != nil {
			return fileError(path, err)
		}
		return fmt.Errorf("%s: not a SavedModel directory (no saved_model.pb) or a TF1 checkpoint (PREFIX.meta)", path)
	}
	var fr *savedmodel.Frozen
	err = spin(stderr, *quiet, "freezing "+filepath.Base(path), func() (err error) {
		fr, err = tfc.Freeze(path, tfc.LoadOptions{
			Signature: signature, Tags: tags, Outputs: outputs,
			Warn: func(s string) { fmt.Fprintf(stderr, "tfc: warning: %s\n", s) },
		})
		return err
	})
	if err != nil {
		return err
	}
	defer fr.Close()
	text := isTextName(*out)
	// Writing reads every weight from the checkpoint: a bar counts the
	// bytes written against the weights' size.
	bar := newByteProgress(stderr, *quiet, fr.WeightBytes, "writing "+filepath.Base(*out))
	write := func(w io.Writer) error {
		w = bar.wrap(w)
		if text {
			return fr.WriteText(w)
		}
		return fr.WriteBinary(w)
	}
	defer bar.done()
	report := stdout
	if *out == "-" {
		if err := write(stdout); err != nil {
			return err
		}
		report = stderr
	} else if err := atomicfile.Write(*out, write); err != nil {
		return err
	}
	printFrozen(report, *out, fr)
	return nil
}

func isTextName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".pbtxt", ".pbtext", ".prototxt", ".txt", ".textproto", ".txtpb":
		return true
	}
	return false
}

func fileError(path string, err error) error {
	if pe, ok := err.(*os.PathError); ok {
		err = pe.Err
	}
	return fmt.Errorf("%s: %w", path, err)
}

// printFrozen summarizes a frozen graph.
func printFrozen(w io.Writer, out string, fr *savedmodel.Frozen) {
	sig := ""
	if fr.Signature != "" {
		sig = fmt.Sprintf("signature %q, ", fr.Signature)
	}
	fmt.Fprintf(w, "wrote %s: %s%s, %s as constants (%s)\n", out, sig, count(len(fr.Graph.GetNode()), "node"), count(fr.Variables, "variable"), byteSize(fr.WeightBytes))
	for _, in := range fr.Inputs {
		fmt.Fprintf(w, "  input  %-24s %s %s\n", in.Name, dtypeName(in.DType), shapeText(in.Shape))
	}
	for _, o := range fr.Outputs {
		fmt.Fprintf(w, "  output %-24s %s %s\n", o.Name, dtypeName(o.DType), shapeText(o.Shape))
	}
}
