// target.h: what differs between TensorRT-RTX (rtx.cc) and TensorRT
// 10/11 (trt.cc). shim.cc calls only these; each target file defines them.
#ifndef TFC_TRT_TARGET_H
#define TFC_TRT_TARGET_H

#include <memory>
#include <string>

#include <NvInfer.h>

#include "exec.h"
#include "shim.h"

namespace tfc {

// State a target keeps across one build (e.g. TensorRT's timing cache).
struct TargetBuild {
	virtual ~TargetBuild() = default;
	// After a successful build: the target may return an updated timing cache.
	virtual bool finish(nvinfer1::IBuilderConfig& config, tfc_buffer* timing_cache, std::string& err) { return true; }
};

char const* targetName();

// createNetworkV2 with the target's flags (strongly typed where it matters).
nvinfer1::INetworkDefinition* createNetwork(nvinfer1::IBuilder& builder);

// Applies the target's options (compute capabilities; precision flags;
// timing cache). Returns nullptr and sets err on a rejected option.
std::unique_ptr<TargetBuild> configure(nvinfer1::IBuilder& builder, nvinfer1::IBuilderConfig& config,
	tfc_build_options const& opts, std::string& err);

// What a target keeps for the execution contexts of one engine
// (TensorRT-RTX: its IRuntimeConfig and IRuntimeCache).
struct TargetRuntime {
	virtual ~TargetRuntime() = default;
	virtual nvinfer1::IExecutionContext* createContext(nvinfer1::ICudaEngine& engine) = 0;
	// Serializes the runtime cache into a malloc'ed buffer; false and err when there is none.
	virtual bool saveCache(tfc_buffer* out, std::string& err) = 0;
};

// Applies the execution options (runtime cache, CUDA graphs). cacheLoaded
// says whether a given runtime cache was accepted. Returns nullptr and sets
// err on a rejected option.
std::unique_ptr<TargetRuntime> newRuntime(nvinfer1::ICudaEngine& engine, tfc_exec_options const& opts,
	bool& cacheLoaded, std::string& err);

} // namespace tfc

#endif
