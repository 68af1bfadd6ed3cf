"""Op cases: convolutions, pooling, normalisation, matmul/einsum, activations."""

import math

import keras
import numpy as np
import tensorflow as tf

from common import F16_TOL, Spec, randn, register, reordered_sum_tol, uniform

SQRT1_2 = 1.0 / math.sqrt(2.0)


def to_nhwc(x):
    return tf.transpose(x, [0, 2, 3, 1])


def to_nchw(x):
    return tf.transpose(x, [0, 3, 1, 2])


def nchw_equivalent(op_nhwc):
    """An NCHW->NCHW function computing op_nhwc with transposes around it."""
    return lambda x: to_nchw(op_nhwc(to_nhwc(x)))


def add(name, description, build, expect=()):
    register(name, description, build, expect=expect)


# ---------------------------------------------------------------------------
# Conv2D


def _conv2d(name, desc, xshape, wshape, strides, padding, fmt="NHWC", dilations=1,
            dtype=np.float32, bias=False, relu=False):
    def build(rng):
        x = randn(rng, xshape, dtype)
        w = randn(rng, wshape, dtype, scale=0.5)
        b = randn(rng, (wshape[3],), dtype)

        def conv(t, data_format):
            y = tf.nn.conv2d(t, w, strides=strides, padding=padding,
                             data_format=data_format, dilations=dilations)
            if bias:
                y = tf.nn.bias_add(y, b, data_format=data_format)
            if relu:
                y = tf.nn.relu(y)
            return y

        # The same padding expressed for NHWC, for the oracle and the tolerance.
        pad_nhwc = padding
        if fmt != "NHWC" and isinstance(padding, list):
            pad_nhwc = [padding[0], padding[2], padding[3], padding[1]]
        x_nhwc = x if fmt == "NHWC" else np.transpose(x, (0, 2, 3, 1))
        sum_abs = tf.nn.conv2d(np.abs(x_nhwc).astype(np.float32), np.abs(w).astype(np.float32), strides=strides,
                               padding=pad_nhwc, data_format="NHWC", dilations=dilations).numpy()
        tol = reordered_sum_tol(sum_abs, wshape[0] * wshape[1] * wshape[2]) if dtype == np.float32 else None
        if fmt == "NHWC":
            return Spec(fn=lambda t: conv(t, "NHWC"), inputs=[x], tol=tol)

        def conv_nhwc(t):
            y = tf.nn.conv2d(t, w, strides=strides, padding=pad_nhwc, data_format="NHWC",
                             dilations=dilations)
            if bias:
                y = tf.nn.bias_add(y, b)
            if relu:
                y = tf.nn.relu(y)
            return y

        return Spec(fn=lambda t: conv(t, "NCHW"), inputs=[x], oracle=nchw_equivalent(conv_nhwc), tol=tol)

    exp = ["Conv2D"] + (["BiasAdd"] if bias else []) + (["Relu"] if relu else [])
    add(name, desc, build, expect=exp)


_conv2d("conv2d_nhwc_same_s1", "Conv2D NHWC 3x3 SAME stride 1, 1x8x8x3 -> 4 channels.",
        (1, 8, 8, 3), (3, 3, 3, 4), 1, "SAME")
_conv2d("conv2d_nhwc_valid_s1", "Conv2D NHWC 3x3 VALID stride 1.",
        (1, 8, 8, 3), (3, 3, 3, 4), 1, "VALID")
_conv2d("conv2d_nhwc_same_s2", "Conv2D NHWC 3x3 SAME stride 2 on an odd 7x9 image (asymmetric SAME padding).",
        (1, 7, 9, 3), (3, 3, 3, 5), 2, "SAME")
_conv2d("conv2d_nhwc_valid_s2", "Conv2D NHWC 3x3 VALID stride 2 on 7x9.",
        (1, 7, 9, 3), (3, 3, 3, 5), 2, "VALID")
_conv2d("conv2d_nhwc_same_s2_even_k4", "Conv2D NHWC 4x4 kernel SAME stride 2 on 8x8 (even kernel, pad 1 before / 2 after).",
        (1, 8, 8, 2), (4, 4, 2, 3), 2, "SAME")
_conv2d("conv2d_nhwc_explicit_pad", "Conv2D NHWC EXPLICIT padding [[0,0],[1,2],[2,1],[0,0]] stride 1.",
        (1, 6, 7, 3), (3, 3, 3, 4), 1, [[0, 0], [1, 2], [2, 1], [0, 0]])
_conv2d("conv2d_nhwc_explicit_pad_s2", "Conv2D NHWC EXPLICIT padding [[0,0],[0,1],[1,0],[0,0]] stride 2.",
        (1, 7, 8, 3), (3, 3, 3, 4), 2, [[0, 0], [0, 1], [1, 0], [0, 0]])
_conv2d("conv2d_nhwc_dilation2_same", "Conv2D NHWC 3x3 dilation 2 SAME.",
        (1, 9, 9, 2), (3, 3, 2, 3), 1, "SAME", dilations=2)
_conv2d("conv2d_nhwc_dilation2_valid", "Conv2D NHWC 3x3 dilation 2 VALID on 7x9.",
        (1, 7, 9, 2), (3, 3, 2, 3), 1, "VALID", dilations=2)
_conv2d("conv2d_nhwc_1x1", "Conv2D NHWC 1x1 kernel (pointwise), 16 -> 8 channels.",
        (1, 5, 6, 16), (1, 1, 16, 8), 1, "VALID")
_conv2d("conv2d_nhwc_1x1_s2", "Conv2D NHWC 1x1 kernel stride 2 (projection-shortcut style) on 7x9.",
        (1, 7, 9, 4), (1, 1, 4, 8), 2, "SAME")
_conv2d("conv2d_nhwc_5x5_batch2", "Conv2D NHWC 5x5 SAME stride 2, batch 2.",
        (2, 9, 9, 3), (5, 5, 3, 4), 2, "SAME")
