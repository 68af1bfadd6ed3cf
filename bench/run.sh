#!/usr/bin/env bash
# The whole-program benchmarks of tfc against its peers, in one command:
#
#   bench/run.sh           # everything (about 5 minutes on 2 cores, plus a few for the
#                          # first venv install and ResNet50 generation)
#   bench/run.sh -quick    # one run each, synthetic graphs up to 100k nodes (a few minutes)
#
# On a fresh machine it
#   1. creates bench/.venv (git-ignored) with bench/requirements.txt from PyPI:
#      tensorflow-cpu, tf2onnx, onnxruntime, opencv-python-headless (pinned);
#   2. installs GNU time (/usr/bin/time, Debian package "time") when missing;
#   3. generates testdata/large/resnet50 with testdata/gen/generate.sh --resnet50
#      when it is missing (MobileNetV2 and the encoder are in testdata/models);
#   4. builds tfc, bench/infer and bench/synthgraph into bench/out (git-ignored)
#      and writes the synthetic graphs (10k, 100k, 1M nodes) there;
#   5. runs bench/driver: conversion (tfc vs tf2onnx), scaling, CPU inference
#      (tfc trt-ref and interp vs OpenCV dnn and onnxruntime), the generated Go
#      builder, and CPU/memory profiles of the Go benchmarks in bench/prof;
#      it writes bench/out/results.json;
#   6. copies it to bench/results.json and runs bench/report, which writes
#      BENCHMARKS.md and bench/plots/*.png from it.
#
# Environment: PYTHON (default python3.11, else python3) creates the venv;
# BENCH_ARGS adds flags to bench/driver (go run -C bench ./driver -h).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT=bench/out
VENV=bench/.venv
REQ=bench/requirements.txt

quick=0
for a in "$@"; do
  case "$a" in
    -quick|--quick) quick=1 ;;
    -h|-help|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown argument $a (want -quick)" >&2; exit 2 ;;
  esac
done

say() { echo "bench/run.sh: $*" >&2; }

# 1. The peers' venv, reinstalled when requirements.txt changes.
PY="${PYTHON:-}"
if [[ -z "$PY" ]]; then
  for cand in python3.11 python3; do
    if command -v "$cand" >/dev/null 2>&1; then PY="$cand"; break; fi
  done
fi
[[ -n "$PY" ]] || { say "no python3 found"; exit 1; }
want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/python" || ! -f "$VENV/.requirements.sha256" || "$(cat "$VENV/.requirements.sha256")" != "$want" ]]; then
  if [[ ! -x "$VENV/bin/python" ]]; then
    say "creating $VENV with $PY"
    "$PY" -m venv "$VENV"
  fi
  say "installing $REQ into $VENV (TensorFlow takes a few minutes)"
  "$VENV/bin/python" -m pip install --quiet -r "$REQ"
  echo "$want" > "$VENV/.requirements.sha256"
fi

# 2. GNU time measures each process's peak RSS.
if [[ ! -x /usr/bin/time ]]; then
  say "installing GNU time"
  if [[ "$(id -u)" == 0 ]]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq time
fi

# 3. Models.
if [[ ! -f testdata/large/resnet50/model.pb ]]; then
  say "generating testdata/large/resnet50"
  testdata/gen/generate.sh --resnet50
fi

# 4. Tools and synthetic graphs.
mkdir -p "$OUT"
say "building tfc, bench/infer, bench/synthgraph"
go build -o "$OUT/tfc" ./cmd/tfc
# bench/ is its own module (its plotting dependencies stay out of tfc's go.mod).
go build -C bench -o "$PWD/$OUT/infer" ./infer
go build -C bench -o "$PWD/$OUT/synthgraph" ./synthgraph
scale="10000,100000,1000000"
args=()
if [[ $quick == 1 ]]; then
  scale="10000,100000"
  args=(-repeat 1 -repeat-slow 1)
fi
IFS=, read -ra sizes <<< "$scale"
for n in "${sizes[@]}"; do
  if [[ ! -s "$OUT/synth_$n.pb" ]]; then
    "$OUT/synthgraph" -nodes "$n" -o "$OUT/synth_$n.pb" >/dev/null
  fi
done

# 5. Measure.
cmdline="bench/run.sh${*:+ $*}"
# shellcheck disable=SC2086
go run -C bench ./driver -root "$PWD" -out "$OUT" -python "$VENV/bin/python" -scale "$scale" -command "$cmdline" "${args[@]}" ${BENCH_ARGS:-}

# 6. Results and report.
cp "$OUT/results.json" bench/results.json
go run -C bench ./report -in "$PWD/bench/results.json" -gpu "$PWD/bench/gpu/results.json" -before "$PWD/bench/results-before.json" -md "$PWD/BENCHMARKS.md" -plots "$PWD/bench/plots"
say "done: BENCHMARKS.md, bench/results.json, bench/plots/"
