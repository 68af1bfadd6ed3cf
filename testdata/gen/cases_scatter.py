"""TensorScatterUpdate/Add/Sub/Max/Min (constant indices with repeated
tuples, slices, runtime indices for Add/Sub), DynamicStitch and
ParallelDynamicStitch (constant indices, overwrites, gaps),
DynamicPartition (constant partitions, empty partition, 2-D partitions)
and InvertPermutation (constant and runtime)."""

import numpy as np
import tensorflow as tf

from common import Spec, randn, register

raw = tf.raw_ops


def _data(rng, shape, dtype=np.float32):
    if np.issubdtype(dtype, np.integer):
        return rng.integers(-20, 20, shape).astype(dtype)
    return randn(rng, shape, dtype=dtype)


def _scatter(name, tfop, fn, tshape, idx, ushape, dtype=np.float32, runtime_idx=False, desc=""):
    iv = np.array(idx, dtype=np.int32)

    def build(rng):
        t, u = _data(rng, tshape, dtype), _data(rng, ushape, dtype)
        if runtime_idx:
            return Spec(fn=lambda x, i, y: fn(x, i, y), inputs=[t, iv, u], names=["x", "indices", "y"])
        return Spec(fn=lambda x, y: fn(x, tf.constant(iv), y), inputs=[t, u])

    register(name, f"{tfop} of {np.dtype(dtype).name} {list(tshape)} at {'runtime' if runtime_idx else 'constant'} indices {idx}. {desc}",
             build, expect=[tfop])


_scatter("tensor_scatter_update_repeat", "TensorScatterUpdate", tf.tensor_scatter_nd_update, (6,), [[4], [1], [4], [0]], (4,),
         desc="Index 4 twice: the last update wins.")
_scatter("tensor_scatter_update_rows_int32", "TensorScatterUpdate", tf.tensor_scatter_nd_update, (4, 3), [[3], [0]], (2, 3),
         dtype=np.int32, desc="Whole rows.")
_scatter("tensor_scatter_update_2d_tuples", "TensorScatterUpdate", tf.tensor_scatter_nd_update, (3, 4, 2), [[[0, 1], [2, 3]], [[1, 1], [0, 1]]],
         (2, 2, 2), desc="2-D indices of pairs; (0,1) twice.")
_scatter("tensor_scatter_add_repeat", "TensorScatterAdd", tf.tensor_scatter_nd_add, (5, 2), [[1], [3], [1], [1]], (4, 2),
         desc="Row 1 three times: added in order.")
_scatter("tensor_scatter_add_runtime_int64", "TensorScatterAdd", tf.tensor_scatter_nd_add, (4, 3), [[0, 2], [3, 1], [0, 0]], (3,),
         dtype=np.int64, runtime_idx=True, desc="Element tuples, indices fed at run time.")
_scatter("tensor_scatter_sub_repeat", "TensorScatterSub", tf.tensor_scatter_nd_sub, (3, 3), [[2, 2], [0, 1], [2, 2]], (3,),
         desc="(2,2) twice.")
_scatter("tensor_scatter_sub_runtime", "TensorScatterSub", tf.tensor_scatter_nd_sub, (4, 2), [[2], [0]], (2, 2),
         runtime_idx=True, desc="Rows, indices fed at run time.")
_scatter("tensor_scatter_max_repeat", "TensorScatterMax", tf.tensor_scatter_nd_max, (6,), [[2], [5], [2], [0], [2]], (5,),
         desc="Index 2 three times.")
_scatter("tensor_scatter_max_rows_int32", "TensorScatterMax", tf.tensor_scatter_nd_max, (3, 4), [[1], [2]], (2, 4), dtype=np.int32)
_scatter("tensor_scatter_min_repeat", "TensorScatterMin", tf.tensor_scatter_nd_min, (2, 3), [[1, 0], [1, 0], [0, 2]], (3,),
         desc="(1,0) twice.")
_scatter("tensor_scatter_min_rows_int64", "TensorScatterMin", tf.tensor_scatter_nd_min, (3, 2, 2), [[0], [2]], (2, 2, 2), dtype=np.int64)


def _stitch(name, tfop, fn, idx, shapes, dtype=np.float32, desc=""):
    ivs = [np.array(i, dtype=np.int32) for i in idx]

    def build(rng):
        data = [_data(rng, s, dtype) for s in shapes]
        names = ["x", "y", "z", "w"][:len(data)]
        return Spec(fn=lambda *d: fn([tf.constant(i) for i in ivs], list(d)), inputs=data, names=names)

    register(name, f"{tfop} with constant indices {idx} of data {[list(s) for s in shapes]}. {desc}", build, expect=[tfop])


_stitch("dynamic_stitch_overwrite", "DynamicStitch", tf.dynamic_stitch, [[0, 2, 4], [1, 2]], [(3, 2), (2, 2)],
        desc="Row 2 written twice: the later data wins.")
_stitch("dynamic_stitch_gap_int32", "DynamicStitch", tf.dynamic_stitch, [[3, 0], [[5], [1]]], [(2,), (2, 1)], dtype=np.int32,
        desc="2-D indices; rows 2 and 4 are not written (0).")
_stitch("parallel_dynamic_stitch", "ParallelDynamicStitch", lambda i, d: raw.ParallelDynamicStitch(indices=i, data=d),
        [[1, 3], [0, 2, 4]], [(2, 3), (3, 3)], desc="A permutation split in two.")
_stitch("parallel_dynamic_stitch_2d", "ParallelDynamicStitch", lambda i, d: raw.ParallelDynamicStitch(indices=i, data=d),
        [[[0, 3], [2, 1]]], [(2, 2, 2)], desc="One 2-D index tensor.")


def _partition(name, parts, shape, num, dtype=np.float32, desc=""):
    pv = np.array(parts, dtype=np.int32)

    def build(rng):
        return Spec(fn=lambda x: tf.dynamic_partition(x, tf.constant(pv), num), inputs=[_data(rng, shape, dtype)])

    register(name, f"DynamicPartition of {np.dtype(dtype).name} {list(shape)} into {num} with constant partitions {parts}. {desc}",
             build, expect=["DynamicPartition"])


_partition("dynamic_partition_rows", [1, 0, 1, 2, 1], (5, 2), 4, desc="Partition 3 is empty.")
_partition("dynamic_partition_2d_int32", [[0, 1], [1, 1], [0, 0]], (3, 2), 2, dtype=np.int32, desc="2-D partitions over all of data.")


def _invperm(name, perm, runtime, dtype=np.int32):
    pv = np.array(perm, dtype=dtype)

    def build(rng):
        if runtime:
            return Spec(fn=lambda x: tf.math.invert_permutation(x), inputs=[pv])
        # A constant permutation, used to gather the input.
        return Spec(fn=lambda x: tf.gather(x, tf.math.invert_permutation(tf.constant(pv))), inputs=[_data(rng, (len(perm), 2))])

    register(name, f"InvertPermutation of a {'runtime' if runtime else 'constant'} {np.dtype(dtype).name} permutation {perm}.",
             build, expect=["InvertPermutation"])


_invperm("invert_permutation_runtime", [3, 0, 4, 1, 2], True)
_invperm("invert_permutation_runtime_int64", [1, 2, 0], True, dtype=np.int64)
_invperm("invert_permutation_const", [2, 0, 3, 1], False)
