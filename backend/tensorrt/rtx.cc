//go:build tensorrt_rtx && !tensorrt

// rtx.cc: the TensorRT-RTX target. Networks are strongly typed (no
// precision flags); engines are built for explicit compute capabilities
// (setNbComputeCapabilities / setComputeCapability), which lets a machine
// without a GPU build them ahead of time. TensorRT-RTX has no timing cache.

#include <cstdlib>
#include <cstring>

#include "target.h"

#if NV_TENSORRT_MAJOR != 1
#error "the tensorrt_rtx build tag needs TensorRT-RTX headers (NV_TENSORRT_MAJOR 1); see scripts/trt-setup.sh"
#endif

namespace tfc {

char const* targetName() { return "TensorRT-RTX"; }

nvinfer1::INetworkDefinition* createNetwork(nvinfer1::IBuilder& builder) {
	// Every TensorRT-RTX network is strongly typed; kSTRONGLY_TYPED is deprecated.
	return builder.createNetworkV2(0);
}

std::unique_ptr<TargetBuild> configure(nvinfer1::IBuilder&, nvinfer1::IBuilderConfig& config,
	tfc_build_options const& opts, std::string& err) {
	if (opts.fp16 || opts.bf16) {
		err = "TensorRT-RTX networks are strongly typed: FP16/BF16 come from tensor types and casts, not builder flags";
		return nullptr;
	}
	if (opts.nb_compute_capabilities > 0) {
		if (!config.setNbComputeCapabilities(opts.nb_compute_capabilities)) {
			err = "setNbComputeCapabilities(" + std::to_string(opts.nb_compute_capabilities) + ") rejected";
			return nullptr;
		}
		for (int32_t i = 0; i < opts.nb_compute_capabilities; i++) {
			auto cc = static_cast<nvinfer1::ComputeCapability>(opts.compute_capabilities[i]);
			if (!config.setComputeCapability(cc, i)) {
				err = "setComputeCapability(" + std::to_string(opts.compute_capabilities[i]) + ", " +
					std::to_string(i) + ") rejected";
				return nullptr;
			}
		}
	}
	// kTF32 is on by default: FP32 convolutions and matrix products would
	// round their inputs to 10-bit mantissas. tfc's engines are strict FP32
	// unless asked.
	if (!opts.tf32) {
		config.clearFlag(nvinfer1::BuilderFlag::kTF32);
	}
	// opts.timing_cache is ignored: timing-cache calls are no-ops in TensorRT-RTX.
	return std::unique_ptr<TargetBuild>(new TargetBuild());
}

namespace {

// rtxRuntime shares one IRuntimeConfig, and the IRuntimeCache set on it,
// among an engine's execution contexts.
struct rtxRuntime : TargetRuntime {
	std::unique_ptr<nvinfer1::IRuntimeConfig> config;
	std::unique_ptr<nvinfer1::IRuntimeCache> cache;

	nvinfer1::IExecutionContext* createContext(nvinfer1::ICudaEngine& engine) override {
		return engine.createExecutionContext(config.get());
	}

	bool saveCache(tfc_buffer* out, std::string& err) override {
		if (!cache) {
			err = "no runtime cache was asked for";
			return false;
		}
		std::unique_ptr<nvinfer1::IHostMemory> mem(cache->serialize());
		if (!mem) {
			err = "IRuntimeCache::serialize returned null";
			return false;
		}
		out->data = std::malloc(mem->size() > 0 ? mem->size() : 1);
		if (!out->data) {
			err = "out of memory";
			return false;
		}
		std::memcpy(out->data, mem->data(), mem->size());
		out->size = static_cast<int64_t>(mem->size());
		return true;
	}
};

} // namespace

std::unique_ptr<TargetRuntime> newRuntime(nvinfer1::ICudaEngine& engine, tfc_exec_options const& opts,
	bool& cacheLoaded, std::string& err) {
	cacheLoaded = false;
	std::unique_ptr<rtxRuntime> rt(new rtxRuntime());
	rt->config.reset(engine.createRuntimeConfig());
	if (!rt->config) {
		err = "createRuntimeConfig returned null";
		return nullptr;
	}
	if (opts.cuda_graph && !rt->config->setCudaGraphStrategy(nvinfer1::CudaGraphStrategy::kWHOLE_GRAPH_CAPTURE)) {
		err = "setCudaGraphStrategy(kWHOLE_GRAPH_CAPTURE) rejected";
		return nullptr;
	}
	if (opts.runtime_cache_size >= 0) {
		rt->cache.reset(rt->config->createRuntimeCache());
		if (!rt->cache) {
			err = "createRuntimeCache returned null";
			return nullptr;
		}
		if (opts.runtime_cache_size > 0) {
			cacheLoaded = rt->cache->deserialize(opts.runtime_cache, static_cast<size_t>(opts.runtime_cache_size));
		}
		if (!rt->config->setRuntimeCache(*rt->cache)) {
			err = "setRuntimeCache rejected the cache";
			return nullptr;
		}
	}
	return std::unique_ptr<TargetRuntime>(rt.release());
}

} // namespace tfc
