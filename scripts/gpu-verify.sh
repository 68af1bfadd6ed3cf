#!/usr/bin/env bash
# gpu-verify.sh: verify and benchmark tfc's TensorRT-RTX engines on the project's GPU machine (one H200,
# CUDA 13 driver; no TensorRT, no TensorFlow, no package registry), reached through the device tool's `run`.
#
# Here, after scripts/trt-setup.sh:
#   scripts/gpu-verify.sh pack [-resnet50 | -resnet50-timing]
# builds tfc with -tags tensorrt_rtx and writes bundles into .gpu/ of the checkout that the device tool
# sends (the main checkout holding the git directory, whichever worktree calls; TFC_GPU_CHECKOUT overrides),
# each small enough for one transfer (64 MiB, the tracked tree included):
#   .gpu/a, .gpu/b, ...  the compressed TensorRT-RTX library (~64 MB), tfc, these scripts and, with
#                        -resnet50, testdata/large/resnet50 (testdata/gen/generate.sh --resnet50) in pieces.
#                        -resnet50-timing ships the same graph without its weights (scripts/weights-skeleton.py
#                        strip: ~100 KB instead of ~95 MB, no extra bundles); setup regenerates them (fill) into
#                        large/resnet50-timing, which explore and bench time but verify never checks: its
#                        numbers are not TensorFlow's, and the time of a f32 convolution does not depend on them.
# It prints the `run` calls to make, in order. Each call names its bundle in `carry` and runs
#   bash .gpu/X/gpu-verify.sh device stash .gpu/X [STEP...]
# which keeps the bundle in ~/tfc-gpu on the machine; the next call must come within the machine's warm
# window (30 s), or the machine is given back and the bundles are lost. The last call adds the steps:
#   setup    join and unpack the library and ResNet50 (checked against their SHA-256), print the GPU
#   smoke    three cases in strict FP32, with TF32 allowed at run time, with -tf32 and with -tf32x3; one model run
#            -engine with a runtime cache, twice, and with -cuda-graph
#   verify   tfc verify -backend=trt (strict FP32) of testdata/cases, models, dynamic, control and ResNet50, in 4
#            processes; $OUT/verify.[0-3].txt are their logs, $OUT/summary.txt the verdicts
#   tf32x3   the same with -tf32x3 (FP32-accurate products on TF32 tensor cores, at the cases' strict
#            tolerances): $OUT/verify-tf32x3.[0-3].txt, $OUT/summary-tf32x3.txt
#   tf32x3-bf16  the same with run-time tensors split into three bfloat16 parts (TFC_TF32X3_SPLIT=bf16,
#            experimental): $OUT/verify-tf32x3-bf16.[0-3].txt, $OUT/summary-tf32x3-bf16.txt
#   bench    scripts/gpu-bench.py --tfc on the shipped models and ResNet50 at batch 1 and 32, in the FP32 maths of
#            $FP32_MATH (default fp32,tf32; tf32x3 adds -tf32x3 engines): $OUT/bench-tfc.json
#   explore  ResNet50 under other builder settings (opt level, targets): $OUT/explore.txt
#   extras   the models at -precision fp16/bf16, -tf32 and -tf32x3: $OUT/extras.txt
#   dynamic  engines with optimization profiles against TensorFlow at batches 1, 3 and 8 (testdata/dynamic:
#            MobileNetV2, resnet_small, the encoder also at sequence lengths 8 and 32; keras_cnn): one
#            dynamic compile per case, one engine for every case (shapes changing on one execution
#            context), two profiles, and a shape outside the profile refused: $OUT/dynamic.txt
#   dynop    the dynamic op graphs (testdata/dynamic/dynop_*), each one compile with a profile spanning its
#            cases, every case on the GPU: $OUT/dynop.txt
#   torch    scripts/gpu-bench.py --torch (torchvision ResNet50): $OUT/bench-torch.json
#   cmd ARGS runs ~/tfc-gpu/tfc ARGS (e.g. cmd verify -backend=trt -precision fp16 testdata/models)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)

