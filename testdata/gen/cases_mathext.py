"""Bitwise ops (i32/i64, negative values, shift counts out of range),
Atan2/Xlogy/Xdivy/Xlog1py/ApproximateEqual/Cross/Bucketize (zeros, NaN,
infinities, broadcasting, empty tensors), the loss ops
(SoftmaxCrossEntropyWithLogits, SparseSoftmaxCrossEntropyWithLogits,
L2Loss), EuclideanNorm and SparseMatMul."""

import numpy as np
import keras
import tensorflow as tf

from common import Spec, randn, register

I32 = np.iinfo(np.int32)
I64 = np.iinfo(np.int64)


def _ints(rng, shape, dtype):
    info = np.iinfo(dtype)
    x = rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
    flat = x.reshape(-1)
    edge = [info.min, info.max, -1, 0, 1, 255, -256]
    flat[: min(len(edge), flat.size)] = edge[: min(len(edge), flat.size)]
    return x


def _bin(name, desc, fn, xs, ys, expect, names=("x", "y")):
    def build(rng):
        return Spec(fn=fn, inputs=[xs(rng), ys(rng)], names=list(names))

    register(name, desc, build, expect=expect)


for op, f in [("and", tf.bitwise.bitwise_and), ("or", tf.bitwise.bitwise_or), ("xor", tf.bitwise.bitwise_xor)]:
    tfop = "Bitwise" + op.capitalize()
    _bin(f"bitwise_{op}_int32", f"{tfop} of int32 [4,5] with MIN, MAX, -1, 0 and random values.", f,
         lambda r: _ints(r, (4, 5), np.int32), lambda r: _ints(r, (4, 5), np.int32), [tfop])
    _bin(f"bitwise_{op}_int64_broadcast", f"{tfop} of int64 [3,4] and [4] (broadcast), extremes included.", f,
         lambda r: _ints(r, (3, 4), np.int64), lambda r: _ints(r, (4,), np.int64), [tfop])


def _inv(name, dtype):
    def build(rng):
        return Spec(fn=tf.bitwise.invert, inputs=[_ints(rng, (9,), dtype)])

    register(name, f"Invert of {np.dtype(dtype).name} with MIN, MAX, -1, 0.", build, expect=["Invert"])


_inv("invert_int32", np.int32)
_inv("invert_int64", np.int64)
_inv_empty = register("invert_int32_empty", "Invert of an empty int32 [0,3].",
                      lambda rng: Spec(fn=tf.bitwise.invert, inputs=[np.zeros((0, 3), np.int32)]), expect=["Invert"])


def _shift(name, fn, tfop, dtype, yshape=(12,)):
    bits = np.iinfo(dtype).bits

    def build(rng):
        x = _ints(rng, (12,), dtype)
        counts = np.array([0, 1, 3, bits - 2, bits - 1, bits, bits + 5, -1, -7, 8, 17, 2], dtype=dtype)
        y = counts if yshape == (12,) else counts[:1].reshape(yshape)
        return Spec(fn=fn, inputs=[x, y], names=["x", "y"])

    register(name, f"{tfop} of {np.dtype(dtype).name}: counts 0..{bits + 5}, negative and ≥ bits (TensorFlow clamps to "
             f"[0, {bits - 1}]), negative values.", build, expect=[tfop])


_shift("left_shift_int32", tf.bitwise.left_shift, "LeftShift", np.int32)
_shift("left_shift_int64", tf.bitwise.left_shift, "LeftShift", np.int64)
_shift("right_shift_int32", tf.bitwise.right_shift, "RightShift", np.int32)
_shift("right_shift_int64", tf.bitwise.right_shift, "RightShift", np.int64)
_shift("right_shift_int32_scalar_count", tf.bitwise.right_shift, "RightShift", np.int32, yshape=())


def _specials(rng, shape):
    x = randn(rng, shape) * 3
    flat = x.reshape(-1)
    vals = [0.0, -0.0 * 0 + 0.0, np.nan, np.inf, -np.inf, 1.0, -2.0]
    flat[: len(vals)] = vals
    return x


def _atan2(rng):
    y = randn(rng, (6, 6))
    x = randn(rng, (6, 6))
    # quadrant edges: zeros, infinities, NaN
    y[0, :] = [0.0, 1.0, -1.0, np.inf, -np.inf, np.inf]
    x[0, :] = [1.0, 0.0, 0.0, 2.0, -3.0, np.inf]
    y[1, :] = [np.inf, -np.inf, np.nan, 1.0, 0.0, 0.0]
    x[1, :] = [-np.inf, np.inf, 1.0, np.nan, -1.0, 0.0]
    y[2, :] = [-1.0, 1.0, 2.0, -2.0, 1e-30, -1e30]
    x[2, :] = [-1.0, -1.0, -1e-30, -5.0, 1e30, 1e-30]
    return y, x


register("atan2_quadrants", "Atan2 of [6,6]: every quadrant, zeros, ±Inf on either or both sides, NaN, huge ratios.",
         lambda rng: Spec(fn=tf.math.atan2, inputs=list(_atan2(rng)), names=["y", "x"]), expect=["Atan2"])
_bin("atan2_broadcast", "Atan2 of [3,1,4] and [5,1] (broadcast).", tf.math.atan2,
     lambda r: randn(r, (3, 1, 4)), lambda r: randn(r, (5, 1)), ["Atan2"], names=("y", "x"))

for op, f in [("xlogy", tf.math.xlogy), ("xdivy", tf.math.xdivy), ("xlog1py", tf.math.xlog1py)]:
    tfop = {"xlogy": "Xlogy", "xdivy": "Xdivy", "xlog1py": "Xlog1py"}[op]

    def mk_y(r, op=op):
        y = np.abs(randn(r, (4, 5))) + 0.1
        y[0, :] = [0.0, np.nan, np.inf, -1.0, 0.5]
        y[1, :] = [0.0, np.nan, -1.0, 2.0, 0.0]
        return y

    def mk_x(r):
        x = randn(r, (4, 5))
        x[0, :] = 0.0
        x[1, :] = [1.0, 2.0, 0.0, np.nan, -1.0]
        return x

    _bin(f"{op}_zeros_nan", f"{tfop} of [4,5]: x = 0 against y = 0, NaN, Inf, negative (0 whatever y); NaN x.",
         f, mk_x, mk_y, [tfop])
    _bin(f"{op}_broadcast", f"{tfop} of [2,1,3] and [4,1] (broadcast).", f,
         lambda r: randn(r, (2, 1, 3)), lambda r: np.abs(randn(r, (4, 1))) + 0.5, [tfop])


