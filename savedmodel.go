package tfc

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/tfc-dev/tfc/frontend/tf"
	"github.com/tfc-dev/tfc/frontend/tf/savedmodel"
	"github.com/tfc-dev/tfc/ir"
)

// IsSavedModel reports whether path is a SavedModel directory (or its
// saved_model.pb) or a TF1 checkpoint (PREFIX.meta, PREFIX.index, or PREFIX
// with PREFIX.meta beside it), which Load freezes before translating.
func IsSavedModel(path string) bool {
	return path != "-" && savedmodel.Detect(path) != savedmodel.NotModel
}

// Freeze freezes the SavedModel or checkpoint at path as opts.Signature,
// opts.Tags and opts.Outputs choose. The caller closes the result.
func Freeze(path string, opts LoadOptions) (*savedmodel.Frozen, error) {
	return savedmodel.Freeze(path, savedmodel.Options{
		Signature: opts.Signature, Tags: opts.Tags, Outputs: opts.Outputs, Warn: opts.Warn,
	})
}

// LoadSavedModel freezes a SavedModel or TF1 checkpoint in memory and
// translates the frozen graph. Weights go from the checkpoint straight
// into the IR's constants. The IR's inputs and outputs are named as in
// the frozen graph: by the signature's keys ("image:0", "output_0:0").
func LoadSavedModel(path string, opts LoadOptions) (*ir.Func, error) {
	fr, err := Freeze(path, opts)
	if err != nil {
		return nil, err
	}
	defer fr.Close()
	return LoadFrozen(path, fr, opts)
}

// LoadFrozen translates a SavedModel or checkpoint that Freeze froze from
// path (LoadSavedModel after freezing); fr stays the caller's to close.
func LoadFrozen(path string, fr *savedmodel.Frozen, opts LoadOptions) (*ir.Func, error) {
	var outs []string
	for _, o := range fr.Outputs {
		outs = append(outs, o.Name)
	}
	name := filepath.Clean(path)
	if b := filepath.Base(name); b == "saved_model.pb" || b == "saved_model.pbtxt" || b == "model" || b == "variables" {
		if d := filepath.Base(filepath.Dir(name)); d != "." && d != string(filepath.Separator) {
			name = strings.TrimSuffix(filepath.Dir(name), string(filepath.Separator))
		}
	}
	f, err := tf.Import(fr.Graph, tf.Options{
		Name:        funcName(name),
		InputShapes: opts.InputShapes,
		Outputs:     outs,
		UnknownDim:  1,
		Symbolic:    opts.Symbolic,
		Symbols:     profileSymbols(opts.Profiles),
		Warn:        opts.Warn,
		Weights:     fr.Weight,
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if err := ir.Verify(f); err != nil {
		return nil, fmt.Errorf("%s: internal error: the imported IR does not verify: %v", path, err)
	}
	return f, nil
}
