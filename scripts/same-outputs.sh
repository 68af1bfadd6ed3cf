#!/usr/bin/env bash
# Compares what two tfc binaries write for every shipped model and case:
# tfc compile -emit=ir, -emit=network (text and JSON) and -emit=go (the
# code and its weights file), standard output, standard error and exit
# status, on testdata/{models,cases,control,dynamic}/*/model.pb,
# testdata/savedmodels/* and testdata/large/resnet50 (when present).
#
#   go build -o /tmp/tfc.before ./cmd/tfc     # at the commit before
#   go build -o /tmp/tfc.after ./cmd/tfc      # at the change
#   scripts/same-outputs.sh /tmp/tfc.before /tmp/tfc.after
#
# It prints one line per difference and a summary; the exit status is 1
# if anything differs. A change meant to leave every output alone (a
# faster or leaner compiler) shows it with this.
set -uo pipefail
[[ $# == 2 ]] || { echo "usage: scripts/same-outputs.sh BEFORE_TFC AFTER_TFC" >&2; exit 2; }
before=$1 after=$2
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

models=()
for m in testdata/models/*/model.pb testdata/cases/*/model.pb testdata/control/*/model.pb \
  testdata/dynamic/*/model.pb testdata/savedmodels/*/ testdata/large/resnet50/model.pb; do
  [[ -e $m ]] && models+=("$m")
done

# run BIN MODEL EMIT...: one digest of everything the run wrote (both
# binaries write in the same directory: messages name the files).
run() {
  local bin=$1 model=$2; shift 2
  local d="$tmp/out"
  rm -rf "$d"; mkdir -p "$d"
  if [[ $1 == go ]]; then
    "$bin" compile -emit=go -o "$d/builder.go" "$model" >"$d/stdout" 2>"$d/stderr"
  else
    "$bin" compile "$@" "$model" >"$d/stdout" 2>"$d/stderr"
  fi
  echo "exit $?" >"$d/status"
  (cd "$d" && cat $(ls | sort) | sha256sum)
}

diffs=0 runs=0
for m in "${models[@]}"; do
  for emit in "-emit=ir" "-emit=network" "-emit=network -format=json" "go"; do
    # shellcheck disable=SC2086
    a=$(run "$before" "$m" $emit)
    # shellcheck disable=SC2086
    b=$(run "$after" "$m" $emit)
    runs=$((runs + 1))
    if [[ $a != "$b" ]]; then
      echo "differs: $m $emit"
      diffs=$((diffs + 1))
    fi
  done
done
echo "same-outputs: ${#models[@]} models, $runs runs each, $diffs differ"
[[ $diffs == 0 ]]
