package trt

import (
	"fmt"
	"reflect"
	"slices"
)

// The parameters of each layer kind: exactly what TensorRT's add call and
// the layer's setters accept. A nil Dims or Permutation field means
// TensorRT's default; the Recorder stores every layer with its defaults
// filled in, so a Description is always explicit.

// LayerParams is the parameter struct of one layer kind (Convolution,
// Activation, ...) as a LayerDesc records it. Its methods are what every
// consumer of a Description needs of the kind, so that a kind is written
// in one place, beside its struct:
//
//   - Kind is its LayerType.
//   - Arity is how many inputs its add call takes: at least min, which
//     must be present, and at most max (-1: any number, all present);
//     inputs from min on are optional (nil when absent).
//   - AddTo makes its add call on net, with the layer's inputs and these
//     parameters: package tensorrt replays a Description through it, and
//     package codegen writes it out as Go through a Network that renders
//     each call.
//   - text is its key parameters for Print.
//   - rule is its shape and type rule, which the Recorder and Validate
//     apply.
//
// A kind is one place in this package: its file (layers_<family>.go, or
// controlflow.go for the loop and conditional boundaries) declares its
// LayerType constant, its struct with these methods, its rule, the
// Recorder's add method, and registers it in the file's init. The Network
// interface's add methods are generated from the Recorder's
// (network_gen.go, go generate ./backend/trt). Outside this package, the
// reference executor's kernel (package exec) and the cgo binding's add
// call (package tensorrt) are the kind's other places; tests check each
// kind has both.
type LayerParams interface {
	Kind() LayerType
	Arity() (min, max int)
	AddTo(net Network, in []Tensor) Layer
	text() string
	rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec)
}

// LayerKinds returns the zero parameters of every layer kind tfc builds,
// one per LayerType, in LayerType order. Each kind registers itself in the
// init of the file that defines it (layers_*.go, controlflow.go).
func LayerKinds() []LayerParams {
	out := make([]LayerParams, 0, len(layerKinds))
	for _, p := range layerKinds {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b LayerParams) int { return int(a.Kind() - b.Kind()) })
	return out
}

// layerKinds and layerTypeNames hold the registered kinds and their names.
var (
	layerKinds     = map[LayerType]LayerParams{}
	layerTypeNames = map[LayerType]string{}
)

// registerKinds registers layer kinds by their zero parameters. A
// LayerType's name is its parameter struct's (Convolution, TopK, ...).
func registerKinds(kinds ...LayerParams) {
	for _, p := range kinds {
		k := p.Kind()
		if _, dup := layerKinds[k]; dup {
			panic(fmt.Sprintf("trt: layer kind %d registered twice", k))
		}
		layerKinds[k] = p
		layerTypeNames[k] = reflect.TypeOf(p).Name()
	}
}

// LayerType is nvinfer1::LayerType for the layers tfc builds; each
// constant is declared beside its parameter struct.
type LayerType int32

func (t LayerType) String() string {
	if s, ok := layerTypeNames[t]; ok {
		return s
	}
	return enumName(nil, int32(t), "LayerType")
}
