"""Whole-model cases (testdata/models/<name>/, and --resnet50 into testdata/large).

Weights are seeded random (weights=None, never downloaded). BatchNormalization
layers get random non-trivial gamma/beta/moving statistics so that inference
BatchNorm is not the identity, and every bias (Conv2D, DepthwiseConv2D, Dense,
the EinsumDense projections inside MultiHeadAttention) gets random non-zero
values: with Keras' zero bias initialiser a pass that drops or mis-scales a
bias (fuse-bn, fuse-bias) would still match TensorFlow.
"""

import os

import keras
import numpy as np
import tensorflow as tf

from common import DYNAMIC_DIR, LARGE_DIR, Spec, randn, register, uniform


def randomize_norms(model, rng):
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            c = layer.moving_mean.shape[0]
            if layer.gamma is not None:
                layer.gamma.assign(rng.uniform(0.5, 1.5, c).astype(np.float32))
            if layer.beta is not None:
                layer.beta.assign((rng.standard_normal(c) * 0.1).astype(np.float32))
            layer.moving_mean.assign((rng.standard_normal(c) * 0.1).astype(np.float32))
            layer.moving_variance.assign(rng.uniform(0.5, 1.5, c).astype(np.float32))
        elif isinstance(layer, keras.layers.LayerNormalization):
            c = layer.gamma.shape[0]
            layer.gamma.assign(rng.uniform(0.8, 1.2, c).astype(np.float32))
            layer.beta.assign((rng.standard_normal(c) * 0.1).astype(np.float32))


def randomize_biases(model, rng, scale=0.1):
    """Gives every bias variable of model (nested layers included) values
    drawn from N(0, scale), none of them zero."""
    n = 0
    for v in model.weights:
        if v.path.split("/")[-1] != "bias":
            continue
        b = rng.standard_normal(v.shape) * scale
        b = np.where(np.abs(b) < scale * 0.05, scale * 0.05, b)
        v.assign(b.astype(np.float32))
        n += 1
    if n == 0:
        raise ValueError(f"{model.name}: no bias variables to randomize")


def check_randomized(model):
    """Fails when a bias or a BatchNormalization parameter is still at its
    trivial initial value (zero bias, gamma 1, beta 0, mean 0, variance 1)."""
    for v in model.weights:
        leaf = v.path.split("/")[-1]
        a = np.asarray(v.numpy())
        trivial = {"bias": 0.0, "beta": 0.0, "moving_mean": 0.0, "gamma": 1.0,
                   "moving_variance": 1.0}
        if leaf in trivial and np.any(a == trivial[leaf]):
            raise ValueError(f"{model.name}: {v.path} still has trivial values")


def sharpen_classifier(model, layer_name, factor):
    """Scales the final Dense kernel so the softmax output is far from uniform
    (a near-uniform softmax would hide most errors within the tolerance)."""
    layer = model.get_layer(layer_name)
    layer.kernel.assign(layer.kernel.numpy() * factor)


def keras_spec(model, x):
    return Spec(fn=lambda t: model(t, training=False), inputs=[x])


# --- MobileNetV2 -----------------------------------------------------------


def build_mobilenetv2(rng):
    model = keras.applications.MobileNetV2(
        alpha=0.35, input_shape=(96, 96, 3), weights=None, classes=10
    )
    randomize_norms(model, rng)
    randomize_biases(model, rng)
    check_randomized(model)
    sharpen_classifier(model, "predictions", 15.0)
    x = uniform(rng, (1, 96, 96, 3), -1.0, 1.0)
    return keras_spec(model, x)


register(
    "mobilenetv2",
    "keras.applications.MobileNetV2(alpha=0.35, input_shape=(96,96,3), weights=None, "
    "classes=10), seeded random weights, biases and BatchNorm statistics (final Dense kernel scaled x15 "
    "so the softmax is not near-uniform), batch 1, softmax output.",
    build_mobilenetv2,
    kind="model",
    expect=["Conv2D", "DepthwiseConv2dNative"],
)


