"""testdata/bad/unsupported3.pb: a small frozen graph with exactly three
distinct op types that a TensorRT compiler does not support (MatrixInverse,
MatrixDeterminant, ListDiff). The hand-written *.pbtxt files beside it are
not generated."""

import os

import numpy as np
import tensorflow as tf

from common import REPO_ROOT, freeze, graph_ops, run_graph

BAD_DIR = os.path.join(REPO_ROOT, "testdata", "bad")
UNSUPPORTED = ["ListDiff", "MatrixDeterminant", "MatrixInverse"]


def _fn(x, idx):
    det = tf.linalg.det(x)                                  # MatrixDeterminant
    cs = tf.raw_ops.MatrixInverse(input=x)                  # MatrixInverse
    diff = tf.raw_ops.ListDiff(x=idx, y=tf.constant([1, 2]))[0]  # ListDiff (data-dependent length)
    return det, cs, diff


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


# ---------------------------------------------------------------------------
# Control flow: frozen graphs tfc refuses, naming the loop or conditional.

def _v1_graph(build):
    """A TF1 graph with TF1 control flow (Enter/Exit/Merge/Switch/NextIteration)."""
    g = tf.Graph()
    with g.as_default():
        tf.compat.v1.disable_control_flow_v2()
        try:
            x = tf.compat.v1.placeholder(tf.float32, [2, 3], name="x")
            y = tf.identity(build(x), name="y")
        finally:
            tf.compat.v1.enable_control_flow_v2()
    gd = g.as_graph_def()
    run_graph(gd, ["x:0"], ["y:0"], [np.ones((2, 3), np.float32)])
    return gd


def _v2_graph(fn):
    """A frozen tf.function keeping its While/If ops (not lowered to TF1 control flow)."""
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2
    f = tf.function(fn, input_signature=[tf.TensorSpec([2, 3], tf.float32, name="x")], autograph=False)
    gd = convert_variables_to_constants_v2(f.get_concrete_function(), lower_control_flow=False).graph.as_graph_def()
    return gd


def _loop(x):
    return tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * 2.0), [tf.constant(0), x], name="loop")[1]


def _cond(x):
    return tf.cond(tf.reduce_sum(x) > 0, lambda: x * 2.0, lambda: x - 1.0, name="branch")


CONTROL_FLOW = {
    "while_v1.pb": (lambda: _v1_graph(_loop), {"Enter", "Exit", "LoopCond", "Merge", "NextIteration", "Switch"}),
    "cond_v1.pb": (lambda: _v1_graph(_cond), {"Merge", "Switch"}),
    "while_v2.pb": (lambda: _v2_graph(_loop), {"StatelessWhile"}),
    "if_v2.pb": (lambda: _v2_graph(_cond), {"StatelessIf"}),
}


def write_control_flow():
    os.makedirs(BAD_DIR, exist_ok=True)
    for name, (make, want) in CONTROL_FLOW.items():
        gd = make()
        ops = {n.op for n in gd.node}
        assert want <= ops, (name, ops)
        with open(os.path.join(BAD_DIR, name), "wb") as f:
            f.write(gd.SerializeToString(deterministic=True))
        print(f"bad/{name}: ops=" + ",".join(sorted(ops)))


def write_dropout():
    """dropout_active.pb: tf.nn.dropout(x, rate=0.5) left in the graph (tfc refuses it, naming the dropout)."""
    gd, ins, outs = freeze(lambda x: tf.nn.dropout(x, rate=0.5, seed=1), [tf.TensorSpec([2, 3], tf.float32, name="x")])
    assert "RandomUniform" in graph_ops(gd)
    with open(os.path.join(BAD_DIR, "dropout_active.pb"), "wb") as f:
        f.write(gd.SerializeToString(deterministic=True))
    print("bad/dropout_active.pb: ops=" + ",".join(graph_ops(gd)))


def write_unique():
    """unique_runtime.pb: tf.unique(x).y of a run-time input. Its length depends on the data, like Where's (which
    tfc translates: the IR's nonzero), but TensorRT has no layer computing it, so tfc refuses it (a constant input folds)."""
    gd, ins, outs = freeze(lambda x: tf.unique(x).y, [tf.TensorSpec([6], tf.float32, name="x")])
    assert "Unique" in graph_ops(gd)
    with open(os.path.join(BAD_DIR, "unique_runtime.pb"), "wb") as f:
        f.write(gd.SerializeToString(deterministic=True))
    print("bad/unique_runtime.pb: ops=" + ",".join(graph_ops(gd)))
