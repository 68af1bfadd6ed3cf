#!/usr/bin/env bash
# Creates testdata/gen/.venv and installs the pinned generator requirements.
# Idempotent: does nothing when the venv already satisfies requirements.txt.
set -euo pipefail

GEN_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$GEN_DIR/.venv"
REQ="$GEN_DIR/requirements.txt"
STAMP="$VENV/.requirements.sha256"

PYTHON="${PYTHON:-}"
if [[ -z "$PYTHON" ]]; then
  for cand in python3.11 python3; do
    if command -v "$cand" >/dev/null 2>&1; then PYTHON="$cand"; break; fi
  done
fi
if [[ -z "$PYTHON" ]]; then
  echo "setup.sh: no python3 found" >&2
  exit 1
fi

want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [[ -x "$VENV/bin/python" && -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]]; then
  exit 0
fi

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "setup.sh: creating venv $VENV with $PYTHON" >&2
  "$PYTHON" -m venv "$VENV"
fi
echo "setup.sh: installing $REQ (TensorFlow takes a few minutes)" >&2
"$VENV/bin/python" -m pip install --quiet -r "$REQ"
TF_CPP_MIN_LOG_LEVEL=3 TF_ENABLE_ONEDNN_OPTS=0 "$VENV/bin/python" -c "import tensorflow as tf, numpy as np; print('tensorflow', tf.__version__, 'numpy', np.__version__)" >&2
echo "$want" > "$STAMP"
