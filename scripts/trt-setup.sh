#!/usr/bin/env bash
# trt-setup.sh: installs TensorRT for RTX and the CUDA runtime under .trt/
# (ignored by git) for tfc's cgo backend (backend/tensorrt, build tag
# tensorrt_rtx), checks the TensorRT headers in third_party/ (also
# ignored), and writes .trt/env.sh with the environment to build and run.
#
#   scripts/trt-setup.sh            install (idempotent) and check
#   scripts/trt-setup.sh --check    only check what is installed
#
# Environment:
#   PYTHON        Python with pip (default python3)
#   TRTX_RS       a checkout or git mirror of GitHub repository rustnn/trtx-rs:
#                 the TensorRT-RTX headers are copied from it when missing
#   NVIDIA_TRT    a checkout or git mirror of GitHub repository NVIDIA/TensorRT:
#                 its include/ (TensorRT 11.1) and release/10.16 include/ are
#                 copied for the tensorrt-tag compile check of build-trt.sh
#
# Versions are pinned to the newest TensorRT-RTX whose headers are public
# (1.6.1.120; rustnn/trtx-rs has headers for 1.3-1.6).
set -euo pipefail

TRT_RTX_VERSION=1.6.1.120        # tensorrt-rtx-cu13-libs: libtensorrt_rtx.so.1
CUDA_RUNTIME_VERSION=13.0.96     # nvidia-cuda-runtime: libcudart.so.13 and headers
CUDA_CRT_VERSION=13.0.88         # nvidia-cuda-crt: crt/host_defines.h, which cuda_runtime_api.h includes
HEADERS_DIR=TRT-RTX-1.6          # folder of trtx-sys/TensorRT-Headers/ in rustnn/trtx-rs

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PYTHON=${PYTHON:-python3}
check_only=false
[[ ${1:-} == --check ]] && check_only=true

trt=$root/.trt
py=$trt/py
rtx_inc=$root/third_party/tensorrt-rtx/include
fail=0
say() { printf '%s\n' "$*"; }
bad() { printf 'trt-setup: %s\n' "$*" >&2; fail=1; }

# --- copy headers from a checkout or a git mirror: copy_headers SRC REV PATH DEST
copy_headers() {
	local src=$1 rev=$2 path=$3 dest=$4
	mkdir -p "$dest"
	if git -C "$src" rev-parse --git-dir >/dev/null 2>&1 && git -C "$src" cat-file -e "$rev:$path" 2>/dev/null; then
		local strip
		strip=$(awk -F/ '{print NF}' <<<"$path")
		git -C "$src" archive "$rev" "$path" | tar -x -C "$dest" --strip-components="$strip"
	elif [[ -d $src/$path ]]; then
		cp -R "$src/$path/." "$dest/"
	else
		return 1
	fi
}

# --- TensorRT-RTX headers
if [[ ! -f $rtx_inc/NvInfer.h && -n ${TRTX_RS:-} ]] && ! $check_only; then
	say "copying TensorRT-RTX headers from $TRTX_RS (trtx-sys/TensorRT-Headers/$HEADERS_DIR)"
	copy_headers "$TRTX_RS" HEAD "trtx-sys/TensorRT-Headers/$HEADERS_DIR" "$rtx_inc" ||
		bad "no trtx-sys/TensorRT-Headers/$HEADERS_DIR in $TRTX_RS"
fi
if [[ ! -f $rtx_inc/NvInfer.h ]]; then
	bad "TensorRT-RTX headers missing: $rtx_inc/NvInfer.h
  They are not in the wheels. Copy folder trtx-sys/TensorRT-Headers/$HEADERS_DIR of the
  GitHub repository rustnn/trtx-rs (Apache-2.0 headers) into third_party/tensorrt-rtx/include
  (ignored by git; never commit them), e.g. with a clone or mirror of it:
    TRTX_RS=/path/to/trtx-rs scripts/trt-setup.sh
  or by hand:
    mkdir -p third_party/tensorrt-rtx/include
    git -C /path/to/trtx-rs archive HEAD trtx-sys/TensorRT-Headers/$HEADERS_DIR |
      tar -x -C third_party/tensorrt-rtx/include --strip-components=3"
else
	want=${TRT_RTX_VERSION%.*} # 1.6.1
	got=$(awk '/#define TRT_(MAJOR|MINOR|PATCH)_RTX /{v=v (v==""?"":".") $3} END{print v}' "$rtx_inc/NvInferVersion.h")
	[[ $got == "$want" ]] || bad "headers in $rtx_inc are TensorRT-RTX $got, the pinned library is $want"
fi

# --- TensorRT 10/11 headers, for the tensorrt-tag compile check only
if [[ -n ${NVIDIA_TRT:-} ]] && ! $check_only; then
	if [[ ! -f third_party/tensorrt/include/NvInfer.h ]]; then
		say "copying TensorRT 11 headers from $NVIDIA_TRT (include/)"
		copy_headers "$NVIDIA_TRT" HEAD include third_party/tensorrt/include || bad "no include/ in $NVIDIA_TRT"
	fi
	if [[ ! -f third_party/tensorrt-10/include/NvInfer.h ]]; then
		say "copying TensorRT 10.16 headers from $NVIDIA_TRT (release/10.16 include/)"
		copy_headers "$NVIDIA_TRT" release/10.16 include third_party/tensorrt-10/include ||
			say "  (no release/10.16 branch there; skipping TensorRT 10)"
	fi
