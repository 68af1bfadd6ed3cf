"""SavedModels and TF1 checkpoints for `tfc freeze` (testdata/savedmodels/).

Run through generate.sh:

  generate.sh --savedmodels                 every model below into testdata/savedmodels/
  generate.sh --savedmodels --only keras    only models whose name contains "keras"
  generate.sh --resnet50-savedmodel         Keras ResNet50 exported with model.export into
                                            testdata/large/resnet50_savedmodel (git-ignored)

Each model directory holds the model as TensorFlow wrote it (a SavedModel in
model/, or a TF1 checkpoint in ckpt/: model.meta, model.index and the
model.data-NNNNN-of-NNNNN shards) and one case directory per signature. A
case directory is an internal/golden case (case.json, input_i.npy,
output_i.npy) whose tensor names are those of the graph tfc freezes (inputs
named by the signature's input keys, outputs by its output keys), with three
more keys in case.json:

  model          path of the model, relative to the case directory
  signature      the signature key ("" for a checkpoint, which has none)
  tf_frozen_ops  op histogram of TensorFlow's own frozen graph for the same
                 signature: convert_variables_to_constants_v2 on the loaded
                 signature function (SavedModels), or
                 tf.compat.v1.graph_util.convert_variables_to_constants
                 (the TF1 checkpoint)

The expected outputs come from TensorFlow running the model as loaded from
disk: the loaded SavedModel's signature function, or a tf.compat.v1.Session
that imported the .meta graph and restored the checkpoint.
"""

import json
import os
import shutil

import keras
import numpy as np
import tensorflow as tf
from tensorflow.python.framework.convert_to_constants import (
    convert_variables_to_constants_v2,
)

import common
from common import LARGE_DIR, REPO_ROOT, dumps, seed_of
from models import randomize_norms, sharpen_classifier

SAVEDMODELS_DIR = os.path.join(REPO_ROOT, "testdata", "savedmodels")
RESNET50_DIR = os.path.join(LARGE_DIR, "resnet50_savedmodel")

v1 = tf.compat.v1
tf.get_logger().setLevel("ERROR")  # TF1 API deprecation warnings

REGISTRY = []


def savedmodel(name, description):
    def deco(build):
        REGISTRY.append((name, description, build))
        return build

    return deco


def _histogram(gd):
    h = {}
    for n in gd.node:
        h[n.op] = h.get(n.op, 0) + 1
    for f in gd.library.function:  # convert_variables_to_constants_v2 inlines; none expected
        for n in f.node_def:
            h[n.op] = h.get(n.op, 0) + 1
    return dict(sorted(h.items()))


def _tensor_entry(name, fname, a):
    return {"name": name, "file": fname, "dtype": np.dtype(a.dtype).name, "shape": list(a.shape)}


def write_case(case_dir, name, description, model_rel, signature, inputs, outputs, hist, tol):
    """inputs, outputs: lists of (frozen tensor name, numpy array)."""
    if os.path.isdir(case_dir):
        shutil.rmtree(case_dir)
    os.makedirs(case_dir)
    meta_in, meta_out = [], []
    for i, (n, a) in enumerate(inputs):
        np.save(os.path.join(case_dir, f"input_{i}.npy"), a)
        meta_in.append(_tensor_entry(n, f"input_{i}.npy", a))
    for i, (n, a) in enumerate(outputs):
        a = np.array(a, order="C")
        np.save(os.path.join(case_dir, f"output_{i}.npy"), a)
        e = _tensor_entry(n, f"output_{i}.npy", a)
        r, t = common.out_tol(a.dtype, tol)
        e["rtol"], e["atol"] = r, t
        meta_out.append(e)
    meta = {
        "name": name,
        "kind": "savedmodel",
        "description": description,
        "model": model_rel,
        "signature": signature,
        "ops": sorted(hist),
        "tf_frozen_ops": hist,
        "inputs": meta_in,
        "outputs": meta_out,
        "rtol": tol[0],
        "atol": tol[1],
        "oracle": "tf",
    }
    with open(os.path.join(case_dir, "case.json"), "w") as f:
        f.write(dumps(meta) + "\n")