def build_mobilenetv2_dynamic(batch):
    """MobileNetV2 with an unknown batch in its signature, fed batch `batch`.
    The weights come from one fixed seed, so the cases at every batch hold
    the same model (tfc compiles it once with a dynamic batch)."""

    def build(rng):
        keras.utils.set_random_seed(12)
        wrng = np.random.default_rng(12)
        model = keras.applications.MobileNetV2(
            alpha=0.35, input_shape=(96, 96, 3), weights=None, classes=10
        )
        randomize_norms(model, wrng)
        randomize_biases(model, wrng)
        check_randomized(model)
        sharpen_classifier(model, "predictions", 15.0)
        x = uniform(rng, (batch, 96, 96, 3), -1.0, 1.0)
        return Spec(fn=lambda t: model(t, training=False), inputs=[x], sig_shapes=[[None, 96, 96, 3]])

    return build


for _batch in (1, 3, 8):
    register(
        f"mobilenetv2_dynamic_b{_batch}",
        "The mobilenetv2 architecture with one fixed set of seeded weights (seed 12) and an unknown "
        f"batch in the signature (placeholder [?,96,96,3]), fed batch {_batch}: the cases at batches "
        "1, 3 and 8 check one dynamic-batch compile.",
        build_mobilenetv2_dynamic(_batch),
        kind="model",
        out_dir=DYNAMIC_DIR,
        expect=["Conv2D", "DepthwiseConv2dNative"],
    )


def encoder_layers(x, d_model, heads, d_ff):
    """Two BERT-style post-norm transformer layers on x: self-attention and a
    gelu feed-forward, each with a residual Add and LayerNormalization."""
    for i in range(2):
        attn = keras.layers.MultiHeadAttention(
            num_heads=heads, key_dim=d_model // heads, name=f"layer{i}_attention"
        )(x, x)
        x = keras.layers.Add(name=f"layer{i}_attn_residual")([x, attn])
        x = keras.layers.LayerNormalization(epsilon=1e-12, name=f"layer{i}_attn_norm")(x)
        h = keras.layers.Dense(d_ff, activation="gelu", name=f"layer{i}_ffn_in")(x)
        h = keras.layers.Dense(d_model, name=f"layer{i}_ffn_out")(h)
        x = keras.layers.Add(name=f"layer{i}_ffn_residual")([x, h])
        x = keras.layers.LayerNormalization(epsilon=1e-12, name=f"layer{i}_ffn_norm")(x)
    return x


def build_encoder_dynamic(batch, seq):
    """The encoder architecture with unknown batch and sequence length in its
    signature, fed [batch, seq, 64]; one fixed seed for the weights."""

    def build(rng):
        keras.utils.set_random_seed(12)
        wrng = np.random.default_rng(12)
        d_model, heads, d_ff = 64, 4, 128
        inp = keras.Input((None, d_model), name="x")
        model = keras.Model(inp, encoder_layers(inp, d_model, heads, d_ff), name="encoder")
        randomize_norms(model, wrng)
        randomize_biases(model, wrng)
        check_randomized(model)
        return Spec(fn=lambda t: model(t, training=False), inputs=[randn(rng, (batch, seq, d_model))],
                    sig_shapes=[[None, None, d_model]])

    return build


for _batch, _seq in ((1, 8), (3, 8), (8, 32), (3, 32)):
    register(
        f"encoder_dynamic_b{_batch}_s{_seq}",
        "The encoder architecture with one fixed set of seeded weights (seed 12), unknown batch and "
        f"sequence length in the signature (placeholder [?,?,64]), fed [{_batch},{_seq},64].",
        build_encoder_dynamic(_batch, _seq),
        kind="model",
        out_dir=DYNAMIC_DIR,
    )


