"""The Python side of bench/run.sh: the peers tfc is measured against.

    peers.py versions
        print the versions of Python and the pinned packages as JSON
    peers.py infer --engine onnxruntime --onnx M.onnx CASE_DIR
    peers.py infer --engine opencv-dnn [--fold-dir DIR] CASE_DIR
        load once, run --warmup untimed inferences, time --runs inferences
        one by one on the case's inputs (input_<i>.npy), compare with
        TensorFlow's outputs (output_<i>.npy), print one JSON object with
        the fields of bench/internal/results.InferRun

OpenCV dnn reads the frozen graph itself (cv2.dnn.readNetFromTensorflow).
When it cannot, the error is recorded and, with --fold-dir, the graph is
constant-folded by TensorFlow's grappler (the usual preparation of a TF
graph for OpenCV) and read again; the note says so. A model neither
reads is "unsupported", which is a result, not a failure of the run.
"""

import argparse
import json
import os
import sys
import time
import traceback


def versions():
    import importlib.metadata as md
    out = {"python": sys.version.split()[0]}
    for p in ["tensorflow-cpu", "tf2onnx", "onnx", "onnxruntime",
              "opencv-python-headless", "numpy", "protobuf"]:
        try:
            out[p] = md.version(p)
        except md.PackageNotFoundError:
            out[p] = "not installed"
    print(json.dumps(out))


def load_case(case_dir):
    import numpy as np
    with open(os.path.join(case_dir, "case.json")) as f:
        case = json.load(f)
    ins = [(t["name"], np.load(os.path.join(case_dir, t["file"]))) for t in case["inputs"]]
    outs = [(t["name"], np.load(os.path.join(case_dir, t["file"]))) for t in case["outputs"]]
    return case, ins, outs


def max_abs(got, want):
    import numpy as np
    if len(got) != len(want):
        raise ValueError(f"{len(got)} outputs, TensorFlow has {len(want)}")
    err = 0.0
    for g, (name, w) in zip(got, want):
        g = np.asarray(g)
        if g.shape != w.shape:
            if g.size != w.size:
                raise ValueError(f"output {name}: shape {g.shape}, TensorFlow {w.shape}")
            g = g.reshape(w.shape)
        err = max(err, float(np.max(np.abs(g.astype(np.float64) - w.astype(np.float64)))) if w.size else 0.0)
    return err


def timed(run, warmup, runs):
    for _ in range(warmup):
        got = run()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        got = run()
        times.append(time.perf_counter() - t)
    return times, got


def ort_engine(args, res, ins):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = os.cpu_count()
    res["threads"] = os.cpu_count()
    res["note"] = f"tf2onnx opset 17 model, CPUExecutionProvider, graph optimizations: all"
    t = time.perf_counter()
    sess = ort.InferenceSession(args.onnx, so, providers=["CPUExecutionProvider"])
    res["prepare_s"] = time.perf_counter() - t
    feed = {name: x for name, x in ins}
    names = [o.name for o in sess.get_outputs()]
    return lambda: sess.run(names, feed)


