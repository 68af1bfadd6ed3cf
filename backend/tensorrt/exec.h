// exec.h: the C interface of tfc's execution contexts (exec.cc), kept
// apart from shim.h's network and builder calls.
//
// A tfc_session holds what every execution context of one engine shares:
// TensorRT-RTX's IRuntimeConfig and its IRuntimeCache (the kernels that
// TensorRT-RTX compiles just in time), or nothing for TensorRT. A
// tfc_context is one IExecutionContext with its own CUDA stream, device
// buffers, pinned host buffers and timing events, all kept across runs.
// Like shim.h, no C++ exception crosses this interface; errors go to the
// engine's logger.
#ifndef TFC_TRT_EXEC_H
#define TFC_TRT_EXEC_H

#include <stdint.h>

#include "shim.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tfc_exec_options {
	int32_t cuda_graph;            // 1: CudaGraphStrategy::kWHOLE_GRAPH_CAPTURE (TensorRT-RTX)
	const void* runtime_cache;     // a serialized runtime cache to start from (TensorRT-RTX)
	int64_t runtime_cache_size;    // -1: no runtime cache; 0: a new, empty one; > 0: runtime_cache's size
} tfc_exec_options;

typedef struct tfc_session tfc_session;
typedef struct tfc_context tfc_context;

// Creates the session of an engine. *cache_loaded is set to 1 when the
// given runtime cache was accepted, 0 when TensorRT-RTX rejected it (another
// library version, GPU or driver: it then starts empty).
tfc_session* tfc_session_new(tfc_engine*, const tfc_exec_options*, int32_t* cache_loaded);
void tfc_session_free(tfc_session*);
// Serializes the session's runtime cache into a malloc'ed buffer. Returns 0,
// or nonzero with the error in the logger (also when there is no cache).
int32_t tfc_session_runtime_cache(tfc_session*, tfc_buffer* out);

// Creates an execution context with a stream, and a device buffer and a
// pinned host buffer of bytes[i] bytes for each I/O tensor names[i] (the
// engine's, each once).
tfc_context* tfc_context_new(tfc_session*, int32_t n, const char* const* names, const int64_t* bytes);
void tfc_context_free(tfc_context*);
// The pinned host buffer of I/O tensor i: inputs are read from it, outputs
// written to it.
void* tfc_context_host(tfc_context*, int32_t i);

// For an engine with dynamic inputs: selects optimization profile
// `profile` when the context is not on it already
// (setOptimizationProfileAsync on the context's stream), sets the shape of
// every input (dims[i] for I/O tensor i that is an input; setInputShape),
// and writes the resulting shape of every I/O tensor back to dims[i]
// (an output's from getTensorShape). Returns 0, or nonzero with the error
// in the logger.
int32_t tfc_context_set_shapes(tfc_context*, int32_t profile, tfc_dims* dims);
// Makes I/O tensor i's buffers hold bytes[i] bytes, the amount
// tfc_context_run copies from now on: a buffer too small is freed and
// allocated again at that size (its address set with setTensorAddress), so
// host pointers from tfc_context_host may change. Returns 0, or nonzero
// with the error in the logger.
int32_t tfc_context_reserve(tfc_context*, const int64_t* bytes);

// Milliseconds measured with CUDA events on the context's stream.
typedef struct tfc_timing {
	float h2d_ms;     // host-to-device copies of the inputs
	float compute_ms; // enqueueV3: the engine's kernels
	float d2h_ms;     // device-to-host copies of the outputs
} tfc_timing;

// Runs the engine once: copies the inputs from the host buffers, enqueues,
// copies the outputs back and waits. Returns 0, or nonzero with the error
// in the logger.
int32_t tfc_context_run(tfc_context*, tfc_timing*);

#ifdef __cplusplus
}
#endif

#endif
