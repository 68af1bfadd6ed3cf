"""3-D pooling and transposed convolution (MaxPool3D, AvgPool3D,
Conv3DBackpropInputV2: SAME/VALID, strides, odd padding, and a filter fed
at run time, as Conv2DBackpropInput too), Conv1D (tf.nn.conv1d: ExpandDims
+ Conv2D + Squeeze, SAME with stride, dilation). (TopK, the first version,
is in cases_math.py.)"""

import numpy as np
import tensorflow as tf

from common import Spec, randn, register

raw = tf.raw_ops


def _case(name, desc, tfop, fn, shapes, names=None):
    def build(rng):
        return Spec(fn=fn, inputs=[randn(rng, s) for s in shapes], names=names)

    register(name, desc, build, expect=[tfop])


_case("maxpool3d_same_s2", "MaxPool3D 2×3×2 window, strides 2, SAME (odd sizes: padded edges).", "MaxPool3D",
      lambda x: tf.nn.max_pool3d(x, [1, 2, 3, 2, 1], [1, 2, 2, 2, 1], "SAME"), [(2, 5, 5, 3, 2)])
_case("maxpool3d_valid", "MaxPool3D 3×2×2 window, strides 1×2×1, VALID.", "MaxPool3D",
      lambda x: tf.nn.max_pool3d(x, [1, 3, 2, 2, 1], [1, 1, 2, 1, 1], "VALID"), [(1, 4, 6, 3, 3)])
_case("avgpool3d_same_s2", "AvgPool3D 3×3×3 window, strides 2, SAME (padding not counted in the mean).", "AvgPool3D",
      lambda x: tf.nn.avg_pool3d(x, [1, 3, 3, 3, 1], [1, 2, 2, 2, 1], "SAME"), [(1, 5, 4, 5, 2)])
_case("avgpool3d_valid", "AvgPool3D 2×2×1 window, strides 1, VALID.", "AvgPool3D",
      lambda x: tf.nn.avg_pool3d(x, [1, 2, 2, 1, 1], [1, 1, 1, 1, 1], "VALID"), [(2, 3, 4, 2, 3)])


def _deconv(name, xshape, wshape, out, strides, pad):
    def build(rng):
        w = tf.constant(randn(rng, wshape))  # constant weights, as in inference graphs
        return Spec(fn=lambda x: tf.nn.conv3d_transpose(x, w, out, [1, *strides, 1], pad), inputs=[randn(rng, xshape)])

    register(name, f"Conv3DBackpropInputV2 (conv3d_transpose) of {list(xshape)} by constant {list(wshape)} weights to {out}, "
             f"strides {strides}, {pad}.", build, expect=["Conv3DBackpropInputV2"])


_deconv("conv3d_transpose_same_s2", (1, 2, 3, 2, 4), (3, 3, 3, 2, 4), [1, 4, 5, 4, 2], (2, 2, 2), "SAME")
_deconv("conv3d_transpose_valid", (2, 2, 2, 3, 3), (2, 3, 2, 5, 3), [2, 3, 4, 4, 5], (1, 1, 1), "VALID")



def _deconv_runtime(name, tfop, xshape, wshape, out, strides, pad):
    def build(rng):
        if len(xshape) == 5:
            fn = lambda x, w: tf.nn.conv3d_transpose(x, w, out, [1, *strides, 1], pad)
        else:
            fn = lambda x, w: tf.nn.conv2d_transpose(x, w, out, [1, *strides, 1], pad)
        return Spec(fn=fn, inputs=[randn(rng, xshape), randn(rng, wshape)], names=["x", "w"])

    register(name, f"{tfop} of {list(xshape)} by a {list(wshape)} filter fed at run time (an input, not a constant) "
             f"to {out}, strides {strides}, {pad}.", build, expect=[tfop])


_deconv_runtime("conv3d_transpose_runtime_filter", "Conv3DBackpropInputV2", (1, 2, 3, 2, 4), (3, 2, 3, 2, 4),
                [1, 4, 5, 4, 2], (2, 2, 2), "SAME")
_deconv_runtime("conv2d_transpose_runtime_filter", "Conv2DBackpropInput", (2, 3, 4, 6), (3, 3, 5, 6),
                [2, 7, 9, 5], (2, 2), "VALID")

_case("conv1d_same_stride2", "tf.nn.conv1d (ExpandDims + Conv2D + Squeeze) of [2,9,3] by [3,3,4], stride 2, SAME.", "Conv2D",
      lambda x, w: tf.nn.conv1d(x, w, 2, "SAME"), [(2, 9, 3), (3, 3, 4)], names=["x", "w"])
_case("conv1d_valid_dilated", "tf.nn.conv1d of [1,12,2] by [4,2,3], dilation 3, VALID.", "Conv2D",
      lambda x, w: tf.nn.conv1d(x, w, 1, "VALID", dilations=3), [(1, 12, 2), (4, 2, 3)], names=["x", "w"])