_conv2d("conv2d_nhwc_7x7_s2_stem", "Conv2D NHWC 7x7 VALID stride 2 (ResNet stem kernel) on 15x15.",
        (1, 15, 15, 3), (7, 7, 3, 4), 2, "VALID")
_conv2d("conv2d_nhwc_strides_1x2", "Conv2D NHWC 3x3 SAME with strides (1,2).",
        (1, 6, 8, 3), (3, 3, 3, 4), [1, 1, 2, 1], "SAME")
_conv2d("conv2d_nhwc_kernel_3x1", "Conv2D NHWC non-square 3x1 kernel SAME.",
        (1, 6, 5, 3), (3, 1, 3, 4), 1, "SAME")
_conv2d("conv2d_nhwc_bias_relu", "Conv2D NHWC SAME + BiasAdd + Relu (the usual fused pattern).",
        (1, 8, 8, 3), (3, 3, 3, 6), 1, "SAME", bias=True, relu=True)
_conv2d("conv2d_nchw_same_s1", "Conv2D NCHW 3x3 SAME stride 1.",
        (1, 3, 8, 8), (3, 3, 3, 4), 1, "SAME", fmt="NCHW")
_conv2d("conv2d_nchw_valid_s2", "Conv2D NCHW 3x3 VALID stride 2 on 7x9.",
        (1, 3, 7, 9), (3, 3, 3, 5), 2, "VALID", fmt="NCHW")
_conv2d("conv2d_nchw_same_s2", "Conv2D NCHW 3x3 SAME stride 2 on 7x9.",
        (1, 3, 7, 9), (3, 3, 3, 5), 2, "SAME", fmt="NCHW")
_conv2d("conv2d_nchw_explicit_pad", "Conv2D NCHW EXPLICIT padding [[0,0],[0,0],[1,2],[2,1]].",
        (1, 3, 6, 7), (3, 3, 3, 4), 1, [[0, 0], [0, 0], [1, 2], [2, 1]], fmt="NCHW")
_conv2d("conv2d_nchw_dilation2", "Conv2D NCHW 3x3 dilation 2 SAME.",
        (1, 2, 9, 9), (3, 3, 2, 3), 1, "SAME", fmt="NCHW", dilations=2)
_conv2d("conv2d_nchw_bias_relu", "Conv2D NCHW + BiasAdd NCHW + Relu.",
        (1, 3, 6, 6), (3, 3, 3, 4), 1, "SAME", fmt="NCHW", bias=True, relu=True)
# Odd total SAME padding (TF puts the extra element after): 8 rows with a 3-row
# window and stride 2 pad 0 before / 1 after; 7 columns with a 4-column window
# and stride 2 pad 1 before / 2 after.
_conv2d("conv2d_nhwc_same_oddpad", "Conv2D NHWC 3x4 kernel SAME stride 2 on 8x7: odd total padding "
        "(rows 0 before / 1 after, columns 1 before / 2 after).",
        (1, 8, 7, 3), (3, 4, 3, 4), 2, "SAME", bias=True)
_conv2d("conv2d_nchw_same_oddpad", "Conv2D NCHW 3x4 kernel SAME stride 2 on 8x7: odd total padding "
        "(rows 0/1, columns 1/2).",
        (1, 3, 8, 7), (3, 4, 3, 4), 2, "SAME", fmt="NCHW", bias=True)
_conv2d("conv2d_f16_nhwc", "Conv2D NHWC in float16, 3x3 SAME.",
        (1, 6, 6, 3), (3, 3, 3, 4), 1, "SAME", dtype=np.float16)


# ---------------------------------------------------------------------------
# DepthwiseConv2dNative


def _depthwise(name, desc, xshape, k, mult, stride, padding, dilation=1, fmt="NHWC",
               raw=True):
    def build(rng):
        x = randn(rng, xshape)
        c = xshape[3] if fmt == "NHWC" else xshape[1]
        w = randn(rng, (k, k, c, mult), scale=0.5)

        def dw(t, data_format):
            if data_format == "NHWC":
                strides = [1, stride, stride, 1]
                dil = [1, dilation, dilation, 1]
            else:
                strides = [1, 1, stride, stride]
                dil = [1, 1, dilation, dilation]
            if raw:
                return tf.raw_ops.DepthwiseConv2dNative(
                    input=t, filter=w, strides=strides, padding=padding,
                    data_format=data_format, dilations=dil)
            return tf.nn.depthwise_conv2d(t, w, [1, stride, stride, 1], padding,
                                          data_format=data_format,
                                          dilations=[dilation, dilation])

        if fmt == "NHWC":
            if raw and dilation > 1:
                # TF's CPU kernel refuses the dilations attr; tf.nn.depthwise_conv2d
                # computes the same thing with SpaceToBatchND/BatchToSpaceND.
                return Spec(fn=lambda t: dw(t, "NHWC"), inputs=[x],
                            oracle=lambda t: tf.nn.depthwise_conv2d(
                                t, w, [1, 1, 1, 1], padding, dilations=[dilation, dilation]),
                            oracle_label="tf-equivalent")
            return Spec(fn=lambda t: dw(t, "NHWC"), inputs=[x])
        return Spec(fn=lambda t: dw(t, "NCHW"), inputs=[x],
                    oracle=nchw_equivalent(lambda t: dw(t, "NHWC")))

    add(name, desc, build, expect=["DepthwiseConv2dNative"])


_depthwise("depthwise_m1_same_s1", "DepthwiseConv2dNative 3x3 multiplier 1 SAME stride 1.",
           (1, 8, 8, 4), 3, 1, 1, "SAME")
_depthwise("depthwise_m2_valid_s1", "DepthwiseConv2dNative 3x3 multiplier 2 VALID.",
           (1, 7, 9, 3), 3, 2, 1, "VALID")