def _keras_wild(wrng):
    """A Keras model of the shape idioms dynamic-batch, dynamic-length models
    use: Dense on [?,?,16], learned positions Embedding(arange(seq)), a
    pre-norm MultiHeadAttention block with LayerNormalization, the first
    token (x[:, 0]), Conv1D "same" over the sequence,
    GlobalAveragePooling1D, Reshape((-1, 8)) of [?,?,32] (a length 4*S),
    Flatten of a static tail, and a softmax head."""
    d = 32
    inp = keras.Input((None, 16), name="x")
    x = keras.layers.Dense(d, name="proj")(inp)
    positions = keras.layers.Lambda(lambda t: keras.ops.arange(keras.ops.shape(t)[1]), name="positions")(x)
    x = x + keras.layers.Embedding(64, d, name="pos_embedding")(positions)
    h = keras.layers.LayerNormalization(epsilon=1e-6, name="attn_norm")(x)
    h = keras.layers.MultiHeadAttention(num_heads=4, key_dim=d // 4, name="attention")(h, h)
    x = keras.layers.Add(name="attn_residual")([x, h])
    x = keras.layers.LayerNormalization(epsilon=1e-6, name="out_norm")(x)
    cls = keras.layers.Lambda(lambda t: t[:, 0], name="cls")(x)
    conv = keras.layers.Conv1D(8, 3, padding="same", activation="relu", name="conv")(x)
    pooled = keras.layers.GlobalAveragePooling1D(name="gap")(conv)
    chunks = keras.layers.Reshape((-1, 8), name="chunks")(x)
    chunk_mean = keras.layers.GlobalAveragePooling1D(name="chunk_gap")(chunks)
    tail = keras.layers.Reshape((2, 4), name="tail")(pooled)
    flat = keras.layers.Flatten(name="flatten")(tail)
    feats = keras.layers.Concatenate(name="features")([cls, flat, chunk_mean])
    out = keras.layers.Dense(5, activation="softmax", name="head")(feats)
    model = keras.Model(inp, out, name="keras_wild")
    randomize_norms(model, wrng)
    randomize_biases(model, wrng)
    check_randomized(model)
    sharpen_classifier(model, "head", 5.0)
    return model


def build_keras_wild_dynamic(batch, seq):
    """keras_wild with unknown batch and sequence length in its signature,
    fed [batch, seq, 16]; one fixed seed for the weights."""

    def build(rng):
        keras.utils.set_random_seed(12)
        model = _keras_wild(np.random.default_rng(12))
        return Spec(fn=lambda t: model(t, training=False), inputs=[randn(rng, (batch, seq, 16))],
                    sig_shapes=[[None, None, 16]])

    return build


for _batch, _seq in ((1, 4), (3, 7), (5, 12)):
    register(
        f"keras_wild_dynamic_b{_batch}_s{_seq}",
        "A Keras model of the shape idioms of dynamic models from the wild (learned positions from "
        "arange(seq), pre-norm MultiHeadAttention, x[:, 0], Conv1D same, GlobalAveragePooling1D, "
        "Reshape((-1, 8)), Flatten, Concatenate) with one fixed set of seeded weights (seed 12), "
        f"unknown batch and sequence length in the signature (placeholder [?,?,16]), fed [{_batch},{_seq},16].",
        build_keras_wild_dynamic(_batch, _seq),
        kind="model",
        out_dir=DYNAMIC_DIR,
    )


# --- small ResNet (Keras ResNet50 block pattern) -------------------------------


def _bottleneck(x, filters, stride, conv_shortcut, name):
    """keras.applications.resnet.block1."""
    bn_axis = 3
    if conv_shortcut:
        shortcut = keras.layers.Conv2D(4 * filters, 1, strides=stride, name=name + "_0_conv")(x)
        shortcut = keras.layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_0_bn")(shortcut)
    else:
        shortcut = x
    x = keras.layers.Conv2D(filters, 1, strides=stride, name=name + "_1_conv")(x)
    x = keras.layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_1_bn")(x)
    x = keras.layers.Activation("relu", name=name + "_1_relu")(x)
    x = keras.layers.Conv2D(filters, 3, padding="same", name=name + "_2_conv")(x)
    x = keras.layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_2_bn")(x)
    x = keras.layers.Activation("relu", name=name + "_2_relu")(x)
    x = keras.layers.Conv2D(4 * filters, 1, name=name + "_3_conv")(x)
    x = keras.layers.BatchNormalization(axis=bn_axis, epsilon=1.001e-5, name=name + "_3_bn")(x)
    x = keras.layers.Add(name=name + "_add")([shortcut, x])
    return keras.layers.Activation("relu", name=name + "_out")(x)


def _stack(x, filters, blocks, stride1, name):
    x = _bottleneck(x, filters, stride1, True, name + "_block1")
    for i in range(2, blocks + 1):
        x = _bottleneck(x, filters, 1, False, name + "_block" + str(i))
    return x


def _resnet_small(batch_size, wrng):
    """The resnet_small architecture (batch_size None: unknown), weights,
    norms and biases drawn from wrng."""
    inp = keras.Input((64, 64, 3), batch_size=batch_size, name="x")
    x = keras.layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(inp)
    x = keras.layers.Conv2D(16, 7, strides=2, name="conv1_conv")(x)
    x = keras.layers.BatchNormalization(axis=3, epsilon=1.001e-5, name="conv1_bn")(x)
    x = keras.layers.Activation("relu", name="conv1_relu")(x)
    x = keras.layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = keras.layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = _stack(x, 8, 2, 1, "conv2")
    x = _stack(x, 16, 2, 2, "conv3")
    x = _stack(x, 32, 2, 2, "conv4")
    x = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)
    x = keras.layers.Dense(10, activation="softmax", name="predictions")(x)
    model = keras.Model(inp, x, name="resnet_small")
    randomize_norms(model, wrng)
    randomize_biases(model, wrng)
    check_randomized(model)
    sharpen_classifier(model, "predictions", 5.0)
    return model


