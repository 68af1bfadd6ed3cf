"""Quantization cases: FakeQuant* and QuantizeAndDequantize* alone and in
quantization-aware-trained (QAT) style graphs: fake quantization around
convolutions, matmuls and activations, per tensor and per channel, narrow
range both ways."""

import numpy as np
import tensorflow as tf

from common import Spec, randn, register, uniform

# A fake-quantized output is a multiple of the step plus the nudged minimum:
# tfc must reproduce TensorFlow's values exactly (within float rounding of
# the dequantization, about 1e-7 relative).
QTOL = (1e-6, 1e-6)

fq_args = tf.raw_ops.FakeQuantWithMinMaxArgs
fq_vars = tf.raw_ops.FakeQuantWithMinMaxVars
fq_pc = tf.raw_ops.FakeQuantWithMinMaxVarsPerChannel


def add(name, desc, build, expect):
    register(name, desc, build, expect=expect)


def _single(name, desc, shape, op, expect, scale=3.0):
    def build(rng):
        x = randn(rng, shape, scale=scale)
        return Spec(fn=op, inputs=[x], tol=QTOL)
    add(name, desc, build, [expect])


# --- FakeQuantWithMinMaxArgs
_single("fq_args_default", "FakeQuantWithMinMaxArgs with the default range [-6, 6], 8 bits.", (2, 5, 7),
        lambda x: fq_args(inputs=x), "FakeQuantWithMinMaxArgs")
_single("fq_args_narrow", "FakeQuantWithMinMaxArgs [-1, 1], narrow_range (1..255).", (3, 17),
        lambda x: fq_args(inputs=x, min=-1.0, max=1.0, narrow_range=True), "FakeQuantWithMinMaxArgs", scale=1.0)
_single("fq_args_4bit", "FakeQuantWithMinMaxArgs [-2, 2.5], 4 bits.", (4, 9),
        lambda x: fq_args(inputs=x, min=-2.0, max=2.5, num_bits=4), "FakeQuantWithMinMaxArgs")
_single("fq_args_asymmetric", "FakeQuantWithMinMaxArgs [-0.5, 3.1]: the zero point is nudged.", (5, 11),
        lambda x: fq_args(inputs=x, min=-0.5, max=3.1), "FakeQuantWithMinMaxArgs")
_single("fq_args_relu6", "Relu6 then FakeQuantWithMinMaxArgs [0, 6] (the activation quantizer of a QAT model).", (2, 6, 6, 3),
        lambda x: fq_args(inputs=tf.nn.relu6(x), min=0.0, max=6.0), "FakeQuantWithMinMaxArgs")

# --- FakeQuantWithMinMaxVars (constant min and max)
def _vars(name, desc, lo, hi, narrow=False, bits=8, shape=(3, 13)):
    _single(name, desc, shape,
            lambda x: fq_vars(inputs=x, min=tf.constant(lo, tf.float32), max=tf.constant(hi, tf.float32),
                              num_bits=bits, narrow_range=narrow), "FakeQuantWithMinMaxVars")


_vars("fq_vars_per_tensor", "FakeQuantWithMinMaxVars [-2.3, 1.7].", -2.3, 1.7)
_vars("fq_vars_narrow", "FakeQuantWithMinMaxVars [-3, 3], narrow_range.", -3.0, 3.0, narrow=True)
_vars("fq_vars_positive_range", "FakeQuantWithMinMaxVars [0.5, 2]: min > 0, the nudged range starts at 0.", 0.5, 2.0)
_vars("fq_vars_negative_range", "FakeQuantWithMinMaxVars [-3, -1]: max < 0, the nudged range ends at 0.", -3.0, -1.0)
_vars("fq_vars_7bit_narrow", "FakeQuantWithMinMaxVars [-1.1, 4.2], 7 bits, narrow_range.", -1.1, 4.2, narrow=True, bits=7)