pack() {
	local resnet=0 timing=0
	[ "${1:-}" = -resnet50 ] && resnet=1
	[ "${1:-}" = -resnet50-timing ] && timing=1
	local src; src=$(git rev-parse --show-toplevel)
	local dest=${TFC_GPU_CHECKOUT:-$(dirname "$(git rev-parse --path-format=absolute --git-common-dir)")}
	cd "$src"
	[ -f .trt/env.sh ] || { echo "gpu-verify.sh: run scripts/trt-setup.sh first (no .trt/env.sh)" >&2; exit 1; }
	. .trt/env.sh
	local exclude; exclude=$(git rev-parse --path-format=absolute --git-common-dir)/info/exclude
	mkdir -p "$(dirname "$exclude")"; grep -qx '/.gpu/' "$exclude" 2>/dev/null || echo '/.gpu/' >>"$exclude"
	local lib sum cache
	lib=$(readlink -f .trt/lib/libtensorrt_rtx.so.1)
	sum=$(sha256sum "$lib" | cut -c1-16)
	cache=.trt/libtensorrt_rtx.$sum.xz # xz -9: minutes, once per library (the same cache as ../shared/gpu/pack.sh)
	[ -s "$cache" ] || { echo "compressing $(basename "$lib") once…"; xz -9 -T0 -c "$lib" >"$cache.tmp" && mv "$cache.tmp" "$cache"; }
	local st; st=$(mktemp -d)
	trap 'rm -rf "$st"' RETURN
	# The payload, in order: the library first, so that the first calls can start.
	cp "$cache" "$st/lib.xz"
	go build -tags tensorrt_rtx -o "$st/tfc" ./cmd/tfc
	gzip -6 -n "$st/tfc"
	echo "tfc $(git rev-parse HEAD)$(git diff --quiet HEAD -- . ':!testdata/large' || echo +dirty)" >"$st/commit"
	local files=(lib.xz tfc.gz)
	if [ $resnet = 1 ]; then
		local r=testdata/large/resnet50
		[ -s $r/model.pb ] || { echo "gpu-verify.sh: no $r/model.pb: testdata/gen/generate.sh --resnet50" >&2; exit 1; }
		gzip -1 -n -c $r/model.pb >"$st/resnet50.pb.gz"
		tar -C testdata/large -chf "$st/resnet50-case.tar" --exclude=model.pb resnet50 # -h: the folder may be a link
		(cd $r && sha256sum model.pb) >"$st/resnet50.sha256"
		files+=(resnet50.pb.gz)
	fi
	if [ $timing = 1 ]; then
		local r=testdata/large/resnet50
		[ -s $r/model.pb ] || { echo "gpu-verify.sh: no $r/model.pb: testdata/gen/generate.sh --resnet50" >&2; exit 1; }
		python3 "$here/weights-skeleton.py" strip $r/model.pb "$st/resnet50-skeleton.pb"
	fi
	(cd "$st" && sha256sum "${files[@]}" >payload.sha256 && for f in "${files[@]}"; do echo "$f $(stat -c %s "$f")"; done >payload.sizes)
	cat "${files[@]/#/$st/}" >"$st/payload"
	# One transfer holds the tree that travels plus a bundle: 64 MiB, 4 MiB left spare.
	local tree
	# Counted as disk usage (whole blocks), as the device tool counts it: with ~6000 small files that is
	# about twice the bytes they hold.
	tree=$( (cd "$dest" && { git ls-files -z; git ls-files -z -o --exclude-standard; } | xargs -0 du -c --block-size=1 2>/dev/null | awk '$2=="total"{s+=$1} END{print s+0}'))
	local room=$((60 * 1024 * 1024 - tree))
	[ "$room" -gt 8000000 ] || { echo "gpu-verify.sh: the tree that travels ($tree bytes on disk) leaves too little room" >&2; exit 1; }
	rm -rf "$dest/.gpu" && mkdir -p "$dest/.gpu"
	local small=(commit payload.sha256 payload.sizes)
	[ $resnet = 1 ] && small+=(resnet50-case.tar resnet50.sha256)
	[ $timing = 1 ] && small+=(resnet50-skeleton.pb)
	local extra=0 f
	for f in "${small[@]}"; do extra=$((extra + $(stat -c %s "$st/$f"))); done
	extra=$((extra + $(stat -c %s "$here/gpu-verify.sh") + $(stat -c %s "$here/gpu-bench.py") + $(stat -c %s "$here/set-batch.py") + $(stat -c %s "$here/weights-skeleton.py")))
	split -b $((room - extra - 65536)) -d -a 2 "$st/payload" "$st/part."
	local i=0 names=() p b
	for p in "$st"/part.*; do
		b=$(printf "\\$(printf %o $((97 + i)))") # a, b, c, …
		mkdir -p "$dest/.gpu/$b"
		mv "$p" "$dest/.gpu/$b/"
		cp "$here/gpu-verify.sh" "$here/gpu-bench.py" "$here/set-batch.py" "$here/weights-skeleton.py" "$dest/.gpu/$b/"
		for f in "${small[@]}"; do cp "$st/$f" "$dest/.gpu/$b/"; done
		names+=("$b")
		i=$((i + 1))
	done
	du -sb "$dest"/.gpu/* | sed 's/^/packed /'
	echo "tree that travels: $tree bytes; $(cat "$st/commit")"
	echo "run calls, in order, each within 30 s of the last (the last adds its steps, e.g. setup smoke verify):"
	for b in "${names[@]}"; do
		echo "  carry [\".gpu/$b\"]  command: bash .gpu/$b/gpu-verify.sh device stash .gpu/$b"
	done
}

device() {
	local home=$HOME/tfc-gpu
	mkdir -p "$home"
	export OUT=${OUT:-$home/out}
	mkdir -p "$OUT"
	while [ $# -gt 0 ]; do
		case $1 in
		stash)
			cp "$2"/* "$home/"
			echo "stashed $2: $(ls "$2" | tr '\n' ' ')"
			shift 2
			;;
		setup) (setup "$home"); shift ;;
		smoke) smoke "$home"; shift ;;
		verify) verify "$home"; shift ;;
		tf32x3) verify "$home" -tf32x3; shift ;;
		tf32x3-bf16) (export TFC_TF32X3_SPLIT=bf16; verify "$home" -tf32x3 -bf16); shift ;;
		bench) bench "$home"; shift ;;
		explore) explore "$home"; shift ;;
		extras) extras "$home"; shift ;;
		dynamic) dynamic "$home"; shift ;;
		dynop) dynop "$home"; shift ;;
		torch) shift; PYTHONUNBUFFERED=1 python3 "$home/gpu-bench.py" --torch --out "$OUT/bench-torch.json" ;;
		cmd) shift; env_device "$home"; "$home/tfc" "$@"; return ;;
		*) echo "gpu-verify.sh: unknown step $1" >&2; return 2 ;;
		esac
	done
}

env_device() {
	local home=$1
	local cuda; cuda=$(ls -d /usr/local/cuda*/targets/x86_64-linux/lib 2>/dev/null | head -1 || true)
	export LD_LIBRARY_PATH="$home/trt${cuda:+:$cuda}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
}

