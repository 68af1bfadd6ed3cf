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
// concurrent use.
func (e *Engine) Infer(inputs map[string][]byte) (map[string][]byte, error) {
	out, _, err := e.InferTimed(inputs)
	return out, err
}

// InferTimed is Infer, also returning the copy and compute times that CUDA
// events measured on the context's stream.
func (e *Engine) InferTimed(inputs map[string][]byte) (map[string][]byte, Timing, error) {
	var tm Timing
	if e.e == nil {
		return nil, tm, errors.New("tensorrt: Infer on a closed engine")
	}
	used := 0
	for _, t := range e.io {
		if !t.input {
			continue
		}
		data, ok := inputs[t.Name]
		if !ok {
			return nil, tm, fmt.Errorf("tensorrt: Infer: missing input %q", t.Name)
		}
		if size := t.Bytes(); int64(len(data)) != size {
			return nil, tm, fmt.Errorf("tensorrt: Infer: input %q has %d bytes, want %d (%v%v)", t.Name, len(data), size, t.Type, trt.Dims(t.Shape))
		}
		used++
	}
	if used != len(inputs) {
		for name := range inputs {
			if !e.isInput(name) {
				return nil, tm, fmt.Errorf("tensorrt: Infer: %q is not an input of the engine", name)
			}
		}
	}
	c, err := e.getContext()
	if err != nil {
		return nil, tm, err
	}
	defer e.putContext(c)
	for i, t := range e.io {
		if t.input {
			parallelCopy(c.host[i], inputs[t.Name])
		}
	}
	var ct C.tfc_timing
	before := e.lg.errCount()
	if C.tfc_context_run(c.c, &ct) != 0 {
		return nil, tm, fmt.Errorf("tensorrt: Infer: %s", e.lg.errorSince(before, "failed"))
	}
	ms := func(f C.float) time.Duration { return time.Duration(float64(f) * float64(time.Millisecond)) }
	tm = Timing{H2D: ms(ct.h2d_ms), Compute: ms(ct.compute_ms), D2H: ms(ct.d2h_ms)}
	out := map[string][]byte{}
	for i, t := range e.io {
		if !t.input {
			b := make([]byte, len(c.host[i]))
			parallelCopy(b, c.host[i])
			out[t.Name] = b
		}
	}
	return out, tm, nil
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
		for _, d := range t.Shape {
			if d < 0 {
				return nil, fmt.Errorf("tensorrt: %s has a dynamic shape %v: this Engine runs static shapes only", t.Name, trt.Dims(t.Shape))
			}
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
		bs[i] = C.int64_t(t.Bytes())
	}
	before := e.lg.errCount()
	cc := C.tfc_context_new(x.session, C.int32_t(n), cnames, cbytes)
	if cc == nil {
		return nil, fmt.Errorf("tensorrt: making an execution context: %s", e.lg.errorSince(before, "failed"))
	}
	c := &execContext{c: cc, host: make([][]byte, n)}
	for i, t := range e.io {
		c.host[i] = unsafe.Slice((*byte)(C.tfc_context_host(cc, C.int32_t(i))), t.Bytes())
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
