#!/usr/bin/env bash
# Mutation testing: plants each bug of scripts/mutations.txtar in a temporary
# copy of the tree, runs go test, and reports the survivors (internal/mutate).
# Usage: scripts/mutate.sh [-run REGEXP] [-keep] [-list FILE]
# Exit status: 0 all caught, 1 survivors, 2 a mutation does not apply or
# does not compile.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/mutate" ./internal/mutate
"$bin/mutate" "$@"
