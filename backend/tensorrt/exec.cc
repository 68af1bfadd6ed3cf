//go:build (tensorrt && !tensorrt_rtx) || (tensorrt_rtx && !tensorrt)

// exec.cc: execution contexts kept across runs (see exec.h). The engine's
// logger receives every error; no C++ exception escapes.

#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <NvInfer.h>
#include <NvInferRuntime.h>
#include <cuda_runtime_api.h>

#include "exec.h"
#include "shim_internal.h"
#include "target.h"

using namespace nvinfer1;

struct tfc_session {
	tfc_engine* e;
	std::unique_ptr<tfc::TargetRuntime> rt;
};

struct tfc_context {
	tfc_engine* e;
	std::unique_ptr<IExecutionContext> ctx;
	int device = 0;  // the CUDA device the context was made on
	cudaStream_t stream = nullptr;
	cudaEvent_t ev[4] = {nullptr, nullptr, nullptr, nullptr};
	std::vector<std::string> names;
	std::vector<int64_t> bytes; // copied by tfc_context_run
	std::vector<int64_t> cap;   // allocated, ≥ bytes
	std::vector<bool> input;
	std::vector<void*> dev, host;

	~tfc_context() {
		ctx.reset(); // before the buffers and the stream it uses
		for (void* p : dev) {
			if (p) cudaFree(p);
		}
		for (void* p : host) {
			if (p) cudaFreeHost(p);
		}
		for (cudaEvent_t v : ev) {
			if (v) cudaEventDestroy(v);
		}
		if (stream) cudaStreamDestroy(stream);
	}
};

