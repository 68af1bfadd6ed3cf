//go:build tensorrt && !tensorrt_rtx

// trt.cc: the TensorRT 10/11 target. Precision is chosen with builder
// flags (TensorRT 10: kFP16, kBF16; TensorRT 11 removed them: networks are
// strongly typed there); the builder keeps a timing cache across builds.

#include <cstdlib>
#include <cstring>

#include "target.h"

#if NV_TENSORRT_MAJOR < 10
#error "tfc needs TensorRT 10 or later"
#endif

namespace tfc {

char const* targetName() { return "TensorRT"; }

nvinfer1::INetworkDefinition* createNetwork(nvinfer1::IBuilder& builder) {
	// TensorRT 10: weakly typed, the builder flags choose precisions.
	// TensorRT 11: every network is strongly typed.
	return builder.createNetworkV2(0);
}

namespace {

struct TimingCacheBuild : TargetBuild {
	std::unique_ptr<nvinfer1::ITimingCache> cache;

	bool finish(nvinfer1::IBuilderConfig& config, tfc_buffer* out, std::string& err) override {
		if (!cache) {
			return true;
		}
		std::unique_ptr<nvinfer1::IHostMemory> mem(cache->serialize());
		if (!mem) {
			err = "ITimingCache::serialize returned null";
			return false;
		}
		out->data = std::malloc(mem->size());
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

std::unique_ptr<TargetBuild> configure(nvinfer1::IBuilder&, nvinfer1::IBuilderConfig& config,
	tfc_build_options const& opts, std::string& err) {
	if (opts.nb_compute_capabilities > 0) {
		err = "compute capabilities are a TensorRT-RTX option; TensorRT builds for the GPU it runs on";
		return nullptr;
	}
#if NV_TENSORRT_MAJOR >= 11
	if (opts.fp16 || opts.bf16) {
		err = "TensorRT 11 removed the FP16/BF16 builder flags: networks are strongly typed, precision comes from "
			  "tensor types and casts";
		return nullptr;
	}
#else
	if (opts.fp16) config.setFlag(nvinfer1::BuilderFlag::kFP16);
	if (opts.bf16) config.setFlag(nvinfer1::BuilderFlag::kBF16);
#endif
	// kTF32 is on by default (TensorRT 10 and 11): cleared unless asked, so
	// FP32 stays strict FP32.
	if (!opts.tf32) config.clearFlag(nvinfer1::BuilderFlag::kTF32);
	std::unique_ptr<TimingCacheBuild> t(new TimingCacheBuild());
	if (opts.timing_cache_size >= 0) { // -1: no timing cache
		t->cache.reset(config.createTimingCache(opts.timing_cache, static_cast<size_t>(
			opts.timing_cache_size > 0 ? opts.timing_cache_size : 0)));
		if (!t->cache) {
			err = "createTimingCache returned null";
			return nullptr;
		}
		if (!config.setTimingCache(*t->cache, false)) {
			err = "setTimingCache rejected the timing cache";
			return nullptr;
		}
	}
	return t;
}

namespace {

// trtRuntime: TensorRT has no runtime cache or CUDA-graph strategy (its
// kernels are chosen when the engine is built).
struct trtRuntime : TargetRuntime {
	nvinfer1::IExecutionContext* createContext(nvinfer1::ICudaEngine& engine) override {
		return engine.createExecutionContext();
	}
	bool saveCache(tfc_buffer*, std::string& err) override {
		err = "TensorRT has no runtime cache (a TensorRT-RTX feature)";
		return false;
	}
};

} // namespace

std::unique_ptr<TargetRuntime> newRuntime(nvinfer1::ICudaEngine&, tfc_exec_options const& opts, bool& cacheLoaded,
	std::string& err) {
	cacheLoaded = false;
	if (opts.runtime_cache_size >= 0) {
		err = "TensorRT has no runtime cache (a TensorRT-RTX feature)";
		return nullptr;
	}
	if (opts.cuda_graph) {
		err = "the CUDA-graph strategy is a TensorRT-RTX runtime option";
		return nullptr;
	}
	return std::unique_ptr<TargetRuntime>(new trtRuntime());
}

} // namespace tfc
