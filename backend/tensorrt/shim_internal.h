// shim_internal.h: what exec.cc needs of shim.cc's engine handle (C++ only).
#ifndef TFC_TRT_SHIM_INTERNAL_H
#define TFC_TRT_SHIM_INTERNAL_H

#include <NvInfer.h>

#include "shim.h"

// The engine's logger and its ICudaEngine.
tfc_logger* tfc_engine_logger(tfc_engine*);
nvinfer1::ICudaEngine* tfc_engine_cuda(tfc_engine*);

#endif