setup() {
	local home=$1
	cd "$home"
	if [ ! -s payload.ok ]; then
		cat part.* >payload
		python3 - <<'PY'
import hashlib, lzma, gzip, os, shutil
sums = [l.split() for l in open("payload.sha256")]
sizes = {f: int(s) for f, s in (l.split() for l in open("payload.sizes"))}
data = open("payload", "rb")
for want, f in sums:
    b = data.read(sizes[f])
    got = hashlib.sha256(b).hexdigest()
    if got != want:
        raise SystemExit(f"setup: {f}: sha256 {got}, want {want}: a bundle is missing or stale")
    open(f, "wb").write(b)
os.makedirs("trt", exist_ok=True)
with lzma.open("lib.xz") as s, open("trt/libtensorrt_rtx.so.1", "wb") as d:
    shutil.copyfileobj(s, d)
with gzip.open("tfc.gz") as s, open("tfc", "wb") as d:
    shutil.copyfileobj(s, d)
os.chmod("tfc", 0o755)
if os.path.exists("resnet50.pb.gz"):
    os.makedirs("large", exist_ok=True)
    with gzip.open("resnet50.pb.gz") as s, open("model.pb.tmp", "wb") as d:
        shutil.copyfileobj(s, d)
print("setup: payload checked and unpacked")
PY
		rm -f payload part.* lib.xz tfc.gz
		if [ -s resnet50.pb.gz ]; then
			tar -C large -xf resnet50-case.tar
			mv model.pb.tmp large/resnet50/model.pb
			(cd large/resnet50 && sha256sum -c ../../resnet50.sha256)
			python3 set-batch.py large/resnet50/model.pb large/resnet50_b32.pb x:0 32
			rm -f resnet50.pb.gz
		fi
		if [ -s resnet50-skeleton.pb ]; then
			mkdir -p large/resnet50-timing
			python3 weights-skeleton.py fill resnet50-skeleton.pb large/resnet50-timing/model.pb
			python3 set-batch.py large/resnet50-timing/model.pb large/resnet50-timing_b32.pb x:0 32
		fi
		echo ok >payload.ok
	fi
	env_device "$home"
	cat commit
	nvidia-smi --query-gpu=name,driver_version,compute_cap,memory.total --format=csv,noheader
}