# --- FakeQuantWithMinMaxVarsPerChannel (last dimension)
def _pc(name, desc, shape, narrow=False, bits=8):
    def build(rng):
        x = randn(rng, shape, scale=2.0)
        c = shape[-1]
        lo = -uniform(rng, (c,), 0.2, 3.0)
        hi = uniform(rng, (c,), 0.2, 3.0)

        def fn(t):
            return fq_pc(inputs=t, min=tf.constant(lo), max=tf.constant(hi), num_bits=bits, narrow_range=narrow)
        return Spec(fn=fn, inputs=[x], tol=QTOL)
    add(name, desc, build, ["FakeQuantWithMinMaxVarsPerChannel"])


_pc("fq_per_channel_rank1", "FakeQuantWithMinMaxVarsPerChannel on a vector: one range per element.", (6,))
_pc("fq_per_channel_rank2", "FakeQuantWithMinMaxVarsPerChannel on [5, 4], one range per column.", (5, 4))
_pc("fq_per_channel_rank4", "FakeQuantWithMinMaxVarsPerChannel on NHWC activations, one range per channel.", (1, 5, 5, 3))
_pc("fq_per_channel_narrow_4bit", "FakeQuantWithMinMaxVarsPerChannel, narrow_range, 4 bits.", (3, 7), narrow=True, bits=4)


# --- QuantizeAndDequantize V2/V3/V4
def _qdq(name, desc, lo, hi, op="QuantizeAndDequantizeV2", signed=True, bits=8, narrow=False,
         round_mode="HALF_TO_EVEN", shape=(4, 9), axis=-1):
    def build(rng):
        x = randn(rng, shape, scale=2.0)

        def fn(t):
            mn, mx = tf.constant(lo, tf.float32), tf.constant(hi, tf.float32)
            if op == "QuantizeAndDequantizeV3":
                return tf.raw_ops.QuantizeAndDequantizeV3(input=t, input_min=mn, input_max=mx, num_bits=tf.constant(bits),
                                                          signed_input=signed, range_given=True,
                                                          narrow_range=narrow, axis=axis)
            f = getattr(tf.raw_ops, op)
            return f(input=t, input_min=mn, input_max=mx, signed_input=signed, num_bits=bits, range_given=True,
                     round_mode=round_mode, narrow_range=narrow, axis=axis)
        return Spec(fn=fn, inputs=[x], tol=QTOL)
    add(name, desc, build, [op])


_qdq("qdq_v2_signed", "QuantizeAndDequantizeV2 signed 8 bits, range [-2, 3] given: the max side sets the step.", -2.0, 3.0)
_qdq("qdq_v2_signed_min_side", "QuantizeAndDequantizeV2 signed, range [-3, 1]: the min side sets the step.", -3.0, 1.0)
_qdq("qdq_v2_narrow", "QuantizeAndDequantizeV2 signed, narrow_range (-127..127), range [-2.5, 2.5].", -2.5, 2.5, narrow=True)
_qdq("qdq_v2_unsigned", "QuantizeAndDequantizeV2 unsigned 8 bits, range [0, 4].", 0.0, 4.0, signed=False)
_qdq("qdq_v2_half_up", "QuantizeAndDequantizeV2 with round_mode HALF_UP.", -2.0, 2.0, round_mode="HALF_UP")
_qdq("qdq_v2_4bit", "QuantizeAndDequantizeV2 signed 4 bits, range [-1.5, 2].", -1.5, 2.0, bits=4)


def build_qdq_per_channel_weights(rng):
    x = randn(rng, (3, 5))
    w = randn(rng, (5, 4))

    def fn(t):
        z = tf.zeros([4], tf.float32)
        wq = tf.raw_ops.QuantizeAndDequantizeV4(input=tf.constant(w), input_min=z, input_max=z, signed_input=True,
                                                 num_bits=8, range_given=False, narrow_range=True, axis=1)
        return tf.matmul(t, wq)
    return Spec(fn=fn, inputs=[x], tol=QTOL)


add("qdq_v4_per_channel_weights", "QuantizeAndDequantizeV4 per output column (axis 1) of constant weights, ranges from the data (TF requires range_given=false per channel), narrow range.",
    build_qdq_per_channel_weights, ["QuantizeAndDequantizeV4", "MatMul"])
