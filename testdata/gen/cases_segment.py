"""Segment reductions (Segment*, UnsortedSegment*, SparseSegment*) with
constant segment ids: empty segments, negative (dropped) ids, multi-dimensional
ids, int types, NaN and infinities."""

import numpy as np
import tensorflow as tf

from common import Spec, randn, register


def _data(rng, shape, dtype, special):
    if np.issubdtype(dtype, np.integer):
        return rng.integers(-9, 10, shape).astype(dtype)
    x = randn(rng, shape, dtype=dtype)
    if special:
        flat = x.reshape(-1)
        flat[1] = np.nan
        flat[4] = np.inf
        flat[6] = -np.inf
    return x


def _sorted(name, op, ids, shape, dtype=np.float32, special=False, desc=""):
    fn = getattr(tf.math, "segment_" + op)
    idv = np.array(ids, dtype=np.int32)

    def build(rng):
        return Spec(fn=lambda x: fn(x, tf.constant(idv)), inputs=[_data(rng, shape, dtype, special)])

    register(name, f"Segment{op.capitalize()} of {np.dtype(dtype).name} {list(shape)} with constant segment ids {ids}. {desc}",
             build, expect=["Segment" + op.capitalize()])


_sorted("segment_sum_gaps", "sum", [0, 0, 2, 2, 2, 5], (6, 3), desc="Segments 1, 3 and 4 are empty.")
_sorted("segment_sum_int32", "sum", [0, 1, 1, 3], (4, 2, 2), dtype=np.int32, desc="int32, segment 2 empty.")
_sorted("segment_mean_gaps", "mean", [1, 1, 1, 3, 4], (5, 2), desc="Segments 0 and 2 are empty.")
_sorted("segment_mean_rank1_nan", "mean", [0, 0, 1, 1, 1, 2, 2, 2], (8,), special=True, desc="Rank-1 data with NaN and ±Inf.")
_sorted("segment_max_gaps_nan", "max", [0, 0, 0, 2, 2, 2, 2, 3], (8, 2), special=True, desc="NaN and ±Inf; segment 1 empty.")
_sorted("segment_max_int64", "max", [0, 2, 2], (3, 3), dtype=np.int64, desc="int64, segment 1 empty.")
_sorted("segment_min_gaps_nan", "min", [0, 0, 1, 1, 1, 3, 3, 3], (8, 2), special=True, desc="NaN and ±Inf; segment 2 empty.")
_sorted("segment_min_int32", "min", [1, 1, 2], (3, 2), dtype=np.int32, desc="int32, segment 0 empty.")
_sorted("segment_prod_gaps", "prod", [0, 0, 2, 2, 2], (5, 3), desc="Segment 1 empty.")
_sorted("segment_prod_int32", "prod", [0, 0, 0, 1], (4, 2), dtype=np.int32, desc="int32.")


def _unsorted(name, op, ids, shape, num, dtype=np.float32, special=False, desc=""):
    fn = getattr(tf.math, "unsorted_segment_" + op)
    idv = np.array(ids, dtype=np.int32)

    def build(rng):
        return Spec(fn=lambda x: fn(x, tf.constant(idv), num), inputs=[_data(rng, shape, dtype, special)])

    register(name, f"UnsortedSegment{op.capitalize()} of {np.dtype(dtype).name} {list(shape)} with constant ids {ids}, "
             f"num_segments {num}. {desc}", build, expect=["UnsortedSegment" + op.capitalize()])


_unsorted("unsorted_segment_sum_neg", "sum", [3, 0, -1, 3, 1, 0], (6, 2), 5, desc="Id -1 is dropped; segments 2 and 4 empty.")
_unsorted("unsorted_segment_sum_2d_ids_int32", "sum", [[1, 0, 1], [2, 2, 0]], (2, 3, 2), 4, dtype=np.int32,
          desc="Two-dimensional ids over the first two data dims; segment 3 empty.")
_unsorted("unsorted_segment_max_nan", "max", [2, 0, 2, 0, 2, 0, 1, 1], (8, 2), 4, special=True,
          desc="NaN and ±Inf; segment 3 empty.")
_unsorted("unsorted_segment_max_int32", "max", [1, 1, 0, -1], (4, 3), 3, dtype=np.int32, desc="int32; id -1 dropped; segment 2 empty.")
_unsorted("unsorted_segment_min_nan", "min", [0, 1, 0, 1, 0, 1, 2, 2], (8, 2), 4, special=True,
          desc="NaN and ±Inf; segment 3 empty.")
_unsorted("unsorted_segment_min_int64", "min", [2, 2, 0], (3, 2), 3, dtype=np.int64, desc="int64; segment 1 empty.")
_unsorted("unsorted_segment_prod_neg", "prod", [1, -1, 1, 0, 1], (5, 2), 3, desc="Id -1 dropped; segment 2 empty.")
_unsorted("unsorted_segment_prod_int32", "prod", [0, 1, 0, 1], (4,), 2, dtype=np.int32, desc="Rank-1 int32 data.")


