//go:build tensorrt || tensorrt_rtx

package tensorrt

/*
#include <stdlib.h>
#include "exec.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"time"
	"unsafe"

	"github.com/tfc-dev/tfc/backend/trt"
)

// executor runs an Engine: a session (TensorRT-RTX's runtime config and
// runtime cache, made with the first context) and a pool of execution
// contexts. Each context owns an IExecutionContext, a CUDA stream, a
// device buffer and a pinned host buffer per I/O tensor, and its timing
// events, all kept across Infer calls. An Infer call takes a free context
// or makes one, so concurrent callers (goroutines) each run on their own
// context and the pool grows to the largest number of concurrent calls;
// making a context is where TensorRT-RTX compiles its kernels, so the
// first one is slow unless the runtime cache holds them.
type executor struct {
	mu          sync.Mutex
	opts        RuntimeOptions
	session     *C.tfc_session
	cacheLoaded bool
	free        []*execContext
	all         []*execContext
}

type execContext struct {
	c    *C.tfc_context
	host [][]byte // pinned host buffers, one per I/O tensor, in Engine.io order
	// The optimization profile and I/O shapes the context is set up for
	// (a static engine's own; -1 and nil for a dynamic one not yet set).
	profile int
	shapes  [][]int64
}

// SetRuntimeOptions sets how the engine's execution contexts are made.
// It must come before the first Infer or Prepare.
func (e *Engine) SetRuntimeOptions(o RuntimeOptions) error {
	e.exec.mu.Lock()
	defer e.exec.mu.Unlock()
	if e.exec.session != nil {
		return errors.New("tensorrt: SetRuntimeOptions after the engine has run")
	}
	e.exec.opts = o
	return nil
}

// Prepare makes one execution context ahead of the first Infer (that is
// where TensorRT-RTX compiles kernels, or takes them from the runtime
// cache) and returns how long that took.
func (e *Engine) Prepare() (time.Duration, error) {
	t0 := time.Now()
	c, err := e.getContext()
	if err != nil {
		return 0, err
	}
	e.putContext(c)
	return time.Since(t0), nil
}

// RuntimeCacheLoaded reports whether the runtime cache file existed and
// TensorRT-RTX accepted it (valid after Prepare or the first Infer).
func (e *Engine) RuntimeCacheLoaded() bool {
	e.exec.mu.Lock()
	defer e.exec.mu.Unlock()
	return e.exec.cacheLoaded
}

// SaveRuntimeCache writes TensorRT-RTX's runtime cache to the
// RuntimeOptions.RuntimeCache file (atomically).
func (e *Engine) SaveRuntimeCache() error {
	e.exec.mu.Lock()
	defer e.exec.mu.Unlock()
	if e.exec.opts.RuntimeCache == "" {
		return errors.New("tensorrt: SaveRuntimeCache: no RuntimeOptions.RuntimeCache file")
	}
	if e.exec.session == nil {
		return errors.New("tensorrt: SaveRuntimeCache before the engine has run (nothing compiled yet)")
	}
	var buf C.tfc_buffer
	before := e.lg.errCount()
	if C.tfc_session_runtime_cache(e.exec.session, &buf) != 0 {
		return fmt.Errorf("tensorrt: %s", e.lg.errorSince(before, "serializing the runtime cache failed"))
	}
	defer C.free(buf.data)
	return writeAtomic(e.exec.opts.RuntimeCache, C.GoBytes(buf.data, C.int(buf.size)))
}

// Infer runs the engine once on a CUDA device. inputs maps each input
// name to its data (little-endian, TensorRT's type and shape, row-major);
// the result maps each output name to its data. It is safe for
// concurrent use. An engine with dynamic inputs needs their shapes:
// InferShaped.
func (e *Engine) Infer(inputs map[string][]byte) (map[string][]byte, error) {
	out, _, err := e.InferTimed(inputs)
	return out, err
}

// InferTimed is Infer, also returning the copy and compute times that CUDA
// events measured on the context's stream.
func (e *Engine) InferTimed(inputs map[string][]byte) (map[string][]byte, Timing, error) {
	if e.Dynamic() {
		return nil, Timing{}, errors.New("tensorrt: Infer: the engine has dynamic inputs; give their shapes (InferShaped)")
	}
	in := make(map[string]HostTensor, len(inputs))
	for name, data := range inputs {
		in[name] = HostTensor{Data: data}
		for _, t := range e.io {
			if t.input && t.Name == name {
				in[name] = HostTensor{Shape: t.Shape, Data: data}
			}
		}
	}
	out, tm, err := e.InferShaped(in)
	if err != nil {
		return nil, tm, err
	}
	res := make(map[string][]byte, len(out))
	for name, t := range out {
		res[name] = t.Data
	}
	return res, tm, nil
}

// HostTensor is a tensor's data in host memory (little-endian, TensorRT's
// type, row-major) and its shape.
type HostTensor struct {
	Shape []int64
	Data  []byte
}

// InferShaped runs the engine once on inputs of the given shapes and
// returns the outputs with theirs. A static engine's inputs have its own
// shapes; a dynamic engine's take any shapes inside one of its
// optimization profiles (the first that holds them runs), and a shape
// outside every profile is an error. Each execution context keeps its
// profile, shapes and buffers from run to run, selecting another profile,
// setting the input shapes (setInputShape) and growing its buffers only
// when the shapes change. It is safe for concurrent use.
func (e *Engine) InferShaped(inputs map[string]HostTensor) (map[string]HostTensor, Timing, error) {
	var tm Timing
	if e.e == nil {
		return nil, tm, errors.New("tensorrt: Infer on a closed engine")
	}
	shapes := make(map[string][]int64, len(inputs))
	used := 0
	for _, t := range e.io {
		if !t.input {
			continue
		}
		x, ok := inputs[t.Name]
		if !ok {
			return nil, tm, fmt.Errorf("tensorrt: Infer: missing input %q", t.Name)
		}
		if !shapeFits(x.Shape, t.Shape) {
			return nil, tm, fmt.Errorf("tensorrt: Infer: input %q has shape %v, the engine's is %v", t.Name, trt.Dims(x.Shape), trt.Dims(t.Shape))
		}
		if size := trt.Dims(x.Shape).Volume() * int64(t.Type.Size()); int64(len(x.Data)) != size {
			return nil, tm, fmt.Errorf("tensorrt: Infer: input %q has %d bytes, want %d (%v%v)", t.Name, len(x.Data), size, t.Type, trt.Dims(x.Shape))
		}
		shapes[t.Name] = x.Shape
		used++
	}
	if used != len(inputs) {
		for name := range inputs {
			if !e.isInput(name) {
				return nil, tm, fmt.Errorf("tensorrt: Infer: %q is not an input of the engine", name)
			}
		}
	}
	profile := 0
	if e.Dynamic() {
		var err error
		if profile, err = e.profileFor(shapes); err != nil {
			return nil, tm, err
		}
	}
	c, err := e.getContext()
	if err != nil {
		return nil, tm, err
	}
	defer e.putContext(c)
	if e.Dynamic() {
		if err := e.setShapes(c, profile, shapes); err != nil {
			return nil, tm, err
		}
	}
	for i, t := range e.io {
		if t.input {
			parallelCopy(c.host[i], inputs[t.Name].Data)
		}
	}
	var ct C.tfc_timing
	before := e.lg.errCount()
	if C.tfc_context_run(c.c, &ct) != 0 {
		return nil, tm, fmt.Errorf("tensorrt: Infer: %s", e.lg.errorSince(before, "failed"))
	}
	ms := func(f C.float) time.Duration { return time.Duration(float64(f) * float64(time.Millisecond)) }
	tm = Timing{H2D: ms(ct.h2d_ms), Compute: ms(ct.compute_ms), D2H: ms(ct.d2h_ms)}
	out := map[string]HostTensor{}
	for i, t := range e.io {
		if !t.input {
			b := make([]byte, len(c.host[i]))
			parallelCopy(b, c.host[i])
			out[t.Name] = HostTensor{Shape: c.shapes[i], Data: b}
		}
	}
	return out, tm, nil
}

// shapeFits reports whether shape s has the rank of an engine tensor's
// shape want and its every fixed (not -1) dimension.
func shapeFits(s, want []int64) bool {
	if len(s) != len(want) {
		return false
	}
	for i, d := range want {
		if d >= 0 && s[i] != d || s[i] < 0 {
			return false
		}
	}
	return true
}

// setShapes puts context c of a dynamic engine on a profile and input
// shapes: when they are not the ones it ran last, it selects the profile,
// sets the input shapes, reads every output's shape and makes the buffers
// hold them (growing those too small).
func (e *Engine) setShapes(c *execContext, profile int, shapes map[string][]int64) error {
	same := c.profile == profile
	for i, t := range e.io {
		if t.input && !slices.Equal(c.shapes[i], shapes[t.Name]) {
			same = false
		}
	}
	if same {
		return nil
	}
	c.profile = -1 // until every step below has succeeded
	n := len(e.io)
	dims := make([]C.tfc_dims, n)
	for i, t := range e.io {
		if t.input {
			d, err := toCDims(shapes[t.Name])
			if err != nil {
				return err
			}
			dims[i] = d
		}
	}
	before := e.lg.errCount()
	if C.tfc_context_set_shapes(c.c, C.int32_t(profile), unsafe.SliceData(dims)) != 0 {
		return fmt.Errorf("tensorrt: Infer: %s", e.lg.errorSince(before, "setting the input shapes failed"))
	}
	bytes := make([]C.int64_t, n)
	got := make([][]int64, n)
	for i, t := range e.io {
		got[i] = goDims(dims[i])
		for _, x := range got[i] {
			if x < 0 {
				return fmt.Errorf("tensorrt: Infer: %s has shape %v at inputs %v (a dimension TensorRT does not know before running)", t.Name, trt.Dims(got[i]), shapes)
			}
		}
		bytes[i] = C.int64_t(trt.Dims(got[i]).Volume() * int64(t.Type.Size()))
	}
	if C.tfc_context_reserve(c.c, unsafe.SliceData(bytes)) != 0 {
		return fmt.Errorf("tensorrt: Infer: %s", e.lg.errorSince(before, "allocating buffers failed"))
	}
	for i := range e.io {
		c.host[i] = unsafe.Slice((*byte)(C.tfc_context_host(c.c, C.int32_t(i))), int64(bytes[i]))
	}
	c.shapes, c.profile = got, profile
	return nil
}

// getContext takes a free execution context, or makes one (and the
// session with the first).
func (e *Engine) getContext() (*execContext, error) {
	x := &e.exec
	x.mu.Lock()
	if n := len(x.free); n > 0 {
		c := x.free[n-1]
		x.free = x.free[:n-1]
		x.mu.Unlock()
		return c, nil
	}
	defer x.mu.Unlock() // contexts are made one at a time
	if e.e == nil {
		return nil, errors.New("tensorrt: Infer on a closed engine")
	}
	if _, err := cudaDevices(); err != nil {
		return nil, fmt.Errorf("tensorrt: Infer needs a CUDA device: %v", err)
	}
	for _, t := range e.io {
		if !t.input && !e.Dynamic() && slices.Contains(t.Shape, -1) {
			// A static engine's output of unknown size is data-dependent
			// (INonZeroLayer, INMSLayer): TensorRT sizes it through an
			// IOutputAllocator, which tfc's runtime does not have yet.
			return nil, fmt.Errorf("tensorrt: Infer: output %q has data-dependent dimensions %v (a Where); tfc's engine runtime sizes outputs before running and cannot run this engine yet", t.Name, t.Shape)
		}
	}
	if x.session == nil {
		if err := e.newSession(); err != nil {
			return nil, err
		}
	}
	n := len(e.io)
	cnames := (**C.char)(C.calloc(C.size_t(max(n, 1)), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	cbytes := (*C.int64_t)(C.calloc(C.size_t(max(n, 1)), 8))
	ns, bs := unsafe.Slice(cnames, n), unsafe.Slice(cbytes, n)
	defer func() {
		for _, p := range ns {
			C.free(unsafe.Pointer(p))
		}
		C.free(unsafe.Pointer(cnames))
		C.free(unsafe.Pointer(cbytes))
	}()
	for i, t := range e.io {
		ns[i] = C.CString(t.Name)
		bs[i] = C.int64_t(max(t.Bytes(), 0)) // a dynamic tensor's buffers come with its shape (setShapes)
	}
	before := e.lg.errCount()
	cc := C.tfc_context_new(x.session, C.int32_t(n), cnames, cbytes)
	if cc == nil {
		return nil, fmt.Errorf("tensorrt: making an execution context: %s", e.lg.errorSince(before, "failed"))
	}
	c := &execContext{c: cc, host: make([][]byte, n), profile: -1, shapes: make([][]int64, n)}
	for i, t := range e.io {
		c.host[i] = unsafe.Slice((*byte)(C.tfc_context_host(cc, C.int32_t(i))), max(t.Bytes(), 0))
		if !e.Dynamic() {
			c.shapes[i], c.profile = t.Shape, 0
		}
	}
	x.all = append(x.all, c)
	return c, nil
}

// newSession makes the session from the runtime options; x.mu is held.
func (e *Engine) newSession() error {
	x := &e.exec
	var o C.tfc_exec_options
	o.cuda_graph = cbool(x.opts.CUDAGraph)
	o.runtime_cache_size = -1
	if x.opts.RuntimeCache != "" {
		o.runtime_cache_size = 0
		b, err := os.ReadFile(x.opts.RuntimeCache)
		switch {
		case err == nil && len(b) > 0:
			p := C.CBytes(b)
			defer C.free(p)
			o.runtime_cache, o.runtime_cache_size = p, C.int64_t(len(b))
		case err == nil || errors.Is(err, os.ErrNotExist):
		default:
			return fmt.Errorf("tensorrt: runtime cache: %v", err)
		}
	}
	var loaded C.int32_t
	before := e.lg.errCount()
	s := C.tfc_session_new(e.e, &o, &loaded)
	if s == nil {
		return fmt.Errorf("tensorrt: %s", e.lg.errorSince(before, "runtime options rejected"))
	}
	x.session, x.cacheLoaded = s, loaded != 0
	return nil
}

func (e *Engine) putContext(c *execContext) {
	e.exec.mu.Lock()
	e.exec.free = append(e.exec.free, c)
	e.exec.mu.Unlock()
}

// close frees every context and the session.
func (x *executor) close() {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, c := range x.all {
		C.tfc_context_free(c.c)
	}
	x.all, x.free = nil, nil
	if x.session != nil {
		C.tfc_session_free(x.session)
		x.session = nil
	}
}

// parallelCopy copies src into dst (pinned host memory, or out of it) on
// several cores when it is large: one core's copy of a 19 MB batch-32
// ResNet50 input took longer than its host-to-device transfer.
func parallelCopy(dst, src []byte) {
	const chunk = 1 << 20
	n := min(runtime.GOMAXPROCS(0), len(src)/chunk)
	if n < 2 {
		copy(dst, src)
		return
	}
	var wg sync.WaitGroup
	per := (len(src) + n - 1) / n
	for lo := 0; lo < len(src); lo += per {
		hi := min(lo+per, len(src))
		wg.Add(1)
		go func() {
			defer wg.Done()
			copy(dst[lo:hi], src[lo:hi])
		}()
	}
	wg.Wait()
}
