// shim.h: the C interface of tfc's TensorRT shim (shim.cc, rtx.cc, trt.cc).
//
// One function per INetworkDefinition call tfc makes (the add call and the
// layer's setters together), plus the logger, builder, build, runtime and
// engine. No C++ exception crosses this interface: every function catches
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

tfc_layer* tfc_add_convolution(tfc_network*, tfc_tensor* in, int64_t nb_output_maps, tfc_dims kernel_size,
	tfc_weights kernel, tfc_weights bias, tfc_dims stride, tfc_dims pre, tfc_dims post, int32_t padding_mode,
	int64_t nb_groups, tfc_dims dilation, tfc_tensor* kernel_tensor);
tfc_layer* tfc_add_deconvolution(tfc_network*, tfc_tensor* in, int64_t nb_output_maps, tfc_dims kernel_size,
	tfc_weights kernel, tfc_weights bias, tfc_dims stride, tfc_dims pre, tfc_dims post, int32_t padding_mode,
	int64_t nb_groups, tfc_dims dilation, tfc_tensor* kernel_tensor);
tfc_layer* tfc_add_activation(tfc_network*, tfc_tensor* in, int32_t type, float alpha, float beta);
tfc_layer* tfc_add_pooling(tfc_network*, tfc_tensor* in, int32_t type, tfc_dims window, tfc_dims stride,
	tfc_dims pre, tfc_dims post, int32_t padding_mode, float blend_factor, int32_t average_count_excludes_padding);
tfc_layer* tfc_add_elementwise(tfc_network*, tfc_tensor* a, tfc_tensor* b, int32_t op);
tfc_layer* tfc_add_unary(tfc_network*, tfc_tensor* in, int32_t op);
tfc_layer* tfc_add_reduce(tfc_network*, tfc_tensor* in, int32_t op, uint32_t axes, int32_t keep_dims);
tfc_layer* tfc_add_softmax(tfc_network*, tfc_tensor* in, uint32_t axes);
tfc_layer* tfc_add_topk(tfc_network*, tfc_tensor* in, int32_t op, int32_t k, uint32_t axes, int32_t indices_type);
tfc_layer* tfc_add_shuffle(tfc_network*, tfc_tensor* in, tfc_perm first, tfc_dims reshape, tfc_perm second,
	int32_t zero_is_placeholder, tfc_tensor* reshape_tensor);
tfc_layer* tfc_add_slice(tfc_network*, tfc_tensor* in, tfc_dims start, tfc_dims size, tfc_dims stride,
	int32_t mode, tfc_tensor* fill, tfc_tensor* size_tensor);
tfc_layer* tfc_add_concatenation(tfc_network*, tfc_tensor* const* inputs, int32_t n, int32_t axis);
tfc_layer* tfc_add_gather(tfc_network*, tfc_tensor* data, tfc_tensor* indices, int32_t axis,
	int32_t nb_elementwise_dims, int32_t mode);
tfc_layer* tfc_add_matrix_multiply(tfc_network*, tfc_tensor* a, int32_t op_a, tfc_tensor* b, int32_t op_b);
tfc_layer* tfc_add_einsum(tfc_network*, tfc_tensor* const* inputs, int32_t n, const char* equation);
tfc_layer* tfc_add_resize(tfc_network*, tfc_tensor* in, tfc_dims output_dims, int32_t mode, int32_t coord,
	int32_t selector, int32_t nearest_rounding, float cubic_coeff, int32_t exclude_outside, tfc_tensor* output_tensor);
tfc_layer* tfc_add_constant(tfc_network*, tfc_dims dims, tfc_weights w);
tfc_layer* tfc_add_identity(tfc_network*, tfc_tensor* in);
tfc_layer* tfc_add_cast(tfc_network*, tfc_tensor* in, int32_t to);
tfc_layer* tfc_add_quantize(tfc_network*, tfc_tensor* in, tfc_tensor* scale, int32_t axis, int32_t to);
tfc_layer* tfc_add_dequantize(tfc_network*, tfc_tensor* in, tfc_tensor* scale, int32_t axis, int32_t to);
tfc_layer* tfc_add_select(tfc_network*, tfc_tensor* cond, tfc_tensor* then_, tfc_tensor* else_);
tfc_layer* tfc_add_parametric_relu(tfc_network*, tfc_tensor* input, tfc_tensor* slope);
tfc_layer* tfc_add_scale(tfc_network*, tfc_tensor* in, int32_t mode, tfc_weights shift, tfc_weights scale,
	tfc_weights power, int32_t channel_axis);
tfc_layer* tfc_add_normalization(tfc_network*, tfc_tensor* in, tfc_tensor* scale, tfc_tensor* bias,
	float epsilon, uint32_t axes, int64_t nb_groups);
tfc_layer* tfc_add_padding(tfc_network*, tfc_tensor* in, tfc_dims pre, tfc_dims post);
tfc_layer* tfc_add_fill(tfc_network*, tfc_dims dims, int32_t op, int32_t to_type, double alpha, double beta,
	tfc_tensor* dims_tensor);
tfc_layer* tfc_add_shape(tfc_network*, tfc_tensor* in);
tfc_layer* tfc_add_scatter(tfc_network*, tfc_tensor* data, tfc_tensor* indices, tfc_tensor* updates, int32_t mode,
	int32_t axis);
tfc_layer* tfc_add_cumulative(tfc_network*, tfc_tensor* in, int32_t axis, int32_t op, int32_t exclusive, int32_t reverse);
tfc_layer* tfc_add_nonzero(tfc_network*, tfc_tensor* in, int32_t indices_type);
tfc_layer* tfc_add_nms(tfc_network*, tfc_tensor* boxes, tfc_tensor* scores, tfc_tensor* max_per_class, tfc_tensor* iou,
	tfc_tensor* score, int32_t format, int32_t topk, int32_t indices_type);

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