def _sparse(name, op, idx, ids, shape, num=None, dtype=np.float32, desc="", runtime_idx=False):
    base = {"sum": tf.sparse.segment_sum, "mean": tf.sparse.segment_mean, "sqrt_n": tf.sparse.segment_sqrt_n}[op]
    tfop = "SparseSegment" + {"sum": "Sum", "mean": "Mean", "sqrt_n": "SqrtN"}[op] + ("WithNumSegments" if num else "")
    iv = np.array(idx, dtype=np.int32)
    sv = np.array(ids, dtype=np.int32)

    def build(rng):
        x = _data(rng, shape, dtype, False)
        if runtime_idx:
            return Spec(fn=lambda x, i: base(x, i, tf.constant(sv), num_segments=num), inputs=[x, iv], names=["x", "indices"])
        return Spec(fn=lambda x: base(x, tf.constant(iv), tf.constant(sv), num_segments=num), inputs=[x])

    register(name, f"{tfop} of {np.dtype(dtype).name} {list(shape)}, indices {idx}, segment ids {ids}"
             f"{', num_segments %d' % num if num else ''}. {desc}", build, expect=[tfop])


_sparse("sparse_segment_sum_gaps", "sum", [0, 3, 3, 1, 2], [0, 0, 2, 2, 3], (4, 3), desc="Repeated index; segment 1 empty.")
_sparse("sparse_segment_sum_runtime_indices", "sum", [4, 0, 2], [0, 1, 1], (5, 2), runtime_idx=True,
        desc="Indices fed at run time (segment ids constant).")
_sparse("sparse_segment_sum_num_int32", "sum", [1, 0, 1], [0, 0, 2], (2, 2), num=4, dtype=np.int32,
        desc="int32; WithNumSegments: segments 1 and 3 empty.")
_sparse("sparse_segment_mean_gaps", "mean", [2, 0, 1, 1], [0, 0, 0, 2], (3, 2), desc="Segment 1 empty.")
_sparse("sparse_segment_mean_num", "mean", [0, 1, 2], [1, 1, 2], (3, 4), num=5, desc="WithNumSegments: segments 0, 3, 4 empty.")
_sparse("sparse_segment_sqrt_n_gaps", "sqrt_n", [0, 1, 2, 3, 0], [0, 0, 0, 2, 2], (4, 3), desc="Segment 1 empty.")
_sparse("sparse_segment_sqrt_n_num", "sqrt_n", [3, 1], [0, 2], (4, 2), num=3, desc="WithNumSegments: segment 1 empty.")


def _all_nan(name, tfop, fn):
    def build(rng):
        x = randn(rng, (5, 2))
        x[0:2, 0] = np.nan
        x[3, 1] = np.nan
        return Spec(fn=fn, inputs=[x])

    register(name, f"{tfop} of [5,2] with constant ids [0,0,1,1,1] where one segment column is only NaN: "
             "TensorFlow's max and min skip NaN (an all-NaN segment gives the empty value).", build, expect=[tfop])


_all_nan("segment_max_all_nan", "SegmentMax", lambda x: tf.math.segment_max(x, tf.constant([0, 0, 1, 1, 1])))
_all_nan("segment_min_all_nan", "SegmentMin", lambda x: tf.math.segment_min(x, tf.constant([0, 0, 1, 1, 1])))
_all_nan("unsorted_segment_max_all_nan", "UnsortedSegmentMax",
         lambda x: tf.math.unsorted_segment_max(x, tf.constant([0, 0, 1, 1, 1]), 2))
_all_nan("unsorted_segment_min_all_nan", "UnsortedSegmentMin",
         lambda x: tf.math.unsorted_segment_min(x, tf.constant([0, 0, 1, 1, 1]), 2))

# Second cases.
_sparse("sparse_segment_mean_repeats", "mean", [1, 1, 0, 2], [0, 0, 1, 1], (3, 3), desc="A repeated index.")
_sparse("sparse_segment_mean_num_int_ids", "mean", [2, 0], [0, 3], (3, 2), num=4, desc="WithNumSegments: segments 1, 2 empty.")
_sparse("sparse_segment_sqrt_n_repeats", "sqrt_n", [0, 0, 0, 1], [0, 0, 0, 1], (2, 4), desc="Index 0 three times.")
_sparse("sparse_segment_sqrt_n_num_tail", "sqrt_n", [1, 2], [1, 1], (3, 2), num=4, desc="WithNumSegments: segments 0, 2, 3 empty.")
_sparse("sparse_segment_sum_num_tail", "sum", [0, 2, 2], [0, 0, 1], (3, 2), num=3, desc="WithNumSegments: segment 2 empty.")