def savedmodel_cases(out, name, description, feeds_by_sig, tol=common.MODEL_TOL, log=print,
                     tags=None):
    """Loads the SavedModel in out/model, runs every signature in
    feeds_by_sig ({signature: {input key: array}}) and freezes it with TF.
    Inputs and outputs are listed in sorted key order."""
    loaded = tf.saved_model.load(os.path.join(out, "model"), tags=tags)
    for sig, feeds in feeds_by_sig.items():
        fn = loaded.signatures[sig]
        if not isinstance(feeds, dict):  # one unnamed input: take the signature's key
            (key,) = fn.structured_input_signature[1].keys()
            feeds = {key: feeds}
        res = fn(**{k: tf.constant(v) for k, v in feeds.items()})
        frozen = convert_variables_to_constants_v2(fn)
        hist = _histogram(frozen.graph.as_graph_def())
        ins = [(k + ":0", np.array(feeds[k], order="C")) for k in sorted(feeds)]
        outs = [(k + ":0", res[k].numpy()) for k in sorted(res)]
        write_case(os.path.join(out, sig), f"{name}/{sig}", description, "../model", sig,
                   ins, outs, hist, tol)
        log(f"{name}/{sig}: tf frozen ops " + ",".join(f"{k}={v}" for k, v in hist.items()))


# --- TF2: Keras model.export --------------------------------------------------------


@savedmodel("keras_cnn",
            "Keras 3 functional CNN exported with model.export (TF2 SavedModel, serve and "
            "serving_default signatures): Conv2D(6,3,same) + BatchNormalization + ReLU, "
            "MaxPooling2D, Conv2D(8,3) + ReLU, GlobalAveragePooling2D, Dense(5, softmax). "
            "Input [batch,12,12,3] with unknown batch; the case feeds batch 2.")
def build_keras_cnn(out, rng, log, description):
    inp = keras.Input((12, 12, 3), name="image")
    x = keras.layers.Conv2D(6, 3, padding="same", name="conv1")(inp)
    x = keras.layers.BatchNormalization(name="bn1")(x)
    x = keras.layers.ReLU(name="relu1")(x)
    x = keras.layers.MaxPooling2D(2, name="pool1")(x)
    x = keras.layers.Conv2D(8, 3, activation="relu", name="conv2")(x)
    x = keras.layers.GlobalAveragePooling2D(name="gap")(x)
    x = keras.layers.Dense(5, activation="softmax", name="probs")(x)
    model = keras.Model(inp, x, name="keras_cnn")
    randomize_norms(model, rng)
    sharpen_classifier(model, "probs", 4.0)
    model.export(os.path.join(out, "model"), verbose=False)
    feeds = {"image": common.randn(rng, (2, 12, 12, 3))}
    return {"serving_default": feeds}


# --- TF2: tf.Module with two signatures ------------------------------------------


class TwoSignatures(tf.Module):
    """Two signatures sharing variables and a nested tf.function (so the
    serving functions call functions that call functions), with a captured
    constant and multi-output ops (Split, Unpack) inside function bodies."""

    def __init__(self, rng):
        super().__init__()
        self.w = tf.Variable(common.randn(rng, (3, 6)), name="w")
        self.b = tf.Variable(common.randn(rng, (6,)), name="b")
        self.v = tf.Variable(common.randn(rng, (2, 3)), name="v")
        self.scale = tf.constant(np.float32(1.5))
        self.table = tf.Variable(common.randn(rng, (10, 4)), name="table")

    @tf.function(autograph=False)
    def dense(self, a):
        return tf.nn.relu(tf.matmul(a, self.w) + self.b)

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32, name="a")], autograph=False)
    def predict(self, a):
        h = self.dense(a)
        p, q, r = tf.split(h, 3, axis=1)
        return {"y": (p * q - r) * self.scale, "z": tf.tanh(h)}

    @tf.function(input_signature=[tf.TensorSpec([2, 3], tf.float32, name="a"),
                                  tf.TensorSpec([2, 3], tf.float32, name="c")], autograph=False)
    def combine(self, a, c):
        rows = tf.unstack(a * self.v + c, axis=0)
        return {"s": rows[1] - rows[0], "t": tf.reduce_sum(self.dense(c), axis=1)}

    @tf.function(input_signature=[tf.TensorSpec([5], tf.int32, name="ids")], autograph=False)
    def lookup(self, ids):
        # A read of a resource variable by index: ResourceGather.
        return {"e": tf.nn.embedding_lookup(self.table, ids) * 2.0}


