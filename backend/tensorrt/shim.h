// shim.h: the C interface of tfc's TensorRT shim (shim.cc, rtx.cc, trt.cc).
//
// One function per INetworkDefinition call tfc makes (the add call and the
// layer's setters together), plus the logger, builder, build, runtime and
// engine. The layer add calls (tfc_add_<kind>, defined in shim.cc) are
// declared beside their Go wrappers, in network.go's preamble, so that a
// layer kind's binding is those two places. No C++ exception crosses this interface: every function catches
// them, records the message in its logger and returns NULL (or nonzero).
// Handles are opaque; ITensor and ILayer are passed as tfc_tensor/tfc_layer.
#ifndef TFC_TRT_SHIM_H
#define TFC_TRT_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// nvinfer1::Dims. nb < 0 means "not given": the shim keeps TensorRT's default.
typedef struct tfc_dims {
	int32_t nb;
	int64_t d[8];
} tfc_dims;

// nvinfer1::Weights; the shim copies the values, so they need only live
// for the call.
typedef struct tfc_weights {
	int32_t type;
	const void* values;
	int64_t count;
} tfc_weights;

// nvinfer1::Permutation; nb < 0 means identity (not set).
typedef struct tfc_perm {
	int32_t nb;
	int32_t order[8];
} tfc_perm;

typedef struct tfc_logger tfc_logger;
typedef struct tfc_builder tfc_builder;
typedef struct tfc_network tfc_network;
typedef struct tfc_runtime tfc_runtime;
typedef struct tfc_engine tfc_engine;
typedef struct tfc_tensor tfc_tensor; // nvinfer1::ITensor
typedef struct tfc_layer tfc_layer;   // nvinfer1::ILayer

// Library and target.
const char* tfc_target_name(void);    // "TensorRT-RTX" or "TensorRT"
int32_t tfc_header_version(void);     // NV_TENSORRT_VERSION of the headers
int32_t tfc_library_version(void);    // getInferLibVersion() of the loaded library

// Logger. handle is passed back to the Go callback tfcGoLog (0: none);
// messages above max_severity are not forwarded (errors are always kept).
tfc_logger* tfc_logger_new(uintptr_t handle, int32_t max_severity);
void tfc_logger_free(tfc_logger*);
int32_t tfc_logger_error_count(tfc_logger*);
// Error message i (0 is the first) of the logger, or the last one when i
// is past the messages kept; the caller frees it with free(). NULL if none.
char* tfc_logger_error(tfc_logger*, int32_t i);
void tfc_logger_set_error(tfc_logger*, const char* msg);

// Builder and network. The network owns copies of all weights given to it.
tfc_builder* tfc_builder_new(tfc_logger*);
void tfc_builder_free(tfc_builder*);
tfc_network* tfc_network_new(tfc_builder*);
void tfc_network_free(tfc_network*);

// One input's shapes in optimization profile `profile`
// (IOptimizationProfile::setDimensions with kMIN, kOPT, kMAX).
typedef struct tfc_profile_shape {
	int32_t profile;
	const char* input;
	tfc_dims min, opt, max;
} tfc_profile_shape;

// Build options; see BuildOptions in options.go.
typedef struct tfc_build_options {
	int64_t workspace_bytes;     // > 0: kWORKSPACE pool limit
	int32_t optimization_level;  // >= 0: setBuilderOptimizationLevel
	int32_t nb_compute_capabilities;
	const int32_t* compute_capabilities; // nvinfer1::ComputeCapability values (TensorRT-RTX)
	int32_t fp16, bf16;          // builder flags (TensorRT 10)
	int32_t tf32;                // keep BuilderFlag::kTF32 (on by default in TensorRT); 0 clears it: strict FP32
	const void* timing_cache;    // serialized timing cache (TensorRT)
	int64_t timing_cache_size;   // -1: no timing cache; 0: a new one
	uintptr_t progress_handle;   // != 0: IProgressMonitor calling tfcGoProgress
	int32_t nb_profile_shapes;   // optimization profiles of a network with dynamic inputs
	const tfc_profile_shape* profile_shapes;
} tfc_build_options;

// A malloc'ed buffer; free data with free().
typedef struct tfc_buffer {
	void* data;
	int64_t size;
} tfc_buffer;