namespace {

void execError(tfc_logger* lg, std::string const& where, std::string const& what) {
	try {
		tfc_logger_set_error(lg, (where + ": " + what).c_str());
	} catch (...) {
		tfc_logger_set_error(lg, "out of memory");
	}
}

bool cudaOK(tfc_logger* lg, char const* where, cudaError_t err) {
	if (err == cudaSuccess) {
		return true;
	}
	execError(lg, where, cudaGetErrorString(err));
	return false;
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

} // namespace

extern "C" {

tfc_session* tfc_session_new(tfc_engine* e, const tfc_exec_options* opts, int32_t* cache_loaded) {
	tfc_logger* lg = tfc_engine_logger(e);
	try {
		*cache_loaded = 0;
		std::string err;
		bool loaded = false;
		std::unique_ptr<tfc::TargetRuntime> rt = tfc::newRuntime(*tfc_engine_cuda(e), *opts, loaded, err);
		if (!rt) {
			execError(lg, "runtime options", err);
			return nullptr;
		}
		*cache_loaded = loaded ? 1 : 0;
		return new tfc_session{e, std::move(rt)};
	} catch (std::exception const& ex) {
		execError(lg, "tfc_session_new", ex.what());
	} catch (...) {
		execError(lg, "tfc_session_new", "unknown C++ exception");
	}
	return nullptr;
}

void tfc_session_free(tfc_session* s) {
	try {
		delete s;
	} catch (...) {
	}
}

int32_t tfc_session_runtime_cache(tfc_session* s, tfc_buffer* out) {
	tfc_logger* lg = tfc_engine_logger(s->e);
	try {
		*out = tfc_buffer{nullptr, 0};
		std::string err;
		if (!s->rt->saveCache(out, err)) {
			execError(lg, "runtime cache", err);
			return 1;
		}
		return 0;
	} catch (std::exception const& ex) {
		execError(lg, "tfc_session_runtime_cache", ex.what());
	} catch (...) {
		execError(lg, "tfc_session_runtime_cache", "unknown C++ exception");
	}
	return 1;
}

// makeCurrent binds the context's device (its primary CUDA context) to the
// calling thread. Go runs a pooled context on whichever OS thread the
// goroutine is on; the CUDA runtime binds a context to a thread only at that
// thread's first runtime call, and TensorRT-RTX's Myelin code calls the
// driver directly: on a fresh thread setOptimizationProfileAsync failed with
// "No CUDA context is current" (H100, an engine with two profiles).
static bool makeCurrent(tfc_logger* lg, tfc_context* c) {
	return cudaOK(lg, "cudaSetDevice", cudaSetDevice(c->device));
}

tfc_context* tfc_context_new(tfc_session* s, int32_t n, const char* const* names, const int64_t* bytes) {
	tfc_logger* lg = tfc_engine_logger(s->e);
	try {
		ICudaEngine* engine = tfc_engine_cuda(s->e);
		std::unique_ptr<tfc_context> c(new tfc_context());
		c->e = s->e;
		if (!cudaOK(lg, "cudaGetDevice", cudaGetDevice(&c->device))) {
			return nullptr;
		}
		if (!cudaOK(lg, "cudaStreamCreateWithFlags", cudaStreamCreateWithFlags(&c->stream, cudaStreamNonBlocking))) {
			return nullptr;
		}
		for (cudaEvent_t& v : c->ev) {
			if (!cudaOK(lg, "cudaEventCreate", cudaEventCreate(&v))) {
				return nullptr;
			}
		}
		// The execution context is where TensorRT-RTX compiles its kernels
		// (or finds them in the runtime cache).
		c->ctx.reset(s->rt->createContext(*engine));
		if (!c->ctx) {
			execError(lg, "createExecutionContext", "returned null");
			return nullptr;
		}
		c->names.resize(n);
		c->bytes.assign(bytes, bytes + n);
		c->cap.assign(n, 0);
		c->input.resize(n);
		c->dev.assign(n, nullptr);
		c->host.assign(n, nullptr);
		for (int32_t i = 0; i < n; i++) {
			c->names[i] = names[i];
			c->input[i] = engine->getTensorIOMode(names[i]) == TensorIOMode::kINPUT;
			size_t size = static_cast<size_t>(bytes[i] > 0 ? bytes[i] : 1);
			if (!cudaOK(lg, "cudaMalloc", cudaMalloc(&c->dev[i], size)) ||
				!cudaOK(lg, "cudaMallocHost", cudaMallocHost(&c->host[i], size))) {
				return nullptr;
			}
			c->cap[i] = static_cast<int64_t>(size);
			if (!c->ctx->setTensorAddress(names[i], c->dev[i])) {
				execError(lg, "setTensorAddress", names[i]);
				return nullptr;
			}
		}
		return c.release();
	} catch (std::exception const& ex) {
		execError(lg, "tfc_context_new", ex.what());
	} catch (...) {
		execError(lg, "tfc_context_new", "unknown C++ exception");
	}
	return nullptr;
}

void tfc_context_free(tfc_context* c) {
	try {
		delete c;
	} catch (...) {
	}
}

void* tfc_context_host(tfc_context* c, int32_t i) { return c->host[static_cast<size_t>(i)]; }

int32_t tfc_context_set_shapes(tfc_context* c, int32_t profile, tfc_dims* dims) {
	tfc_logger* lg = tfc_engine_logger(c->e);
	try {
		if (!makeCurrent(lg, c)) return 1;
		if (c->ctx->getOptimizationProfile() != profile &&
			!c->ctx->setOptimizationProfileAsync(profile, c->stream)) {
			execError(lg, "setOptimizationProfileAsync", "profile " + std::to_string(profile) + " rejected");
			return 1;
		}
		size_t n = c->names.size();
		for (size_t i = 0; i < n; i++) {
			if (c->input[i] && !c->ctx->setInputShape(c->names[i].c_str(), toDims(dims[i]))) {
				execError(lg, "setInputShape", c->names[i]);
				return 1;
			}
		}
		for (size_t i = 0; i < n; i++) {
			dims[i] = fromDims(c->ctx->getTensorShape(c->names[i].c_str()));
		}
		return 0;
	} catch (std::exception const& ex) {
		execError(lg, "tfc_context_set_shapes", ex.what());
	} catch (...) {
		execError(lg, "tfc_context_set_shapes", "unknown C++ exception");
	}
	return 1;
}

int32_t tfc_context_reserve(tfc_context* c, const int64_t* bytes) {
	tfc_logger* lg = tfc_engine_logger(c->e);
	try {
		if (!makeCurrent(lg, c)) return 1;
		for (size_t i = 0; i < c->names.size(); i++) {
			if (bytes[i] > c->cap[i]) {
				// The stream may still use the old buffers (an earlier profile switch).
				if (!cudaOK(lg, "cudaStreamSynchronize", cudaStreamSynchronize(c->stream))) return 1;
				cudaFree(c->dev[i]);
				cudaFreeHost(c->host[i]);
				c->dev[i] = c->host[i] = nullptr;
				c->cap[i] = 0;
				size_t size = static_cast<size_t>(bytes[i]);
				if (!cudaOK(lg, "cudaMalloc", cudaMalloc(&c->dev[i], size)) ||
					!cudaOK(lg, "cudaMallocHost", cudaMallocHost(&c->host[i], size))) {
					return 1;
				}
				c->cap[i] = bytes[i];
				if (!c->ctx->setTensorAddress(c->names[i].c_str(), c->dev[i])) {
					execError(lg, "setTensorAddress", c->names[i]);
					return 1;
				}
			}
			c->bytes[i] = bytes[i];
		}
		return 0;
	} catch (std::exception const& ex) {
		execError(lg, "tfc_context_reserve", ex.what());
	} catch (...) {
		execError(lg, "tfc_context_reserve", "unknown C++ exception");
	}
	return 1;
}

int32_t tfc_context_run(tfc_context* c, tfc_timing* t) {
	tfc_logger* lg = tfc_engine_logger(c->e);
	try {
		if (!makeCurrent(lg, c)) return 1;
		size_t n = c->names.size();
		if (!cudaOK(lg, "cudaEventRecord", cudaEventRecord(c->ev[0], c->stream))) return 1;
		for (size_t i = 0; i < n; i++) {
			if (c->input[i] && c->bytes[i] > 0 &&
				!cudaOK(lg, "cudaMemcpyAsync", cudaMemcpyAsync(c->dev[i], c->host[i], static_cast<size_t>(c->bytes[i]),
												   cudaMemcpyHostToDevice, c->stream))) {
				return 1;
			}
		}
		if (!cudaOK(lg, "cudaEventRecord", cudaEventRecord(c->ev[1], c->stream))) return 1;
		if (!c->ctx->enqueueV3(c->stream)) {
			execError(lg, "enqueueV3", "failed");
			cudaStreamSynchronize(c->stream);
			return 1;
		}
		if (!cudaOK(lg, "cudaEventRecord", cudaEventRecord(c->ev[2], c->stream))) return 1;
		for (size_t i = 0; i < n; i++) {
			if (!c->input[i] && c->bytes[i] > 0 &&
				!cudaOK(lg, "cudaMemcpyAsync", cudaMemcpyAsync(c->host[i], c->dev[i], static_cast<size_t>(c->bytes[i]),
												   cudaMemcpyDeviceToHost, c->stream))) {
				return 1;
			}
		}
		if (!cudaOK(lg, "cudaEventRecord", cudaEventRecord(c->ev[3], c->stream))) return 1;
		if (!cudaOK(lg, "cudaStreamSynchronize", cudaStreamSynchronize(c->stream))) return 1;
		float ms[3] = {0, 0, 0};
		for (int i = 0; i < 3; i++) {
			if (!cudaOK(lg, "cudaEventElapsedTime", cudaEventElapsedTime(&ms[i], c->ev[i], c->ev[i + 1]))) return 1;
		}
		*t = tfc_timing{ms[0], ms[1], ms[2]};
		return 0;
	} catch (std::exception const& ex) {
		execError(lg, "tfc_context_run", ex.what());
	} catch (...) {
		execError(lg, "tfc_context_run", "unknown C++ exception");
	}
	return 1;
}

} // extern "C"