def _approx(name, tol, dtype=np.float32):
    def build(rng):
        x = randn(rng, (3, 5)).astype(dtype)
        d = np.array([0.0, 1e-6, 1e-4, 0.5, -1e-6], dtype=np.float32)
        y = (x + d).astype(dtype)
        if dtype == np.float32:
            x[2, 0], y[2, 1] = np.nan, np.inf
        return Spec(fn=lambda x, y: tf.raw_ops.ApproximateEqual(x=x, y=y, tolerance=tol), inputs=[x, y], names=["x", "y"])

    register(name, f"ApproximateEqual of {np.dtype(dtype).name} [3,5], tolerance {tol}: differences around it, NaN, Inf.",
             build, expect=["ApproximateEqual"])


_approx("approximate_equal_default", 1e-5)
_approx("approximate_equal_tol_0p01", 0.01)

_bin("cross_batch", "Cross of [4,3] vectors.", tf.linalg.cross, lambda r: randn(r, (4, 3)), lambda r: randn(r, (4, 3)),
     ["Cross"], names=("a", "b"))
_bin("cross_int32_rank3", "Cross of int32 [2,2,3].", tf.linalg.cross,
     lambda r: r.integers(-9, 10, (2, 2, 3)).astype(np.int32), lambda r: r.integers(-9, 10, (2, 2, 3)).astype(np.int32),
     ["Cross"], names=("a", "b"))


def _bucketize(name, bounds, x, desc):
    register(name, f"Bucketize with boundaries {bounds}: {desc}",
             lambda rng: Spec(fn=lambda v: tf.raw_ops.Bucketize(input=v, boundaries=bounds), inputs=[x(rng)]),
             expect=["Bucketize"])


_bucketize("bucketize_edges_nan", [-1.0, 0.0, 0.5, 2.0],
           lambda r: np.array([[-3, -1, -0.5, 0], [0.5, 0.7, 2, 9], [np.nan, np.inf, -np.inf, 1]], np.float32),
           "values on the boundaries (upper bound: counted), NaN, ±Inf.")
_bucketize("bucketize_int32", [0.0, 10.0, 100.0], lambda r: np.array([-5, 0, 9, 10, 99, 100, 1000], np.int32), "int32 input.")
_bucketize("bucketize_empty_boundaries", [], lambda r: randn(r, (2, 3)), "no boundaries (all 0).")
_bucketize("bucketize_empty_input", [1.0, 2.0], lambda r: np.zeros((0, 4), np.float32), "an empty [0,4] input.")


def _xent(name, lshape, labels_fn, desc):
    def build(rng):
        logits = randn(rng, lshape) * 3
        logits.reshape(-1)[0] = 50.0
        labels = labels_fn(rng)

        def fn(f, l):
            loss, bp = tf.raw_ops.SoftmaxCrossEntropyWithLogits(features=f, labels=l)
            return loss, bp

        return Spec(fn=fn, inputs=[logits, labels], names=["logits", "labels"])

    register(name, f"SoftmaxCrossEntropyWithLogits: {desc} (loss and backprop).", build,
             expect=["SoftmaxCrossEntropyWithLogits"])


def _soft_labels(shape):
    def f(rng):
        p = np.abs(randn(rng, shape)) + 0.01
        return (p / p.sum(axis=-1, keepdims=True)).astype(np.float32)
    return f


_xent("softmax_xent_soft_labels", (4, 6), _soft_labels((4, 6)), "logits [4,6] with one large value, soft labels")
_xent("softmax_xent_broadcast_labels", (3, 5), _soft_labels((1, 5)), "labels [1,5] broadcast over logits [3,5]")


def _sparse_xent(name, ldtype, desc):
    def build(rng):
        logits = randn(rng, (5, 7)) * 4
        logits[1, 2] = -60.0
        labels = np.array([0, 6, 2, 3, 3], dtype=ldtype)

        def fn(f, l):
            loss, bp = tf.raw_ops.SparseSoftmaxCrossEntropyWithLogits(features=f, labels=l)
            return loss, bp

        return Spec(fn=fn, inputs=[logits, labels], names=["logits", "labels"])

    register(name, f"SparseSoftmaxCrossEntropyWithLogits: {desc} (loss and backprop).", build,
             expect=["SparseSoftmaxCrossEntropyWithLogits"])


_sparse_xent("sparse_softmax_xent_int32", np.int32, "logits [5,7], int32 labels (first and last class, a very negative logit)")
_sparse_xent("sparse_softmax_xent_int64", np.int64, "logits [5,7], int64 labels")

register("l2_loss_rank3", "L2Loss of [3,4,5].", lambda rng: Spec(fn=tf.nn.l2_loss, inputs=[randn(rng, (3, 4, 5))]),
         expect=["L2Loss"])
register("l2_loss_scalar", "L2Loss of a scalar.", lambda rng: Spec(fn=tf.nn.l2_loss, inputs=[np.float32(-3.5)]),
         expect=["L2Loss"])
register("l2_loss_empty", "L2Loss of an empty [0,3] (0).", lambda rng: Spec(fn=tf.nn.l2_loss, inputs=[np.zeros((0, 3), np.float32)]),
         expect=["L2Loss"])


