#!/usr/bin/env bash
# Regenerates the TensorFlow oracle test data (testdata/cases, testdata/models).
# Usage: testdata/gen/generate.sh [--only PATTERN] [--list] [--resnet50]
set -euo pipefail
GEN_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$GEN_DIR/setup.sh"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
# Plain Eigen kernels: the oracle numbers do not depend on oneDNN's choice of
# kernels for this CPU.
export TF_ENABLE_ONEDNN_OPTS=0
export PYTHONHASHSEED=0
exec "$GEN_DIR/.venv/bin/python" "$GEN_DIR/generate.py" "$@"