_depthwise("depthwise_m1_same_s2", "DepthwiseConv2dNative 3x3 multiplier 1 SAME stride 2 on 7x9.",
           (1, 7, 9, 4), 3, 1, 2, "SAME")
_depthwise("depthwise_m2_same_s2", "DepthwiseConv2dNative 3x3 multiplier 2 SAME stride 2, batch 2.",
           (2, 8, 8, 3), 3, 2, 2, "SAME")
_depthwise("depthwise_m1_valid_s2_k5", "DepthwiseConv2dNative 5x5 multiplier 1 VALID stride 2.",
           (1, 11, 9, 2), 5, 1, 2, "VALID")
_depthwise("depthwise_m1_dilation2", "DepthwiseConv2dNative with dilations attr 2 (raw op) SAME.",
           (1, 9, 9, 3), 3, 1, 1, "SAME", dilation=2)
_depthwise("depthwise_m2_dilation2_spacetobatch",
           "tf.nn.depthwise_conv2d with dilation 2, which TF lowers to SpaceToBatchND + "
           "DepthwiseConv2dNative + BatchToSpaceND.",
           (1, 8, 8, 2), 3, 2, 1, "SAME", dilation=2, raw=False)
_depthwise("depthwise_nchw_m1_same", "DepthwiseConv2dNative NCHW 3x3 multiplier 1 SAME.",
           (1, 4, 7, 7), 3, 1, 1, "SAME", fmt="NCHW")

_depthwise("depthwise_nhwc_same_oddpad", "DepthwiseConv2dNative 3x3 multiplier 2 SAME stride 2 on 8x10: "
           "odd total padding (0 before / 1 after in both spatial dims).",
           (1, 8, 10, 3), 3, 2, 2, "SAME")
_depthwise("depthwise_nchw_same_oddpad", "DepthwiseConv2dNative NCHW 4x4 multiplier 1 SAME stride 1 on 6x7: "
           "odd total padding 3 (1 before / 2 after in both spatial dims).",
           (1, 3, 6, 7), 4, 1, 1, "SAME", fmt="NCHW")


# ---------------------------------------------------------------------------
# Conv2DBackpropInput (conv2d_transpose)


def _deconv(name, desc, xshape, k, cout, stride, padding, out_hw, fmt="NHWC"):
    def build(rng):
        x = randn(rng, xshape)
        cin = xshape[3] if fmt == "NHWC" else xshape[1]
        w = randn(rng, (k, k, cout, cin), scale=0.5)
        n = xshape[0]
        out_nhwc = [n, out_hw[0], out_hw[1], cout]

        def deconv_nhwc(t):
            return tf.nn.conv2d_transpose(t, w, out_nhwc, stride, padding)

        if fmt == "NHWC":
            return Spec(fn=deconv_nhwc, inputs=[x])
        pad = padding
        if isinstance(padding, list):
            raise ValueError("explicit NCHW deconv not used")
        out_nchw = [n, cout, out_hw[0], out_hw[1]]
        return Spec(fn=lambda t: tf.nn.conv2d_transpose(t, w, out_nchw, stride, pad,
                                                        data_format="NCHW"),
                    inputs=[x], oracle=nchw_equivalent(deconv_nhwc))

    add(name, desc, build, expect=["Conv2DBackpropInput"])


_deconv("conv2d_transpose_same_s2", "conv2d_transpose 3x3 SAME stride 2, 4x4 -> 8x8.",
        (1, 4, 4, 3), 3, 2, 2, "SAME", (8, 8))
_deconv("conv2d_transpose_same_s2_odd", "conv2d_transpose 3x3 SAME stride 2 with odd output 4x5 -> 7x9.",
        (1, 4, 5, 3), 3, 2, 2, "SAME", (7, 9))
_deconv("conv2d_transpose_valid_s2", "conv2d_transpose 3x3 VALID stride 2, 4x5 -> 9x11.",
        (1, 4, 5, 3), 3, 4, 2, "VALID", (9, 11))
_deconv("conv2d_transpose_valid_s2_extra", "conv2d_transpose 3x3 VALID stride 2 with the larger legal output 4x5 -> 10x12.",
        (1, 4, 5, 3), 3, 2, 2, "VALID", (10, 12))
_deconv("conv2d_transpose_same_s1", "conv2d_transpose 3x3 SAME stride 1.",
        (1, 5, 6, 4), 3, 3, 1, "SAME", (5, 6))
_deconv("conv2d_transpose_valid_s1", "conv2d_transpose 3x3 VALID stride 1, 5x6 -> 7x8.",
        (1, 5, 6, 4), 3, 3, 1, "VALID", (7, 8))
_deconv("conv2d_transpose_same_s2_k4", "conv2d_transpose 4x4 SAME stride 2 (even kernel), batch 2, 3x3 -> 6x6.",
        (2, 3, 3, 2), 4, 3, 2, "SAME", (6, 6))
_deconv("conv2d_transpose_nchw_same_s2", "conv2d_transpose NCHW 3x3 SAME stride 2, 4x4 -> 7x8.",
        (1, 3, 4, 4), 3, 2, 2, "SAME", (7, 8), fmt="NCHW")
_deconv("conv2d_transpose_nhwc_same_oddpad", "conv2d_transpose 3x3 SAME stride 2, 4x5 -> 8x10: "
        "odd total padding (0 before / 1 after in both spatial dims).",
        (1, 4, 5, 3), 3, 2, 2, "SAME", (8, 10))
_deconv("conv2d_transpose_nchw_same_oddpad", "conv2d_transpose NCHW 3x3 SAME stride 2, 4x5 -> 8x10: "
        "odd total padding (0 before / 1 after in both spatial dims).",
        (1, 3, 4, 5), 3, 2, 2, "SAME", (8, 10), fmt="NCHW")


