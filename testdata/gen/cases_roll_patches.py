"""Roll (constant and runtime shifts, negative shifts and axes, a repeated
axis, shifts beyond the size), ExtractImagePatches (SAME/VALID, strides,
rates, more kernel than input) and ExtractVolumePatches."""

import numpy as np
import tensorflow as tf

from common import Spec, randn, register


def _roll(name, shape, shift, axis, runtime=False, dtype=np.float32, desc=""):
    sv = np.array(shift, dtype=np.int32)

    def build(rng):
        x = randn(rng, shape).astype(dtype) if dtype == np.float32 else rng.integers(-9, 9, shape).astype(dtype)
        if runtime:
            return Spec(fn=lambda x, s: tf.roll(x, s, axis), inputs=[x, sv], names=["x", "shift"])
        return Spec(fn=lambda x: tf.roll(x, tf.constant(sv), axis), inputs=[x])

    register(name, f"Roll of {list(shape)} by {'runtime' if runtime else 'constant'} shift {shift} on axis {axis}. {desc}",
             build, expect=["Roll"])


_roll("roll_const_2axes", (3, 4, 2), [1, -3], [0, -2], desc="Negative shift and axis.")
_roll("roll_const_repeat_axis_int32", (5, 3), [7, 2, -1], [0, 0, 1], dtype=np.int32, desc="Axis 0 twice (shifts add), shift beyond the size.")
_roll("roll_runtime", (2, 5), [-7, 3], [1, 0], runtime=True, desc="Shifts fed at run time, one beyond the size.")
_roll("roll_runtime_scalar", (6,), 2, 0, runtime=True, desc="Scalar shift fed at run time.")


def _patches(name, shape, k, s, r, pad, desc=""):
    def build(rng):
        return Spec(fn=lambda x: tf.image.extract_patches(x, [1, *k, 1], [1, *s, 1], [1, *r, 1], pad), inputs=[randn(rng, shape)])

    register(name, f"ExtractImagePatches of {list(shape)}, ksizes {k}, strides {s}, rates {r}, {pad}. {desc}",
             build, expect=["ExtractImagePatches"])


_patches("extract_image_patches_same", (2, 5, 6, 3), (3, 2), (2, 2), (1, 1), "SAME")
_patches("extract_image_patches_valid_rates", (1, 7, 6, 2), (2, 3), (1, 2), (2, 1), "VALID", desc="Dilated rows.")
_patches("extract_image_patches_same_rates", (1, 4, 5, 1), (2, 2), (3, 1), (2, 3), "SAME", desc="Dilation with SAME padding.")
_patches("extract_image_patches_valid_too_big", (1, 2, 3, 2), (3, 1), (1, 1), (1, 1), "VALID", desc="Kernel taller than the input: empty result.")


def _volume(name, shape, k, s, pad, desc=""):
    def build(rng):
        return Spec(fn=lambda x: tf.extract_volume_patches(x, [1, *k, 1], [1, *s, 1], pad), inputs=[randn(rng, shape)])

    register(name, f"ExtractVolumePatches of {list(shape)}, ksizes {k}, strides {s}, {pad}. {desc}",
             build, expect=["ExtractVolumePatches"])


_volume("extract_volume_patches_same", (1, 3, 4, 4, 2), (2, 2, 3), (1, 2, 2), "SAME")
_volume("extract_volume_patches_valid", (2, 4, 3, 5, 1), (3, 2, 2), (1, 1, 2), "VALID")
