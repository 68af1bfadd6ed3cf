//go:build tensorrt_rtx && !tensorrt

// rtx.cc: the TensorRT-RTX target. Networks are strongly typed (no
// precision flags); engines are built for explicit compute capabilities
// (setNbComputeCapabilities / setComputeCapability), which lets a machine
// without a GPU build them ahead of time. TensorRT-RTX has no timing cache.

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
	// opts.timing_cache is ignored: timing-cache calls are no-ops in TensorRT-RTX.
	return std::unique_ptr<TargetBuild>(new TargetBuild());
}

} // namespace tfc
