//go:build (tensorrt && !tensorrt_rtx) || (tensorrt_rtx && !tensorrt)

// shim.cc: tfc's C interface to TensorRT's C++ API (see shim.h). Every
// entry point catches all C++ exceptions and reports them through the
// logger; none escapes into Go.

#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <NvInfer.h>
#include <NvInferRuntime.h>
#include <cuda_runtime_api.h>

#include "shim.h"
#include "shim_internal.h"
#include "target.h"

using namespace nvinfer1;

// Implemented in Go (callbacks.go).
extern "C" void tfcGoLog(uintptr_t handle, int32_t severity, char* msg);
extern "C" int32_t tfcGoProgress(uintptr_t handle, int32_t kind, char* phase, char* parent, int32_t n);

struct tfc_logger : public ILogger {
	uintptr_t handle;
	int32_t max_severity;
	std::mutex mu;
	int32_t nerrors = 0;
	std::vector<std::string> errors; // the first kMaxErrors messages
	std::string last_error;
	static constexpr size_t kMaxErrors = 256;

	tfc_logger(uintptr_t h, int32_t max) : handle(h), max_severity(max) {}

	void log(Severity severity, char const* msg) noexcept override {
		int32_t sev = static_cast<int32_t>(severity);
		if (sev <= static_cast<int32_t>(Severity::kERROR)) {
			std::lock_guard<std::mutex> lock(mu);
			record(msg ? msg : "");
		}
		if (handle != 0 && sev <= max_severity) {
			tfcGoLog(handle, sev, const_cast<char*>(msg ? msg : ""));
		}
	}

	void error(char const* msg) noexcept {
		std::lock_guard<std::mutex> lock(mu);
		record(msg);
	}

	// record keeps an error message; mu is held.
	void record(char const* msg) noexcept {
		nerrors++;
		try {
			last_error = msg;
			if (errors.size() < kMaxErrors) {
				errors.emplace_back(msg);
			}
		} catch (...) {
		}
	}
};

struct tfc_builder {
	tfc_logger* lg;
	std::unique_ptr<IBuilder> b;
};

struct tfc_network {
	tfc_logger* lg;
	std::unique_ptr<INetworkDefinition> n;
	std::deque<std::vector<unsigned char>> weights; // copies given to TensorRT; live as long as the network
};

struct tfc_runtime {
	tfc_logger* lg;
	std::unique_ptr<IRuntime> r;
};

struct tfc_engine {
	tfc_logger* lg;
	std::unique_ptr<ICudaEngine> e;
};

namespace {

void setError(tfc_logger* lg, char const* where, char const* what) {
	if (!lg) {
		return;
	}
	try {
		std::string m = std::string(where) + ": " + what;
		lg->error(m.c_str());
	} catch (...) {
		lg->error("out of memory");
	}
}

#define TFC_TRY try {
#define TFC_CATCH(lg, ret)                                 \
	}                                                      \
	catch (std::exception const& tfc_ex) {                 \
		setError(lg, __func__, tfc_ex.what());             \
		return ret;                                        \
	}                                                      \
	catch (...) {                                          \
		setError(lg, __func__, "unknown C++ exception");   \
		return ret;                                        \
	}

Dims toDims(tfc_dims const& d) {
	Dims r{};
	r.nbDims = d.nb < 0 ? 0 : (d.nb > Dims::MAX_DIMS ? Dims::MAX_DIMS : d.nb);
	for (int32_t i = 0; i < r.nbDims; i++) {
		r.d[i] = d.d[i];
	}
	return r;
}

tfc_dims fromDims(Dims const& d) {
	tfc_dims r{};
	r.nb = d.nbDims;
	for (int32_t i = 0; i < d.nbDims && i < 8; i++) {
		r.d[i] = d.d[i];
	}
	return r;
}

Permutation toPerm(tfc_perm const& p) {
	Permutation r{};
	for (int32_t i = 0; i < Dims::MAX_DIMS; i++) {
		r.order[i] = i < p.nb ? p.order[i] : i;
	}
	return r;
}

// Copies w into storage owned by the network.
Weights keep(tfc_network* net, tfc_weights const& w) {
	Weights r{static_cast<DataType>(w.type), nullptr, w.count};
	if (w.count == 0 || w.values == nullptr) {
		r.count = 0;
		return r;
	}
	size_t bytes = 0;
	switch (r.type) {
	case DataType::kFLOAT:
	case DataType::kINT32:
		bytes = 4;
		break;
	case DataType::kHALF:
	case DataType::kBF16:
		bytes = 2;
		break;
	case DataType::kINT64:
		bytes = 8;
		break;
	default:
		bytes = 1;
	}
	bytes *= static_cast<size_t>(w.count);
	net->weights.emplace_back(static_cast<unsigned char const*>(w.values),
		static_cast<unsigned char const*>(w.values) + bytes);
	r.values = net->weights.back().data();
	return r;
}