def _deconv_explicit(rng):
    x = randn(rng, (1, 4, 4, 2))
    w = randn(rng, (3, 3, 3, 2), scale=0.5)
    return Spec(fn=lambda t: tf.nn.conv2d_transpose(
        t, w, [1, 7, 8, 3], 2, [[0, 0], [1, 1], [1, 0], [0, 0]]), inputs=[x])


add("conv2d_transpose_explicit_pad", "conv2d_transpose 3x3 stride 2 with EXPLICIT padding [[0,0],[1,1],[1,0],[0,0]], 4x4 -> 7x8.",
    _deconv_explicit, expect=["Conv2DBackpropInput"])


# ---------------------------------------------------------------------------
# Conv3D


def _conv3d(name, desc, xshape, wshape, stride, padding):
    def build(rng):
        x = randn(rng, xshape)
        w = randn(rng, wshape, scale=0.5)
        s = [1, stride, stride, stride, 1]
        sum_abs = tf.nn.conv3d(np.abs(x), np.abs(w), s, padding).numpy()
        tol = reordered_sum_tol(sum_abs, wshape[0] * wshape[1] * wshape[2] * wshape[3])
        return Spec(fn=lambda t: tf.nn.conv3d(t, w, s, padding), inputs=[x], tol=tol)

    add(name, desc, build, expect=["Conv3D"])


_conv3d("conv3d_same_s1", "Conv3D NDHWC 3x3x3 SAME stride 1 on 1x5x6x7x2.",
        (1, 5, 6, 7, 2), (3, 3, 3, 2, 3), 1, "SAME")
_conv3d("conv3d_valid_s2", "Conv3D NDHWC 3x3x3 VALID stride 2 on 1x7x7x8x2.",
        (1, 7, 7, 8, 2), (3, 3, 3, 2, 4), 2, "VALID")


# ---------------------------------------------------------------------------
# Pooling


def _pool(name, desc, kind, xshape, ksize, strides, padding, fmt="NHWC"):
    op = tf.nn.max_pool2d if kind == "max" else tf.nn.avg_pool2d

    def build(rng):
        x = randn(rng, xshape)
        if fmt == "NHWC":
            return Spec(fn=lambda t: op(t, ksize, strides, padding), inputs=[x])
        return Spec(fn=lambda t: op(t, ksize, strides, padding, data_format="NCHW"),
                    inputs=[x],
                    oracle=nchw_equivalent(lambda t: op(t, ksize, strides, padding)))

    add(name, desc, build, expect=["MaxPool" if kind == "max" else "AvgPool"])


_pool("maxpool_valid_2x2_s2", "MaxPool 2x2 stride 2 VALID.", "max", (1, 8, 8, 3), 2, 2, "VALID")
_pool("maxpool_same_3x3_s2", "MaxPool 3x3 stride 2 SAME on odd 7x9.", "max", (1, 7, 9, 3), 3, 2, "SAME")
_pool("maxpool_same_3x3_s1", "MaxPool 3x3 stride 1 SAME.", "max", (2, 6, 6, 2), 3, 1, "SAME")
_pool("maxpool_valid_3x3_s1x2", "MaxPool 3x3 VALID with strides (1,2).", "max", (1, 7, 9, 2), 3, [1, 2], "VALID")
_pool("maxpool_valid_3x2_s2", "MaxPool non-square 3x2 window VALID stride 2.", "max", (1, 9, 8, 2), [3, 2], 2, "VALID")
_pool("maxpool_nchw_valid_2x2_s2", "MaxPool NCHW 2x2 stride 2 VALID.", "max", (1, 3, 8, 8), 2, 2, "VALID", fmt="NCHW")
_pool("maxpool_nchw_same_3x3_s2", "MaxPool NCHW 3x3 stride 2 SAME on 7x9.", "max", (1, 3, 7, 9), 3, 2, "SAME", fmt="NCHW")
_pool("avgpool_valid_2x2_s2", "AvgPool 2x2 stride 2 VALID.", "avg", (1, 8, 8, 3), 2, 2, "VALID")
_pool("avgpool_same_3x3_s2", "AvgPool 3x3 stride 2 SAME on 7x9 (padding excluded from the average).", "avg", (1, 7, 9, 3), 3, 2, "SAME")
_pool("avgpool_same_3x3_s1", "AvgPool 3x3 stride 1 SAME (border windows average fewer elements).", "avg", (2, 6, 6, 2), 3, 1, "SAME")
_pool("avgpool_valid_3x3_s1x2", "AvgPool 3x3 VALID with strides (1,2).", "avg", (1, 7, 9, 2), 3, [1, 2], "VALID")
_pool("avgpool_global_7x7", "AvgPool 7x7 VALID covering the whole 7x7 map (global pool).", "avg", (1, 7, 7, 4), 7, 1, "VALID")
_pool("avgpool_nchw_same_3x3_s2", "AvgPool NCHW 3x3 stride 2 SAME on 7x9.", "avg", (1, 3, 7, 9), 3, 2, "SAME", fmt="NCHW")
_pool("avgpool_nchw_valid_2x2_s2", "AvgPool NCHW 2x2 stride 2 VALID.", "avg", (1, 2, 6, 8), 2, 2, "VALID", fmt="NCHW")
# Odd total SAME padding, where TF puts the extra element after: 8 rows with a
# 3-row window and stride 2 pad 0 before / 1 after; 6 columns with a 4-column
# window and stride 1 pad 1 before / 2 after.
for _kind in ("max", "avg"):
    _pool(f"{_kind}pool_same_oddpad", f"{_kind.capitalize()}Pool 3x4 window strides (2,1) SAME on 8x6: odd "
          "total padding (rows 0 before / 1 after, columns 1 before / 2 after).",
          _kind, (1, 8, 6, 3), [3, 4], [2, 1], "SAME")
    _pool(f"{_kind}pool_nchw_same_oddpad", f"{_kind.capitalize()}Pool NCHW 3x4 window strides (2,1) SAME on "
          "8x6: odd total padding (rows 0/1, columns 1/2).",
          _kind, (2, 3, 8, 6), [3, 4], [2, 1], "SAME", fmt="NCHW")


