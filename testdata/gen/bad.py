"""testdata/bad/unsupported3.pb: a small frozen graph with exactly three
distinct op types that a TensorRT compiler does not support (Cumsum,
MatrixDeterminant, Bincount). The hand-written *.pbtxt files beside it are
not generated."""

import os

import numpy as np
import tensorflow as tf

from common import REPO_ROOT, freeze, graph_ops, run_graph

BAD_DIR = os.path.join(REPO_ROOT, "testdata", "bad")
UNSUPPORTED = ["Bincount", "Cumsum", "MatrixDeterminant"]


def _fn(x, idx):
    det = tf.linalg.det(x)                                  # MatrixDeterminant
    cs = tf.raw_ops.Cumsum(x=x, axis=tf.constant(1))        # Cumsum
    counts = tf.raw_ops.Bincount(arr=idx, size=tf.constant(5),
                                 weights=tf.constant([], tf.float32))  # Bincount
    return det, cs, counts


def write_bad():
    specs = [tf.TensorSpec([2, 3, 3], tf.float32, name="x"),
             tf.TensorSpec([8], tf.int32, name="idx")]
    gd, ins, outs = freeze(_fn, specs)
    ops = graph_ops(gd)
    extra = sorted(set(ops) - {"Const", "Placeholder", "Identity"})
    assert extra == UNSUPPORTED, extra
    rng = np.random.default_rng(3)
    run_graph(gd, ins, outs, [rng.standard_normal((2, 3, 3)).astype(np.float32),
                              rng.integers(0, 5, 8).astype(np.int32)])
    os.makedirs(BAD_DIR, exist_ok=True)
    with open(os.path.join(BAD_DIR, "unsupported3.pb"), "wb") as f:
        f.write(gd.SerializeToString(deterministic=True))
    print("bad/unsupported3.pb: ops=" + ",".join(ops))
