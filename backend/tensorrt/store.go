package tensorrt

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/internal/atomicfile"
)

// SidecarFormat names the sidecar's format and version.
const SidecarFormat = "tfc-tensorrt-plan/1"

// Sidecar is the JSON file Store writes beside a plan (plan path + ".json"):
// what the engine's inputs and outputs are, without loading it.
type Sidecar struct {
	Format     string `json:"format"`
	TFCVersion string `json:"tfc_version"`
	// Library is the TensorRT flavour and version the plan was built with,
	// e.g. "TensorRT-RTX 1.6.1.120"; an engine loads only with the same.
	Library             string   `json:"library,omitempty"`
	ComputeCapabilities []string `json:"compute_capabilities,omitempty"`
	// FP32Math is how the engine's FP32 layers compute: FP32MathStrict
	// (BuilderFlag::kTF32 cleared, tfc's default), FP32MathTF32 (-tf32) or
	// FP32MathTF32x3 (-tf32x3).
	// Empty in sidecars written before tfc recorded it.
	FP32Math   string       `json:"fp32_math,omitempty"`
	Inputs     []TensorInfo `json:"inputs"`
	Outputs    []TensorInfo `json:"outputs"`
	PlanBytes  int64        `json:"plan_bytes"`
	PlanSHA256 string       `json:"plan_sha256"`
	// Profiles are the optimization profiles of an engine with dynamic
	// inputs (shapes with -1): per profile and input, min/opt/max.
	Profiles []ProfileInfo `json:"profiles,omitempty"`
}

// ProfileInfo is one input's shapes in optimization profile Profile.
type ProfileInfo struct {
	Profile int     `json:"profile"`
	Input   string  `json:"input"`
	Min     []int64 `json:"min"`
	Opt     []int64 `json:"opt"`
	Max     []int64 `json:"max"`
}

// Sidecar.FP32Math values.
const (
	FP32MathStrict = "fp32" // strict IEEE FP32
	FP32MathTF32   = "tf32" // FP32 convolutions and matrix products may round inputs to TF32
	// FP32MathTF32x3: built with TF32 allowed, from a network whose FP32
	// convolutions and matrix products are each three TF32-exact
	// products (lower.Options.TF32x3): FP32 accuracy on TF32 tensor cores.
	FP32MathTF32x3 = "tf32x3"
)

// AllowsTF32 reports whether the engine was built with TF32 allowed
// (FP32MathTF32 or FP32MathTF32x3), so it must run with TF32 allowed.
func (s *Sidecar) AllowsTF32() bool {
	return s != nil && (s.FP32Math == FP32MathTF32 || s.FP32Math == FP32MathTF32x3)
}

// FP32MathOf is the Sidecar.FP32Math value of build options.
func FP32MathOf(opts BuildOptions) string {
	if opts.TF32 {
		return FP32MathTF32
	}
	return FP32MathStrict
}

// TensorInfo is one input or output of an engine.
type TensorInfo struct {
	Name  string       `json:"name"`
	Type  trt.DataType `json:"-"`
	DType string       `json:"dtype"` // Type's TensorRT name, e.g. "kFLOAT"
	Shape []int64      `json:"shape"`
}

// Bytes is the size of the tensor's data.
func (t TensorInfo) Bytes() int64 { return trt.Dims(t.Shape).Volume() * int64(t.Type.Size()) }

// NewSidecar describes the inputs and outputs of a recorded network.
func NewSidecar(d *trt.Description) *Sidecar {
	s := &Sidecar{}
	for _, t := range d.Inputs {
		s.Inputs = append(s.Inputs, tensorInfo(t.Name, t.Type, t.Dims))
	}
	for _, t := range d.Outputs {
		s.Outputs = append(s.Outputs, tensorInfo(t.Name, t.Type, t.Dims))
	}
	for k, p := range d.Profiles {
		for _, ps := range p {
			s.Profiles = append(s.Profiles, ProfileInfo{Profile: k, Input: ps.Input, Min: append([]int64{}, ps.Min...), Opt: append([]int64{}, ps.Opt...), Max: append([]int64{}, ps.Max...)})
		}
	}
	return s
}

func tensorInfo(name string, typ trt.DataType, dims trt.Dims) TensorInfo {
	return TensorInfo{Name: name, Type: typ, DType: typ.String(), Shape: append([]int64{}, dims...)}
}

// TFCVersion is this binary's module version and VCS revision.
func TFCVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v += " " + s.Value
		case "vcs.modified":
			if s.Value == "true" {
				v += "+dirty"
			}
		}
	}
	return v
}

// Store writes plan to path and the sidecar to path+".json", each
// atomically (a temporary file in the same directory, then a rename). It
// fills in the sidecar's format, tfc version, plan size and checksum. A
// nil sidecar writes only those.
func Store(path string, plan []byte, sidecar *Sidecar) error {
	if len(plan) == 0 {
		return fmt.Errorf("storing %s: empty plan", path)
	}
	var s Sidecar
	if sidecar != nil {
		s = *sidecar
	}
	s.Format = SidecarFormat
	if s.TFCVersion == "" {
		s.TFCVersion = TFCVersion()
	}
	s.PlanBytes = int64(len(plan))
	sum := sha256.Sum256(plan)
	s.PlanSHA256 = hex.EncodeToString(sum[:])
	js, err := json.MarshalIndent(&s, "", "  ")
	if err != nil {
		return err
	}
	if err := writeAtomic(path, plan); err != nil {
		return err
	}
	return writeAtomic(path+".json", append(js, '\n'))
}

// ReadSidecar reads the sidecar of the plan at path (path+".json").
func ReadSidecar(path string) (*Sidecar, error) {
	b, err := os.ReadFile(path + ".json")
	if err != nil {
		return nil, err
	}
	var s Sidecar
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s.json: %v", path, err)
	}
	if s.Format != SidecarFormat {
		return nil, fmt.Errorf("%s.json: format %q, want %q", path, s.Format, SidecarFormat)
	}
	for _, l := range [][]TensorInfo{s.Inputs, s.Outputs} {
		for i := range l {
			t, ok := parseDataType(l[i].DType)
			if !ok {
				return nil, fmt.Errorf("%s.json: tensor %q: unknown dtype %q", path, l[i].Name, l[i].DType)
			}
			l[i].Type = t
		}
	}
	return &s, nil
}

// checkPlan verifies plan against the sidecar's size and checksum.
func (s *Sidecar) checkPlan(plan []byte) error {
	if s.PlanBytes != int64(len(plan)) {
		return fmt.Errorf("plan has %d bytes, the sidecar says %d", len(plan), s.PlanBytes)
	}
	sum := sha256.Sum256(plan)
	if h := hex.EncodeToString(sum[:]); h != s.PlanSHA256 {
		return fmt.Errorf("plan checksum %s, the sidecar says %s", h, s.PlanSHA256)
	}
	return nil
}

func parseDataType(s string) (trt.DataType, bool) {
	for t := trt.DataType(0); t <= 16; t++ {
		if t.String() == s {
			return t, true
		}
	}
	return 0, false
}

// writeAtomic writes data to path atomically; a symlink is followed, a
// character device or FIFO written through (see package atomicfile).
func writeAtomic(path string, data []byte) error { return atomicfile.WriteBytes(path, data) }