fi

# --- wheels
have() { [[ -d $py/$1-$2.dist-info ]]; }
if ! $check_only; then
	if have tensorrt_rtx_cu13_libs "$TRT_RTX_VERSION" && have nvidia_cuda_runtime "$CUDA_RUNTIME_VERSION" &&
		have nvidia_cuda_crt "$CUDA_CRT_VERSION"; then
		say "wheels already installed in $py"
	else
		say "installing tensorrt-rtx-cu13-libs==$TRT_RTX_VERSION nvidia-cuda-runtime==$CUDA_RUNTIME_VERSION nvidia-cuda-crt==$CUDA_CRT_VERSION into $py"
		rm -rf "$py.new"
		mkdir -p "$trt"
		# One pip call: the CUDA wheels share the nvidia/ directory.
		"$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps --target "$py.new" \
			"tensorrt-rtx-cu13-libs==$TRT_RTX_VERSION" \
			"nvidia-cuda-runtime==$CUDA_RUNTIME_VERSION" \
			"nvidia-cuda-crt==$CUDA_CRT_VERSION"
		rm -rf "$py"
		mv "$py.new" "$py"
	fi
fi
rtx_so=$py/tensorrt_rtx_libs/libtensorrt_rtx.so.1
cudart_so=$py/nvidia/cu13/lib/libcudart.so.13
cuda_inc=$py/nvidia/cu13/include
[[ -f $rtx_so ]] || bad "missing $rtx_so (run scripts/trt-setup.sh without --check)"
[[ -f $cudart_so ]] || bad "missing $cudart_so"
[[ -f $cuda_inc/cuda_runtime_api.h && -f $cuda_inc/crt/host_defines.h ]] || bad "missing CUDA runtime headers in $cuda_inc"

# --- .trt/lib (link names for -l) and .trt/cuda/include
if ! $check_only && [[ $fail == 0 ]]; then
	mkdir -p "$trt/lib" "$trt/cuda"
	ln -sfn ../py/tensorrt_rtx_libs/libtensorrt_rtx.so.1 "$trt/lib/libtensorrt_rtx.so.1"
	ln -sfn libtensorrt_rtx.so.1 "$trt/lib/libtensorrt_rtx.so"
	ln -sfn ../py/tensorrt_rtx_libs/libtensorrt_onnxparser_rtx.so.1 "$trt/lib/libtensorrt_onnxparser_rtx.so.1"
	ln -sfn ../py/nvidia/cu13/lib/libcudart.so.13 "$trt/lib/libcudart.so.13"
	ln -sfn libcudart.so.13 "$trt/lib/libcudart.so"
	ln -sfn ../py/nvidia/cu13/include "$trt/cuda/include"
	cat >"$trt/env.sh" <<EOF
# Written by scripts/trt-setup.sh: source it to build tfc with -tags tensorrt_rtx.
export TFC_TRT_INCLUDE=$rtx_inc
export TFC_CUDA_INCLUDE=$trt/cuda/include
export TFC_TRT_LIB=$trt/lib
export CGO_ENABLED=1
export CGO_CXXFLAGS="-g -O2 -I\$TFC_TRT_INCLUDE -I\$TFC_CUDA_INCLUDE"
export CGO_LDFLAGS="-g -O2 -L\$TFC_TRT_LIB -Wl,-rpath,\$TFC_TRT_LIB"
export LD_LIBRARY_PATH="\$TFC_TRT_LIB\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
EOF
fi
for f in "$trt/lib/libtensorrt_rtx.so" "$trt/lib/libcudart.so" "$trt/cuda/include/cuda_runtime_api.h" "$trt/env.sh"; do
	[[ -e $f ]] || bad "missing $f"
done

if [[ $fail != 0 ]]; then
	exit 1
fi

# --- the GPU driver (not needed to build engines for explicit targets)
if ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1 '; then
	driver="libcuda.so.1 found: engines can be loaded if a GPU is present"
else
	driver="no libcuda.so.1 (no NVIDIA driver): engines build for explicit compute capabilities (e.g. SM89), but do not load"
fi

cat <<EOF
TensorRT-RTX $TRT_RTX_VERSION ready.
  headers  $rtx_inc
  library  $trt/lib/libtensorrt_rtx.so -> $rtx_so
  CUDA     $trt/cuda/include, $trt/lib/libcudart.so ($CUDA_RUNTIME_VERSION)
  driver   $driver
Environment (written to .trt/env.sh; the default cgo flags already find these paths in this tree):
$(sed -n 's/^export /  export /p' "$trt/env.sh")
Build and test:
  . .trt/env.sh && go test -tags tensorrt_rtx ./backend/tensorrt
  scripts/build-trt.sh
EOF