@savedmodel("module_two_sigs",
            "tf.Module saved with tf.saved_model.save and three signatures: serving_default "
            "(a [?,3] -> y [?,2], z [?,6]; a nested tf.function dense layer, Split, a captured "
            "constant), second (a [2,3], c [2,3] -> s [3], t [2]; Unpack and the same nested "
            "function) and lookup (ids int32 [5] -> e [5,4]: tf.nn.embedding_lookup of a "
            "variable, a ResourceGather). Variables shared by the signatures.")
def build_module_two_sigs(out, rng, log, description):
    m = TwoSignatures(rng)
    tf.saved_model.save(m, os.path.join(out, "model"),
                        signatures={"serving_default": m.predict, "second": m.combine,
                                    "lookup": m.lookup})
    return {
        "serving_default": {"a": common.randn(rng, (4, 3))},
        "second": {"a": common.randn(rng, (2, 3)), "c": common.randn(rng, (2, 3))},
        "lookup": {"ids": np.array([3, 0, 9, 3, 5], dtype=np.int32)},
    }


# --- TF1: SavedModelBuilder ------------------------------------------------------


def _tf1_dense(x, n_in, n_out, name, rng):
    with v1.variable_scope(name):
        w = v1.get_variable("weights", initializer=common.randn(rng, (n_in, n_out)), use_resource=False)
        b = v1.get_variable("biases", initializer=common.randn(rng, (n_out,), scale=0.1), use_resource=False)
        return tf.nn.bias_add(tf.matmul(x, w), b)


@savedmodel("tf1_builder",
            "TF1 graph (tf.compat.v1, reference variables: VariableV2 + Identity reads) saved "
            "with tf.compat.v1.saved_model.Builder: meta graphs tagged serve (signatures "
            "serving_default: x [?,6] -> probs [?,3]; logits: x -> logits) and train. "
            "Dense(6->8, relu), Dense(8->3), softmax.")
def build_tf1_builder(out, rng, log, description):
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 6], name="x")
        h = tf.nn.relu(_tf1_dense(x, 6, 8, "layer1", rng))
        logits = _tf1_dense(h, 8, 3, "layer2", rng)
        probs = tf.nn.softmax(logits * 3.0, name="probs")
        with v1.Session(graph=g) as sess:
            sess.run(v1.global_variables_initializer())
            b = v1.saved_model.Builder(os.path.join(out, "model"))
            b.add_meta_graph_and_variables(sess, ["serve"], signature_def_map={
                "serving_default": v1.saved_model.predict_signature_def({"x": x}, {"probs": probs}),
                "logits": v1.saved_model.predict_signature_def({"x": x}, {"logits": logits}),
            })
            b.add_meta_graph(["train"])
            b.save()
    x = common.randn(rng, (3, 6))
    savedmodel_cases(out, "tf1_builder", description,
                     {"serving_default": {"x": x}, "logits": {"x": x}}, log=log, tags=["serve"])
    return None


# --- TF1: sharded checkpoint with a .meta graph ---------------------------------


@savedmodel("tf1_checkpoint",
            "TF1 checkpoint written by tf.compat.v1.train.Saver(sharded=True) with variables on "
            "two devices (/cpu:0: reference variables layer1/w, layer1/b; /cpu:1: resource "
            "variables layer2/w, layer2/b), so two data shards; model.meta holds the graph and "
            "the saver. No signatures: the case names input:0 and output:0.")
def build_tf1_checkpoint(out, rng, log, description):
    ckpt = os.path.join(out, "ckpt")
    os.makedirs(ckpt)
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [2, 5], name="input")
        with tf.device("/cpu:0"):
            w1 = v1.get_variable("layer1/w", initializer=common.randn(rng, (5, 7)), use_resource=False)
            b1 = v1.get_variable("layer1/b", initializer=common.randn(rng, (7,), scale=0.1), use_resource=False)
        with tf.device("/cpu:1"):
            w2 = v1.get_variable("layer2/w", initializer=common.randn(rng, (7, 3)), use_resource=True)
            b2 = v1.get_variable("layer2/b", initializer=common.randn(rng, (3,), scale=0.1), use_resource=True)
        h = tf.tanh(tf.matmul(x, w1) + b1)
        tf.identity(tf.matmul(h, w2) + b2, name="output")
        saver = v1.train.Saver(sharded=True)
        cfg = v1.ConfigProto(device_count={"CPU": 2})
        with v1.Session(graph=g, config=cfg) as sess:
            sess.run(v1.global_variables_initializer())
            saver.save(sess, os.path.join(ckpt, "model"), write_meta_graph=True,
                       write_state=False)
    shards = sorted(f for f in os.listdir(ckpt) if ".data-" in f)
    if len(shards) != 2:
        raise AssertionError(f"tf1_checkpoint: want 2 data shards, have {shards}")

    # TF runs the model as restored from disk.
    feed = common.randn(rng, (2, 5))
    g = tf.Graph()
    with g.as_default():
        saver = v1.train.import_meta_graph(os.path.join(ckpt, "model.meta"))
        with v1.Session(graph=g, config=v1.ConfigProto(device_count={"CPU": 2})) as sess:
            saver.restore(sess, os.path.join(ckpt, "model"))
            y = sess.run("output:0", feed_dict={"input:0": feed})
            frozen = v1.graph_util.convert_variables_to_constants(sess, g.as_graph_def(), ["output"])
    hist = _histogram(frozen)
    write_case(os.path.join(out, "default"), "tf1_checkpoint/default",
               description, "../ckpt/model.meta", "",
               [("input:0", feed)], [("output:0", y)], hist, common.MODEL_TOL)
    log("tf1_checkpoint: tf frozen ops " + ",".join(f"{k}={v}" for k, v in hist.items()))
    return None



