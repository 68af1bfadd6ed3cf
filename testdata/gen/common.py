"""Shared machinery of the TensorFlow oracle generator.

A case is a Python function built into a tf.function with a named
input_signature, frozen with convert_variables_to_constants_v2, and run by
TensorFlow itself (the frozen GraphDef, imported into a tf.Graph, in a
tf.compat.v1.Session) to produce the expected outputs. Nothing is computed
with numpy except the inputs.
"""

import fnmatch
import json
import os
import shutil
import zlib
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402
from tensorflow.python.framework.convert_to_constants import (  # noqa: E402
    convert_variables_to_constants_v2,
)

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CASES_DIR = os.path.join(REPO_ROOT, "testdata", "cases")
MODELS_DIR = os.path.join(REPO_ROOT, "testdata", "models")
LARGE_DIR = os.path.join(REPO_ROOT, "testdata", "large")
# Cases of one model at several input sizes, for dynamic-shape compiles
# (tfc verify with -min-shapes/-opt-shapes/-max-shapes); kept apart from
# testdata/models so the per-model tests do not run them three times.
DYNAMIC_DIR = os.path.join(REPO_ROOT, "testdata", "dynamic")
# Control-flow cases (TF2 While/If, TF1 frames): kept apart so the tests
# that need loops and conditionals to be lowered name this root.
CONTROL_DIR = os.path.join(REPO_ROOT, "testdata", "control")

F32_TOL = (1e-5, 1e-6)
F16_TOL = (1e-3, 1e-3)
EXACT_TOL = (0.0, 0.0)
MODEL_TOL = (1e-4, 1e-4)

def reordered_sum_tol(sum_abs, terms):
    """(rtol, atol) for float32 outputs that are each a sum of `terms` products (a convolution,
    a matrix product, an einsum contraction), sum_abs holding each output's sum of the products'
    absolute values (the same contraction of the inputs' absolute values).

    TensorFlow sums in Eigen's order; any other correct float32 implementation (a GPU's tiled or
    split-K kernels) rounds differently: the two differ by about sqrt(terms) * 2^-24 *
    sum_abs, and by up to terms * 2^-24 * sum_abs (the classic bound for a sum of products in any
    order). F32_TOL's atol (1e-6) is smaller than that wherever a sum cancels to near zero, so a
    correct engine fails it by the luck of where zero crossings fall. This tolerance allows 4x
    the typical difference; a wrong result (a wrong tap, channel or padding) is off by the size
    of a product, orders of magnitude more."""
    atol = 4.0 * 2.0 ** -24 * float(np.sqrt(terms)) * float(np.max(sum_abs, initial=0.0))
    return (F32_TOL[0], max(F32_TOL[1], float(np.float32(atol))))


DEFAULT_INPUT_NAMES = ["x", "y", "z", "w", "v", "u"]


def seed_of(name: str) -> int:
    """Stable per-case seed: independent of case order and of --only."""
    return zlib.crc32(name.encode("utf-8")) & 0x7FFFFFFF


@dataclass
class Spec:
    """What a case builder returns.

    fn: the function under test; takes one tensor per input.
    inputs: numpy arrays fed to fn (their dtype and shape make the signature).
    oracle: optional function with the same inputs and outputs that TF can run
      on CPU (used when TF refuses fn, e.g. NCHW pooling); it is frozen and run
      exactly like fn.
    names: placeholder names (default x, y, z, ...).
    sig_shapes: optional placeholder shapes (None for unknown dims) when the
      graph should have dynamic dimensions; the data still has static shapes.
    expect: op types that must appear in the frozen graph (a self check that
      the TF Python API emitted the op the case is about).
    tol: (rtol, atol) for float outputs; default from the output dtype.
    feed: optional tensor names fed instead of the placeholders (one per
      input): the graph is cut there, as tfc -inputs does (e.g. an
      IteratorGetNext output); case.json names them, marked "cut": true.
    trt_differs: why TensorRT's semantics differ from TensorFlow's on this
      case's data (e.g. NaN); written to case.json, where the TensorRT
      reference-executor test then builds and runs the case without
      comparing its numbers.
    lower_control_flow: False keeps TF2 If/While in the frozen graph
      (convert_variables_to_constants_v2's option) instead of Switch/Merge.
    graph_edit: optional function GraphDef -> GraphDef applied to the frozen
      graph before TensorFlow runs it, for ops the Python API no longer emits
      (TopK V1): TensorFlow still runs the edited graph, so its outputs stay
      the oracle.
    tf1_graph: fn is called in a TF1 tf.Graph with control flow v2 off, on
      tf.compat.v1.placeholders (no tf.function): tf.compat.v1.while_loop
      builds frames (Enter/Merge/Switch/NextIteration/LoopCond/Exit) and
      tf.TensorArray is TensorArrayV3 (freeze_v1).
    unfrozen: the tf.function's own graph (no variables to freeze), for ops
      that convert_variables_to_constants_v2 lowers even with
      lower_control_flow=False (Case becomes _SwitchN and Merge).
    """

    fn: Callable
    inputs: Sequence[np.ndarray]
    oracle: Optional[Callable] = None
    names: Optional[Sequence[str]] = None
    sig_shapes: Optional[Sequence[Sequence[Optional[int]]]] = None
    expect: Sequence[str] = ()
    tol: Optional[tuple] = None
    oracle_label: str = "tf-nhwc-equivalent"
    feed: Optional[Sequence[str]] = None
    trt_differs: Optional[str] = None
    lower_control_flow: bool = True
    graph_edit: Optional[Callable] = None
    tf1_graph: bool = False
    unfrozen: bool = False