smoke() {
	local home=$1
	env_device "$home"
	local t=$home/tfc m=testdata/models/mobilenetv2 w=$home/smoke
	local cs="testdata/cases/conv2d_nhwc_same_s1 testdata/cases/matmul_plain testdata/models/encoder"
	mkdir -p "$w"
	(
		set +e -x
		$t verify -backend=trt $cs                          # strict FP32 (tfc sets NVIDIA_TF32_OVERRIDE=0)
		NVIDIA_TF32_OVERRIDE=1 $t verify -backend=trt $cs   # TF32 allowed at run time: the difference it makes
		NVIDIA_TF32_OVERRIDE=0 $t verify -backend=trt $cs   # set from the process's start
		$t verify -backend=trt -tf32 $cs                    # TF32 engines at the TF32 tolerance
		$t verify -backend=trt -tf32x3 $cs                  # 3xTF32 engines at the strict FP32 tolerance
		$t compile -emit=engine -o "$w/m.plan" $m/model.pb
		$t run -engine "$w/m.plan" -runtime-cache "$w/m.cache" -warmup 10 -iterations 100
		$t run -engine "$w/m.plan" -runtime-cache "$w/m.cache" -warmup 10 -iterations 100 -cuda-graph
	) 2>&1 | tee "$OUT/smoke.txt"
}

# verify HOME [FLAG [SUFFIX]]: FLAG (-tf32x3) is added to every verify, FLAG and SUFFIX to the logs' names.
verify() {
	local home=$1 flag=${2:-} suffix=${3:-}
	local name=verify$flag$suffix
	env_device "$home"
	local args=() i
	for d in testdata/cases/*/ testdata/models/*/ testdata/dynamic/*/ testdata/control/*/; do [ -f "$d/case.json" ] && args+=("${d%/}"); done
	[ -d "$home/large/resnet50" ] && args+=("$home/large/resnet50")
	# 4 processes over the cases, by round robin; each log goes straight to $OUT, so that what ran comes
	# back even if the call runs out of time (VERIFY_TIMEOUT seconds, default 480, stops them first).
	for i in 0 1 2 3; do
		local part=() j
		for j in "${!args[@]}"; do [ $((j % 4)) = $i ] && part+=("${args[$j]}"); done
		timeout "${VERIFY_TIMEOUT:-480}" "$home/tfc" verify -backend=trt ${flag:+"$flag"} "${part[@]}" >"$OUT/$name.$i.txt" 2>&1 &
	done
	wait || true
	{
		cat "$home/commit"
		nvidia-smi --query-gpu=name,driver_version,compute_cap --format=csv,noheader
		echo "${TFC_TF32X3_SPLIT:+TFC_TF32X3_SPLIT=$TFC_TF32X3_SPLIT }tfc verify -backend=trt ${flag:-(strict FP32)} of ${#args[@]} case directories, 4 processes:"
		grep -h "cases match TensorFlow" "$OUT/$name".[0-3].txt || true
		grep -h "FAIL" "$OUT/$name".[0-3].txt | head -100 || true
		grep -h -A3 -E "^(resnet50|mobilenetv2|resnet_small|encoder) " "$OUT/$name".[0-3].txt || true
	} >"$OUT/summary$flag$suffix.txt"
	cat "$OUT/summary$flag$suffix.txt"
}

