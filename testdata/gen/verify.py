#!/usr/bin/env python3
"""Checks the committed oracle data: every case's model.pb imports into a
tf.Graph, case.json agrees with the graph and the .npy files, and running
the graph (or oracle.pb for *-equivalent oracles, after checking that TF
still refuses model.pb) on the saved inputs reproduces the saved outputs
bit for bit.

  testdata/gen/.venv/bin/python testdata/gen/verify.py [DIR ...]
"""

import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import CASES_DIR, MODELS_DIR, graph_ops, run_graph  # noqa: E402  (sets TF env first)

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def load_gd(path):
    gd = tf.compat.v1.GraphDef()
    with open(path, "rb") as f:
        gd.ParseFromString(f.read())
    return gd


def check(d):
    meta = json.load(open(os.path.join(d, "case.json")))
    assert meta["name"] == os.path.basename(d), "name mismatch"
    gd = load_gd(os.path.join(d, "model.pb"))
    g = tf.Graph()
    with g.as_default():
        tf.import_graph_def(gd, name="")
    assert graph_ops(gd) == meta["ops"], ("ops", graph_ops(gd), meta["ops"])
    for t in meta["inputs"] + meta["outputs"]:
        g.get_tensor_by_name(t["name"])  # exists
    feeds = []
    for i, t in enumerate(meta["inputs"]):
        a = np.load(os.path.join(d, t["file"]))
        assert t["file"] == f"input_{i}.npy"
        assert a.dtype.name == t["dtype"] and list(a.shape) == t["shape"], t
        op = g.get_tensor_by_name(t["name"]).op
        assert op.type == "Placeholder" or t.get("cut"), op.type
        feeds.append(a)
    want = []
    for i, t in enumerate(meta["outputs"]):
        a = np.load(os.path.join(d, t["file"]))
        assert t["file"] == f"output_{i}.npy"
        assert a.dtype.name == t["dtype"] and list(a.shape) == t["shape"], t
        assert a.flags["C_CONTIGUOUS"]
        if np.issubdtype(a.dtype, np.floating) and all(np.all(np.isfinite(f)) for f in feeds if np.issubdtype(f.dtype, np.floating)):
            assert np.all(np.isfinite(a)), "non-finite expected output from finite inputs"
        want.append(a)
    in_names = [t["name"] for t in meta["inputs"]]
    out_names = [t["name"] for t in meta["outputs"]]
    if meta["oracle"] == "tf":
        got = run_graph(gd, in_names, out_names, feeds)
    else:
        try:
            run_graph(gd, in_names, out_names, feeds)
            raise AssertionError("oracle says TF refuses model.pb, but it ran")
        except tf.errors.OpError:
            pass
        ogd = load_gd(os.path.join(d, "oracle.pb"))
        got = run_graph(ogd, in_names, out_names, feeds)
    for i, (a, b) in enumerate(zip(got, want)):
        assert a.dtype == b.dtype and a.shape == b.shape, (i, a.dtype, a.shape, b.dtype, b.shape)
        assert np.array_equal(a, b), f"output {i} differs (max abs diff {np.max(np.abs(a.astype(np.float64) - b)):g})"
    return meta


def main(argv):
    dirs = argv or [CASES_DIR, MODELS_DIR]
    cases = []
    for root in dirs:
        if os.path.isfile(os.path.join(root, "case.json")):
            cases.append(root)
        else:
            cases += sorted(os.path.dirname(p) for p in glob.glob(os.path.join(root, "*", "case.json")))
    bad = 0
    ops = set()
    for d in cases:
        try:
            ops.update(check(d)["ops"])
        except Exception as e:
            bad += 1
            print(f"FAIL {d}: {type(e).__name__}: {e}")
    print(f"{len(cases) - bad} passed, {bad} failed")
    print(f"{len(ops)} op types: {' '.join(sorted(ops))}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