def _op_error_reason(e):
    """The kernel's own message from a Session OpError (one line)."""
    lines = [l.strip() for l in e.message.splitlines() if l.strip()]
    lines = [l for l in lines if not l.startswith(("Graph execution error", "Detected at node",
                                                   "Node:", "[[", "File "))]
    return (lines[0] if lines else e.message.strip().splitlines()[0])[:300]


@dataclass
class Case:
    name: str
    description: str
    build: Callable[[np.random.Generator], Spec]
    kind: str = "op"
    family: str = ""
    out_dir: str = CASES_DIR
    expect: Sequence[str] = field(default_factory=tuple)


REGISTRY: List[Case] = []


def register(name, description, build, kind="op", expect=(), out_dir=None):
    assert name == name.lower() and " " not in name, name
    assert all(c.name != name for c in REGISTRY), "duplicate case " + name
    if out_dir is None:
        out_dir = CASES_DIR if kind == "op" else MODELS_DIR
    family = build.__module__ if hasattr(build, "__module__") else ""
    REGISTRY.append(
        Case(name, description, build, kind=kind, family=family, out_dir=out_dir,
             expect=tuple(expect))
    )


def case(name, description, expect=(), kind="op", out_dir=None):
    """Decorator form of register."""

    def deco(build):
        register(name, description, build, kind=kind, expect=expect, out_dir=out_dir)
        return build

    return deco


# ---------------------------------------------------------------------------
# Input helpers


