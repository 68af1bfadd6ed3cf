//go:build tensorrt_rtx && !tensorrt

package tensorrt

// The TensorRT-RTX target (rtx.cc). Defaults find the headers and
// libraries where scripts/trt-setup.sh puts them; CGO_CXXFLAGS and
// CGO_LDFLAGS (.trt/env.sh) come first and override them.

/*
#cgo CXXFLAGS: -I${SRCDIR}/../../third_party/tensorrt-rtx/include -I${SRCDIR}/../../.trt/cuda/include
#cgo LDFLAGS: -L${SRCDIR}/../../.trt/lib -Wl,-rpath,${SRCDIR}/../../.trt/lib -ltensorrt_rtx -lcudart
*/
import "C"

// isRTX reports the TensorRT-RTX target: strongly typed networks, explicit
// compute capabilities, no FP16/BF16 flags, no timing cache.
const isRTX = true
