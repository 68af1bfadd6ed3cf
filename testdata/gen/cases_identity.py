"""Identity-like ops, two cases each: CheckNumerics (V1, V2), EnsureShape,
Snapshot, PreventGradient, GuaranteeConst, DeepCopy, Print, each in a
small computation so that the graph keeps them."""

import numpy as np
import tensorflow as tf

from common import Spec, randn, register

raw = tf.raw_ops


def _ident(name, tfop, fn, shape, dtype=np.float32, desc=""):
    def build(rng):
        x = randn(rng, shape).astype(dtype) if dtype != np.int32 else rng.integers(-9, 9, shape).astype(dtype)
        return Spec(fn=fn, inputs=[x])

    register(name, f"{tfop} of {np.dtype(dtype).name} {list(shape)} inside a computation. {desc}", build, expect=[tfop])


_ident("check_numerics_v1", "CheckNumerics", lambda x: raw.CheckNumerics(tensor=x * 2.0, message="m") + 1.0, (2, 3))
_ident("check_numerics_v1_f16", "CheckNumerics", lambda x: raw.CheckNumerics(tensor=x, message="m") - x * x, (4,), dtype=np.float16)
_ident("check_numerics_v2", "CheckNumericsV2", lambda x: raw.CheckNumericsV2(tensor=x - 1.0, message="m") * x, (3, 2))
_ident("check_numerics_v2_rank0", "CheckNumericsV2", lambda x: raw.CheckNumericsV2(tensor=tf.exp(x), message="m"), ())
_ident("ensure_shape", "EnsureShape", lambda x: tf.ensure_shape(x + 1.0, [2, 3]) * 3.0, (2, 3))
_ident("ensure_shape_int32", "EnsureShape", lambda x: tf.ensure_shape(x * 2, [4]) - 1, (4,), dtype=np.int32)
_ident("snapshot", "Snapshot", lambda x: raw.Snapshot(input=x + 1.0) * x, (2, 2))
_ident("snapshot_int32", "Snapshot", lambda x: raw.Snapshot(input=x) + 3, (3,), dtype=np.int32)
_ident("prevent_gradient", "PreventGradient", lambda x: raw.PreventGradient(input=x * x, message="m") + 1.0, (2, 3))
_ident("prevent_gradient_int32", "PreventGradient", lambda x: raw.PreventGradient(input=x - 2) * x, (5,), dtype=np.int32)
_ident("guarantee_const", "GuaranteeConst", lambda x: raw.GuaranteeConst(input=x * 0.5) + x, (3,))
_ident("guarantee_const_int32", "GuaranteeConst", lambda x: raw.GuaranteeConst(input=x) * 2, (2, 2), dtype=np.int32)
_ident("deep_copy", "DeepCopy", lambda x: raw.DeepCopy(x=x + 2.0) * x, (2, 3))
_ident("deep_copy_int32", "DeepCopy", lambda x: raw.DeepCopy(x=x) - 1, (4,), dtype=np.int32)
_ident("print_v1", "Print", lambda x: raw.Print(input=x * 2.0, data=[x], message="m") + 1.0, (3,))
_ident("print_v1_int32", "Print", lambda x: raw.Print(input=x + 1, data=[x, x], message="m", first_n=1) * x, (2, 2), dtype=np.int32)