ITensor* T(tfc_tensor* t) { return reinterpret_cast<ITensor*>(t); }
tfc_layer* L(ILayer* l) { return reinterpret_cast<tfc_layer*>(l); }

// A null tensor argument is a caller bug; report it rather than crash.
bool need(tfc_network* net, char const* where, std::initializer_list<tfc_tensor*> ts) {
	for (auto t : ts) {
		if (!t) {
			setError(net->lg, where, "null tensor argument");
			return false;
		}
	}
	return true;
}

class ProgressMonitor : public IProgressMonitor {
public:
	explicit ProgressMonitor(uintptr_t h) : mHandle(h) {}
	void phaseStart(char const* phase, char const* parent, int32_t nbSteps) noexcept override {
		tfcGoProgress(mHandle, 0, const_cast<char*>(phase ? phase : ""), const_cast<char*>(parent ? parent : ""),
			nbSteps);
	}
	bool stepComplete(char const* phase, int32_t step) noexcept override {
		return tfcGoProgress(mHandle, 1, const_cast<char*>(phase ? phase : ""), const_cast<char*>(""), step) != 0;
	}
	void phaseFinish(char const* phase) noexcept override {
		tfcGoProgress(mHandle, 2, const_cast<char*>(phase ? phase : ""), const_cast<char*>(""), 0);
	}

private:
	uintptr_t mHandle;
};

char* dupString(std::string const& s) {
	char* r = static_cast<char*>(std::malloc(s.size() + 1));
	if (r) {
		std::memcpy(r, s.c_str(), s.size() + 1);
	}
	return r;
}

} // namespace