def write_checkpoint_listing(prefix, path):
    """Writes what TensorFlow's own checkpoint reader sees in the bundle with
    this prefix: every key with its dtype, shape and (numeric tensors) all
    values, flattened; for the Go bundle reader's tests."""
    reader = tf.train.load_checkpoint(prefix)
    dtypes = reader.get_variable_to_dtype_map()
    shapes = reader.get_variable_to_shape_map()
    out = {}
    for key in sorted(dtypes):
        e = {"dtype": dtypes[key].name, "shape": list(shapes[key])}
        if dtypes[key] != tf.string:
            e["values"] = [float(v) if dtypes[key].is_floating else int(v)
                           for v in np.asarray(reader.get_tensor(key)).reshape(-1)]
        out[key] = e
    with open(path, "w") as f:
        f.write(dumps({"prefix": os.path.relpath(prefix, os.path.dirname(path)), "tensors": out}) + "\n")


def generate(name, description, build, root=SAVEDMODELS_DIR, log=print):
    rng = np.random.default_rng(seed_of(name))
    keras.utils.set_random_seed(seed_of(name))
    out = os.path.join(root, name)
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    feeds = build(out, rng, log, description)
    if feeds is not None:
        savedmodel_cases(out, name, description, feeds, log=log)
    if os.path.isdir(os.path.join(out, "ckpt")):
        prefix = os.path.join(out, "ckpt", "model")
    else:
        prefix = os.path.join(out, "model", "variables", "variables")
    write_checkpoint_listing(prefix, os.path.join(out, "tf_checkpoint.json"))
    # fingerprint.pb holds hashes of the other files; keep it (TF writes it).
    return out


def generate_all(only=None, log=print):
    done, failed = 0, []
    for name, description, build in REGISTRY:
        if not common.matches(name, only):
            continue
        try:
            generate(name, description, build, log=log)
            done += 1
        except Exception as e:  # report every failure, fail at the end
            failed.append(name)
            log(f"FAILED {name}: {type(e).__name__}: {e}")
    if only is None:
        known = {n for n, _, _ in REGISTRY}
        for n in os.listdir(SAVEDMODELS_DIR):
            p = os.path.join(SAVEDMODELS_DIR, n)
            if os.path.isdir(p) and n not in known:
                shutil.rmtree(p)
    return done, failed


# --- Keras ResNet50 (--resnet50-savedmodel, git-ignored) ----------------------------


def generate_resnet50(log=print):
    """keras.applications.ResNet50(weights=None), seeded random weights and
    BatchNorm statistics, exported with model.export into
    testdata/large/resnet50_savedmodel/model, with a serving_default case."""
    name = "resnet50_savedmodel"
    rng = np.random.default_rng(seed_of(name))
    keras.utils.set_random_seed(seed_of(name))
    out = RESNET50_DIR
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    model = keras.applications.ResNet50(weights=None)
    randomize_norms(model, rng)
    sharpen_classifier(model, "predictions", 5.0)
    model.export(os.path.join(out, "model"), verbose=False)
    feeds = {"serving_default": common.randn(rng, (1, 224, 224, 3))}
    savedmodel_cases(out, name, "keras.applications.ResNet50(weights=None) exported with "
                     "model.export; seeded random weights and BatchNorm statistics.", feeds, log=log)
    return out
