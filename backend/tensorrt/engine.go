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
	"slices"
	"strings"
	"unsafe"

	"github.com/tfc-dev/tfc/backend/trt"
)

// Engine is a deserialized TensorRT engine (ICudaEngine) and the runtime
// that made it. Close releases both.
//
// Infer runs it on execution contexts that it keeps (context.go); Close
// must not run concurrently with Infer.
type Engine struct {
	lg      *logger
	rt      *C.tfc_runtime
	e       *C.tfc_engine
	sidecar *Sidecar
	io      []ioTensor
	exec    executor
	// profiles are the optimization profiles of an engine with dynamic
	// inputs, as the engine reports them (getProfileShape), one entry per
	// profile and dynamic input, in profile order; nil for a static engine.
	profiles []ProfileInfo
}

type ioTensor struct {
	TensorInfo
	input bool
}

// cudaDevices returns the number of CUDA devices, or why there are none.
func cudaDevices() (int, error) {
	n := int(C.tfc_cuda_device_count())
	if n < 0 {
		return 0, fmt.Errorf("cudaGetDeviceCount: %s (cudaError %d)", C.GoString(C.tfc_cuda_error_string(C.int32_t(-n))), -n)
	}
	if n == 0 {
		return 0, errors.New("cudaGetDeviceCount: no CUDA device")
	}
	return n, nil
}

// Load reads a plan written by Store (and its sidecar, when present, which
// must match the plan) and deserializes it with TensorRT's runtime. That
// needs a CUDA device: without one TensorRT refuses, and the error says so.
func Load(path string) (*Engine, error) {
	plan, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sc, err := ReadSidecar(path)
	switch {
	case err == nil:
		if err := sc.checkPlan(plan); err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
	case errors.Is(err, os.ErrNotExist):
		sc = nil
	default:
		return nil, err
	}
	e, err := loadPlan(plan, sc.AllowsTF32())
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	e.sidecar = sc
	return e, nil
}

// LoadPlan deserializes a plan to run in strict FP32 (see useFP32Math).
func LoadPlan(plan []byte) (*Engine, error) { return loadPlan(plan, false) }

// LoadPlanTF32 deserializes a plan built with BuildOptions.TF32, to run
// with TF32 allowed.
func LoadPlanTF32(plan []byte) (*Engine, error) { return loadPlan(plan, true) }

func loadPlan(plan []byte, tf32 bool) (*Engine, error) {
	if len(plan) == 0 {
		return nil, errors.New("tensorrt: empty plan")
	}
	if err := useFP32Math(tf32); err != nil {
		return nil, err
	}
	lg, err := newLogger(nil, false)
	if err != nil {
		return nil, err
	}
	before := lg.errCount()
	rt := C.tfc_runtime_new(lg.c)
	if rt == nil {
		defer lg.free()
		return nil, fmt.Errorf("tensorrt: creating the runtime: %s", lg.errorSince(before, "failed"))
	}
	e := C.tfc_engine_deserialize(rt, unsafe.Pointer(unsafe.SliceData(plan)), C.int64_t(len(plan)))
	if e == nil {
		msg := lg.errorSince(before, "deserializeCudaEngine returned null")
		C.tfc_runtime_free(rt)
		lg.free()
		if _, cerr := cudaDevices(); cerr != nil {
			msg += "; no usable CUDA device (" + cerr.Error() + "): TensorRT's runtime needs an NVIDIA GPU and driver"
		}
		return nil, fmt.Errorf("tensorrt: deserializing the engine (%s): %s", Version(), msg)
	}
	eng := &Engine{lg: lg, rt: rt, e: e}
	for i := range int(C.tfc_engine_nb_io(e)) {
		cname := C.tfc_engine_io_name(e, C.int32_t(i))
		typ := trt.DataType(C.tfc_engine_io_type(e, cname))
		eng.io = append(eng.io, ioTensor{
			TensorInfo: tensorInfo(C.GoString(cname), typ, goDims(C.tfc_engine_io_dims(e, cname))),
			input:      C.tfc_engine_io_is_input(e, cname) != 0,
		})
	}
	if eng.Dynamic() {
		nb := int(C.tfc_engine_nb_profiles(e))
		for k := range nb {
			for _, t := range eng.io {
				if !t.input || !slices.Contains(t.Shape, -1) {
					continue
				}
				cname := C.CString(t.Name)
				sel := func(s int) []int64 { return goDims(C.tfc_engine_profile_dims(e, cname, C.int32_t(k), C.int32_t(s))) }
				eng.profiles = append(eng.profiles, ProfileInfo{Profile: k, Input: t.Name, Min: sel(0), Opt: sel(1), Max: sel(2)})
				C.free(unsafe.Pointer(cname))
			}
		}
		if nb == 0 {
			eng.Close()
			return nil, errors.New("tensorrt: the engine has dynamic inputs but no optimization profile")
		}
	}
	return eng, nil
}