def _enorm(name, shape, axes, keep, desc=""):
    def build(rng):
        x = randn(rng, shape)
        return Spec(fn=lambda v: tf.raw_ops.EuclideanNorm(input=v, axis=tf.constant(axes, tf.int32), keep_dims=keep),
                    inputs=[x])

    register(name, f"EuclideanNorm of {list(shape)} over {axes}, keep_dims={keep}. {desc}", build, expect=["EuclideanNorm"])


_enorm("euclidean_norm_neg_axis", (3, 4, 5), [-1], False, "Negative axis.")
_enorm("euclidean_norm_two_axes_keep", (3, 4, 5), [0, 2], True)
_enorm("euclidean_norm_no_axes", (2, 3), np.zeros((0,), np.int32), False, "No axes: sqrt(x·x) elementwise.")


def _sparse_matmul(name, ta, tb, desc):
    def build(rng):
        a = randn(rng, (5, 3) if ta else (3, 5))
        b = randn(rng, (4, 5) if tb else (5, 4))
        a[0, :] = 0.0
        return Spec(fn=lambda a, b: tf.raw_ops.SparseMatMul(a=a, b=b, transpose_a=ta, transpose_b=tb, a_is_sparse=True),
                    inputs=[a, b], names=["a", "b"])

    register(name, f"SparseMatMul {desc}.", build, expect=["SparseMatMul"])


_sparse_matmul("sparse_matmul_plain", False, False, "[3,5]·[5,4], a_is_sparse, a zero row")
_sparse_matmul("sparse_matmul_transposed", True, True, "transpose_a and transpose_b")


# Search and ranking.

def _bound(name, op, dtype=np.float32, out_type=tf.int32):
    def build(rng):
        s = np.sort(rng.integers(-5, 6, (3, 8)).astype(dtype), axis=1)
        v = rng.integers(-7, 8, (3, 5)).astype(dtype)
        if dtype == np.float32:
            v[0, 0] = np.nan
            v[1, 1] = np.inf
        f = {"LowerBound": tf.raw_ops.LowerBound, "UpperBound": tf.raw_ops.UpperBound}[op]
        return Spec(fn=lambda s, v: f(sorted_inputs=s, values=v, out_type=out_type), inputs=[s, v], names=["s", "v"])

    register(name, f"{op} of sorted [3,8] with repeats and values [3,5] ({np.dtype(dtype).name}; on, between and past "
             f"the entries, NaN, Inf), out_type {out_type.name}.", build, expect=[op])


_bound("lower_bound_repeats_nan", "LowerBound")
_bound("lower_bound_int32_out_int64", "LowerBound", dtype=np.int32, out_type=tf.int64)
_bound("upper_bound_repeats_nan", "UpperBound")
_bound("upper_bound_int64", "UpperBound", dtype=np.int64)


def _in_top_k(name, k, v2=True, desc=""):
    def build(rng):
        p = randn(rng, (6, 5))
        p[1, :] = [0.5, 0.5, 0.5, 0.1, 0.9]   # ties with the target
        p[2, 3] = np.nan
        p[3, 0] = np.inf
        t = np.array([2, 1, 0, 0, 4, 3], dtype=np.int32)
        if v2:
            return Spec(fn=lambda p, t: tf.raw_ops.InTopKV2(predictions=p, targets=t, k=tf.constant(k)),
                        inputs=[p, t], names=["p", "t"])
        return Spec(fn=lambda p, t: tf.raw_ops.InTopK(predictions=p, targets=t, k=k), inputs=[p, t], names=["p", "t"])

    op = "InTopKV2" if v2 else "InTopK"
    register(name, f"{op} with k={k} of [6,5]: ties with the target, a NaN row, an Inf row. {desc}", build, expect=[op])


_in_top_k("in_top_k_v2_k2", 2)
_in_top_k("in_top_k_v2_k0", 0, desc="k = 0: all false.")
_in_top_k("in_top_k_v1_k3", 3, v2=False)
_in_top_k("in_top_k_v1_k1", 1, v2=False)


def _nth(name, shape, nth, reverse, dtype=np.float32):
    def build(rng):
        x = rng.permutation(np.prod(shape)).reshape(shape).astype(dtype)
        x.reshape(-1)[:2] = x.reshape(-1)[2]  # a tie
        return Spec(fn=lambda v: tf.raw_ops.NthElement(input=v, n=nth, reverse=reverse), inputs=[x])

    register(name, f"NthElement n={nth} reverse={reverse} of {np.dtype(dtype).name} {list(shape)} with ties.", build,
             expect=["NthElement"])


_nth("nth_element_smallest", (3, 7), 2, False)
_nth("nth_element_largest_int32", (2, 2, 5), 0, True, dtype=np.int32)
_nth("nth_element_vector_last", (6,), 5, False)


# Sequences and shape vectors.

def _linspace(name, num, runtime, desc):
    def build(rng):
        if runtime:
            return Spec(fn=lambda a, b: tf.raw_ops.LinSpace(start=a, stop=b, num=num), inputs=[np.float32(-1.5), np.float32(2.25)], names=["a", "b"])
        return Spec(fn=lambda x: x + tf.raw_ops.LinSpace(start=tf.constant(0.3), stop=tf.constant(-7.0), num=num), inputs=[randn(rng, (num,))])

    register(name, f"LinSpace with num={num}, {desc}.", build, expect=["LinSpace"])


_linspace("linspace_runtime", 7, True, "start and stop fed at run time")
_linspace("linspace_decreasing_const", 5, False, "constant decreasing range, added to an input")
_linspace("linspace_num1", 1, True, "a single value (start)")


def _unravel(name, idx, dims):
    register(name, f"UnravelIndex of {idx} in dims {dims}.",
             lambda rng: Spec(fn=lambda i: tf.unravel_index(i, tf.constant(dims, i.dtype)), inputs=[idx]),
             expect=["UnravelIndex"])


_unravel("unravel_index_vector", np.array([0, 5, 23, 11, 17], np.int32), [2, 3, 4])
_unravel("unravel_index_scalar_int64", np.int64(37), [5, 1, 8])