// Builds the serialized engine. Returns 0 and sets plan (and timing_cache
// when the target updates one), or nonzero with the error in the logger.
int32_t tfc_build(tfc_builder*, tfc_network*, const tfc_build_options*, tfc_buffer* plan, tfc_buffer* timing_cache);

// Network definition.
tfc_tensor* tfc_add_input(tfc_network*, const char* name, int32_t type, tfc_dims dims);
int32_t tfc_mark_output(tfc_network*, tfc_tensor*);

// Control flow: nvinfer1::ILoop and nvinfer1::IIfConditional and their
// boundary layers. tfc_recurrence_set_next is IRecurrenceLayer::setInput(1,
// next) (nonzero on failure).
typedef struct tfc_loop tfc_loop; // nvinfer1::ILoop
typedef struct tfc_cond tfc_cond; // nvinfer1::IIfConditional
tfc_loop* tfc_add_loop(tfc_network*, const char* name);
tfc_layer* tfc_loop_add_recurrence(tfc_network*, tfc_loop*, tfc_tensor* initial);
int32_t tfc_recurrence_set_next(tfc_network*, tfc_layer* rec, tfc_tensor* next);
tfc_layer* tfc_loop_add_trip_limit(tfc_network*, tfc_loop*, tfc_tensor* t, int32_t kind);
tfc_layer* tfc_loop_add_output(tfc_network*, tfc_loop*, tfc_tensor* t, int32_t kind, int32_t axis);
tfc_cond* tfc_add_if_conditional(tfc_network*, const char* name);
tfc_layer* tfc_cond_set_condition(tfc_network*, tfc_cond*, tfc_tensor* cond);
tfc_layer* tfc_cond_add_input(tfc_network*, tfc_cond*, tfc_tensor* t);
tfc_layer* tfc_cond_add_output(tfc_network*, tfc_cond*, tfc_tensor* then_, tfc_tensor* else_);

// ITensor and ILayer. Strings returned are owned by TensorRT and valid
// until the next change to the object.
const char* tfc_tensor_name(tfc_tensor*);
void tfc_tensor_set_name(tfc_tensor*, const char*);
int32_t tfc_tensor_type(tfc_tensor*);
tfc_dims tfc_tensor_dims(tfc_tensor*);
const char* tfc_layer_name(tfc_layer*);
void tfc_layer_set_name(tfc_layer*, const char*);
int32_t tfc_layer_nb_outputs(tfc_layer*);
tfc_tensor* tfc_layer_output(tfc_layer*, int32_t i);
// Runs TensorRT's shape inference on the layer's outputs (getDimensions),
// which is where TensorRT checks most layer parameters; errors go to the
// logger. Returns 0 if every output has valid dimensions.
int32_t tfc_layer_check(tfc_network*, tfc_layer*);

// Runtime and engine.
tfc_runtime* tfc_runtime_new(tfc_logger*);
void tfc_runtime_free(tfc_runtime*);
tfc_engine* tfc_engine_deserialize(tfc_runtime*, const void* plan, int64_t size);
void tfc_engine_free(tfc_engine*);
int32_t tfc_engine_nb_io(tfc_engine*);
const char* tfc_engine_io_name(tfc_engine*, int32_t i);
int32_t tfc_engine_io_is_input(tfc_engine*, const char* name);
int32_t tfc_engine_io_type(tfc_engine*, const char* name);
tfc_dims tfc_engine_io_dims(tfc_engine*, const char* name);
// Optimization profiles of an engine with dynamic inputs:
// getNbOptimizationProfiles, and getProfileShape of an input in profile k
// with selector 0 (kMIN), 1 (kOPT) or 2 (kMAX).
int32_t tfc_engine_nb_profiles(tfc_engine*);
tfc_dims tfc_engine_profile_dims(tfc_engine*, const char* name, int32_t k, int32_t selector);

// CUDA. tfc_cuda_device_count returns the number of devices, or a negative
// cudaError_t; tfc_cuda_error_string names one.
int32_t tfc_cuda_device_count(void);
const char* tfc_cuda_error_string(int32_t err);

#ifdef __cplusplus
}
#endif

#endif