_qdq("qdq_v2_degenerate", "QuantizeAndDequantizeV2 with the range [0, 0]: every value becomes 0.", 0.0, 0.0)
_qdq("qdq_v3", "QuantizeAndDequantizeV3 (num_bits an input) signed narrow, range [-2, 2].", -2.0, 2.0,
     op="QuantizeAndDequantizeV3", narrow=True)
_qdq("qdq_v4", "QuantizeAndDequantizeV4 signed 8 bits, range [-1, 2.2].", -1.0, 2.2, op="QuantizeAndDequantizeV4")


# --- QAT-style graphs: fake quantization around conv, matmul and activations
def _qat_conv(name, desc, per_channel, narrow, depthwise=False, tol=QTOL):
    def build(rng):
        x = randn(rng, (1, 8, 8, 3))
        cout = 3 if depthwise else 4
        w = randn(rng, (3, 3, 3, 1) if depthwise else (3, 3, 3, cout), scale=0.5)
        b = randn(rng, (cout,), scale=0.1)
        wmax = np.abs(w).reshape(-1, w.shape[2] * w.shape[3] if depthwise else cout)
        wmax = np.abs(w).max(axis=(0, 1, 3) if depthwise else (0, 1, 2)).astype(np.float32)

        def fn(t):
            t = fq_vars(inputs=t, min=tf.constant(-4.0), max=tf.constant(4.0))
            if per_channel:
                wq = fq_pc(inputs=tf.constant(w) if not depthwise else tf.transpose(tf.constant(w), [0, 1, 3, 2]),
                           min=tf.constant(-wmax), max=tf.constant(wmax), narrow_range=narrow)
                if depthwise:
                    wq = tf.transpose(wq, [0, 1, 3, 2])
            else:
                m = float(np.abs(w).max())
                wq = fq_vars(inputs=tf.constant(w), min=tf.constant(-m), max=tf.constant(m), narrow_range=narrow)
            if depthwise:
                y = tf.nn.depthwise_conv2d(t, wq, strides=[1, 1, 1, 1], padding="SAME")
            else:
                y = tf.nn.conv2d(t, wq, strides=1, padding="SAME")
            y = tf.nn.relu(tf.nn.bias_add(y, b))
            return fq_vars(inputs=y, min=tf.constant(0.0), max=tf.constant(6.0))
        return Spec(fn=fn, inputs=[x], tol=tol)
    expect = ["FakeQuantWithMinMaxVars"] + (["FakeQuantWithMinMaxVarsPerChannel"] if per_channel else [])
    add(name, desc, build, expect + (["DepthwiseConv2dNative"] if depthwise else ["Conv2D"]))


_qat_conv("qat_conv_per_tensor", "QAT conv: fake-quantized input, weights per tensor, relu output fake-quantized [0, 6].", False, False)
_qat_conv("qat_conv_per_tensor_narrow", "QAT conv, symmetric narrow-range weights per tensor.", False, True)
# The weights' range is their own extremes, and with a full (even-sized)
# range such an extreme lands exactly on a rounding tie: TensorFlow's
# compiled kernel and tfc's x/scale can round it to neighbouring steps
# (here one weight), so the outputs may differ by one output step (6/255).
_qat_conv("qat_conv_per_channel", "QAT conv, weights fake-quantized per output channel (full range); the weights' extremes fall on rounding ties, so outputs may differ by one step (6/255).",
          True, False, tol=(0.0, 6.0 / 255 * 1.001))
_qat_conv("qat_conv_per_channel_narrow", "QAT conv, weights per output channel, narrow range (symmetric, TensorRT-style).", True, True)
_qat_conv("qat_depthwise_per_channel", "QAT depthwise conv, weights per channel, narrow range.", True, True, depthwise=True)