def _bargs(name, s0, s1):
    register(name, f"BroadcastArgs of {s0} and {s1} fed at run time.",
             lambda rng: Spec(fn=lambda a, b: tf.raw_ops.BroadcastArgs(s0=a, s1=b), inputs=[np.array(s0, np.int32),
                                                                                            np.array(s1, np.int32)],
                              names=["a", "b"]), expect=["BroadcastArgs"])


_bargs("broadcast_args_pad", [4, 1, 3], [5, 1])
_bargs("broadcast_args_ones", [1, 1], [1, 6, 1, 2])
_bargs("broadcast_args_empty", [], [2, 3])


def _dfvp(name, x, src="NHWC", dst="NCHW"):
    register(name, f"DataFormatVecPermute {src} → {dst} of {np.asarray(x).tolist()}.",
             lambda rng: Spec(fn=lambda v: tf.raw_ops.DataFormatVecPermute(x=v, src_format=src, dst_format=dst),
                              inputs=[np.array(x, np.int32)]), expect=["DataFormatVecPermute"])


_dfvp("data_format_vec_permute_vector", [1, 224, 160, 3])
_dfvp("data_format_vec_permute_matrix_back", [[0, 0], [1, 2], [3, 4], [0, 0]], src="NCHW", dst="NHWC")
_dfvp("data_format_vec_permute_spatial", [7, 9])

register("parallel_concat_three", "ParallelConcat of three [1,2,3] inputs.",
         lambda rng: Spec(fn=lambda a, b: tf.raw_ops.ParallelConcat(values=[a, b, a * 2.0], shape=[3, 2, 3]),
                          inputs=[randn(rng, (1, 2, 3)), randn(rng, (1, 2, 3))], names=["a", "b"]), expect=["ParallelConcat"])
register("parallel_concat_int32_one", "ParallelConcat of one int32 [1,4] input.",
         lambda rng: Spec(fn=lambda a: tf.raw_ops.ParallelConcat(values=[a], shape=[1, 4]),
                          inputs=[np.arange(4, dtype=np.int32).reshape(1, 4)]), expect=["ParallelConcat"])

register("guarantee_const_deep_copy", "GuaranteeConst and DeepCopy (identities) in a chain.",
         lambda rng: Spec(fn=lambda x: tf.raw_ops.DeepCopy(x=tf.raw_ops.GuaranteeConst(input=x) * 2.0) + 1.0,
                          inputs=[randn(rng, (2, 3))]), expect=["GuaranteeConst", "DeepCopy"])
register("deep_copy_int32_empty", "DeepCopy of an empty int32 [0,2] and GuaranteeConst of a scalar.",
         lambda rng: Spec(fn=lambda x, y: (tf.raw_ops.DeepCopy(x=x), tf.raw_ops.GuaranteeConst(input=y)),
                          inputs=[np.zeros((0, 2), np.int32), np.float32(3.0)], names=["x", "y"]),
         expect=["GuaranteeConst", "DeepCopy"])


def _dilation(name, shape, fshape, strides, rates, padding):
    def build(rng):
        x = randn(rng, shape)
        f = randn(rng, fshape) * 0.5
        return Spec(fn=lambda x, f: tf.nn.dilation2d(x, f, strides=strides, padding=padding, data_format="NHWC",
                                                     dilations=rates), inputs=[x, f], names=["x", "f"])

    register(name, f"Dilation2D of {list(shape)} by a filter {list(fshape)}, strides {strides}, rates {rates}, {padding}.",
             build, expect=["Dilation2D"])


_dilation("dilation2d_same_stride2", (2, 7, 6, 3), (3, 2, 3), [1, 2, 2, 1], [1, 1, 1, 1], "SAME")
_dilation("dilation2d_valid_rate2", (1, 8, 9, 2), (2, 3, 2), [1, 1, 1, 1], [1, 2, 2, 1], "VALID")
_dilation("dilation2d_same_rate3_stride3", (1, 10, 10, 1), (3, 3, 1), [1, 3, 2, 1], [1, 3, 2, 1], "SAME")


# Ops that had no case of their own (raw ops, so the graph holds them).

R = tf.raw_ops


def _one(name, desc, fn, inputs, expect, names=None):
    register(name, desc, lambda rng: Spec(fn=fn, inputs=inputs(rng), names=names), expect=expect)


def _sp(rng, shape=(3, 4)):
    return [_specials(rng, shape)]


for op in ["IsNan", "IsInf", "IsFinite"]:
    f = getattr(R, op)
    _one(f"{op.lower()}_specials", f"{op} of [3,4] with NaN, ±Inf, zeros.", lambda x, f=f: f(x=x), _sp, [op])
    _one(f"{op.lower()}_float16_empty", f"{op} of float16 [3,3] and of an empty [0,2].",
         lambda x, e, f=f: (f(x=x), f(x=e)),
         lambda r: [_specials(r, (3, 3)).astype(np.float16), np.zeros((0, 2), np.float32)], [op], names=["x", "e"])

for op in ["Mod", "TruncateMod"]:
    f = getattr(R, op)
    _one(f"{op.lower()}_float_signs", f"{op} of float [3,4] and [4] (broadcast), operands of both signs.",
         lambda x, y, f=f: f(x=x, y=y), lambda r: [randn(r, (3, 4)) * 5, np.array([1.5, -2.0, 3.25, -0.75], np.float32)],
         [op], names=["x", "y"])
    _one(f"{op.lower()}_int32_signs", f"{op} of int32 with negative dividends and divisors (truncated remainder).",
         lambda x, y, f=f: f(x=x, y=y), lambda r: [np.array([7, -7, 7, -7, 0, 13], np.int32),
                                                   np.array([3, 3, -3, -3, 5, -4], np.int32)], [op], names=["x", "y"])

_one("mul_no_nan_specials", "MulNoNan of [3,4] with NaN/Inf x against y = 0 (0) and y ≠ 0.",
     lambda x, y: R.MulNoNan(x=x, y=y), lambda r: [_specials(r, (3, 4)), np.array([0, 1.5, 0, -2], np.float32)],
     ["MulNoNan"], names=["x", "y"])
