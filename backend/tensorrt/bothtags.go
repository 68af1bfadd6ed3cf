//go:build tensorrt && tensorrt_rtx

package tensorrt

// TensorRT and TensorRT-RTX define the same C++ symbols: build with one
// of the tags, not both.
var _ = build_with_only_one_of_the_tags_tensorrt_and_tensorrt_rtx