def _qat_dense(name, desc, narrow, per_channel):
    def build(rng):
        x = randn(rng, (3, 16))
        w = randn(rng, (16, 8), scale=0.3)
        b = randn(rng, (8,), scale=0.1)

        def fn(t):
            t = fq_args(inputs=t, min=-3.0, max=3.0)
            if per_channel:
                m = np.abs(w).max(axis=0).astype(np.float32)
                wq = fq_pc(inputs=tf.constant(w), min=tf.constant(-m), max=tf.constant(m), narrow_range=narrow)
            else:
                m = float(np.abs(w).max())
                wq = fq_vars(inputs=tf.constant(w), min=tf.constant(-m), max=tf.constant(m), narrow_range=narrow)
            y = tf.matmul(t, wq) + b
            return fq_args(inputs=tf.nn.tanh(y), min=-1.0, max=1.0, narrow_range=narrow)
        return Spec(fn=fn, inputs=[x], tol=QTOL)
    add(name, desc, build, ["FakeQuantWithMinMaxArgs", "MatMul"])


_qat_dense("qat_dense_per_tensor", "QAT dense: fake-quantized input and weights, tanh fake-quantized [-1, 1].", False, False)
_qat_dense("qat_dense_per_channel_narrow", "QAT dense, weights per output column, narrow range throughout.", True, True)


def build_qat_residual(rng):
    x = randn(rng, (1, 6, 6, 4))
    w1 = randn(rng, (3, 3, 4, 4), scale=0.3)
    w2 = randn(rng, (1, 1, 4, 4), scale=0.3)

    def q(t, lo, hi):
        return fq_vars(inputs=t, min=tf.constant(lo), max=tf.constant(hi))

    def fn(t):
        t = q(t, -3.0, 3.0)
        a = tf.nn.relu(tf.nn.conv2d(t, q(tf.constant(w1), -1.0, 1.0), 1, "SAME"))
        a = q(a, 0.0, 4.0)
        b = tf.nn.conv2d(a, q(tf.constant(w2), -1.0, 1.0), 1, "SAME")
        return q(tf.nn.relu(q(b, -4.0, 4.0) + t), 0.0, 6.0)
    return Spec(fn=fn, inputs=[x], tol=QTOL)


add("qat_residual", "QAT residual block: two fake-quantized convs, the sum with the quantized input, quantized again.",
    build_qat_residual, ["FakeQuantWithMinMaxVars", "Conv2D", "AddV2"])


def build_qat_qdq_conv(rng):
    x = randn(rng, (1, 7, 7, 2))
    w = randn(rng, (3, 3, 2, 5), scale=0.4)

    def qdq(t, lo, hi, axis=-1):
        return tf.raw_ops.QuantizeAndDequantizeV4(input=t, input_min=tf.constant(lo, tf.float32),
                                                   input_max=tf.constant(hi, tf.float32), signed_input=True,
                                                   num_bits=8, range_given=True, narrow_range=True, axis=axis)

    def fn(t):
        z = tf.zeros([5], tf.float32)
        wq = tf.raw_ops.QuantizeAndDequantizeV4(input=tf.constant(w), input_min=z, input_max=z, signed_input=True,
                                                 num_bits=8, range_given=False, narrow_range=True, axis=3)
        return tf.nn.conv2d(qdq(t, -2.5, 2.5), wq, 1, "VALID")
    return Spec(fn=fn, inputs=[x], tol=QTOL)


add("qat_qdq_conv", "TensorRT-style QAT: symmetric narrow QuantizeAndDequantizeV4 on the input (per tensor) and the weights (per output channel).",
    build_qat_qdq_conv, ["QuantizeAndDequantizeV4", "Conv2D"])


def build_qdq_weights_from_data(rng):
    x = randn(rng, (2, 6))
    w = randn(rng, (6, 3))

    def fn(t):
        wq = tf.raw_ops.QuantizeAndDequantizeV2(input=tf.constant(w), input_min=tf.constant(0.0),
                                                 input_max=tf.constant(0.0), signed_input=True, num_bits=8,
                                                 range_given=False, narrow_range=False)
        return tf.matmul(t, wq)
    return Spec(fn=fn, inputs=[x], tol=QTOL)