_one("mul_no_nan_broadcast", "MulNoNan of [2,1,3] and [4,1] with zeros in y.",
     lambda x, y: R.MulNoNan(x=x, y=y), lambda r: [randn(r, (2, 1, 3)), np.array([[0.0], [2.0], [0.0], [-1.0]], np.float32)],
     ["MulNoNan"], names=["x", "y"])

for op, f in [("Snapshot", lambda x: R.Snapshot(input=x)), ("PreventGradient", lambda x: R.PreventGradient(input=x)),
              ("CheckNumerics", lambda x: R.CheckNumerics(tensor=x, message="bad")),
              ("EnsureShape", lambda x: R.EnsureShape(input=x, shape=[2, None]))]:
    _one(f"{op.lower()}_chain", f"{op} (an identity) between two ops.", lambda x, f=f: f(x * 2.0) + 1.0,
         lambda r: [randn(r, (2, 3))], [op])
    _one(f"{op.lower()}_empty", f"{op} of an empty [2,0] tensor.", lambda x, f=f: f(x) * 3.0,
         lambda r: [np.zeros((2, 0), np.float32)], [op])

_one("concat_v1_neg_axis", "Concat (V1: axis first) of [2,3] and [2,1] on axis -1.",
     lambda a, b: R.Concat(concat_dim=-1, values=[a, b]), lambda r: [randn(r, (2, 3)), randn(r, (2, 1))], ["Concat"],
     names=["a", "b"])
_one("concat_v1_axis0_int32", "Concat (V1) of three int32 [1,2] on axis 0.",
     lambda a: R.Concat(concat_dim=0, values=[a, a * 2, a * 3]), lambda r: [np.array([[1, -2]], np.int32)], ["Concat"])
_one("conjugate_transpose_real", "ConjugateTranspose of real [2,3,4] by [2,0,1].",
     lambda x: R.ConjugateTranspose(x=x, perm=[2, 0, 1]), lambda r: [randn(r, (2, 3, 4))], ["ConjugateTranspose"])
_one("conjugate_transpose_int32", "ConjugateTranspose of int32 [3,2].",
     lambda x: R.ConjugateTranspose(x=x, perm=[1, 0]), lambda r: [np.arange(6, dtype=np.int32).reshape(3, 2)],
     ["ConjugateTranspose"])
_one("gather_v1_matrix_indices", "Gather (V1, axis 0) of [5,3] by [2,2] indices with repeats.",
     lambda x: R.Gather(params=x, indices=tf.constant([[4, 0], [4, 2]])), lambda r: [randn(r, (5, 3))], ["Gather"])
_one("gather_v1_runtime_indices", "Gather (V1) of int32 [4] by indices fed at run time.",
     lambda x, i: R.Gather(params=x, indices=i), lambda r: [np.array([10, 20, 30, 40], np.int32),
                                                           np.array([3, 3, 0], np.int32)], ["Gather"], names=["x", "i"])
_one("shape_n_scale", "ShapeN of [2,3] and [4]: the shapes scale the input.",
     lambda x, y: x * tf.cast(R.ShapeN(input=[x, y])[0][1] + R.ShapeN(input=[x, y])[1][0], tf.float32),
     lambda r: [randn(r, (2, 3)), randn(r, (4,))], ["ShapeN"], names=["x", "y"])
_one("shape_n_int64_out", "ShapeN with out_type int64 of three inputs, summed.",
     lambda x: tf.reduce_sum(tf.concat(R.ShapeN(input=[x, x[0], x[:, :1]], out_type=tf.int64), 0)),
     lambda r: [randn(r, (3, 5))], ["ShapeN"])
_one("bias_add_v1", "BiasAddV1 of [2,3,4] and a [4] bias.", lambda x, b: R.BiasAddV1(value=x, bias=b),
     lambda r: [randn(r, (2, 3, 4)), randn(r, (4,))], ["BiasAddV1"], names=["x", "b"])
_one("bias_add_v1_int32", "BiasAddV1 of int32 [3,2].", lambda x, b: R.BiasAddV1(value=x, bias=b),
     lambda r: [np.arange(6, dtype=np.int32).reshape(3, 2), np.array([5, -7], np.int32)], ["BiasAddV1"], names=["x", "b"])
_one("space_to_batch_v1_pad", "SpaceToBatch (V1) of [1,3,4,2] with block 2 and paddings [[1,0],[0,2]].",
     lambda x: R.SpaceToBatch(input=x, paddings=[[1, 0], [0, 2]], block_size=2),
     lambda r: [np.arange(24, dtype=np.float32).reshape(1, 3, 4, 2) / 10], ["SpaceToBatch"])
_one("space_to_batch_v1_int32", "SpaceToBatch (V1) of int32 [2,2,2,1], block 2, no padding.",
     lambda x: R.SpaceToBatch(input=x, paddings=[[0, 0], [0, 0]], block_size=2),
     lambda r: [np.arange(8, dtype=np.int32).reshape(2, 2, 2, 1)], ["SpaceToBatch"])
_one("batch_to_space_v1_crop", "BatchToSpace (V1) of [4,2,3,1] with block 2 and crops [[1,0],[0,1]].",
     lambda x: R.BatchToSpace(input=x, crops=[[1, 0], [0, 1]], block_size=2),
     lambda r: [np.arange(24, dtype=np.float32).reshape(4, 2, 3, 1) / 10], ["BatchToSpace"])
_one("batch_to_space_v1_int32", "BatchToSpace (V1) of int32 [4,1,1,2], block 2.",
     lambda x: R.BatchToSpace(input=x, crops=[[0, 0], [0, 0]], block_size=2),
     lambda r: [np.arange(8, dtype=np.int32).reshape(4, 1, 1, 2)], ["BatchToSpace"])