extern "C" {

const char* tfc_target_name(void) { return tfc::targetName(); }
int32_t tfc_header_version(void) { return NV_TENSORRT_VERSION; }
int32_t tfc_library_version(void) { return getInferLibVersion(); }

// ---- logger

tfc_logger* tfc_logger_new(uintptr_t handle, int32_t max_severity) {
	try {
		return new tfc_logger(handle, max_severity);
	} catch (...) {
		return nullptr;
	}
}

void tfc_logger_free(tfc_logger* lg) { delete lg; }

int32_t tfc_logger_error_count(tfc_logger* lg) {
	std::lock_guard<std::mutex> lock(lg->mu);
	return lg->nerrors;
}

char* tfc_logger_error(tfc_logger* lg, int32_t i) {
	std::lock_guard<std::mutex> lock(lg->mu);
	if (lg->nerrors == 0 || i < 0) {
		return nullptr;
	}
	try {
		if (static_cast<size_t>(i) < lg->errors.size()) {
			return dupString(lg->errors[static_cast<size_t>(i)]);
		}
		return dupString(lg->last_error);
	} catch (...) {
		return nullptr;
	}
}

void tfc_logger_set_error(tfc_logger* lg, const char* msg) { lg->error(msg); }

// ---- builder and network

tfc_builder* tfc_builder_new(tfc_logger* lg) {
	TFC_TRY
	std::unique_ptr<IBuilder> b(createInferBuilder(*lg));
	if (!b) {
		setError(lg, "createInferBuilder", "returned null");
		return nullptr;
	}
	return new tfc_builder{lg, std::move(b)};
	TFC_CATCH(lg, nullptr)
}

void tfc_builder_free(tfc_builder* b) {
	try {
		delete b;
	} catch (...) {
	}
}

tfc_network* tfc_network_new(tfc_builder* b) {
	TFC_TRY
	std::unique_ptr<INetworkDefinition> n(tfc::createNetwork(*b->b));
	if (!n) {
		setError(b->lg, "createNetworkV2", "returned null");
		return nullptr;
	}
	auto* net = new tfc_network{};
	net->lg = b->lg;
	net->n = std::move(n);
	return net;
	TFC_CATCH(b->lg, nullptr)
}

void tfc_network_free(tfc_network* n) {
	try {
		delete n;
	} catch (...) {
	}
}

int32_t tfc_build(tfc_builder* b, tfc_network* net, const tfc_build_options* opts, tfc_buffer* plan,
	tfc_buffer* timing_cache) {
	TFC_TRY
	*plan = tfc_buffer{nullptr, 0};
	*timing_cache = tfc_buffer{nullptr, 0};
	std::unique_ptr<IBuilderConfig> config(b->b->createBuilderConfig());
	if (!config) {
		setError(b->lg, "createBuilderConfig", "returned null");
		return 1;
	}
	if (opts->workspace_bytes > 0) {
		config->setMemoryPoolLimit(MemoryPoolType::kWORKSPACE, static_cast<size_t>(opts->workspace_bytes));
	}
	if (opts->optimization_level >= 0) {
		config->setBuilderOptimizationLevel(opts->optimization_level);
	}
	// Optimization profiles (dynamic inputs): the builder owns them.
	std::vector<IOptimizationProfile*> profiles;
	for (int32_t i = 0; i < opts->nb_profile_shapes; i++) {
		const tfc_profile_shape& s = opts->profile_shapes[i];
		while (static_cast<int32_t>(profiles.size()) <= s.profile) {
			IOptimizationProfile* p = b->b->createOptimizationProfile();
			if (!p) {
				setError(b->lg, "createOptimizationProfile", "returned null");
				return 1;
			}
			profiles.push_back(p);
		}
		IOptimizationProfile* p = profiles[s.profile];
		if (!p->setDimensions(s.input, OptProfileSelector::kMIN, toDims(s.min)) ||
			!p->setDimensions(s.input, OptProfileSelector::kOPT, toDims(s.opt)) ||
			!p->setDimensions(s.input, OptProfileSelector::kMAX, toDims(s.max))) {
			setError(b->lg, "IOptimizationProfile::setDimensions", s.input);
			return 1;
		}
	}
	for (IOptimizationProfile* p : profiles) {
		if (config->addOptimizationProfile(p) < 0) {
			setError(b->lg, "addOptimizationProfile", "the profile is invalid");
			return 1;
		}
	}
	std::unique_ptr<ProgressMonitor> monitor;
	if (opts->progress_handle != 0) {
		monitor.reset(new ProgressMonitor(opts->progress_handle));
		config->setProgressMonitor(monitor.get());
	}
	std::string err;
	std::unique_ptr<tfc::TargetBuild> target = tfc::configure(*b->b, *config, *opts, err);
	if (!target) {
		setError(b->lg, "configure", err.c_str());
		return 1;
	}
	std::unique_ptr<IHostMemory> mem(b->b->buildSerializedNetwork(*net->n, *config));
	if (!mem || mem->size() == 0) {
		int32_t n;
		{
			std::lock_guard<std::mutex> lock(b->lg->mu);
			n = b->lg->nerrors;
		}
		if (n == 0) {
			setError(b->lg, "buildSerializedNetwork", "returned no engine");
		}
		return 1;
	}
	if (!target->finish(*config, timing_cache, err)) {
		setError(b->lg, "timing cache", err.c_str());
		return 1;
	}
	plan->data = std::malloc(mem->size());
	if (!plan->data) {
		setError(b->lg, "tfc_build", "out of memory copying the plan");
		return 1;
	}
	std::memcpy(plan->data, mem->data(), mem->size());
	plan->size = static_cast<int64_t>(mem->size());
	return 0;
	TFC_CATCH(b->lg, 1)
}

tfc_tensor* tfc_add_input(tfc_network* net, const char* name, int32_t type, tfc_dims dims) {
	TFC_TRY
	return reinterpret_cast<tfc_tensor*>(net->n->addInput(name, static_cast<DataType>(type), toDims(dims)));
	TFC_CATCH(net->lg, nullptr)
}

int32_t tfc_mark_output(tfc_network* net, tfc_tensor* t) {
	TFC_TRY
	if (!need(net, "markOutput", {t})) {
		return 1;
	}
	net->n->markOutput(*T(t));
	return 0;
	TFC_CATCH(net->lg, 1)
}

// ---- layers

tfc_layer* tfc_add_convolution(tfc_network* net, tfc_tensor* in, int64_t nb_output_maps, tfc_dims kernel_size,
	tfc_weights kernel, tfc_weights bias, tfc_dims stride, tfc_dims pre, tfc_dims post, int32_t padding_mode,
	int64_t nb_groups, tfc_dims dilation, tfc_tensor* kernel_tensor) {
	TFC_TRY
	if (!need(net, "addConvolutionNd", {in})) {
		return nullptr;
	}
	IConvolutionLayer* l = net->n->addConvolutionNd(
		*T(in), nb_output_maps, toDims(kernel_size), keep(net, kernel), keep(net, bias));
	if (!l) {
		return nullptr;
	}
	if (stride.nb >= 0) l->setStrideNd(toDims(stride));
	if (pre.nb >= 0) l->setPrePadding(toDims(pre));
	if (post.nb >= 0) l->setPostPadding(toDims(post));
	l->setPaddingMode(static_cast<PaddingMode>(padding_mode));
	l->setNbGroups(nb_groups);
	if (dilation.nb >= 0) l->setDilationNd(toDims(dilation));
	if (kernel_tensor) l->setInput(1, *T(kernel_tensor)); // the kernel computed by the network
	return L(l);
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_deconvolution(tfc_network* net, tfc_tensor* in, int64_t nb_output_maps, tfc_dims kernel_size,
	tfc_weights kernel, tfc_weights bias, tfc_dims stride, tfc_dims pre, tfc_dims post, int32_t padding_mode,
	int64_t nb_groups, tfc_dims dilation, tfc_tensor* kernel_tensor) {
	TFC_TRY
	if (!need(net, "addDeconvolutionNd", {in})) {
		return nullptr;
	}
	IDeconvolutionLayer* l = net->n->addDeconvolutionNd(
		*T(in), nb_output_maps, toDims(kernel_size), keep(net, kernel), keep(net, bias));
	if (!l) {
		return nullptr;
	}
	if (stride.nb >= 0) l->setStrideNd(toDims(stride));
	if (pre.nb >= 0) l->setPrePadding(toDims(pre));
	if (post.nb >= 0) l->setPostPadding(toDims(post));
	l->setPaddingMode(static_cast<PaddingMode>(padding_mode));
	l->setNbGroups(nb_groups);
	if (dilation.nb >= 0) l->setDilationNd(toDims(dilation));
	if (kernel_tensor) l->setInput(1, *T(kernel_tensor)); // the kernel computed by the network
	return L(l);
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_activation(tfc_network* net, tfc_tensor* in, int32_t type, float alpha, float beta) {
	TFC_TRY
	if (!need(net, "addActivation", {in})) {
		return nullptr;
	}
	IActivationLayer* l = net->n->addActivation(*T(in), static_cast<ActivationType>(type));
	if (!l) {
		return nullptr;
	}
	l->setAlpha(alpha);
	l->setBeta(beta);
	return L(l);
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_pooling(tfc_network* net, tfc_tensor* in, int32_t type, tfc_dims window, tfc_dims stride,
	tfc_dims pre, tfc_dims post, int32_t padding_mode, float blend_factor, int32_t average_count_excludes_padding) {
	TFC_TRY
	if (!need(net, "addPoolingNd", {in})) {
		return nullptr;
	}
	IPoolingLayer* l = net->n->addPoolingNd(*T(in), static_cast<PoolingType>(type), toDims(window));
	if (!l) {
		return nullptr;
	}
	if (stride.nb >= 0) l->setStrideNd(toDims(stride));
	if (pre.nb >= 0) l->setPrePadding(toDims(pre));
	if (post.nb >= 0) l->setPostPadding(toDims(post));
	l->setPaddingMode(static_cast<PaddingMode>(padding_mode));
	if (static_cast<PoolingType>(type) == PoolingType::kMAX_AVERAGE_BLEND) {
		l->setBlendFactor(blend_factor);
	}
	l->setAverageCountExcludesPadding(average_count_excludes_padding != 0);
	return L(l);
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_elementwise(tfc_network* net, tfc_tensor* a, tfc_tensor* b, int32_t op) {
	TFC_TRY
	if (!need(net, "addElementWise", {a, b})) {
		return nullptr;
	}
	return L(net->n->addElementWise(*T(a), *T(b), static_cast<ElementWiseOperation>(op)));
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_unary(tfc_network* net, tfc_tensor* in, int32_t op) {
	TFC_TRY
	if (!need(net, "addUnary", {in})) {
		return nullptr;
	}
	return L(net->n->addUnary(*T(in), static_cast<UnaryOperation>(op)));
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_reduce(tfc_network* net, tfc_tensor* in, int32_t op, uint32_t axes, int32_t keep_dims) {
	TFC_TRY
	if (!need(net, "addReduce", {in})) {
		return nullptr;
	}
	return L(net->n->addReduce(*T(in), static_cast<ReduceOperation>(op), axes, keep_dims != 0));
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_softmax(tfc_network* net, tfc_tensor* in, uint32_t axes) {
	TFC_TRY
	if (!need(net, "addSoftMax", {in})) {
		return nullptr;
	}
	ISoftMaxLayer* l = net->n->addSoftMax(*T(in));
	if (!l) {
		return nullptr;
	}
	l->setAxes(axes);
	return L(l);
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_topk(tfc_network* net, tfc_tensor* in, int32_t op, int32_t k, uint32_t axes, int32_t indices_type) {
	TFC_TRY
	if (!need(net, "addTopK", {in})) {
		return nullptr;
	}
	return L(net->n->addTopK(*T(in), static_cast<TopKOperation>(op), k, axes, static_cast<DataType>(indices_type)));
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_shuffle(tfc_network* net, tfc_tensor* in, tfc_perm first, tfc_dims reshape, tfc_perm second,
	int32_t zero_is_placeholder, tfc_tensor* reshape_tensor) {
	TFC_TRY
	if (!need(net, "addShuffle", {in})) {
		return nullptr;
	}
	IShuffleLayer* l = net->n->addShuffle(*T(in));
	if (!l) {
		return nullptr;
	}
	l->setZeroIsPlaceholder(zero_is_placeholder != 0);
	if (first.nb >= 0) l->setFirstTranspose(toPerm(first));
	if (reshape.nb >= 0) l->setReshapeDimensions(toDims(reshape));
	if (reshape_tensor) l->setInput(1, *T(reshape_tensor)); // the reshape dimensions as a shape tensor
	if (second.nb >= 0) l->setSecondTranspose(toPerm(second));
	return L(l);
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_slice(tfc_network* net, tfc_tensor* in, tfc_dims start, tfc_dims size, tfc_dims stride,
	int32_t mode, tfc_tensor* fill, tfc_tensor* size_tensor) {
	TFC_TRY
	if (!need(net, "addSlice", {in})) {
		return nullptr;
	}
	ISliceLayer* l = net->n->addSlice(*T(in), toDims(start), toDims(size), toDims(stride));
	if (!l) {
		return nullptr;
	}
	l->setMode(static_cast<SampleMode>(mode));
	if (fill) {
		l->setInput(4, *T(fill));
	}
	if (size_tensor) {
		l->setInput(2, *T(size_tensor)); // the size as a shape tensor
	}
	return L(l);
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_concatenation(tfc_network* net, tfc_tensor* const* inputs, int32_t n, int32_t axis) {
	TFC_TRY
	std::vector<ITensor*> ts(static_cast<size_t>(n));
	for (int32_t i = 0; i < n; i++) {
		if (!need(net, "addConcatenation", {inputs[i]})) {
			return nullptr;
		}
		ts[i] = T(inputs[i]);
	}
	IConcatenationLayer* l = net->n->addConcatenation(ts.data(), n);
	if (!l) {
		return nullptr;
	}
	l->setAxis(axis);
	return L(l);
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_gather(tfc_network* net, tfc_tensor* data, tfc_tensor* indices, int32_t axis,
	int32_t nb_elementwise_dims, int32_t mode) {
	TFC_TRY
	if (!need(net, "addGatherV2", {data, indices})) {
		return nullptr;
	}
	IGatherLayer* l = net->n->addGatherV2(*T(data), *T(indices), static_cast<GatherMode>(mode));
	if (!l) {
		return nullptr;
	}
	// Only change what differs from addGatherV2's defaults: some modes
	// reject setters they do not use.
	if (l->getGatherAxis() != axis) l->setGatherAxis(axis);
	if (l->getNbElementWiseDims() != nb_elementwise_dims) l->setNbElementWiseDims(nb_elementwise_dims);
	return L(l);
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_matrix_multiply(tfc_network* net, tfc_tensor* a, int32_t op_a, tfc_tensor* b, int32_t op_b) {
	TFC_TRY
	if (!need(net, "addMatrixMultiply", {a, b})) {
		return nullptr;
	}
	return L(net->n->addMatrixMultiply(
		*T(a), static_cast<MatrixOperation>(op_a), *T(b), static_cast<MatrixOperation>(op_b)));
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_einsum(tfc_network* net, tfc_tensor* const* inputs, int32_t n, const char* equation) {
	TFC_TRY
	std::vector<ITensor*> ts(static_cast<size_t>(n));
	for (int32_t i = 0; i < n; i++) {
		if (!need(net, "addEinsum", {inputs[i]})) {
			return nullptr;
		}
		ts[i] = T(inputs[i]);
	}
	return L(net->n->addEinsum(ts.data(), n, equation));
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_resize(tfc_network* net, tfc_tensor* in, tfc_dims output_dims, int32_t mode, int32_t coord,
	int32_t selector, int32_t nearest_rounding, float cubic_coeff, int32_t exclude_outside, tfc_tensor* output_tensor) {
	TFC_TRY
	if (!need(net, "addResize", {in})) {
		return nullptr;
	}
	IResizeLayer* l = net->n->addResize(*T(in));
	if (!l) {
		return nullptr;
	}
	if (output_tensor) {
		l->setInput(1, *T(output_tensor)); // the output dimensions as a shape tensor
	} else {
		l->setOutputDimensions(toDims(output_dims));
	}
	l->setResizeMode(static_cast<InterpolationMode>(mode));
	l->setCoordinateTransformation(static_cast<ResizeCoordinateTransformation>(coord));
	l->setSelectorForSinglePixel(static_cast<ResizeSelector>(selector));
	l->setNearestRounding(static_cast<ResizeRoundMode>(nearest_rounding));
	if (static_cast<InterpolationMode>(mode) == InterpolationMode::kCUBIC) {
		l->setCubicCoeff(cubic_coeff);
	}
	l->setExcludeOutside(exclude_outside != 0);
	return L(l);
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_constant(tfc_network* net, tfc_dims dims, tfc_weights w) {
	TFC_TRY
	return L(net->n->addConstant(toDims(dims), keep(net, w)));
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_identity(tfc_network* net, tfc_tensor* in) {
	TFC_TRY
	if (!need(net, "addIdentity", {in})) {
		return nullptr;
	}
	return L(net->n->addIdentity(*T(in)));
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_cast(tfc_network* net, tfc_tensor* in, int32_t to) {
	TFC_TRY
	if (!need(net, "addCast", {in})) {
		return nullptr;
	}
	return L(net->n->addCast(*T(in), static_cast<DataType>(to)));
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_quantize(tfc_network* net, tfc_tensor* in, tfc_tensor* scale, int32_t axis, int32_t to) {
	TFC_TRY
	if (!need(net, "addQuantize", {in, scale})) {
		return nullptr;
	}
	IQuantizeLayer* l = net->n->addQuantize(*T(in), *T(scale), static_cast<DataType>(to));
	if (!l) {
		return nullptr;
	}
	l->setAxis(axis);
	return L(l);
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_dequantize(tfc_network* net, tfc_tensor* in, tfc_tensor* scale, int32_t axis, int32_t to) {
	TFC_TRY
	if (!need(net, "addDequantize", {in, scale})) {
		return nullptr;
	}
	IDequantizeLayer* l = net->n->addDequantize(*T(in), *T(scale), static_cast<DataType>(to));
	if (!l) {
		return nullptr;
	}
	l->setAxis(axis);
	return L(l);
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_parametric_relu(tfc_network* net, tfc_tensor* input, tfc_tensor* slope) {
	TFC_TRY
	if (!need(net, "addParametricReLU", {input, slope})) {
		return nullptr;
	}
	return L(net->n->addParametricReLU(*T(input), *T(slope)));
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_select(tfc_network* net, tfc_tensor* cond, tfc_tensor* then_, tfc_tensor* else_) {
	TFC_TRY
	if (!need(net, "addSelect", {cond, then_, else_})) {
		return nullptr;
	}
	return L(net->n->addSelect(*T(cond), *T(then_), *T(else_)));
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_scale(tfc_network* net, tfc_tensor* in, int32_t mode, tfc_weights shift, tfc_weights scale,
	tfc_weights power, int32_t channel_axis) {
	TFC_TRY
	if (!need(net, "addScaleNd", {in})) {
		return nullptr;
	}
	return L(net->n->addScaleNd(*T(in), static_cast<ScaleMode>(mode), keep(net, shift), keep(net, scale),
		keep(net, power), channel_axis));
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_normalization(tfc_network* net, tfc_tensor* in, tfc_tensor* scale, tfc_tensor* bias,
	float epsilon, uint32_t axes, int64_t nb_groups) {
	TFC_TRY
	if (!need(net, "addNormalizationV2", {in, scale, bias})) {
		return nullptr;
	}
	INormalizationLayer* l = net->n->addNormalizationV2(*T(in), *T(scale), *T(bias), axes);
	if (!l) {
		return nullptr;
	}
	l->setEpsilon(epsilon);
	l->setNbGroups(nb_groups);
	return L(l);
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_padding(tfc_network* net, tfc_tensor* in, tfc_dims pre, tfc_dims post) {
	TFC_TRY
	if (!need(net, "addPaddingNd", {in})) {
		return nullptr;
	}
	return L(net->n->addPaddingNd(*T(in), toDims(pre), toDims(post)));
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_fill(tfc_network* net, tfc_dims dims, int32_t op, int32_t to_type, double alpha, double beta,
	tfc_tensor* dims_tensor) {
	TFC_TRY
	IFillLayer* l = net->n->addFill(toDims(dims), static_cast<FillOperation>(op), static_cast<DataType>(to_type));
	if (!l) {
		return nullptr;
	}
	l->setAlpha(alpha);
	l->setBeta(beta);
	if (dims_tensor) l->setInput(0, *T(dims_tensor)); // the dimensions as a shape tensor
	return L(l);
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_shape(tfc_network* net, tfc_tensor* in) {
	TFC_TRY
	if (!need(net, "addShape", {in})) {
		return nullptr;
	}
	return L(net->n->addShape(*T(in)));
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_add_scatter(tfc_network* net, tfc_tensor* data, tfc_tensor* indices, tfc_tensor* updates,
	int32_t mode, int32_t axis) {
	TFC_TRY
	if (!need(net, "addScatter", {data, indices, updates})) {
		return nullptr;
	}
	IScatterLayer* l = net->n->addScatter(*T(data), *T(indices), *T(updates), static_cast<ScatterMode>(mode));
	if (!l) {
		return nullptr;
	}
	if (static_cast<ScatterMode>(mode) == ScatterMode::kELEMENT && l->getAxis() != axis) {
		l->setAxis(axis);
	}
	return L(l);
	TFC_CATCH(net->lg, nullptr)
}

// tfc_add_cumulative adds the axis as the build-time constant 0-D kINT32
// shape tensor addCumulative wants, then the layer.
tfc_layer* tfc_add_cumulative(tfc_network* net, tfc_tensor* in, int32_t axis, int32_t op, int32_t exclusive,
	int32_t reverse) {
	TFC_TRY
	if (!need(net, "addCumulative", {in})) {
		return nullptr;
	}
	tfc_weights w{static_cast<int32_t>(DataType::kINT32), &axis, 1};
	IConstantLayer* c = net->n->addConstant(Dims{0, {}}, keep(net, w));
	if (!c) {
		return nullptr;
	}
	return L(net->n->addCumulative(*T(in), *c->getOutput(0), static_cast<CumulativeOperation>(op), exclusive != 0,
		reverse != 0));
	TFC_CATCH(net->lg, nullptr)
}

// ---- control flow

ILoop* LP(tfc_loop* l) { return reinterpret_cast<ILoop*>(l); }
IIfConditional* CP(tfc_cond* c) { return reinterpret_cast<IIfConditional*>(c); }

tfc_loop* tfc_add_loop(tfc_network* net, const char* name) {
	TFC_TRY
	ILoop* l = net->n->addLoop();
	if (l && name && name[0]) {
		l->setName(name);
	}
	return reinterpret_cast<tfc_loop*>(l);
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_loop_add_recurrence(tfc_network* net, tfc_loop* loop, tfc_tensor* initial) {
	TFC_TRY
	if (!loop || !need(net, "addRecurrence", {initial})) {
		return nullptr;
	}
	return L(LP(loop)->addRecurrence(*T(initial)));
	TFC_CATCH(net->lg, nullptr)
}

int32_t tfc_recurrence_set_next(tfc_network* net, tfc_layer* rec, tfc_tensor* next) {
	TFC_TRY
	if (!rec || !need(net, "IRecurrenceLayer::setInput", {next})) {
		return 1;
	}
	reinterpret_cast<IRecurrenceLayer*>(reinterpret_cast<ILayer*>(rec))->setInput(1, *T(next));
	return 0;
	TFC_CATCH(net->lg, 1)
}

tfc_layer* tfc_loop_add_trip_limit(tfc_network* net, tfc_loop* loop, tfc_tensor* t, int32_t kind) {
	TFC_TRY
	if (!loop || !need(net, "addTripLimit", {t})) {
		return nullptr;
	}
	return L(LP(loop)->addTripLimit(*T(t), static_cast<TripLimit>(kind)));
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_loop_add_output(tfc_network* net, tfc_loop* loop, tfc_tensor* t, int32_t kind, int32_t axis) {
	TFC_TRY
	if (!loop || !need(net, "addLoopOutput", {t})) {
		return nullptr;
	}
	return L(LP(loop)->addLoopOutput(*T(t), static_cast<LoopOutput>(kind), axis));
	TFC_CATCH(net->lg, nullptr)
}

tfc_cond* tfc_add_if_conditional(tfc_network* net, const char* name) {
	TFC_TRY
	IIfConditional* c = net->n->addIfConditional();
	if (c && name && name[0]) {
		c->setName(name);
	}
	return reinterpret_cast<tfc_cond*>(c);
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_cond_set_condition(tfc_network* net, tfc_cond* c, tfc_tensor* cond) {
	TFC_TRY
	if (!c || !need(net, "setCondition", {cond})) {
		return nullptr;
	}
	return L(CP(c)->setCondition(*T(cond)));
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_cond_add_input(tfc_network* net, tfc_cond* c, tfc_tensor* t) {
	TFC_TRY
	if (!c || !need(net, "IIfConditional::addInput", {t})) {
		return nullptr;
	}
	return L(CP(c)->addInput(*T(t)));
	TFC_CATCH(net->lg, nullptr)
}

tfc_layer* tfc_cond_add_output(tfc_network* net, tfc_cond* c, tfc_tensor* then_, tfc_tensor* else_) {
	TFC_TRY
	if (!c || !need(net, "IIfConditional::addOutput", {then_, else_})) {
		return nullptr;
	}
	return L(CP(c)->addOutput(*T(then_), *T(else_)));
	TFC_CATCH(net->lg, nullptr)
}

// tfc_add_nms adds addNMS (the form with the indices type, TensorRT 10.14
// and TensorRT-RTX) and its setters; iou and score may be null (absent).
tfc_layer* tfc_add_nms(tfc_network* net, tfc_tensor* boxes, tfc_tensor* scores, tfc_tensor* max_per_class, tfc_tensor* iou,
	tfc_tensor* score, int32_t format, int32_t topk, int32_t indices_type) {
	TFC_TRY
	if (!need(net, "addNMS", {boxes, scores, max_per_class})) {
		return nullptr;
	}
	INMSLayer* l = net->n->addNMS(*T(boxes), *T(scores), *T(max_per_class), static_cast<DataType>(indices_type));
	if (!l) {
		return nullptr;
	}
	l->setBoundingBoxFormat(static_cast<BoundingBoxFormat>(format));
	l->setTopKBoxLimit(topk);
	if (iou) {
		l->setInput(3, *T(iou));
	}
	if (score) {
		l->setInput(4, *T(score));
	}
	return L(l);
	TFC_CATCH(net->lg, nullptr)
}

// tfc_add_nonzero adds addNonZero (the form with the indices type, TensorRT
// 10.14 and TensorRT-RTX).
tfc_layer* tfc_add_nonzero(tfc_network* net, tfc_tensor* in, int32_t indices_type) {
	TFC_TRY
	if (!need(net, "addNonZero", {in})) {
		return nullptr;
	}
	return L(net->n->addNonZero(*T(in), static_cast<DataType>(indices_type)));
	TFC_CATCH(net->lg, nullptr)
}

// ---- tensors and layers (the getters and setters cannot fail or throw)

const char* tfc_tensor_name(tfc_tensor* t) { return T(t)->getName(); }
void tfc_tensor_set_name(tfc_tensor* t, const char* name) { T(t)->setName(name); }
int32_t tfc_tensor_type(tfc_tensor* t) { return static_cast<int32_t>(T(t)->getType()); }
tfc_dims tfc_tensor_dims(tfc_tensor* t) { return fromDims(T(t)->getDimensions()); }

const char* tfc_layer_name(tfc_layer* l) { return reinterpret_cast<ILayer*>(l)->getName(); }
void tfc_layer_set_name(tfc_layer* l, const char* name) { reinterpret_cast<ILayer*>(l)->setName(name); }
int32_t tfc_layer_nb_outputs(tfc_layer* l) { return reinterpret_cast<ILayer*>(l)->getNbOutputs(); }
tfc_tensor* tfc_layer_output(tfc_layer* l, int32_t i) {
	return reinterpret_cast<tfc_tensor*>(reinterpret_cast<ILayer*>(l)->getOutput(i));
}

int32_t tfc_layer_check(tfc_network* net, tfc_layer* l) {
	TFC_TRY
	ILayer* layer = reinterpret_cast<ILayer*>(l);
	int32_t bad = 0;
	for (int32_t i = 0; i < layer->getNbOutputs(); i++) {
		ITensor* t = layer->getOutput(i);
		if (!t || t->getDimensions().nbDims < 0) {
			bad = 1;
		}
	}
	return bad;
	TFC_CATCH(net->lg, 1)
}

// ---- runtime and engine

tfc_runtime* tfc_runtime_new(tfc_logger* lg) {
	TFC_TRY
	std::unique_ptr<IRuntime> r(createInferRuntime(*lg));
	if (!r) {
		setError(lg, "createInferRuntime", "returned null");
		return nullptr;
	}
	return new tfc_runtime{lg, std::move(r)};
	TFC_CATCH(lg, nullptr)
}

void tfc_runtime_free(tfc_runtime* r) {
	try {
		delete r;
	} catch (...) {
	}
}

tfc_engine* tfc_engine_deserialize(tfc_runtime* r, const void* plan, int64_t size) {
	TFC_TRY
	std::unique_ptr<ICudaEngine> e(r->r->deserializeCudaEngine(plan, static_cast<size_t>(size)));
	if (!e) {
		return nullptr;
	}
	return new tfc_engine{r->lg, std::move(e)};
	TFC_CATCH(r->lg, nullptr)
}

} // extern "C"

tfc_logger* tfc_engine_logger(tfc_engine* e) { return e->lg; }
ICudaEngine* tfc_engine_cuda(tfc_engine* e) { return e->e.get(); }

extern "C" {

void tfc_engine_free(tfc_engine* e) {
	try {
		delete e;
	} catch (...) {
	}
}

int32_t tfc_engine_nb_io(tfc_engine* e) { return e->e->getNbIOTensors(); }
const char* tfc_engine_io_name(tfc_engine* e, int32_t i) { return e->e->getIOTensorName(i); }
int32_t tfc_engine_io_is_input(tfc_engine* e, const char* name) {
	return e->e->getTensorIOMode(name) == TensorIOMode::kINPUT;
}
int32_t tfc_engine_io_type(tfc_engine* e, const char* name) {
	return static_cast<int32_t>(e->e->getTensorDataType(name));
}
tfc_dims tfc_engine_io_dims(tfc_engine* e, const char* name) { return fromDims(e->e->getTensorShape(name)); }
int32_t tfc_engine_nb_profiles(tfc_engine* e) { return e->e->getNbOptimizationProfiles(); }
tfc_dims tfc_engine_profile_dims(tfc_engine* e, const char* name, int32_t k, int32_t selector) {
	OptProfileSelector sel = selector == 0 ? OptProfileSelector::kMIN
		: selector == 1 ? OptProfileSelector::kOPT : OptProfileSelector::kMAX;
	return fromDims(e->e->getProfileShape(name, k, sel));
}

// ---- CUDA

int32_t tfc_cuda_device_count(void) {
	int n = 0;
	cudaError_t err = cudaGetDeviceCount(&n);
	if (err != cudaSuccess) {
		return -static_cast<int32_t>(err);
	}
	return n;
}

const char* tfc_cuda_error_string(int32_t err) { return cudaGetErrorString(static_cast<cudaError_t>(err)); }

} // extern "C"
