// Package codegen writes Go source code that builds a TensorRT network
// through tfc's network API (package backend/trt): tfc compile -emit=go.
//
// The input is a recorded network (trt.Description), so the generated code
// makes the same calls, in the same order, with the same parameters, names
// and weights as the direct lowering: one statement per layer, the layer's
// name (the TensorFlow node it came from) in a comment above it. Large
// weights go to a sidecar file (package backend/trt/weightsfile) read at run
// time, or embedded with //go:embed; small constants stay inline. Output is
// deterministic and gofmt-clean (github.com/dave/jennifer renders it).
package codegen