// Dynamic reports whether some input of the engine has dynamic dimensions
// (-1 in IO's shapes): each run then gives its inputs' shapes, inside one
// of the optimization profiles (Profiles).
func (e *Engine) Dynamic() bool {
	for _, t := range e.io {
		if t.input && slices.Contains(t.Shape, -1) {
			return true
		}
	}
	return false
}

// Profiles lists the optimization profiles of a dynamic engine: for each
// profile and dynamic input, its min, opt and max shapes.
func (e *Engine) Profiles() []ProfileInfo { return e.profiles }

// profileFor returns the first profile whose ranges hold the input shapes,
// or an error naming them and the profiles.
func (e *Engine) profileFor(shapes map[string][]int64) (int, error) {
	nb := 0
	if n := len(e.profiles); n > 0 {
		nb = e.profiles[n-1].Profile + 1
	}
	for k := range nb {
		ok := true
		for _, p := range e.profiles {
			if p.Profile != k {
				continue
			}
			x := shapes[p.Input]
			if len(x) != len(p.Min) {
				ok = false
				break
			}
			for i := range x {
				if x[i] < p.Min[i] || x[i] > p.Max[i] {
					ok = false
				}
			}
		}
		if ok {
			return k, nil
		}
	}
	var desc, ranges []string
	for _, t := range e.io {
		if t.input {
			desc = append(desc, t.Name+trt.Dims(shapes[t.Name]).String())
		}
	}
	for _, p := range e.profiles {
		ranges = append(ranges, fmt.Sprintf("profile %d %s min %v max %v", p.Profile, p.Input, trt.Dims(p.Min), trt.Dims(p.Max)))
	}
	return -1, fmt.Errorf("tensorrt: input shapes %s are outside every optimization profile of the engine (%s)",
		strings.Join(desc, ","), strings.Join(ranges, "; "))
}

// Sidecar is the stored description of the engine (nil if it had none).
func (e *Engine) Sidecar() *Sidecar { return e.sidecar }

// IO lists the engine's input and output tensors as TensorRT reports them.
func (e *Engine) IO() (inputs, outputs []TensorInfo) {
	for _, t := range e.io {
		if t.input {
			inputs = append(inputs, t.TensorInfo)
		} else {
			outputs = append(outputs, t.TensorInfo)
		}
	}
	return inputs, outputs
}

func (e *Engine) isInput(name string) bool {
	for _, t := range e.io {
		if t.input && t.Name == name {
			return true
		}
	}
	return false
}

// Close releases the engine's execution contexts, the engine and its runtime.
func (e *Engine) Close() error {
	e.exec.close()
	if e.e != nil {
		C.tfc_engine_free(e.e)
		e.e = nil
	}
	if e.rt != nil {
		C.tfc_runtime_free(e.rt)
		e.rt = nil
	}
	if e.lg != nil {
		e.lg.free()
		e.lg = nil
	}
	return nil
}
