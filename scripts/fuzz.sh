#!/usr/bin/env bash
# Runs every fuzz target of tfc for a while, one after the other.
#
# Usage: scripts/fuzz.sh [-t DURATION] [-p PARALLEL] [-save] [TARGET...]
#   -t DURATION   per target, as go test -fuzztime takes it (default 10m)
#   -p PARALLEL   fuzzing workers per target (default 1: the machine is shared)
#   -m DURATION   time spent minimizing each new interesting input (default 2s).
#                 go test's "execs" counter leaves minimization out, and an input
#                 as large as a SavedModel seed (100 KB) takes its whole budget
#                 to minimize: with 10s, FuzzSavedModel reported 51 execs in
#                 10 minutes while it ran ~16,000 inputs a second minimizing
#   -save         copy up to 40 of the smallest inputs the fuzzer found
#                 interesting into PKG/testdata/fuzz/TARGET (the committed
#                 corpus, which go test then runs as seeds)
#   TARGET        names (FuzzParse) or package:name (./ir/dim:FuzzParse) from
#                 the list below (default: all)
#
# A finding (crash, failed check) stops the script with go test's exit
# status; go test has written the input to PKG/testdata/fuzz/TARGET.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(
	./frontend/tf/tfpb:FuzzParseGraphDef    # GraphDef, binary and text
	./frontend/tf/tfpb:FuzzDecodeTensor     # TensorProto → tensor
	./frontend/tf/bundle:FuzzIndex          # checkpoint index table
	./frontend/tf/bundle:FuzzBundle         # index + data shard: open, read, verify
	./frontend/tf/savedmodel:FuzzSavedModel # saved_model.pb → frozen graph
	./frontend/tf:FuzzImport                # GraphDef → IR
	./ir:FuzzParse                          # IR text
	./ir/dim:FuzzParse                      # symbolic dimension expressions
	./tensor/npy:FuzzRead                   # .npy
	./backend/trt/weightsfile:FuzzOpen      # -emit=go weights file
	.:FuzzCompile                           # import + passes + lowering + Go codegen, parsed back
)

dur=10m min=2s par=1 save=false only=()
while [ $# -gt 0 ]; do
	case "$1" in
	-t) dur=$2; shift 2 ;;
	-p) par=$2; shift 2 ;;
	-m) min=$2; shift 2 ;;
	-save) save=true; shift ;;
	-h|--help) sed -n '2,19p' "$0"; exit 0 ;;
	*) only+=("$1"); shift ;;
	esac
done

cache=$(go env GOCACHE)/fuzz
for t in "${targets[@]}"; do
	pkg=${t%%:*} name=${t##*:}
	if [ ${#only[@]} -gt 0 ] && ! printf '%s\n' "${only[@]}" | grep -qxF -e "$name" -e "$t"; then
		continue
	fi
	echo "== $name ($pkg) for $dur, $par worker(s): $(date -u +%H:%M:%S)"
	go test -run "^$" -fuzz "^$name\$" -fuzztime "$dur" -fuzzminimizetime "$min" -parallel "$par" "$pkg"
	if $save; then
		src=$cache/$(go list "$pkg")/$name
		dst=$pkg/testdata/fuzz/$name
		if [ -d "$src" ]; then
			mkdir -p "$dst"
			# (ls dies of SIGPIPE when head has enough: not an error.)
			{ ls -S -r "$src" || true; } | head -40 | while read -r f; do cp "$src/$f" "$dst/$f"; done
			echo "   saved $(ls "$dst" | wc -l) corpus files in $dst"
		fi
	fi
done
echo "== done: $(date -u +%H:%M:%S)"