def randn(rng, shape, dtype=np.float32, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(dtype)


def uniform(rng, shape, lo, hi, dtype=np.float32):
    return rng.uniform(lo, hi, size=shape).astype(dtype)


def distinct(rng, shape, dtype=np.float32, spread=1.0):
    """Values with no ties anywhere (a shuffled arithmetic sequence plus a
    little noise), for ArgMax/TopK."""
    n = int(np.prod(shape))
    base = (np.arange(n) - n / 2.0) * (spread * 4.0 / max(n, 1))
    rng.shuffle(base)
    return base.reshape(shape).astype(dtype)


def ints(rng, shape, lo, hi, dtype=np.int32):
    return rng.integers(lo, hi, size=shape).astype(dtype)


def nonzero_ints(rng, shape, lo, hi, dtype=np.int32):
    v = rng.integers(lo, hi, size=shape)
    v[v == 0] = 1
    return v.astype(dtype)


def avoid_half(x):
    """Moves values away from exact .5 fractions (for Round/Rint)."""
    frac = np.abs(x - np.trunc(x))
    x = np.where(np.abs(frac - 0.5) < 0.05, x + 0.1, x)
    return x.astype(np.float32)


def const(a, dtype=None):
    return tf.constant(a, dtype=dtype)


# ---------------------------------------------------------------------------
# Freezing and running


def _signature(inputs, names, sig_shapes):
    specs = []
    for i, a in enumerate(inputs):
        shape = list(a.shape) if sig_shapes is None else list(sig_shapes[i])
        specs.append(tf.TensorSpec(shape, tf.as_dtype(a.dtype), name=names[i]))
    return specs


def freeze(fn, specs, lower_control_flow=True, unfrozen=False):
    """Returns (graph_def, input tensor names, output tensor names)."""
    tf_fn = tf.function(fn, input_signature=specs, autograph=False)
    concrete = tf_fn.get_concrete_function()
    if unfrozen:
        assert not concrete.graph.variables, "unfrozen: the graph has variables"
        gd = concrete.graph.as_graph_def()
        in_names = [t.name for t in concrete.inputs]
        return canonical_order(gd, in_names), in_names, [t.name for t in concrete.outputs]
    frozen = convert_variables_to_constants_v2(concrete, lower_control_flow=lower_control_flow)
    gd = frozen.graph.as_graph_def()
    in_names = [t.name for t in frozen.inputs]
    out_names = [t.name for t in frozen.outputs]
    return canonical_order(gd, in_names), in_names, out_names


def freeze_v1(fn, specs):
    """freeze for Spec.tf1_graph: a TF1 graph built with control flow v2
    off (the graph has no variables to freeze)."""
    from tensorflow.python.ops import control_flow_util
    saved = control_flow_util.ENABLE_CONTROL_FLOW_V2
    control_flow_util.ENABLE_CONTROL_FLOW_V2 = False
    try:
        g = tf.Graph()
        with g.as_default():
            phs = [tf.compat.v1.placeholder(s.dtype, s.shape, name=s.name) for s in specs]
            outs = fn(*phs)
            if not isinstance(outs, (list, tuple)):
                outs = [outs]
            outs = [tf.identity(o, name="Identity") for o in outs]
        gd = g.as_graph_def()
    finally:
        control_flow_util.ENABLE_CONTROL_FLOW_V2 = saved
    in_names = [p.name for p in phs]
    out_names = [o.name for o in outs]
    return canonical_order(gd, in_names), in_names, out_names


def canonical_order(gd, in_names):
    """Placeholders first, in input order, then the other nodes in their
    original order (TF's placeholder order is not stable between runs)."""
    rank = {n.split(":")[0]: i for i, n in enumerate(in_names)}
    nodes = list(gd.node)
    ph = sorted((n for n in nodes if n.name in rank), key=lambda n: rank[n.name])
    rest = [n for n in nodes if n.name not in rank]
    out = tf.compat.v1.GraphDef()
    out.CopyFrom(gd)
    del out.node[:]
    out.node.extend(ph + rest)
    return out


def graph_ops(gd):
    ops = {n.op for n in gd.node}
    for f in gd.library.function:
        ops.update(n.op for n in f.node_def)
    return sorted(ops)


def run_graph(gd, in_names, out_names, feeds):
    g = tf.Graph()
    with g.as_default():
        tf.import_graph_def(gd, name="")
    cfg = tf.compat.v1.ConfigProto(
        intra_op_parallelism_threads=1, inter_op_parallelism_threads=1
    )
    with tf.compat.v1.Session(graph=g, config=cfg) as sess:
        outs = sess.run(out_names, feed_dict=dict(zip(in_names, feeds)))
    return [np.asarray(o) for o in outs]


def default_tol(dtypes, kind):
    if kind != "op":
        return MODEL_TOL
    if any(d == np.float16 for d in dtypes):
        return F16_TOL
    if any(np.issubdtype(d, np.floating) for d in dtypes):
        return F32_TOL
    return EXACT_TOL


def out_tol(dtype, case_tol):
    if np.issubdtype(dtype, np.floating):
        return case_tol
    return EXACT_TOL


def _dtype_name(dt):
    return np.dtype(dt).name


def _same(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(
        a, b, equal_nan=np.issubdtype(a.dtype, np.floating)
    )


def generate_case(c: Case, log=print):
    rng = np.random.default_rng(seed_of(c.name))
    keras.utils.set_random_seed(seed_of(c.name))
    spec = c.build(rng)
    inputs = [np.array(a, order="C") for a in spec.inputs]
    names = list(spec.names or DEFAULT_INPUT_NAMES[: len(inputs)])
    specs = _signature(inputs, names, spec.sig_shapes)
    if spec.tf1_graph:
        gd, in_names, out_names = freeze_v1(spec.fn, specs)
    else:
        gd, in_names, out_names = freeze(spec.fn, specs, spec.lower_control_flow, spec.unfrozen)
    if spec.graph_edit is not None:
        gd = spec.graph_edit(gd)
    if spec.feed is not None:
        assert len(spec.feed) == len(in_names), (c.name, spec.feed, in_names)
        in_names = list(spec.feed)
    ops = graph_ops(gd)
    for want in tuple(c.expect) + tuple(spec.expect):
        if want not in ops:
            raise AssertionError(f"{c.name}: expected op {want} not in {ops}")

    oracle = "tf"
    oracle_gd = None
    direct_err = None
    try:
        # Copies: an in-place kernel (InplaceAdd) may write into a fed array.
        outs = run_graph(gd, in_names, out_names, [a.copy() for a in inputs])
    except tf.errors.OpError as e:  # TF refuses the op on CPU (e.g. NCHW pooling)
        direct_err = _op_error_reason(e)
        outs = None
    if spec.oracle is not None:
        ogd, oin, oout = freeze(spec.oracle, specs)
        oouts = run_graph(ogd, oin, oout, [a.copy() for a in inputs])
        if outs is None:
            outs = oouts
            oracle = spec.oracle_label
            oracle_gd = ogd
        else:
            # TF ran the graph itself; cross-check against the equivalent graph.
            for a, b in zip(outs, oouts):
                if not np.allclose(a, b, rtol=1e-4, atol=1e-5):
                    raise AssertionError(f"{c.name}: direct and equivalent oracle disagree")
    if outs is None:
        raise RuntimeError(f"{c.name}: TensorFlow refused the graph: {direct_err}")

    tol = spec.tol or default_tol([o.dtype for o in outs], c.kind)

    d = os.path.join(c.out_dir, c.name)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    with open(os.path.join(d, "model.pb"), "wb") as f:
        f.write(gd.SerializeToString(deterministic=True))
    if oracle_gd is not None:
        with open(os.path.join(d, "oracle.pb"), "wb") as f:
            f.write(oracle_gd.SerializeToString(deterministic=True))
    meta_in = []
    for i, (n, a) in enumerate(zip(in_names, inputs)):
        fn_ = f"input_{i}.npy"
        np.save(os.path.join(d, fn_), a)
        ent = {"name": n, "file": fn_, "dtype": _dtype_name(a.dtype), "shape": list(a.shape)}
        if spec.feed is not None:
            ent["cut"] = True
        if spec.sig_shapes is not None:
            ent["placeholder_shape"] = [(-1 if s is None else int(s)) for s in spec.sig_shapes[i]]
        meta_in.append(ent)
    meta_out = []
    for i, (n, a) in enumerate(zip(out_names, outs)):
        a = np.array(a, order="C")
        fn_ = f"output_{i}.npy"
        np.save(os.path.join(d, fn_), a)
        r, t = out_tol(a.dtype, tol)
        meta_out.append({"name": n, "file": fn_, "dtype": _dtype_name(a.dtype),
                         "shape": list(a.shape), "rtol": r, "atol": t})
    desc = c.description
    if c.kind == "model":
        desc += f" Compare with rtol={tol[0]:g}, atol={tol[1]:g}."
    if oracle != "tf":
        what = "NHWC graph" if oracle == "tf-nhwc-equivalent" else "graph"
        desc += (" TensorFlow on CPU refuses this graph (" + (direct_err or "") +
                 "); expected outputs come from TensorFlow running the equivalent "
                 + what + " saved as oracle.pb.")
    meta = {
        "name": c.name,
        "kind": c.kind,
        "description": desc,
        "ops": ops,
        "inputs": meta_in,
        "outputs": meta_out,
        "rtol": tol[0],
        "atol": tol[1],
        "oracle": oracle,
    }
    if spec.trt_differs:
        meta["trt_differs"] = spec.trt_differs
    with open(os.path.join(d, "case.json"), "w") as f:
        f.write(dumps(meta) + "\n")
    log(f"{c.name}: ops={','.join(o for o in ops if o not in ('Const', 'Placeholder', 'Identity'))} oracle={oracle}")
    return meta


def dumps(obj, indent=0):
    """JSON with one key per line but short lists of scalars (shapes, op
    lists) kept on one line."""
    pad = "  " * indent
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f'{pad}  {json.dumps(k)}: {dumps(v, indent + 1)}' for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(not isinstance(v, (dict, list)) for v in obj):
            return json.dumps(obj)
        items = [f"{pad}  {dumps(v, indent + 1)}" for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(obj)


def matches(name, pattern):
    if pattern is None:
        return True
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatchcase(name, pattern)
    return pattern in name


def write_index(dir_, title):
    rows = []
    for n in sorted(os.listdir(dir_)):
        p = os.path.join(dir_, n, "case.json")
        if os.path.isfile(p):
            with open(p) as f:
                rows.append(json.load(f))
    all_ops = sorted({o for r in rows for o in r["ops"]})
    with open(os.path.join(dir_, "index.json"), "w") as f:
        f.write(dumps({"cases": [{"name": r["name"], "kind": r["kind"], "ops": r["ops"],
                                  "oracle": r["oracle"]} for r in rows],
                       "ops": all_ops}) + "\n")
    lines = [f"# {title}", "",
             "Generated by `testdata/gen/generate.sh`; do not edit by hand. "
             "See testdata/gen/README.md for the format.", "",
             f"{len(rows)} cases; {len(all_ops)} distinct TF op types: "
             + ", ".join(f"`{o}`" for o in all_ops), "",
             "| case | ops | inputs | outputs | rtol/atol | oracle |",
             "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        ins = "; ".join(f"{i['dtype']}{i['shape']}" for i in r["inputs"])
        outs = "; ".join(f"{o['dtype']}{o['shape']}" for o in r["outputs"])
        ops = ", ".join(o for o in r["ops"] if o not in ("Const", "Placeholder", "Identity"))
        lines.append(f"| {r['name']} | {ops} | {ins} | {outs} | {r['rtol']:g}/{r['atol']:g} | {r['oracle']} |")
    with open(os.path.join(dir_, "INDEX.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