def build_resnet_small(rng):
    model = _resnet_small(1, rng)
    return keras_spec(model, randn(rng, (1, 64, 64, 3)))


def build_resnet_small_dynamic(batch):
    """resnet_small with an unknown batch in its signature, fed batch
    `batch`; one fixed seed for the weights, as mobilenetv2_dynamic."""

    def build(rng):
        keras.utils.set_random_seed(12)
        model = _resnet_small(None, np.random.default_rng(12))
        x = randn(rng, (batch, 64, 64, 3))
        return Spec(fn=lambda t: model(t, training=False), inputs=[x], sig_shapes=[[None, 64, 64, 3]])

    return build


register(
    "resnet_small",
    "Small ResNet with the Keras ResNet50 block pattern: ZeroPadding + 7x7/2 conv + BN + relu "
    "stem, ZeroPadding + 3x3/2 max pool, three stacks of two bottleneck blocks "
    "(1x1/3x3/1x1 convs with BN, projection shortcut in each stack's first block, "
    "filters 8/16/32, strides 1/2/2), global average pool, dense softmax over 10 classes "
    "(kernel scaled x5 so the softmax is not near-uniform). "
    "Input 1x64x64x3, seeded random weights, non-zero biases and BatchNorm statistics.",
    build_resnet_small,
    kind="model",
    expect=["Conv2D", "MaxPool", "Pad", "Mean", "Softmax"],
)

for _batch in (1, 3, 8):
    register(
        f"resnet_small_dynamic_b{_batch}",
        "The resnet_small architecture with one fixed set of seeded weights (seed 12) and an unknown "
        f"batch in the signature (placeholder [?,64,64,3]), fed batch {_batch}: the cases at batches "
        "1, 3 and 8 check one dynamic-batch compile.",
        build_resnet_small_dynamic(_batch),
        kind="model",
        out_dir=DYNAMIC_DIR,
        expect=["Conv2D", "MaxPool", "Pad", "Mean", "Softmax"],
    )


# --- BERT-style encoder ----------------------------------------------------------


def build_encoder(rng):
    seq, d_model, heads, d_ff = 16, 64, 4, 128
    inp = keras.Input((seq, d_model), batch_size=1, name="x")
    model = keras.Model(inp, encoder_layers(inp, d_model, heads, d_ff), name="encoder")
    randomize_norms(model, rng)
    randomize_biases(model, rng)
    check_randomized(model)
    return keras_spec(model, randn(rng, (1, seq, d_model)))


register(
    "encoder",
    "2-layer BERT-style post-norm transformer encoder: keras.layers.MultiHeadAttention "
    "(4 heads, key_dim 16, Einsum projections), residual Add + LayerNormalization, "
    "Dense(128, gelu exact) + Dense(64) feed-forward, residual + LayerNormalization. "
    "Input float32 [1,16,64] (a sequence of embeddings), seeded random weights and non-zero biases.",
    build_encoder,
    kind="model",
    expect=["Einsum", "Softmax"],
)


# --- full ResNet50 (--resnet50, git-ignored) ---------------------------------------


def build_resnet50(rng):
    model = keras.applications.ResNet50(weights=None)
    randomize_norms(model, rng)
    randomize_biases(model, rng)
    check_randomized(model)
    sharpen_classifier(model, "predictions", 5.0)
    return keras_spec(model, randn(rng, (1, 224, 224, 3)))


register(
    "resnet50",
    "Full keras.applications.ResNet50(weights=None) with seeded random weights and "
    "BatchNorm statistics, batch 1, input 1x224x224x3, softmax over 1000 classes.",
    build_resnet50,
    kind="model",
    out_dir=LARGE_DIR,
)
