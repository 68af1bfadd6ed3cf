//go:build tensorrt || tensorrt_rtx

package tensorrt

/*
#include <stdlib.h>
#include "shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"runtime/cgo"
	"sync"
	"unsafe"

	"github.com/tfc-dev/tfc/backend/trt"
)

var available = sync.OnceValues(func() (bool, error) {
	lg, err := newLogger(nil, false)
	if err != nil {
		return false, err
	}
	defer lg.free()
	before := lg.errCount()
	b := C.tfc_builder_new(lg.c)
	if b == nil {
		return false, fmt.Errorf("tensorrt: %s cannot create a builder: %s", libraryName(), lg.errorSince(before, "createInferBuilder failed"))
	}
	C.tfc_builder_free(b)
	return true, nil
})

// Available reports whether the TensorRT library tfc was built with works
// (a builder can be created). It needs no GPU.
func Available() bool {
	ok, _ := available()
	return ok
}

// AvailableErr is Available's reason when it is false.
func AvailableErr() error {
	_, err := available()
	return err
}

func libraryName() string { return C.GoString(C.tfc_target_name()) }

func versionString(v int32) string {
	return fmt.Sprintf("%d.%d.%d", v/10000, v/100%100, v%100)
}

// Version describes the TensorRT library, e.g. "TensorRT-RTX 1.6.1"
// (and the headers' version when it differs).
func Version() string {
	lib, hdr := int32(C.tfc_library_version()), int32(C.tfc_header_version())
	s := libraryName() + " " + versionString(lib)
	if lib != hdr {
		s += " (built with headers " + versionString(hdr) + ")"
	}
	return s
}

// Optimize creates a TensorRT network, lets build define it (for example
// lower.Lower(f, net), or Build(net, desc)), and runs TensorRT's builder on
// it. It returns the serialized engine (the plan).
//
// The builder records NVIDIA_TF32_OVERRIDE in the plan and TensorRT-RTX
// refuses to run a plan under another value, so Optimize fixes the
// process's FP32 mode as loading does (see useFP32Math).
func Optimize(build func(trt.Network) error, opts BuildOptions) ([]byte, error) {
	if err := useFP32Math(opts.TF32); err != nil {
		return nil, err
	}
	lg, err := newLogger(opts.Log, opts.Verbose)
	if err != nil {
		return nil, err
	}
	defer lg.free()
	net, err := newNetwork(lg)
	if err != nil {
		return nil, err
	}
	defer net.free()
	if err := build(net); err != nil {
		return nil, err
	}
	if err := net.Err(); err != nil {
		return nil, err
	}

	var copts C.tfc_build_options
	copts.workspace_bytes = C.int64_t(opts.WorkspaceBytes)
	switch {
	case opts.OptimizationLevel > 0:
		copts.optimization_level = C.int32_t(opts.OptimizationLevel)
	case opts.OptimizationLevel < 0:
		copts.optimization_level = 0
	default:
		copts.optimization_level = -1
	}
	if n := len(opts.ComputeCapabilities); n > 0 {
		ccs := (*C.int32_t)(C.malloc(C.size_t(n) * 4))
		defer C.free(unsafe.Pointer(ccs))
		s := unsafe.Slice(ccs, n)
		for i, name := range opts.ComputeCapabilities {
			v, err := computeCapability(name)
			if err != nil {
				return nil, fmt.Errorf("tensorrt: %v", err)
			}
			s[i] = C.int32_t(v)
		}
		copts.nb_compute_capabilities = C.int32_t(n)
		copts.compute_capabilities = ccs
	}
	copts.fp16, copts.bf16 = cbool(opts.FP16), cbool(opts.BF16)
	copts.tf32 = cbool(opts.TF32)
	copts.timing_cache_size = -1
	if opts.TimingCache != "" && isRTX && opts.Log != nil {
		opts.Log(SeverityWarning, "tfc: TimingCache ignored: TensorRT-RTX has no timing cache")
	}
	if opts.TimingCache != "" && !isRTX {
		b, err := os.ReadFile(opts.TimingCache)
		switch {
		case err == nil && len(b) > 0:
			p := C.CBytes(b)
			defer C.free(p)
			copts.timing_cache, copts.timing_cache_size = p, C.int64_t(len(b))
		case err == nil || errors.Is(err, os.ErrNotExist):
			copts.timing_cache_size = 0
		default:
			return nil, fmt.Errorf("tensorrt: timing cache: %v", err)
		}
	}
	var nshapes int
	for _, p := range opts.Profiles {
		nshapes += len(p)
	}
	if nshapes > 0 {
		shapes := (*C.tfc_profile_shape)(C.calloc(C.size_t(nshapes), C.size_t(unsafe.Sizeof(C.tfc_profile_shape{}))))
		defer C.free(unsafe.Pointer(shapes))
		s := unsafe.Slice(shapes, nshapes)
		i := 0
		for k, p := range opts.Profiles {
			for _, ps := range p {
				name := C.CString(ps.Input)
				defer C.free(unsafe.Pointer(name))
				min, err := toCDims(ps.Min)
				if err != nil {
					return nil, err
				}
				opt, err := toCDims(ps.Opt)
				if err != nil {
					return nil, err
				}
				max, err := toCDims(ps.Max)
				if err != nil {
					return nil, err
				}
				s[i] = C.tfc_profile_shape{profile: C.int32_t(k), input: name, min: min, opt: opt, max: max}
				i++
			}
		}
		copts.nb_profile_shapes, copts.profile_shapes = C.int32_t(nshapes), shapes
	}
	if opts.Progress != nil {
		h := cgo.NewHandle(opts.Progress)
		defer h.Delete()
		copts.progress_handle = C.uintptr_t(h)
	}

	var plan, cache C.tfc_buffer
	before := lg.errCount()
	if C.tfc_build(net.b, net.n, &copts, &plan, &cache) != 0 {
		return nil, fmt.Errorf("tensorrt: building the engine: %s", lg.errorSince(before, "failed"))
	}
	defer C.free(plan.data)
	defer C.free(cache.data)
	out := C.GoBytes(plan.data, C.int(plan.size))
	if cache.data != nil && opts.TimingCache != "" {
		if err := writeAtomic(opts.TimingCache, C.GoBytes(cache.data, C.int(cache.size))); err != nil {
			return out, fmt.Errorf("tensorrt: writing the timing cache: %v", err)
		}
	}
	return out, nil
}

// OptimizeDescription is Optimize of a recorded network (see Build).
//
// A dynamic network's optimization profiles (d.Profiles) are added to the
// build unless opts.Profiles sets others.
func OptimizeDescription(d *trt.Description, opts BuildOptions) ([]byte, error) {
	if opts.Profiles == nil {
		opts.Profiles = d.Profiles
	}
	return Optimize(func(net trt.Network) error { return Build(net, d) }, opts)
}

// toCDims converts the dimensions of a profile shape.
func toCDims(d trt.Dims) (C.tfc_dims, error) {
	var r C.tfc_dims
	if len(d) > trt.MaxDims {
		return r, fmt.Errorf("tensorrt: profile dimensions %v have more than %d entries", d, trt.MaxDims)
	}
	r.nb = C.int32_t(len(d))
	for i, x := range d {
		r.d[i] = C.int64_t(x)
	}
	return r, nil
}