# explore: ResNet50 engines built with other builder settings, to see what the strict-FP32 batch-1
# latency depends on. Prints one line per variant: end-to-end and GPU-compute medians.
explore() {
	local home=$1 t=$1/tfc w=$1/explore v name flags
	env_device "$home"
	mkdir -p "$w"
	for v in "b1:" "b1-tf32:-tf32" "b1-tf32x3:-tf32x3" "b1-opt5:-opt-level 5" "b1-sm89:-compute-capability SM89" "b32:" "b32-tf32x3:-tf32x3"; do
		name=${v%%:*} flags=${v#*:}
		local r50=$home/large/resnet50
		[ -s "$r50/model.pb" ] || r50=$home/large/resnet50-timing
		local pb=$r50/model.pb
		[ "${name#b32}" != "$name" ] && pb=${r50}_b32.pb
		# shellcheck disable=SC2086
		"$t" compile -emit=engine -q -o "$w/$name.plan" $flags "$pb" 2>/dev/null || { echo "$name: compile failed"; continue; }
		"$t" run -engine "$w/$name.plan" -warmup 30 -iterations 300 -format=json 2>/dev/null |
			python3 -c "import json,sys; r=json.load(sys.stdin); e=r['engine']; print('$name', 'latency p50 %.3f ms' % r['latency']['median_ms'], 'h2d %.3f' % e['h2d']['median_ms'], 'compute %.3f' % e['gpu_compute']['median_ms'], 'first context %.0f ms' % e['first_context_ms'])" ||
			echo "$name: run failed"
	done 2>&1 | tee "$OUT/explore.txt"
}

# extras: the shipped models through the other engine precisions (-precision fp16 and bf16, -tf32,
# -tf32x3), and ResNet50 with -tf32x3 (at its strict tolerance) when it is there.
extras() {
	local home=$1 t=$1/tfc
	env_device "$home"
	(
		set +e -x
		$t verify -backend=trt -precision fp16 testdata/models
		$t verify -backend=trt -precision bf16 testdata/models
		$t verify -backend=trt -tf32 testdata/models
		$t verify -backend=trt -tf32x3 testdata/models
		[ -d "$home/large/resnet50" ] && $t verify -backend=trt -tf32x3 "$home/large/resnet50"
	) 2>&1 | tee "$OUT/extras.txt"
}

# dynamic: engines with optimization profiles, each check one command whose output says pass or fail.
dynamic() {
	local home=$1 t=$1/tfc w=$1/dynamic d=testdata/dynamic
	env_device "$home"
	mkdir -p "$w"
	local mb=(-min-shapes 'x:0[1,96,96,3]' -opt-shapes 'x:0[4,96,96,3]' -max-shapes 'x:0[16,96,96,3]')
	local two=(-min-shapes 'x:0[1,96,96,3]' -opt-shapes 'x:0[1,96,96,3]' -max-shapes 'x:0[1,96,96,3]'
		-min-shapes 'x:0[2,96,96,3]' -opt-shapes 'x:0[8,96,96,3]' -max-shapes 'x:0[32,96,96,3]')
	local kc=(-min-shapes 'image:0[1,12,12,3]' -opt-shapes 'image:0[4,12,12,3]' -max-shapes 'image:0[16,12,12,3]')
	local en=(-min-shapes 'x:0[1,8,64]' -opt-shapes 'x:0[4,16,64]' -max-shapes 'x:0[8,32,64]')
	local rs=(-min-shapes 'x:0[1,64,64,3]' -opt-shapes 'x:0[4,64,64,3]' -max-shapes 'x:0[16,64,64,3]')
	local b1=$d/mobilenetv2_dynamic_b1 b3=$d/mobilenetv2_dynamic_b3 b8=$d/mobilenetv2_dynamic_b8
	(
		set +e -x
		# verify -backend=trt: a dynamic compile per case, its engine run at the case's batch
		$t verify -backend=trt "${mb[@]}" $b1 $b3 $b8
		$t verify -backend=trt "${kc[@]}" testdata/savedmodels/keras_cnn/serving_default
		$t verify -backend=trt "${en[@]}" $d/encoder_dynamic_*
		$t verify -backend=trt "${rs[@]}" $d/resnet_small_dynamic_*
		# one engine for every batch, in the order 1, 8, 3, 1: the execution context changes shape
		$t compile -emit=engine -q "${mb[@]}" -o "$w/mnv2.plan" $b1/model.pb && head -c 1500 "$w/mnv2.plan.json"
		$t verify -engine "$w/mnv2.plan" $b1 $b8 $b3 $b1
		$t compile -emit=engine -q "${rs[@]}" -o "$w/rs.plan" $d/resnet_small_dynamic_b1/model.pb
		$t verify -engine "$w/rs.plan" $d/resnet_small_dynamic_b8 $d/resnet_small_dynamic_b1 $d/resnet_small_dynamic_b3
		# the encoder: batch and sequence length change between cases on one engine (shape tensors)
		$t compile -emit=engine -q "${en[@]}" -o "$w/enc.plan" $d/encoder_dynamic_b1_s8/model.pb
		$t verify -engine "$w/enc.plan" $d/encoder_dynamic_b1_s8 $d/encoder_dynamic_b8_s32 $d/encoder_dynamic_b3_s8 $d/encoder_dynamic_b3_s32
		# two profiles (batch 1; batches 2..32): the context switches profile between cases
		$t compile -emit=engine -q "${two[@]}" -o "$w/mnv2-2p.plan" $b1/model.pb
		$t verify -engine "$w/mnv2-2p.plan" $b1 $b8 $b1 $b3
		# run -engine: the shape comes from the .npy; random inputs take profile 0's opt (4), timed
		$t run -engine "$w/mnv2.plan" -input "x:0=$b3/input_0.npy"
		$t run -engine "$w/mnv2.plan" -warmup 10 -iterations 100
		# outside every profile (max batch 2): a clear error, exit status 1
		$t compile -emit=engine -q -min-shapes 'x:0[1,96,96,3]' -opt-shapes 'x:0[1,96,96,3]' -max-shapes 'x:0[2,96,96,3]' \
			-o "$w/mnv2-max2.plan" $b1/model.pb
		$t run -engine "$w/mnv2-max2.plan" -input "x:0=$b3/input_0.npy"; echo "exit status $? (want 1: outside the profile)"
	) 2>&1 | tee "$OUT/dynamic.txt"
}

# dynop: the dynamic op graphs (testdata/dynamic/dynop_*): the cases of one graph (same model.pb) are one
# dynamic compile whose profile spans their shapes (opt: the first case's), as TestDynamicOpCases does on
# the CPU; each case runs on an engine with that profile.
dynop() {
	local home=$1 t=$1/tfc
	env_device "$home"
	(
		python3 - "$t" testdata/dynamic/dynop_* <<'PY'
import hashlib, json, os, subprocess, sys
tfc, dirs = sys.argv[1], sys.argv[2:]
groups = {}
for d in dirs:
    key = hashlib.sha256(open(os.path.join(d, "model.pb"), "rb").read()).hexdigest()
    groups.setdefault(key, []).append(d)
ok = 0
for cases in groups.values():
    rng = {}
    for d in cases:
        for i in json.load(open(os.path.join(d, "case.json")))["inputs"]:
            s = i["shape"]
            lo, opt, hi = rng.setdefault(i["name"], (list(s), list(s), list(s)))
            rng[i["name"]] = ([min(a, b) for a, b in zip(lo, s)], opt, [max(a, b) for a, b in zip(hi, s)])
    flag = lambda k: ",".join("%s[%s]" % (n, ",".join(map(str, r[k]))) for n, r in sorted(rng.items()))
    cmd = [tfc, "verify", "-backend=trt", "-min-shapes", flag(0), "-opt-shapes", flag(1), "-max-shapes", flag(2)] + cases
    print("+ " + " ".join(cmd), flush=True)
    r = subprocess.run(cmd)
    ok += r.returncode == 0
print("dynop: %d/%d graphs match TensorFlow at every shape (backend trt)" % (ok, len(groups)), flush=True)
PY
	) 2>&1 | tee "$OUT/dynop.txt"
}

bench() {
	local home=$1
	env_device "$home"
	local models=()
	for m in mobilenetv2 resnet_small encoder; do models+=("$m=testdata/models/$m/model.pb"); done
	if [ -s "$home/large/resnet50/model.pb" ]; then
		models+=("resnet50@1=$home/large/resnet50/model.pb" "resnet50@32=$home/large/resnet50_b32.pb")
	elif [ -s "$home/large/resnet50-timing/model.pb" ]; then # weights regenerated: timings only
		models+=("resnet50@1=$home/large/resnet50-timing/model.pb" "resnet50@32=$home/large/resnet50-timing_b32.pb")
	fi
	PYTHONUNBUFFERED=1 python3 "$home/gpu-bench.py" --tfc "$home/tfc" --work "$home/bench" --out "$OUT/bench-tfc.json" --fp32-math "${FP32_MATH:-fp32,tf32}" "${models[@]}"
}

case ${1:-} in
pack) shift; pack "$@" ;;
device) shift; device "$@" ;;
*) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
esac
