package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"

	"github.com/tfc-dev/tfc/calib"
	"github.com/tfc-dev/tfc/internal/safeio"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
	"github.com/tfc-dev/tfc/tensor/npy"
)

// rangesFile is the format of tfc calibrate's output (-calibration).
type rangesFile struct {
	Model      string             `json:"model"`
	Method     string             `json:"method"`
	Percentile float64            `json:"percentile,omitempty"`
	Samples    int                `json:"samples"`
	Ranges     map[string]float64 `json:"ranges"` // amax by conv/matmul TF node name
}

func runCalibrate(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("calibrate", "-data DIR -o ranges.json [-method max|percentile|entropy] MODEL",
		"Calibrate runs MODEL (after the default pass pipeline) with the reference\n"+
			"interpreter on every .npy file in -data DIR (each one input of a one-input\n"+
			"model, in name order) and writes the INT8 range (amax) of each conv and matmul\n"+
			"data input, chosen as TensorRT's calibrators do: the largest magnitude (max),\n"+
			"a percentile of the magnitudes, or the KL-divergence minimum over a 2048-bin\n"+
			"histogram (entropy). compile, run and verify -calibration FILE then quantize\n"+
			"those inputs (per tensor) and their constant weights (per channel) to INT8.", stderr)
	data := fs.String("data", "", "`DIR` of .npy input samples")
	out := fs.String("o", "", "write the ranges to `FILE` (JSON; atomically)")
	method := fs.String("method", "entropy", "max, percentile or entropy")
	pct := fs.Float64("percentile", 99.99, "the percentile for -method=percentile")
	m := addModelFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *data == "" || *out == "" {
		return &exitError{code: 2, msg: "want -data DIR, -o FILE and one MODEL"}
	}
	switch calib.Method(*method) {
	case calib.Max, calib.Percentile, calib.Entropy:
	default:
		return &exitError{code: 2, msg: fmt.Sprintf("unknown -method=%s (want max, percentile or entropy)", *method)}
	}
	f, err := m.load(pos[0], stderr)
	if err != nil {
		return err
	}
	if _, err := passes.Run(f, passes.Options{}); err != nil {
		return err
	}
	ins := f.Inputs()
	if len(ins) != 1 {
		return fmt.Errorf("calibrate takes models with one input; this one has %d", len(ins))
	}
	files, err := filepath.Glob(filepath.Join(*data, "*.npy"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("-data %s: no .npy files", *data)
	}
	sort.Strings(files)
	name, typ := ins[0].Str("name"), ins[0].Result().Type
	var samples []map[string]*tensor.Tensor
	for _, file := range files {
		t, err := npy.ReadFile(file)
		if err != nil {
			return err
		}
		if t.DType != typ.DType || !t.Shape.Equal(typ.Shape) {
			return fmt.Errorf("%s is %v%v; input %s is %v%v", file, t.DType, t.Shape, name, typ.DType, typ.Shape)
		}
		samples = append(samples, map[string]*tensor.Tensor{name: t})
	}
	stats, err := calib.Collect(f, samples)
	if err != nil {
		return err
	}
	ranges, err := calib.Ranges(stats, calib.Method(*method), *pct)
	if err != nil {
		return err
	}
	rf := rangesFile{Model: pos[0], Method: *method, Samples: len(samples), Ranges: ranges}
	if calib.Method(*method) == calib.Percentile {
		rf.Percentile = *pct
	}
	fmt.Fprintf(stderr, "tfc calibrate: %d ranges from %d samples (%s)\n", len(ranges), len(samples), *method)
	return writeOut(*out, stdout, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rf)
	})
}

// maxRangesBytes bounds a calibration file (JSON, one range per tensor).
const maxRangesBytes = 256 << 20

// readRanges reads a tfc calibrate output file.
func readRanges(path string) (map[string]float64, error) {
	data, err := safeio.ReadFile(path, maxRangesBytes)
	if err != nil {
		return nil, err
	}
	var rf rangesFile
	if err := json.Unmarshal(data, &rf); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(rf.Ranges) == 0 {
		return nil, fmt.Errorf("%s: no ranges", path)
	}
	return rf.Ranges, nil
}