# ---------------------------------------------------------------------------
# FusedBatchNorm (inference)


def _fbn(name, desc, version, fmt, xshape, dtype=np.float32):
    op = {1: tf.raw_ops.FusedBatchNorm, 2: tf.raw_ops.FusedBatchNormV2,
          3: tf.raw_ops.FusedBatchNormV3}[version]
    op_name = {1: "FusedBatchNorm", 2: "FusedBatchNormV2", 3: "FusedBatchNormV3"}[version]

    def build(rng):
        x = randn(rng, xshape, dtype)
        c = xshape[3] if fmt == "NHWC" else xshape[1]
        scale = uniform(rng, (c,), 0.5, 1.5)
        offset = randn(rng, (c,), scale=0.3)
        mean = randn(rng, (c,), scale=0.3)
        var = uniform(rng, (c,), 0.5, 2.0)

        def bn(t, data_format):
            return op(x=t, scale=scale, offset=offset, mean=mean, variance=var,
                      epsilon=0.001, data_format=data_format, is_training=False)[0]

        if fmt == "NHWC":
            return Spec(fn=lambda t: bn(t, "NHWC"), inputs=[x])
        return Spec(fn=lambda t: bn(t, "NCHW"), inputs=[x],
                    oracle=nchw_equivalent(lambda t: bn(t, "NHWC")))

    add(name, desc, build, expect=[op_name])


_fbn("fused_batchnorm_v1_nhwc", "FusedBatchNorm (V1) inference (is_training=False) NHWC, epsilon 0.001.", 1, "NHWC", (2, 4, 5, 3))
_fbn("fused_batchnorm_v2_nhwc", "FusedBatchNormV2 inference NHWC.", 2, "NHWC", (1, 5, 4, 6))
_fbn("fused_batchnorm_v3_nhwc", "FusedBatchNormV3 inference NHWC.", 3, "NHWC", (1, 6, 6, 8))
_fbn("fused_batchnorm_v1_nchw", "FusedBatchNorm (V1) inference NCHW.", 1, "NCHW", (2, 3, 4, 5))
_fbn("fused_batchnorm_v2_nchw", "FusedBatchNormV2 inference NCHW.", 2, "NCHW", (1, 6, 5, 4))
_fbn("fused_batchnorm_v3_nchw", "FusedBatchNormV3 inference NCHW.", 3, "NCHW", (1, 8, 6, 6))
_fbn("fused_batchnorm_v3_nhwc_f16", "FusedBatchNormV3 inference NHWC with float16 x (float32 scale/offset/mean/variance).", 3, "NHWC", (1, 4, 4, 4), np.float16)


# ---------------------------------------------------------------------------
# MatMul / BatchMatMul / Einsum


def _matmul(name, desc, ashape, bshape, ta=False, tb=False, dtype=np.float32, const_b=False):
    def build(rng):
        a = randn(rng, ashape, dtype)
        b = randn(rng, bshape, dtype)
        if const_b:
            return Spec(fn=lambda x: tf.linalg.matmul(x, b, transpose_a=ta, transpose_b=tb), inputs=[a])
        return Spec(fn=lambda x, y: tf.linalg.matmul(x, y, transpose_a=ta, transpose_b=tb), inputs=[a, b])

    add(name, desc, build, expect=["MatMul"])


_matmul("matmul_plain", "MatMul [4,6] x [6,5].", (4, 6), (6, 5))
_matmul("matmul_transpose_a", "MatMul transpose_a: [6,4]^T x [6,5].", (6, 4), (6, 5), ta=True)
_matmul("matmul_transpose_b", "MatMul transpose_b: [4,6] x [5,6]^T.", (4, 6), (5, 6), tb=True)
_matmul("matmul_transpose_ab", "MatMul transpose_a and transpose_b: [6,4]^T x [5,6]^T.", (6, 4), (5, 6), ta=True, tb=True)
_matmul("matmul_const_weight", "MatMul with a constant weight [1,32] x [32,10] (dense layer).", (1, 32), (32, 10), const_b=True)
_matmul("matmul_f16", "MatMul in float16, [4,8] x [8,6].", (4, 8), (8, 6), dtype=np.float16)


def _dense_bias(rng):
    x = randn(rng, (3, 12))
    w = randn(rng, (12, 7), scale=0.3)
    b = randn(rng, (7,))
    return Spec(fn=lambda t: tf.nn.relu(tf.nn.bias_add(tf.linalg.matmul(t, w), b)), inputs=[x])


add("matmul_biasadd_relu", "MatMul + BiasAdd + Relu (dense layer pattern).", _dense_bias, expect=["MatMul", "BiasAdd", "Relu"])


def _bmm(name, desc, version, ashape, bshape, adj_x=False, adj_y=False):
    op_name = {1: "BatchMatMul", 2: "BatchMatMulV2", 3: "BatchMatMulV3"}[version]

    def build(rng):
        a = randn(rng, ashape)
        b = randn(rng, bshape)
        if version == 1:
            f = lambda x, y: tf.raw_ops.BatchMatMul(x=x, y=y, adj_x=adj_x, adj_y=adj_y)
        elif version == 2:
            f = lambda x, y: tf.raw_ops.BatchMatMulV2(x=x, y=y, adj_x=adj_x, adj_y=adj_y)
        else:
            f = lambda x, y: tf.raw_ops.BatchMatMulV3(x=x, y=y, Tout=tf.float32, adj_x=adj_x, adj_y=adj_y)
        return Spec(fn=f, inputs=[a, b])

    add(name, desc, build, expect=[op_name])