add("qdq_v2_weights_range_from_data", "QuantizeAndDequantizeV2 of constant weights with range_given=false: the range is the weights' own min and max.",
    build_qdq_weights_from_data, ["QuantizeAndDequantizeV2", "MatMul"])


# --- Dequantize of constant quantized weights (folded by tfc)
def _deq(name, desc, qtype, mode, lo, hi, narrow=False, axis=-1, shape=(4, 3), out=tf.float32, data=None, recip=False):
    np_types = {tf.qint8: np.int8, tf.quint8: np.uint8, tf.qint16: np.int16, tf.quint16: np.uint16, tf.qint32: np.int32}

    def build(rng):
        info = np.iinfo(np_types[qtype])
        q = rng.integers(info.min, info.max, size=shape, endpoint=True).astype(np_types[qtype])
        if data is not None:
            q = np.array(data, np_types[qtype]).reshape(shape)
        x = randn(rng, shape)

        def fn(t):
            w = tf.quantization.dequantize(tf.constant(q, dtype=qtype), tf.constant(lo, tf.float32),
                                           tf.constant(hi, tf.float32), mode=mode, narrow_range=narrow,
                                           axis=None if axis < 0 else axis, dtype=out)
            w = tf.cast(w, tf.float32)
            return 1.0 / w + t if recip else w * t
        return Spec(fn=fn, inputs=[x], tol=(0.0, 0.0))
    add(name, desc, build, ["Dequantize"])


_deq("dequantize_min_combined_quint8", "Dequantize quint8 weights, MIN_COMBINED, range [-1.5, 2.5].", tf.quint8, "MIN_COMBINED", -1.5, 2.5)
_deq("dequantize_min_combined_qint8", "Dequantize qint8 weights, MIN_COMBINED (half-range offset), range [-3, 1].", tf.qint8, "MIN_COMBINED", -3.0, 1.0)
_deq("dequantize_min_combined_qint32", "Dequantize qint32, MIN_COMBINED, range [-100, 100].", tf.qint32, "MIN_COMBINED", -100.0, 100.0)
_deq("dequantize_min_combined_bf16", "Dequantize qint8 MIN_COMBINED to bfloat16.", tf.qint8, "MIN_COMBINED", -2.0, 2.0, out=tf.bfloat16)
_deq("dequantize_min_combined_per_axis", "Dequantize quint8 MIN_COMBINED per column (axis 1).", tf.quint8, "MIN_COMBINED",
     [-1.0, -2.0, 0.0], [1.0, 0.5, 3.0], axis=1)
_deq("dequantize_min_first_quint8", "Dequantize quint8 weights, MIN_FIRST, range [-0.7, 1.9].", tf.quint8, "MIN_FIRST", -0.7, 1.9)
_deq("dequantize_min_first_qint16", "Dequantize qint16, MIN_FIRST, range [-4, 4].", tf.qint16, "MIN_FIRST", -4.0, 4.0)
_deq("dequantize_scaled_qint8", "Dequantize qint8, SCALED, range [-2, 3] (the max side sets the scale).", tf.qint8, "SCALED", -2.0, 3.0)
_deq("dequantize_scaled_qint8_narrow", "Dequantize qint8, SCALED, narrow_range, range [-3, 1] (the min side sets the scale).",
     tf.qint8, "SCALED", -3.0, 1.0, narrow=True)
_deq("dequantize_scaled_quint8", "Dequantize quint8, SCALED, range [0, 5].", tf.quint8, "SCALED", 0.0, 5.0)
_deq("dequantize_scaled_per_axis", "Dequantize qint8 SCALED per row (axis 0).", tf.qint8, "SCALED",
     [-1.0, -2.0, -0.5, -3.0], [1.0, 0.5, 2.0, 3.0], axis=0)
_deq("dequantize_degenerate_min_combined", "Dequantize MIN_COMBINED with min = max = 0.75: every value is 0.75.",
     tf.qint8, "MIN_COMBINED", 0.75, 0.75)
