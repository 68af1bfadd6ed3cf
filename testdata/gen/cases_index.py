"""Index arithmetic and small writes: DataFormatDimMap (NHWC/NCHW, NDHWC,
negative indices) and SparseToDense (scalar and vector values, runtime
indices, unvalidated repeats)."""

import numpy as np
import tensorflow as tf

from common import Spec, randn, register

raw = tf.raw_ops


def _case(name, desc, tfop, fn, inputs, names=None):
    def build(rng):
        return Spec(fn=fn, inputs=[i(rng) if callable(i) else i for i in inputs], names=names)

    register(name, desc, build, expect=[tfop])


def _ints(shape, lo, hi, dtype=np.int32):
    return lambda rng: rng.integers(lo, hi, shape).astype(dtype)


def _f(shape):
    return lambda rng: randn(rng, shape)


# DataFormatDimMap
_case("data_format_dim_map", "DataFormatDimMap NHWC→NCHW of every index in [-4, 4).", "DataFormatDimMap",
      lambda x: raw.DataFormatDimMap(x=x), [np.arange(-4, 4, dtype=np.int32).reshape(2, 4)])
_case("data_format_dim_map_ndhwc_i64", "DataFormatDimMap NDHWC→NCDHW of int64 indices.", "DataFormatDimMap",
      lambda x: raw.DataFormatDimMap(x=x, src_format="NDHWC", dst_format="NCDHW"), [np.array([4, -1, 0, 2, -4], np.int64)])
# SparseToDense
_case("sparse_to_dense_2d", "SparseToDense of 3 constant sorted pairs into [3,4], runtime values and default.", "SparseToDense",
      lambda v, d: raw.SparseToDense(sparse_indices=tf.constant([[0, 1], [1, 3], [2, 0]]), output_shape=[3, 4], sparse_values=v,
                                     default_value=d), [_f((3,)), np.array(-1.5, np.float32)], names=["v", "d"])
_case("sparse_to_dense_scalar_value_int32", "SparseToDense of constant vector indices with one scalar value.", "SparseToDense",
      lambda d: raw.SparseToDense(sparse_indices=tf.constant([1, 4, 5]), output_shape=[7], sparse_values=tf.constant(9),
                                  default_value=d), [np.array(2, np.int32)], names=["d"])
_case("sparse_to_dense_runtime", "SparseToDense of distinct index pairs fed at run time (validate_indices).", "SparseToDense",
      lambda i, v: raw.SparseToDense(sparse_indices=i, output_shape=[2, 3], sparse_values=v, default_value=0.5),
      [np.array([[0, 2], [1, 0], [1, 1]], np.int64), _f((3,))], names=["i", "v"])
_case("sparse_to_dense_repeat_unvalidated", "SparseToDense with a repeated index and validate_indices=false: the last wins.",
      "SparseToDense",
      lambda v: raw.SparseToDense(sparse_indices=tf.constant([2, 0, 2]), output_shape=[4], sparse_values=v, default_value=0.0,
                                  validate_indices=False), [_f((3,))], names=["v"])