_bmm("batchmatmul_v1", "BatchMatMul (V1) [2,3,4] x [2,4,5].", 1, (2, 3, 4), (2, 4, 5))
_bmm("batchmatmul_v1_adj_x", "BatchMatMul (V1) adj_x: [2,4,3]^T x [2,4,5].", 1, (2, 4, 3), (2, 4, 5), adj_x=True)
_bmm("batchmatmul_v1_adj_y_rank4", "BatchMatMul (V1) adj_y rank 4: [2,2,3,4] x [2,2,5,4]^T.", 1, (2, 2, 3, 4), (2, 2, 5, 4), adj_y=True)
_bmm("batchmatmul_v2", "BatchMatMulV2 [3,4,6] x [3,6,5].", 2, (3, 4, 6), (3, 6, 5))
_bmm("batchmatmul_v2_adj_y", "BatchMatMulV2 adj_y: [2,3,4] x [2,5,4]^T.", 2, (2, 3, 4), (2, 5, 4), adj_y=True)
_bmm("batchmatmul_v2_bcast_batch", "BatchMatMulV2 broadcasting batch dims [2,1,3,4] x [1,3,4,5] -> [2,3,3,5].", 2, (2, 1, 3, 4), (1, 3, 4, 5))
_bmm("batchmatmul_v2_bcast_rank", "BatchMatMulV2 broadcasting a rank-2 rhs: [2,3,4] x [4,5].", 2, (2, 3, 4), (4, 5))
_bmm("batchmatmul_v2_bcast_rank_lhs", "BatchMatMulV2 rank-2 lhs broadcast against rank-4 rhs with adj_x: [4,3]^T x [2,2,4,5].", 2, (4, 3), (2, 2, 4, 5), adj_x=True)
_bmm("batchmatmul_v3", "BatchMatMulV3 [2,3,4] x [2,4,5].", 3, (2, 3, 4), (2, 4, 5))
_bmm("batchmatmul_v3_adj_x_adj_y", "BatchMatMulV3 adj_x and adj_y: [2,4,3]^T x [2,5,4]^T.", 3, (2, 4, 3), (2, 5, 4), adj_x=True, adj_y=True)
_bmm("batchmatmul_v3_bcast", "BatchMatMulV3 broadcasting [3,1,2,4] x [2,4,6].", 3, (3, 1, 2, 4), (2, 4, 6))


def _einsum(name, eq, ashape, bshape=None, desc=""):
    def build(rng):
        a = randn(rng, ashape)
        if bshape is None:
            return Spec(fn=lambda x: tf.einsum(eq, x), inputs=[a])
        b = randn(rng, bshape)
        sum_abs = np.einsum(eq, np.abs(a), np.abs(b))
        terms = np.einsum(eq, np.ones_like(a), np.ones_like(b))
        tol = reordered_sum_tol(sum_abs, float(np.max(terms, initial=0.0)))
        return Spec(fn=lambda x, y: tf.einsum(eq, x, y), inputs=[a, b], tol=tol)

    add(name, f'Einsum "{eq}" {desc}'.strip(), build, expect=["Einsum"])


_einsum("einsum_abc_cde_abde", "abc,cde->abde", (1, 6, 8), (8, 2, 4), "(MultiHeadAttention query/key/value projection)")
_einsum("einsum_aecd_abcd_acbe", "aecd,abcd->acbe", (1, 6, 2, 4), (1, 5, 2, 4), "(MultiHeadAttention attention scores)")
_einsum("einsum_acbe_aecd_abcd", "acbe,aecd->abcd", (1, 2, 5, 6), (1, 6, 2, 4), "(MultiHeadAttention attention x value)")
_einsum("einsum_abcd_cde_abe", "abcd,cde->abe", (1, 5, 2, 4), (2, 4, 8), "(MultiHeadAttention output projection)")
_einsum("einsum_ij_jk_ik", "ij,jk->ik", (4, 5), (5, 3), "(plain matmul)")
_einsum("einsum_bij_bjk_bik", "bij,bjk->bik", (2, 3, 4), (2, 4, 5), "(batch matmul)")
_einsum("einsum_bhqd_bhkd_bhqk", "bhqd,bhkd->bhqk", (1, 2, 5, 4), (1, 2, 6, 4), "(q k^T)")
_einsum("einsum_abc_cd_abd", "abc,cd->abd", (2, 3, 4), (4, 5), "(dense on rank 3)")
_einsum("einsum_ellipsis", "...ij,...jk->...ik", (2, 3, 4), (2, 4, 2), "(ellipsis)")
_einsum("einsum_transpose_ij_ji", "ij->ji", (3, 5), None, "(unary transpose)")
_einsum("einsum_reduce_bij_bj", "bij->bj", (2, 3, 4), None, "(unary sum over i)")
_einsum("einsum_btnh_bsnh_bnts", "btnh,bsnh->bnts", (2, 5, 3, 4), (2, 6, 3, 4), "(attention scores, batch 2)")
_einsum("einsum_abc_cde_abde_b1", "abc,cde->abde", (1, 8, 64), (64, 4, 16),
        "(an encoder's projection at batch 1, sequence 8: the shape TensorRT-RTX's IEinsumLayer got wrong on the H100)")
_einsum("einsum_outer_i_jk_kji", "i,jk->kji", (3,), (0, 4), "(outer product, an empty operand, output transposed)")
_einsum("einsum_sum_ij_jk_k", "ij,jk->k", (3, 4), (4, 5), "(i summed within one operand)")


# ---------------------------------------------------------------------------
# BiasAdd