_deq("dequantize_degenerate_min_first", "Dequantize MIN_FIRST with min = max = -0.5.", tf.quint8, "MIN_FIRST", -0.5, -0.5)
_deq("dequantize_degenerate_scaled", "Dequantize SCALED with the range [0, 0]: zeros, signed as TensorFlow gives them (checked through 1/x).",
     tf.qint8, "SCALED", 0.0, 0.0, data=[-128, -1, 0, 1, 127, 5, -5, 0, 3, -3, 100, -100], recip=True)


# --- QuantizeV2 of constant weights, then Dequantize (both folded by tfc)
def _quant(name, desc, qtype, mode, lo, hi, round_mode="HALF_AWAY_FROM_ZERO", narrow=False, axis=-1,
           ensure=0.01, shape=(4, 3), deq_mode=None, data=None):
    def build(rng):
        w = randn(rng, shape, scale=2.0)
        if data is not None:
            w = np.array(data, np.float32).reshape(shape)
        x = randn(rng, shape)

        def fn(t):
            q, mn, mx = tf.quantization.quantize(tf.constant(w), tf.constant(lo, tf.float32), tf.constant(hi, tf.float32),
                                                 qtype, mode=mode, round_mode=round_mode, narrow_range=narrow,
                                                 axis=None if axis < 0 else axis, ensure_minimum_range=ensure)
            d = tf.quantization.dequantize(q, mn, mx, mode=deq_mode or mode, narrow_range=narrow,
                                           axis=None if axis < 0 else axis)
            return d * t, mn + tf.zeros_like(mn), mx + tf.zeros_like(mx)
        return Spec(fn=fn, inputs=[x], tol=(0.0, 0.0))
    add(name, desc, build, ["QuantizeV2", "Dequantize"])


_quant("quantize_v2_min_combined_quint8", "QuantizeV2 of weights to quint8, MIN_COMBINED, range [-3, 4], then Dequantize.",
       tf.quint8, "MIN_COMBINED", -3.0, 4.0)
_quant("quantize_v2_min_combined_qint8", "QuantizeV2 to qint8, MIN_COMBINED (round half away, half-range shift), range [-2, 2.5].",
       tf.qint8, "MIN_COMBINED", -2.0, 2.5)
_quant("quantize_v2_min_first_quint8", "QuantizeV2 to quint8, MIN_FIRST, range [-1, 5].", tf.quint8, "MIN_FIRST", -1.0, 5.0)
_quant("quantize_v2_scaled_qint8", "QuantizeV2 to qint8, SCALED, range [-4, 3], round half away from zero.",
       tf.qint8, "SCALED", -4.0, 3.0)
_quant("quantize_v2_scaled_half_even_narrow", "QuantizeV2 to qint8, SCALED, HALF_TO_EVEN, narrow_range, range [-2, 2] (ties at k + 0.5 steps).",
       tf.qint8, "SCALED", -2.0, 2.0, round_mode="HALF_TO_EVEN", narrow=True,
       data=[0.5 * 2 / 127 * k for k in range(-6, 6)])
_quant("quantize_v2_scaled_per_axis", "QuantizeV2 to qint8, SCALED per column (axis 1).", tf.qint8, "SCALED",
       [-1.0, -3.0, -0.5], [2.0, 1.0, 0.5], axis=1)
_quant("quantize_v2_degenerate", "QuantizeV2 with the range [0, 0]: ensure_minimum_range widens it to [0, 0.01].",
       tf.quint8, "MIN_COMBINED", 0.0, 0.0)
_quant("quantize_v2_degenerate_scaled", "QuantizeV2 SCALED with the range [0, 0] and ensure_minimum_range 0: the scale is FLT_MAX, the range ±127/FLT_MAX, and Dequantize's scale underflows to a subnormal that TF flushes to zero.",
       tf.qint8, "SCALED", 0.0, 0.0, ensure=0.0)

_qdq("qdq_v3_unsigned_wide", "QuantizeAndDequantizeV3 (num_bits an input) unsigned, not narrow, range [0, 3].", 0.0, 3.0,
     op="QuantizeAndDequantizeV3", signed=False)
