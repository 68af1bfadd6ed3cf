// target.h: what differs between TensorRT-RTX (rtx.cc) and TensorRT
// 10/11 (trt.cc). shim.cc calls only these; each target file defines them.
#ifndef TFC_TRT_TARGET_H
#define TFC_TRT_TARGET_H

#include <memory>
#include <string>

#include <NvInfer.h>

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

} // namespace tfc

#endif
