//go:build tensorrt && !tensorrt_rtx

package tensorrt

// The TensorRT 10/11 target (trt.cc). Headers default to
// third_party/tensorrt/include; give the library and CUDA paths with
// CGO_CXXFLAGS / CGO_LDFLAGS.

/*
#cgo CXXFLAGS: -I${SRCDIR}/../../third_party/tensorrt/include -I${SRCDIR}/../../.trt/cuda/include
#cgo LDFLAGS: -lnvinfer -lcudart
*/
import "C"

const isRTX = false
