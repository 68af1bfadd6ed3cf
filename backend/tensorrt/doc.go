// Package tensorrt builds TensorRT engines from tfc networks through the
// real TensorRT library, with cgo.
//
// It is a thin binding: Network implements trt.Network by calling one C
// function per INetworkDefinition call (shim.h, shim.cc), and Optimize runs
// TensorRT's builder on it and returns the serialized engine (the plan).
// Store writes a plan with a JSON sidecar describing its inputs and
// outputs; Load deserializes one with TensorRT's runtime; Engine.Infer runs
// it on a CUDA device.
//
// # Build tags
//
//   - tensorrt_rtx: TensorRT for RTX (libtensorrt_rtx, NV_TENSORRT_MAJOR 1).
//     Networks are strongly typed; engines are built for explicit compute
//     capabilities (BuildOptions.ComputeCapabilities, e.g. "SM89"), which
//     works on a machine without a GPU ("CPU-only AOT").
//   - tensorrt: TensorRT 10/11 (libnvinfer). Builder flags choose FP16/BF16
//     (TensorRT 10 only); a timing cache file can be kept across builds.
//   - neither: no cgo. Available reports false and every entry point
//     returns ErrNotBuilt.
//
// Only the files rtx.go/rtx.cc and trt.go/trt.cc differ between the two
// libraries. scripts/trt-setup.sh installs TensorRT-RTX and the CUDA
// runtime under .trt/ and writes .trt/env.sh; scripts/build-trt.sh builds
// with each tag.
//
// Build (replay.go), Store and the sidecar are pure Go and always present.
package tensorrt