def _biasadd(name, desc, xshape, fmt):
    def build(rng):
        x = randn(rng, xshape)
        c = xshape[-1] if fmt == "NHWC" else xshape[1]
        b = randn(rng, (c,))
        if fmt == "NHWC":
            return Spec(fn=lambda t: tf.nn.bias_add(t, b), inputs=[x])
        return Spec(fn=lambda t: tf.nn.bias_add(t, b, data_format="NCHW"), inputs=[x],
                    oracle=nchw_equivalent(lambda t: tf.nn.bias_add(t, b)))

    add(name, desc, build, expect=["BiasAdd"])


_biasadd("biasadd_nhwc", "BiasAdd NHWC on [2,4,5,3].", (2, 4, 5, 3), "NHWC")
_biasadd("biasadd_nchw", "BiasAdd NCHW on [2,3,4,5] (bias along dim 1).", (2, 3, 4, 5), "NCHW")
_biasadd("biasadd_rank2", "BiasAdd on a rank-2 [4,7] tensor.", (4, 7), "NHWC")


def _biasadd_input(rng):
    return Spec(fn=lambda x, b: tf.nn.bias_add(x, b), inputs=[randn(rng, (3, 4, 6)), randn(rng, (6,))])


add("biasadd_rank3_bias_input", "BiasAdd on rank 3 with the bias fed as an input.", _biasadd_input, expect=["BiasAdd"])


# ---------------------------------------------------------------------------
# Activations


def _unary(name, desc, f, expect, lo=-4.0, hi=4.0, shape=(3, 4, 5), dtype=np.float32):
    def build(rng):
        return Spec(fn=f, inputs=[uniform(rng, shape, lo, hi, dtype)])

    add(name, desc, build, expect=expect)


_unary("softmax_rank2", "Softmax over the last axis of [4,10].", tf.nn.softmax, ["Softmax"], shape=(4, 10))
_unary("softmax_rank4", "Softmax over the last axis of [1,2,5,6] (attention probabilities).", tf.nn.softmax, ["Softmax"], shape=(1, 2, 5, 6))
_unary("softmax_axis1", "tf.nn.softmax(axis=1) on [2,5,3]: TF transposes around a last-axis Softmax.",
       lambda x: tf.nn.softmax(x, axis=1), ["Softmax"], shape=(2, 5, 3))
_unary("softmax_large_logits", "Softmax with logits in [-60,60] (needs max subtraction).", tf.nn.softmax, ["Softmax"], lo=-60, hi=60, shape=(3, 8))
_unary("logsoftmax_rank2", "LogSoftmax over the last axis of [4,10].", tf.nn.log_softmax, ["LogSoftmax"], shape=(4, 10))
_unary("logsoftmax_rank3", "LogSoftmax over the last axis of [2,3,7].", tf.nn.log_softmax, ["LogSoftmax"], shape=(2, 3, 7))
_unary("relu", "Relu.", tf.nn.relu, ["Relu"])
_unary("relu6", "Relu6 on [-8,8].", tf.nn.relu6, ["Relu6"], lo=-8, hi=8)
_unary("elu", "Elu.", tf.nn.elu, ["Elu"])
_unary("selu", "Selu.", tf.nn.selu, ["Selu"])
_unary("leakyrelu_alpha0_2", "LeakyRelu alpha=0.2.", lambda x: tf.nn.leaky_relu(x, alpha=0.2), ["LeakyRelu"])
_unary("leakyrelu_alpha0_01", "LeakyRelu alpha=0.01.", lambda x: tf.nn.leaky_relu(x, alpha=0.01), ["LeakyRelu"])
_unary("softplus", "Softplus on [-10,10].", tf.nn.softplus, ["Softplus"], lo=-10, hi=10)
_unary("softsign", "Softsign.", tf.nn.softsign, ["Softsign"])
_unary("sigmoid", "Sigmoid on [-8,8].", tf.math.sigmoid, ["Sigmoid"], lo=-8, hi=8)
_unary("tanh", "Tanh.", tf.math.tanh, ["Tanh"])
_unary("erf", "Erf on [-3,3].", tf.math.erf, ["Erf"], lo=-3, hi=3)
_unary("erfc", "Erfc on [-3,3].", tf.math.erfc, ["Erfc"], lo=-3, hi=3)
_unary("gelu_exact", "tf.nn.gelu(approximate=False): TF 2.21 emits 0.5*x*erfc(-x/sqrt(2)).",
       lambda x: tf.nn.gelu(x, approximate=False), ["Erfc"])
_unary("gelu_tanh", "tf.nn.gelu(approximate=True): 0.5*x*(1+tanh(sqrt(2/pi)*(x+0.044715*x^3))).",
       lambda x: tf.nn.gelu(x, approximate=True), ["Tanh", "Pow"])
_unary("gelu_erf_explicit", "gelu written as 0.5*x*(1+erf(x/sqrt(2))) (the pattern older TF/BERT exports contain).",
       lambda x: 0.5 * x * (1.0 + tf.math.erf(x * SQRT1_2)), ["Erf"])
_unary("swish_explicit", "swish written as x*sigmoid(x).", lambda x: x * tf.math.sigmoid(x), ["Sigmoid", "Mul"])
_unary("swish_silu", "tf.nn.silu: Sigmoid + Mul wrapped in IdentityN (custom gradient).", tf.nn.silu, ["Sigmoid", "Mul"])
_unary("hard_sigmoid_pattern", "hard sigmoid relu6(x+3)/6 (MobileNetV3 pattern): AddV2, Relu6, Mul.",
       lambda x: tf.nn.relu6(x + 3.0) * (1.0 / 6.0), ["Relu6"])

# float16 variants
_unary("relu_f16", "Relu in float16.", tf.nn.relu, ["Relu"], dtype=np.float16)
_unary("softmax_f16", "Softmax over the last axis in float16.", tf.nn.softmax, ["Softmax"], shape=(4, 10), dtype=np.float16)
_unary("sigmoid_f16", "Sigmoid in float16.", tf.math.sigmoid, ["Sigmoid"], dtype=np.float16)