_one("max_pool_v2_same", "MaxPoolV2 (ksize and strides as tensors) 3x3/2 SAME of [1,7,6,2].",
     lambda x: R.MaxPoolV2(input=x, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME"),
     lambda r: [randn(r, (1, 7, 6, 2))], ["MaxPoolV2"])
_one("max_pool_v2_valid", "MaxPoolV2 2x3/1x2 VALID of [2,5,7,3].",
     lambda x: R.MaxPoolV2(input=x, ksize=[1, 2, 3, 1], strides=[1, 1, 2, 1], padding="VALID"),
     lambda r: [randn(r, (2, 5, 7, 3))], ["MaxPoolV2"])


def _inplace(name, op, idx, desc, dtype=np.float32):
    f = getattr(R, op)

    def build(rng):
        x = (randn(rng, (5, 3)) if dtype == np.float32 else rng.integers(-9, 10, (5, 3))).astype(dtype)
        v = (randn(rng, (len(idx), 3)) if dtype == np.float32 else rng.integers(-9, 10, (len(idx), 3))).astype(dtype)
        return Spec(fn=lambda x, v: f(x=x * 1, i=tf.constant(idx, tf.int32), v=v), inputs=[x, v], names=["x", "v"])

    register(name, f"{op} of {np.dtype(dtype).name} [5,3] at rows {idx}. {desc}", build, expect=[op])


_inplace("inplace_update_repeat", "InplaceUpdate", [3, 0, 3], "Row 3 twice: the last wins.")
_inplace("inplace_update_int32", "InplaceUpdate", [4], "One row.", dtype=np.int32)
_inplace("inplace_add_repeat", "InplaceAdd", [2, 2, 0, 2], "Row 2 three times: added in order.")
_inplace("inplace_add_int32", "InplaceAdd", [1, 4], "", dtype=np.int32)
_inplace("inplace_sub_repeat", "InplaceSub", [0, 4, 0], "Row 0 twice.")
_inplace("inplace_sub_int32", "InplaceSub", [3], "", dtype=np.int32)


def _hist(name, vals, rng_, nbins, desc, dtype=np.float32, out=tf.int32):
    register(name, f"HistogramFixedWidth over {rng_} with {nbins} bins: {desc}",
             lambda r: Spec(fn=lambda v: R.HistogramFixedWidth(values=v, value_range=tf.constant(rng_, v.dtype),
                                                               nbins=nbins, dtype=out), inputs=[vals(r)]),
             expect=["HistogramFixedWidth"])


_hist("histogram_fixed_width_edges", lambda r: np.array([[-3, 0, 0.5, 2], [4, 9.9, 10, 15], [6, 8, 1, 3.75]], np.float32),
      [0.0, 10.0], 5, "values below, on the bin edges, at and past the top.")
_hist("histogram_fixed_width_random_int64_out", lambda r: randn(r, (40,)), [-2.0, 2.0], 8, "random values, int64 counts.",
      out=tf.int64)
_hist("histogram_fixed_width_int32", lambda r: np.array([-5, 0, 1, 2, 3, 7, 9, 10, 100], np.int32), [0, 10], 4,
      "int32 values.")
_hist("histogram_fixed_width_one_bin", lambda r: randn(r, (2, 3)), [0.0, 1.0], 1, "one bin (counts everything).")


# Second cases (edge values) for ops that had one.

def _edge_vals(lo, hi, extra):
    def f(rng):
        x = rng.uniform(lo, hi, (3, 4)).astype(np.float32)
        flat = x.reshape(-1)
        flat[: len(extra)] = extra
        return [x]
    return f


_EDGE = {
    "Acos": (-0.99, 0.99, [np.nan, 1.0, -1.0, 1.5, 0.0]),
    "Asin": (-0.99, 0.99, [np.nan, 1.0, -1.0, -1.5, 0.0]),
    "Atanh": (-0.99, 0.99, [np.nan, 0.0, 1.0, -1.0, 2.0]),
    "Acosh": (1.0, 20.0, [np.nan, 1.0, np.inf, 0.5, 1e10]),
    "Asinh": (-20.0, 20.0, [np.nan, 0.0, np.inf, -np.inf, 1e10]),
    "Atan": (-20.0, 20.0, [np.nan, 0.0, np.inf, -np.inf, 1e10]),
    "Cos": (-10.0, 10.0, [np.nan, 0.0, 100.0, -1e3]),
    "Sin": (-10.0, 10.0, [np.nan, 0.0, 100.0, -1e3]),
    "Tan": (-1.5, 1.5, [np.nan, 0.0, 1.57, -1.57]),
    "Cosh": (-10.0, 10.0, [np.nan, 0.0, np.inf, -np.inf, 100.0]),
    "Sinh": (-10.0, 10.0, [np.nan, 0.0, np.inf, -np.inf, -100.0]),
    "Log": (0.01, 100.0, [np.nan, 0.0, np.inf, -1.0, 1.0]),
    "Log1p": (-0.99, 100.0, [np.nan, -1.0, np.inf, 0.0, 1e-8]),
    "Expm1": (-10.0, 10.0, [np.nan, 0.0, -np.inf, 1e-8, 100.0]),
    "Reciprocal": (-5.0, 5.0, [np.nan, 0.0, np.inf, -np.inf, 1e-30]),
    "Inv": (-5.0, 5.0, [np.nan, 0.0, np.inf, -np.inf, 1e-30]),
    "Ceil": (-5.0, 5.0, [np.nan, -0.5, np.inf, 2.0, -2.0]),
    "Floor": (-5.0, 5.0, [np.nan, -0.5, np.inf, 2.0, -2.0]),
    "Round": (-5.0, 5.0, [np.nan, 0.5, 1.5, 2.5, -2.5, -0.5]),
    "Rint": (-5.0, 5.0, [np.nan, 0.5, 1.5, 2.5, -2.5, -0.5]),
    "Elu": (-5.0, 5.0, [np.nan, 0.0, np.inf, -np.inf, -100.0]),
    "Selu": (-5.0, 5.0, [np.nan, 0.0, np.inf, -np.inf, -100.0]),
    "Softplus": (-5.0, 5.0, [np.nan, 0.0, 100.0, -100.0, 20.0]),
    "Softsign": (-5.0, 5.0, [np.nan, 0.0, np.inf, -np.inf, 1e10]),
}
for op, (lo, hi, extra) in _EDGE.items():
    f = getattr(R, op)
    _one(f"{op.lower()}_edges", f"{op} of [3,4] with NaN, zeros, the domain's edges and beyond, infinities: {extra}.",
         lambda x, f=f, op=op: f(features=x) if op in ("Elu", "Selu", "Softplus", "Softsign") else f(x=x),
         _edge_vals(lo, hi, extra), [op])

_one("add_n_int32_four", "AddN of four int32 [2,3].", lambda a, b: R.AddN(inputs=[a, b, a, b * 2]),
     lambda r: [r.integers(-9, 10, (2, 3)).astype(np.int32), r.integers(-9, 10, (2, 3)).astype(np.int32)], ["AddN"],
     names=["a", "b"])
_one("broadcast_to_int32_rank_up", "BroadcastTo of int32 [3,1] to [2,3,4].",
     lambda x: R.BroadcastTo(input=x, shape=[2, 3, 4]), lambda r: [np.array([[1], [-2], [3]], np.int32)], ["BroadcastTo"])
_one("clip_by_value_tensor_bounds", "ClipByValue with a run-time [3,4] min and a scalar max, NaN in x.",
     lambda x, lo, hi: R.ClipByValue(t=x, clip_value_min=lo, clip_value_max=hi),
     lambda r: [_specials(r, (3, 4)), np.tile(np.array([-1.0, 0.0, -3.0, 0.5], np.float32), (3, 1)), np.float32(2.0)],
     ["ClipByValue"],
     names=["x", "lo", "hi"])
_one("div_int32_truncates", "Div of int32 with negative operands (truncates toward zero).", lambda x, y: R.Div(x=x, y=y),
     lambda r: [np.array([7, -7, 7, -7, 0, 1], np.int32), np.array([2, 2, -2, -2, 3, -5], np.int32)], ["Div"], names=["x", "y"])
_one("div_no_nan_float_specials", "DivNoNan with NaN/Inf numerators against zero denominators.",
     lambda x, y: R.DivNoNan(x=x, y=y), lambda r: [_specials(r, (3, 4)), np.array([0, 2.0, 0, -0.5], np.float32)],
     ["DivNoNan"], names=["x", "y"])
_one("truncate_div_int64", "TruncateDiv of int64 with negative operands.", lambda x, y: R.TruncateDiv(x=x, y=y),
     lambda r: [np.array([7, -7, 7, -7, 9], np.int64), np.array([2, 2, -2, -2, 10], np.int64)], ["TruncateDiv"],
     names=["x", "y"])
_one("one_hot_axis0_negative", "OneHot axis 0, depth 4, with an index of -1 and one past the depth (all off).",
     lambda i: R.OneHot(indices=i, depth=4, on_value=2.5, off_value=-1.0, axis=0),
     lambda r: [np.array([0, 3, -1, 4, 2], np.int32)], ["OneHot"])
_one("rank_of_input", "Rank of a [2,3,4] input, scaling it.", lambda x: x * tf.cast(R.Rank(input=x), tf.float32),
     lambda r: [randn(r, (2, 3, 4))], ["Rank"])
_one("reverse_v2_neg_axes", "ReverseV2 of [2,3,4] over axes [-1, 0].", lambda x: R.ReverseV2(tensor=x, axis=[-1, 0]),
     lambda r: [np.arange(24, dtype=np.float32).reshape(2, 3, 4)], ["ReverseV2"])
_one("space_to_depth_block3_int32", "SpaceToDepth of int32 [1,6,3,2], block 3.",
     lambda x: R.SpaceToDepth(input=x, block_size=3), lambda r: [np.arange(36, dtype=np.int32).reshape(1, 6, 3, 2)],
     ["SpaceToDepth"])
_one("zeros_like_int32", "ZerosLike of int32 [2,3] added to it.", lambda x: R.ZerosLike(x=x) + x * 2,
     lambda r: [np.arange(6, dtype=np.int32).reshape(2, 3)], ["ZerosLike"])


def _clse(name, shape, axis, excl, rev, desc=""):
    def build(rng):
        x = randn(rng, shape) * 4
        x.reshape(-1)[1] = -np.inf
        x.reshape(-1)[3] = -60.0
        return Spec(fn=lambda v: R.CumulativeLogsumexp(x=v, axis=axis, exclusive=excl, reverse=rev), inputs=[x])

    register(name, f"CumulativeLogsumexp of {list(shape)} on axis {axis}, exclusive={excl}, reverse={rev}, with -Inf. {desc}",
             build, expect=["CumulativeLogsumexp"])


_clse("cumulative_logsumexp_last", (3, 6), -1, False, False)
_clse("cumulative_logsumexp_exclusive_reverse_axis0", (5, 2, 3), 0, True, True)
_clse("cumulative_logsumexp_exclusive", (7,), 0, True, False, "The first entry is -Inf.")


def _tridiag(name, batch, m, nn):
    def build(rng):
        sup, main, sub = (randn(rng, batch + (1, m)) for _ in range(3))
        x = randn(rng, batch + (m, nn))
        return Spec(fn=lambda a, b, c, x: R.TridiagonalMatMul(superdiag=a, maindiag=b, subdiag=c, rhs=x),
                    inputs=[sup, main, sub, x], names=["sup", "main", "sub", "x"])

    register(name, f"TridiagonalMatMul of batch {list(batch)}, M={m}, N={nn}.", build, expect=["TridiagonalMatMul"])


_tridiag("tridiagonal_matmul_batch", (2,), 5, 3)
_tridiag("tridiagonal_matmul_m1", (), 1, 4)
_tridiag("tridiagonal_matmul_m2", (), 2, 2)


# Graph patterns with no TensorFlow op of their own: they arrive as the
# elementwise ops Keras and tf.math emit.

def _prelu(rng):
    layer = keras.layers.PReLU(shared_axes=[1, 2])
    x = randn(rng, (2, 4, 5, 3))
    layer.build(x.shape)
    layer.set_weights([rng.uniform(0.05, 0.5, (1, 1, 3)).astype(np.float32)])
    return Spec(fn=lambda v: layer(v), inputs=[x])


register("pattern_keras_prelu", "Keras PReLU (alpha per channel, shared over H and W): relu(x) - alpha·relu(-x) as "
         "Keras emits it.", _prelu, expect=["Relu"])
register("pattern_hard_swish", "Keras hard_swish, x·relu6(x+3)/6, with values around -3 and 3.",
         lambda rng: Spec(fn=lambda v: keras.activations.hard_swish(v),
                          inputs=[np.concatenate([randn(rng, (12,)) * 4, np.array([-3, 3, 0, -3.5, 3.5], np.float32)])]),
         expect=[])
register("pattern_l2_normalize", "tf.math.l2_normalize over axis -1 (x·rsqrt(max(Σx², ε))), one all-zero row.",
         lambda rng: Spec(fn=lambda v: tf.math.l2_normalize(v, axis=-1),
                          inputs=[np.concatenate([randn(rng, (3, 6)), np.zeros((1, 6), np.float32)])]),
         expect=["Rsqrt", "Maximum"])

def _prelu_dense(rng):
    dense = keras.layers.Dense(6)
    layer = keras.layers.PReLU()
    x = randn(rng, (5, 4))
    dense.build(x.shape)
    layer.build((5, 6))
    layer.set_weights([rng.uniform(0.05, 0.6, (6,)).astype(np.float32)])
    return Spec(fn=lambda v: layer(dense(v)), inputs=[x])


register("pattern_keras_prelu_dense", "Keras Dense then PReLU (one alpha per feature, no shared axes): the [6] "
         "slope of a [5,6] activation.", _prelu_dense, expect=["Relu", "MatMul"])


def _prelu_conv(rng):
    conv = keras.layers.Conv2D(4, 3, padding="same")
    layer = keras.layers.PReLU(shared_axes=[1, 2])
    x = randn(rng, (1, 6, 6, 3))
    conv.build(x.shape)
    layer.build((1, 6, 6, 4))
    layer.set_weights([rng.uniform(0.05, 0.6, (1, 1, 4)).astype(np.float32)])
    return Spec(fn=lambda v: layer(conv(v)), inputs=[x])


register("pattern_keras_prelu_conv", "Keras Conv2D (NHWC) then PReLU shared over H and W: after the layout pass the "
         "slope is per channel of a channels-first activation.", _prelu_conv, expect=["Relu", "Conv2D"])
register("pattern_prelu_maximum", "PReLU written max(x, alpha·x) with a constant per-channel alpha in (0, 1] "
         "(one alpha exactly 1).",
         lambda rng: Spec(fn=lambda v: tf.maximum(v, v * tf.constant([0.1, 0.25, 1.0, 0.5], tf.float32)),
                          inputs=[randn(rng, (3, 5, 4))]), expect=["Maximum"])
register("pattern_hard_swish_mul_div", "Hard swish written x·relu6(x+3)/6 (tf.nn.relu6, a mul, then a div), "
         "with values around -3 and 3.",
         lambda rng: Spec(fn=lambda v: v * tf.nn.relu6(v + 3.0) / 6.0,
                          inputs=[np.concatenate([randn(rng, (2, 9)) * 4, np.array([[-3, 3, 0, -3.5, 3.5, -2.9, 2.9, 1, -1]], np.float32)])]),
         expect=["Relu6"])


def _mobilenetv3_hs(rng):
    conv = keras.layers.Conv2D(5, 1)
    x = randn(rng, (1, 4, 4, 3), scale=3.0)
    conv.build(x.shape)

    def fn(v):
        y = conv(v)
        # keras.applications.mobilenet_v3: hard_sigmoid = ReLU(6)(x + 3) * (1/6), hard_swish = x * hard_sigmoid(x)
        return keras.layers.Multiply()([y, keras.layers.ReLU(6.0)(y + 3.0) * (1.0 / 6.0)])

    return Spec(fn=fn, inputs=[x])


register("pattern_hard_swish_mobilenetv3", "MobileNetV3's hard swish after a 1x1 Conv2D: x · (ReLU(6)(x + 3) · (1/6)), "
         "as keras.applications.mobilenet_v3 writes its hard_sigmoid.", _mobilenetv3_hs, expect=["Relu6", "Conv2D"])
register("pattern_l2_normalize_axes12", "tf.math.l2_normalize over axes [1, 2] of an NHWC [2,3,4,5] tensor (epsilon 1e-6).",
         lambda rng: Spec(fn=lambda v: tf.math.l2_normalize(v, axis=[1, 2], epsilon=1e-6),
                          inputs=[randn(rng, (2, 3, 4, 5))]), expect=["Rsqrt", "Maximum"])
register("pattern_l2_normalize_axis0", "tf.math.l2_normalize over axis 0 with one all-zero column (the epsilon floor).",
         lambda rng: Spec(fn=lambda v: tf.math.l2_normalize(v, axis=0),
                          inputs=[np.concatenate([randn(rng, (5, 3)), np.zeros((5, 1), np.float32)], axis=1)]),
         expect=["Rsqrt", "Maximum"])
register("pattern_unit_normalization", "keras.layers.UnitNormalization over the last axis of [2,3,8] embeddings.",
         lambda rng: Spec(fn=lambda v: keras.layers.UnitNormalization(axis=-1)(v), inputs=[randn(rng, (2, 3, 8))]),
         expect=[])

register("where_const_int_input", "Where (one argument) of a constant int32 [2,3,2] tensor (non-zero entries), the "
         "coordinates gathering from an input.",
         lambda rng: Spec(fn=lambda x: tf.gather_nd(x, tf.where(tf.constant([[[0, 3], [0, 0], [-1, 0]], [[2, 0], [0, 0], [0, 5]]]))),
                          inputs=[randn(rng, (2, 3, 2))]), expect=["Where", "GatherNd"])