def grappler_fold(pb, outputs):
    """Constant-folds a frozen graph with TensorFlow's grappler."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf
    from tensorflow.core.protobuf import config_pb2, meta_graph_pb2
    from tensorflow.python.grappler import tf_optimizer
    gd = tf.compat.v1.GraphDef()
    with open(pb, "rb") as f:
        gd.ParseFromString(f.read())
    with tf.Graph().as_default() as graph:
        tf.import_graph_def(gd, name="")
        meta = tf.compat.v1.train.export_meta_graph(graph=graph)
    fetch = meta_graph_pb2.CollectionDef()
    for o in outputs:
        fetch.node_list.value.append(o.split(":")[0])
    meta.collection_def["train_op"].CopyFrom(fetch)
    config = config_pb2.ConfigProto()
    rw = config.graph_options.rewrite_options
    rw.optimizers[:] = ["constfold"]
    rw.min_graph_nodes = -1
    return tf_optimizer.OptimizeGraph(config, meta)


def opencv_engine(args, res, case, ins):
    import cv2
    import numpy as np
    cv2.setNumThreads(os.cpu_count())
    res["threads"] = cv2.getNumThreads()
    pb = os.path.join(args.case, "model.pb")
    t = time.perf_counter()
    try:
        net = cv2.dnn.readNetFromTensorflow(pb)
        res["note"] = "cv2.dnn.readNetFromTensorflow on the frozen graph as is"
    except cv2.error as e:
        raw = str(e).strip().splitlines()[-1]
        if not args.fold_dir:
            raise
        outputs = [t["name"] for t in case["outputs"]]
        tf0 = time.perf_counter()
        folded = grappler_fold(pb, outputs)
        fold_s = time.perf_counter() - tf0
        os.makedirs(args.fold_dir, exist_ok=True)
        path = os.path.join(args.fold_dir, os.path.basename(os.path.normpath(args.case)) + ".folded.pb")
        with open(path, "wb") as f:
            f.write(folded.SerializeToString())
        note = (f"the frozen graph as is fails ({raw}); read after TF grappler constant "
                f"folding ({fold_s:.1f} s, not counted in prepare_s)")
        res["note"] = note
        t = time.perf_counter()
        try:
            net = cv2.dnn.readNetFromTensorflow(path)
        except cv2.error as e2:
            raise RuntimeError(f"as is: {raw}; after constant folding: {str(e2).strip().splitlines()[-1]}")
    net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
    net.setPreferableTarget(cv2.dnn.DNN_TARGET_CPU)
    if len(ins) != 1:
        raise RuntimeError(f"{len(ins)} inputs; this harness feeds one")
    x = ins[0][1]
    # OpenCV's TF importer takes NCHW blobs for NHWC graphs.
    blob = np.ascontiguousarray(x.transpose(0, 3, 1, 2)) if x.ndim == 4 else x
    out_names = [t["name"].split(":")[0] for t in case["outputs"]]

    def run():
        net.setInput(blob)
        if len(out_names) == 1:
            outs = [net.forward()]
        else:
            outs = net.forward(out_names)
        fixed = []
        for o, t in zip(outs, case["outputs"]):
            if o.ndim == 4 and len(t["shape"]) == 4:
                o = o.transpose(0, 2, 3, 1)
            fixed.append(o)
        return fixed
    run()  # OpenCV allocates and sets up layers on the first forward
    res["prepare_s"] = time.perf_counter() - t
    return run


def infer(args):
    res = {"engine": args.engine, "status": "failed", "threads": 0, "prepare_s": 0.0,
           "warmup": args.warmup, "times_s": [], "max_abs_err": 0.0}
    try:
        case, ins, want = load_case(args.case)
    except Exception as e:
        res["error"] = f"reading the case: {e}"
        print(json.dumps(res))
        return
    try:
        if args.engine == "onnxruntime":
            run = ort_engine(args, res, ins)
        elif args.engine == "opencv-dnn":
            run = opencv_engine(args, res, case, ins)
        else:
            raise SystemExit(f"unknown engine {args.engine}")
        times, got = timed(run, args.warmup, args.runs)
    except Exception as e:
        res["status"] = "unsupported"
        res["error"] = " ".join(str(e).split())[-600:] or type(e).__name__
        print(json.dumps(res))
        traceback.print_exc(file=sys.stderr)
        return
    res["times_s"] = times
    try:
        res["max_abs_err"] = max_abs(got, want)
        res["status"] = "ok"
    except Exception as e:
        res["status"] = "failed"
        res["error"] = str(e)
    print(json.dumps(res))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("versions")
    q = sub.add_parser("infer")
    q.add_argument("--engine", required=True, choices=["onnxruntime", "opencv-dnn"])
    q.add_argument("--onnx", help="the .onnx model (onnxruntime)")
    q.add_argument("--fold-dir", help="where to write a constant-folded graph if OpenCV needs one")
    q.add_argument("--warmup", type=int, default=2)
    q.add_argument("--runs", type=int, default=10)
    q.add_argument("case")
    args = p.parse_args()
    if args.cmd == "versions":
        versions()
    else:
        infer(args)


if __name__ == "__main__":
    main()
