//go:build !tensorrt && !tensorrt_rtx

package tensorrt

import (
	"time"

	"github.com/tfc-dev/tfc/backend/trt"
)

// Available reports whether tfc was built with a TensorRT library and it
// works (a builder can be created). This build has none.
func Available() bool { return false }

// Version describes the TensorRT library; "" when there is none.
func Version() string { return "" }

// Optimize builds a network with TensorRT's builder and returns the
// serialized engine. This build has no TensorRT: it returns ErrNotBuilt.
func Optimize(build func(trt.Network) error, opts BuildOptions) ([]byte, error) {
	return nil, ErrNotBuilt
}

// OptimizeDescription is Optimize of a recorded network. This build has
// no TensorRT: it returns ErrNotBuilt.
func OptimizeDescription(d *trt.Description, opts BuildOptions) ([]byte, error) {
	return nil, ErrNotBuilt
}

// Engine is a deserialized TensorRT engine.
type Engine struct{}

// Load deserializes a stored plan. This build has no TensorRT: it returns
// ErrNotBuilt.
func Load(path string) (*Engine, error) { return nil, ErrNotBuilt }

// LoadPlan deserializes a plan in memory. This build has no TensorRT.
func LoadPlan(plan []byte) (*Engine, error) { return nil, ErrNotBuilt }

// LoadPlanTF32 deserializes a plan built with TF32 allowed. This build has no TensorRT.
func LoadPlanTF32(plan []byte) (*Engine, error) { return nil, ErrNotBuilt }

// Sidecar is the stored description of the engine's inputs and outputs.
func (e *Engine) Sidecar() *Sidecar { return nil }

// IO lists the engine's inputs and outputs. This build has no TensorRT.
func (e *Engine) IO() (inputs, outputs []TensorInfo) { return nil, nil }

// Infer runs the engine once. This build has no TensorRT.
func (e *Engine) Infer(inputs map[string][]byte) (map[string][]byte, error) {
	return nil, ErrNotBuilt
}

// InferShaped runs the engine once on inputs of given shapes. This build has no TensorRT.
func (e *Engine) InferShaped(inputs map[string]HostTensor) (map[string]HostTensor, Timing, error) {
	return nil, Timing{}, ErrNotBuilt
}

// HostTensor is a tensor's data in host memory and its shape.
type HostTensor struct {
	Shape []int64
	Data  []byte
}

// Dynamic reports whether the engine has dynamic inputs. This build has no TensorRT.
func (e *Engine) Dynamic() bool { return false }

// Profiles lists a dynamic engine's optimization profiles. This build has no TensorRT.
func (e *Engine) Profiles() []ProfileInfo { return nil }

// Close releases the engine.
func (e *Engine) Close() error { return nil }

// InferTimed runs the engine once and times it. This build has no TensorRT.
func (e *Engine) InferTimed(inputs map[string][]byte) (map[string][]byte, Timing, error) {
	return nil, Timing{}, ErrNotBuilt
}

// SetRuntimeOptions sets how execution contexts are made. This build has no TensorRT.
func (e *Engine) SetRuntimeOptions(o RuntimeOptions) error { return ErrNotBuilt }

// Prepare makes the first execution context. This build has no TensorRT.
func (e *Engine) Prepare() (time.Duration, error) { return 0, ErrNotBuilt }

// RuntimeCacheLoaded reports whether a runtime cache was loaded: never here.
func (e *Engine) RuntimeCacheLoaded() bool { return false }

// SaveRuntimeCache writes the runtime cache. This build has no TensorRT.
func (e *Engine) SaveRuntimeCache() error { return ErrNotBuilt }
