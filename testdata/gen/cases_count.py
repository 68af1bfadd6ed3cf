"""Bincount and DenseBincount (counts, weights, binary_output, values out
of range, 2-D per-row counts) and Unique, UniqueWithCounts (V1 and V2 with
an axis) of constant inputs, used by a computation on the fed input."""

import numpy as np
import tensorflow as tf

from common import Spec, randn, register

raw = tf.raw_ops


def _bincount(name, tfop, fn, shape, hi, weights, wdtype=np.float32, idtype=np.int32, desc=""):
    def build(rng):
        x = rng.integers(0, hi, shape).astype(idtype)
        if weights:
            w = randn(rng, shape).astype(wdtype) if wdtype != np.int32 else rng.integers(-5, 6, shape).astype(wdtype)
            return Spec(fn=fn, inputs=[x, w], names=["x", "w"])
        return Spec(fn=fn, inputs=[x])

    register(name, f"{tfop} of {np.dtype(idtype).name} {list(shape)} values in [0,{hi}). {desc}", build, expect=[tfop])


_bincount("bincount_counts", "Bincount", lambda x: raw.Bincount(arr=x, size=6, weights=tf.constant([], tf.float32)), (3, 4), 8, False,
          desc="Counts (empty weights), size 6: values 6 and 7 are ignored.")
_bincount("bincount_weights", "Bincount", lambda x, w: raw.Bincount(arr=x, size=5, weights=w), (7,), 5, True,
          desc="float32 weights.")
_bincount("bincount_weights_int32", "Bincount", lambda x, w: raw.Bincount(arr=x, size=4, weights=w), (2, 3), 4, True, wdtype=np.int32,
          desc="int32 weights.")
_bincount("dense_bincount_counts", "DenseBincount",
          lambda x: raw.DenseBincount(input=x, size=5, weights=tf.constant([], tf.float32), binary_output=False), (6,), 7, False,
          desc="Counts, values ≥ 5 ignored.")
_bincount("dense_bincount_2d_weights_i64", "DenseBincount",
          lambda x, w: raw.DenseBincount(input=x, size=tf.constant(4, tf.int64), weights=w, binary_output=False), (3, 5), 4, True,
          idtype=np.int64, desc="Per-row weighted counts of int64 values.")
_bincount("dense_bincount_2d_binary", "DenseBincount",
          lambda x: raw.DenseBincount(input=x, size=6, weights=tf.constant([], tf.int32), binary_output=True), (2, 6), 6, False,
          desc="binary_output: 1 where a value occurs, per row.")


def _unique(name, tfop, fn, const, desc=""):
    cv = np.array(const)

    def build(rng):
        n = cv.shape[0] if cv.ndim == 1 else max(cv.shape)
        return Spec(fn=lambda x: fn(tf.constant(cv), x), inputs=[randn(rng, (n + 2,))])

    register(name, f"{tfop} of the constant {cv.tolist()}, its outputs used with the input. {desc}", build, expect=[tfop])


def _use(y, idx, x, count=None):
    out = [tf.gather(x, idx), tf.cast(tf.size(y), tf.float32) + x[0]]
    if count is not None:
        out.append(tf.gather(x, count))
    return tuple(out)


_unique("unique_float_nan", "Unique", lambda c, x: _use(*tf.unique(c), x), np.array([2.0, -0.0, np.nan, 2.0, 0.0, np.nan, 1.5], np.float32),
        desc="NaN is never equal to itself; -0 equals 0.")
_unique("unique_int64_idx", "Unique", lambda c, x: (tf.gather(x, tf.unique(c, out_idx=tf.int64)[1]), tf.unique(c)[0] * 2),
        np.array([5, 3, 5, 5, 1, 3], np.int64), desc="out_idx int64.")
_unique("unique_with_counts", "UniqueWithCounts", lambda c, x: (lambda y, i, n: _use(y, i, x, count=n))(*tf.unique_with_counts(c)),
        np.array([4, 4, 1, 7, 1, 4], np.int32))
_unique("unique_with_counts_float", "UniqueWithCounts",
        lambda c, x: tuple(tf.unique_with_counts(c)[i] for i in (2, 1)) + (tf.unique_with_counts(c)[0] + x[:3],),
        np.array([0.5, 0.25, 0.5, -1.0, 0.25], np.float32))
_unique("unique_v2_axis1", "UniqueV2", lambda c, x: tuple(raw.UniqueV2(x=c, axis=[1])) + (x * 2.0,),
        np.array([[1, 2, 1, 3], [4, 5, 4, 6]], np.int32), desc="Unique columns.")
_unique("unique_v2_axis0", "UniqueV2", lambda c, x: (raw.UniqueV2(x=c, axis=[-2], out_idx=tf.int64)[1], x + 1.0),
        np.array([[1.0, 2.0], [3.0, 4.0], [1.0, 2.0]], np.float32), desc="Unique rows, negative axis.")
_unique("unique_with_counts_v2_axis0", "UniqueWithCountsV2", lambda c, x: tuple(raw.UniqueWithCountsV2(x=c, axis=[0])) + (x,),
        np.array([[1, 2], [1, 2], [0, 2], [1, 2]], np.int32))
_unique("unique_with_counts_v2_axis1", "UniqueWithCountsV2",
        lambda c, x: tuple(raw.UniqueWithCountsV2(x=c, axis=[1], out_idx=tf.int64)) + (x - 1.0,),
        np.array([[3, 3, 1], [2, 2, 2]], np.int64))