# ---------------------------------------------------------------------------
# Normalisation subgraphs


def _keras_layernorm(rng):
    ln = keras.layers.LayerNormalization(axis=-1, epsilon=1e-5)
    ln.build((2, 5, 16))
    ln.gamma.assign(uniform(rng, (16,), 0.5, 1.5))
    ln.beta.assign(randn(rng, (16,), scale=0.2))
    return Spec(fn=lambda x: ln(x), inputs=[randn(rng, (2, 5, 16), scale=2.0) + 0.5])


add("layernorm_keras", "keras.layers.LayerNormalization(axis=-1, epsilon=1e-5) with random gamma/beta on [2,5,16]: "
    "Mean, SquaredDifference, Rsqrt, Mul, AddV2 subgraph.", _keras_layernorm, expect=["Mean", "Rsqrt"])


def _keras_layernorm_axes(rng):
    ln = keras.layers.LayerNormalization(axis=[1, 2], epsilon=1e-3)
    ln.build((2, 4, 6))
    ln.gamma.assign(uniform(rng, (4, 6), 0.5, 1.5))
    ln.beta.assign(randn(rng, (4, 6), scale=0.2))
    return Spec(fn=lambda x: ln(x), inputs=[randn(rng, (2, 4, 6))])


add("layernorm_keras_axes12", "keras.layers.LayerNormalization(axis=[1,2]) on [2,4,6].", _keras_layernorm_axes, expect=["Mean"])


def _moments(rng):
    gamma = uniform(rng, (12,), 0.5, 1.5)
    beta = randn(rng, (12,))

    def f(x):
        mean, var = tf.nn.moments(x, axes=[-1], keepdims=True)
        return (x - mean) * tf.math.rsqrt(var + 1e-6) * gamma + beta

    return Spec(fn=f, inputs=[randn(rng, (3, 4, 12)) * 3.0 + 1.0])


add("layernorm_moments", "Layer norm from tf.nn.moments: Mean, SquaredDifference, StopGradient, Sub, Rsqrt, Mul, AddV2.",
    _moments, expect=["Mean", "SquaredDifference", "Rsqrt"])


def _variance(rng):
    def f(x):
        m = tf.reduce_mean(x, axis=[1, 2], keepdims=True)
        v = tf.reduce_mean(tf.square(x - m), axis=[1, 2], keepdims=True)
        return (x - m) / tf.sqrt(v + 1e-5)

    return Spec(fn=f, inputs=[randn(rng, (2, 5, 5, 3)) + 2.0])


add("instancenorm_mean_variance", "Instance-norm style mean/variance over axes [1,2]: Mean, Sub, Square, Sqrt, RealDiv.",
    _variance, expect=["Mean", "Square", "Sqrt", "RealDiv"])


def _keras_bn(rng):
    bn = keras.layers.BatchNormalization(axis=-1, epsilon=1e-3)
    bn.build((1, 4, 4, 5))
    bn.gamma.assign(uniform(rng, (5,), 0.5, 1.5))
    bn.beta.assign(randn(rng, (5,), scale=0.2))
    bn.moving_mean.assign(randn(rng, (5,), scale=0.3))
    bn.moving_variance.assign(uniform(rng, (5,), 0.5, 2.0))
    return Spec(fn=lambda x: bn(x, training=False), inputs=[randn(rng, (1, 4, 4, 5))])


add("batchnorm_keras_inference", "keras.layers.BatchNormalization inference with random statistics: Keras 3 emits "
    "Rsqrt/Mul/Sub/AddV2 rather than FusedBatchNorm.", _keras_bn, expect=["Rsqrt"])


# ---------------------------------------------------------------------------
# bfloat16 computation (f32 inputs and outputs, bf16 inside: tfc's IR computes
# each bf16 op in float32 and rounds its result to bf16, as TensorFlow's CPU
# kernels and TensorRT do)

BF16_TOL = (1e-2, 1e-2)


def _bf16(name, desc, shapes, fn, expect, tol=BF16_TOL, trt_differs=None):
    def build(rng):
        xs = [randn(rng, s) for s in shapes]

        def f(*ts):
            return tf.cast(fn(*[tf.cast(t, tf.bfloat16) for t in ts]), tf.float32)
        return Spec(fn=f, inputs=xs, tol=tol, trt_differs=trt_differs)
    add(name, desc, build, expect=expect)


_BF16_FUSED_TRT = ("TensorRT may fuse a chain of bf16 pointwise layers and round to bf16 only at its end; the "
                   "reference executor rounds after each layer, as TensorFlow does (on the H100, TensorRT-RTX's "
                   "engines gave results one bf16 step off in 9 of 21 and 3 of 36 elements)")
_bf16("bf16_elementwise", "bfloat16 add, mul, sub and maximum of two inputs (rounded to bf16 after each op): bit for bit.",
      [(3, 7), (3, 7)], lambda a, b: tf.maximum(a * b + a, b - a), ["Mul", "AddV2", "Sub", "Maximum"], tol=(0.0, 0.0),
      trt_differs=_BF16_FUSED_TRT)
_bf16("bf16_activations", "bfloat16 tanh, sigmoid, relu and exp: bit for bit.", [(4, 9)],
      lambda a: tf.tanh(a) + tf.sigmoid(a) * tf.nn.relu(a) - tf.exp(a * 0.5), ["Tanh", "Sigmoid", "Relu", "Exp"],
      tol=(0.0, 0.0), trt_differs=_BF16_FUSED_TRT)
_bf16("bf16_matmul", "bfloat16 MatMul [4,16] x [16,8]: tfc accumulates in float32 and rounds once; TF's CPU kernel "
      "rounds differently (results differ by up to one bf16 step).", [(4, 16), (16, 8)],
      lambda a, b: tf.matmul(a, b), ["MatMul"])
