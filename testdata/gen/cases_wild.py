"""Graphs from the wild: idioms tfc's own cases never produce. Frozen graphs
that still hold function calls (XLA-compiled Keras layers, which TensorFlow
does not inline when freezing), and graphs fed by a tf.data iterator,
compiled by cutting them at the iterator's outputs (Spec.feed)."""

import keras
import numpy as np
import tensorflow as tf

from common import Spec, distinct, randn, register


def distinct_grid(rng, shape):
    """Values without ties (for max pooling with argmax)."""
    return distinct(rng, shape)


def _conv_dense():
    conv = keras.layers.Conv2D(4, 3, activation="relu")
    dense = keras.layers.Dense(5)
    conv.build((1, 8, 8, 3))
    dense.build((1, 4))
    return conv, dense


def _xla_keras_layer(rng):
    conv, dense = _conv_dense()

    @tf.function(jit_compile=True)
    def block(t):
        return dense(tf.reduce_mean(conv(t), axis=[1, 2]))

    return Spec(fn=lambda x: tf.nn.softmax(block(x)), inputs=[randn(rng, (1, 8, 8, 3))])


register("call_xla_keras_layer",
         "Keras Conv2D and Dense layers called from a tf.function(jit_compile=True): freezing leaves "
         "the XLA function as a StatefulPartitionedCall into the graph's function library.",
         _xla_keras_layer, expect=["StatefulPartitionedCall", "Conv2D", "MatMul"])


def _xla_nested(rng):
    dense = keras.layers.Dense(3)
    dense.build((2, 4))

    @tf.function(experimental_attributes={"_noinline": True})
    def inner(t):
        return tf.nn.relu(dense(t))

    @tf.function(jit_compile=True)
    def outer(t):
        return inner(t) + 1.0

    return Spec(fn=lambda x: outer(x) * 2.0, inputs=[randn(rng, (2, 4))])


register("call_xla_nested",
         "An XLA-compiled tf.function calling a _noinline tf.function holding a Keras Dense layer: "
         "a call nested in a call, both left in the frozen graph.",
         _xla_nested, expect=["StatefulPartitionedCall", "MatMul"])


def _xla_two_outputs(rng):
    @tf.function(jit_compile=True)
    def split(t):
        return tf.nn.relu(t), tf.reduce_sum(t, axis=-1)

    def fn(x):
        a, b = split(x)
        return a * 3.0, b - 1.0

    return Spec(fn=fn, inputs=[randn(rng, (3, 4))])


register("call_xla_two_outputs",
         "A stateless XLA-compiled tf.function (a PartitionedCall) with two results used by different nodes (outputs :0 and :1 of the call).",
         _xla_two_outputs, expect=["PartitionedCall", "Relu", "Sum"])


def _iterator_dense(rng):
    dense = keras.layers.Dense(3)
    dense.build((2, 4))

    def fn(x):
        ds = tf.data.Dataset.from_tensors(x).map(lambda t: t * 0.5)
        return tf.nn.relu(dense(next(iter(ds))))

    return Spec(fn=fn, inputs=[randn(rng, (2, 4))], feed=["IteratorGetNext:0"])


register("iterator_dense",
         "A Keras Dense layer fed by a tf.data iterator (TensorDataset, MapDataset, IteratorGetNext): "
         "compiled by cutting the graph at IteratorGetNext:0, which TensorFlow is fed too.",
         _iterator_dense, expect=["IteratorGetNext", "MatMul"])


def _iterator_two_components(rng):
    def fn(x, y):
        ds = tf.data.Dataset.from_tensors((x, y))
        a, b = next(iter(ds))
        return tf.concat([a * 2.0, tf.cast(b, tf.float32)], axis=-1)

    x = randn(rng, (2, 3))
    y = rng.integers(-5, 5, size=(2, 2)).astype(np.int32)
    return Spec(fn=fn, inputs=[x, y], feed=["IteratorGetNext:0", "IteratorGetNext:1"])


register("iterator_two_components",
         "A tf.data iterator yielding (float32, int32) pairs: the graph is cut at IteratorGetNext:0 and :1.",
         _iterator_two_components, expect=["IteratorGetNext", "ConcatV2", "Cast"])


# ---------------------------------------------------------------------------
# Einsum with a letter repeated within a term: diagonals and traces.


def _einsum_rep(name, eq, shapes, desc):
    def build(rng):
        ins = [randn(rng, s) for s in shapes]
        if len(ins) == 1:
            return Spec(fn=lambda x: tf.einsum(eq, x), inputs=ins)
        return Spec(fn=lambda x, y: tf.einsum(eq, x, y), inputs=ins)

    register(name, f"Einsum {eq} {desc}.", build, expect=["Einsum"])


_einsum_rep("einsum_diag_ii_i", "ii->i", [(4, 4)], "(the diagonal)")
_einsum_rep("einsum_trace_ii", "ii", [(5, 5)], "(the trace, implicit output)")
_einsum_rep("einsum_batch_diag_bii_bi", "bii->bi", [(2, 3, 3)], "(batched diagonals)")
_einsum_rep("einsum_diag_apart_iji_ji", "iji->ji", [(3, 2, 3)], "(repeated letter on non-adjacent axes)")
_einsum_rep("einsum_diag_matmul_iij_jk", "iij,jk->ik", [(3, 3, 4), (4, 2)], "(a diagonal feeding a contraction)")


# ---------------------------------------------------------------------------
# GatherNd / ScatterNd


def _gather_nd(name, desc, pshape, idx, batch_dims=0, dtype=np.float32):
    def build(rng):
        p = randn(rng, pshape).astype(dtype) if dtype == np.float32 else rng.integers(-50, 50, pshape).astype(dtype)
        ind = np.array(idx, dtype=np.int32)
        return Spec(fn=lambda x, i: tf.gather_nd(x, i, batch_dims=batch_dims), inputs=[p, ind], names=["x", "indices"])

    register(name, desc, build, expect=["GatherNd"])


_gather_nd("gather_nd_full_tuples", "GatherNd of [3,4] with index pairs [[2,1],[0,3],[2,1]]: scalars (a repeated index).",
           (3, 4), [[2, 1], [0, 3], [2, 1]])
_gather_nd("gather_nd_rows", "GatherNd of [3,4,2] with 1-tuples [[[1]],[[2]]]: whole [4,2] slices, indices [2,1,1].",
           (3, 4, 2), [[[1]], [[2]]])
_gather_nd("gather_nd_batch_dims1", "tf.gather_nd with batch_dims=1: params [2,3,4], indices [2,2,1] (per-batch rows).",
           (2, 3, 4), [[[2], [0]], [[1], [1]]], batch_dims=1)
_gather_nd("gather_nd_int64_params", "GatherNd of int64 [4,3] with pairs [[3,2],[0,0]].", (4, 3), [[3, 2], [0, 0]], dtype=np.int64)


def _scatter_nd(name, desc, idx, ushape, shape, dtype=np.float32, const_idx=False):
    def build(rng):
        u = randn(rng, ushape) if dtype == np.float32 else rng.integers(-50, 50, ushape).astype(dtype)
        ind = np.array(idx, dtype=np.int32)
        if const_idx:
            return Spec(fn=lambda x: tf.scatter_nd(tf.constant(ind), x, shape), inputs=[u], names=["updates"])
        return Spec(fn=lambda i, x: tf.scatter_nd(i, x, shape), inputs=[ind, u], names=["indices", "updates"])

    register(name, desc, build, expect=["ScatterNd"])


_scatter_nd("scatter_nd_rows", "ScatterNd of two [3]-rows into zeros [4,3] at rows 3 and 1 (indices a constant).",
            [[3], [1]], (2, 3), [4, 3], const_idx=True)
_scatter_nd("scatter_nd_repeated", "ScatterNd with repeated constant index tuples [[1,2],[0,0],[1,2],[1,2]] into [2,3]: "
            "updates summed.", [[1, 2], [0, 0], [1, 2], [1, 2]], (4,), [2, 3], const_idx=True)
_scatter_nd("scatter_nd_runtime_repeated", "ScatterNd with index tuples fed at run time, one repeated: [[0,1],[2,0],[0,1]] "
            "into [3,2,2].", [[0, 1], [2, 0], [0, 1]], (3, 2), [3, 2, 2])
_scatter_nd("scatter_nd_int32_repeated", "ScatterNd of int32 updates with a repeated row index into [3,2].",
            [[2], [0], [2]], (3, 2), [3, 2], dtype=np.int32)


# ---------------------------------------------------------------------------
# Cumsum / Cumprod


def _cum(name, desc, op, shape, axis, exclusive=False, reverse=False, dtype=np.float32):
    def build(rng):
        if dtype == np.float32:
            x = rng.uniform(0.5, 1.5, shape).astype(np.float32) if op == "prod" else randn(rng, shape)
        else:
            x = rng.integers(-4, 5, shape).astype(dtype)
        f = tf.math.cumprod if op == "prod" else tf.math.cumsum
        return Spec(fn=lambda t: f(t, axis=axis, exclusive=exclusive, reverse=reverse), inputs=[x])

    register(name, desc, build, expect=["Cumprod" if op == "prod" else "Cumsum"])


_cum("cumsum_axis1", "Cumsum of [3,5] along axis 1.", "sum", (3, 5), 1)
_cum("cumsum_neg_axis_exclusive", "Cumsum of [2,4,3] along axis -2, exclusive.", "sum", (2, 4, 3), -2, exclusive=True)
_cum("cumsum_reverse", "Cumsum of [4,3] along axis 0, reverse.", "sum", (4, 3), 0, reverse=True)
_cum("cumsum_exclusive_reverse_int32", "Cumsum of int32 [2,6] along axis 1, exclusive and reverse.", "sum", (2, 6), 1,
     exclusive=True, reverse=True, dtype=np.int32)
_cum("cumprod_axis0", "Cumprod of [5,3] along axis 0 (values in [0.5,1.5)).", "prod", (5, 3), 0)
_cum("cumprod_exclusive_reverse", "Cumprod of [2,7] along axis -1, exclusive and reverse.", "prod", (2, 7), -1,
     exclusive=True, reverse=True)
_cum("cumprod_int64", "Cumprod of int64 [3,4] along axis 1.", "prod", (3, 4), 1, dtype=np.int64)


# ---------------------------------------------------------------------------
# Reverse (V1), ReverseSequence, MatrixBandPart, LRN


def _seq(rng, shape):
    return (np.arange(int(np.prod(shape)), dtype=np.float32) / 10.0).reshape(shape)


register("reverse_v1_dims", "Reverse (V1) of [2,3,4] with dims [true,false,true].",
         lambda rng: Spec(fn=lambda x: tf.raw_ops.Reverse(tensor=x, dims=[True, False, True]), inputs=[_seq(rng, (2, 3, 4))]),
         expect=["Reverse"])
register("reverse_v1_int32_none", "Reverse (V1) of int32 [3,2] with dims [false,true].",
         lambda rng: Spec(fn=lambda x: tf.raw_ops.Reverse(tensor=x, dims=[False, True]),
                          inputs=[np.arange(6, dtype=np.int32).reshape(3, 2)]), expect=["Reverse"])


def _revseq(seq_dim, batch_dim, shape, lens, dtype=np.int64):
    def build(rng):
        x = _seq(rng, shape)
        ln = np.array(lens, dtype=dtype)
        return Spec(fn=lambda t, l: tf.reverse_sequence(t, l, seq_axis=seq_dim, batch_axis=batch_dim), inputs=[x, ln],
                    names=["x", "lengths"])
    return build


register("reverse_sequence_b0_s1", "ReverseSequence of [3,5,2], batch_dim 0, seq_dim 1, lengths [5,2,0] fed at run time.",
         _revseq(1, 0, (3, 5, 2), [5, 2, 0]), expect=["ReverseSequence"])
register("reverse_sequence_s0_b2_int32", "ReverseSequence of [4,3,2] with seq_dim 0 after batch_dim 2, int32 lengths [3,1].",
         _revseq(0, 2, (4, 3, 2), [3, 1], np.int32), expect=["ReverseSequence"])


def _band(lower, upper, shape):
    def build(rng):
        return Spec(fn=lambda x: tf.linalg.band_part(x, lower, upper), inputs=[randn(rng, shape)])
    return build


register("matrix_band_part_tri", "MatrixBandPart of [2,4,5] keeping the lower triangle (num_lower -1, num_upper 0).",
         _band(-1, 0, (2, 4, 5)), expect=["MatrixBandPart"])
register("matrix_band_part_band", "MatrixBandPart of [5,4] with num_lower 1 and num_upper 2.", _band(1, 2, (5, 4)),
         expect=["MatrixBandPart"])


def _lrn(shape, **kw):
    def build(rng):
        return Spec(fn=lambda x: tf.nn.local_response_normalization(x, **kw), inputs=[randn(rng, shape)])
    return build


register("lrn_default", "LRN of [1,3,3,8] with TensorFlow's defaults (depth_radius 5, bias 1, alpha 1, beta 0.5).",
         _lrn((1, 3, 3, 8)), expect=["LRN"])
register("lrn_alexnet", "LRN of [2,2,2,6] as AlexNet: depth_radius 2, bias 2, alpha 1e-4, beta 0.75.",
         _lrn((2, 2, 2, 6), depth_radius=2, bias=2.0, alpha=1e-4, beta=0.75), expect=["LRN"])
register("lrn_beta1_radius1", "LRN of [1,2,3,4] with depth_radius 1, bias 0.5, alpha 0.3, beta 1.",
         _lrn((1, 2, 3, 4), depth_radius=1, bias=0.5, alpha=0.3, beta=1.0), expect=["LRN"])


# ---------------------------------------------------------------------------
# NaN and denormal semantics of TensorFlow's CPU kernels.

NAN = np.float32(np.nan)
_POOL_TRT = ("TensorRT does not document NaN in kMAX pooling; the reference executor propagates NaN and gives -Inf "
             "for a window of -Inf, where TensorFlow's 2-D MaxPool skips NaN and starts from the lowest finite value")
_ARG_TRT = ("TensorRT does not document how ITopKLayer orders NaN; the reference executor orders NaN as the largest "
            "value, where TensorFlow's ArgMax/ArgMin never pick NaN")


def _nan_grid(rng, shape, frac=0.3):
    x = randn(rng, shape)
    x[rng.uniform(size=shape) < frac] = np.nan
    return x


def _maxpool_nan_valid(rng):
    x = np.array([[np.nan, 1, 2, np.nan], [3, np.nan, np.nan, np.nan],
                  [np.nan, -np.inf, np.nan, 5], [np.nan, np.nan, np.nan, np.nan]], np.float32).reshape(1, 4, 4, 1)
    x = np.concatenate([x, -x], axis=3)
    return Spec(fn=lambda t: tf.nn.max_pool2d(t, 2, 2, "VALID"), inputs=[x], trt_differs=_POOL_TRT)


register("maxpool_nan_valid", "MaxPool 2x2/2 VALID over NaN: windows with NaN, one of only NaN and -Inf, one of only NaN "
         "(TensorFlow skips NaN, starting from the lowest finite value).", _maxpool_nan_valid, expect=["MaxPool"])
register("maxpool_nan_same", "MaxPool 3x3/1 SAME of [1,5,5,3] with 30% NaN.",
         lambda rng: Spec(fn=lambda t: tf.nn.max_pool2d(t, 3, 1, "SAME"), inputs=[_nan_grid(rng, (1, 5, 5, 3))],
                          trt_differs=_POOL_TRT), expect=["MaxPool"])


def _arg_nan(rng):
    x = np.array([[np.nan, 1, 2, np.nan], [3, np.nan, np.nan, np.nan], [np.nan, -np.inf, -np.inf, np.nan],
                  [np.nan, np.nan, np.nan, np.nan], [np.nan, np.nan, 7, 7], [-1, -2, np.nan, -3]], np.float32)
    return Spec(fn=lambda t: (tf.argmax(t, axis=1), tf.argmin(t, axis=1), tf.argmax(t, axis=0, output_type=tf.int32)),
                inputs=[x], trt_differs=_ARG_TRT)


register("argmax_argmin_nan", "ArgMax/ArgMin over rows and columns with NaN, -Inf, ties and rows of only NaN "
         "(TensorFlow never picks NaN; a row of NaN and -Inf gives 0).", _arg_nan, expect=["ArgMax", "ArgMin"])
register("argmax_nan_f16", "ArgMax of float16 [3,5] with 30% NaN along axis -1.",
         lambda rng: Spec(fn=lambda t: tf.argmax(t, axis=-1), inputs=[_nan_grid(rng, (3, 5)).astype(np.float16)],
                          trt_differs=_ARG_TRT), expect=["ArgMax"])


def _denormal_cast(rng):
    x = np.array([1e-40, -1e-39, 1e-45, 1.1754942e-38, 1.1754944e-38, 0.0, -0.0, 1.0, 3e-5, 6e-8], np.float32)
    return Spec(fn=lambda t: (tf.cast(t, tf.bool), tf.cast(t, tf.float16), tf.cast(t, tf.int32)), inputs=[x],
                trt_differs="TensorRT's cast on the GPU keeps float32 denormals (on the H200 a denormal cast to "
                "true), where TensorFlow's CPU kernels flush them to zero")


register("cast_denormal", "Cast of float32 denormals to bool, float16 and int32: TensorFlow's CPU kernels run with "
         "denormals flushed to zero, so a denormal casts to false.", _denormal_cast, expect=["Cast"])


# ---------------------------------------------------------------------------
# Dropout left in an inference graph with keep_prob 1: the mask folds.

register("dropout_rate0", "tf.nn.dropout with rate tf.constant(0.0): RandomUniform, GreaterEqual(uniform, 0) and SelectV2 "
         "(the mask is all true).", lambda rng: Spec(fn=lambda x: tf.nn.dropout(x, rate=tf.constant(0.0)) * 2.0,
                                                    inputs=[randn(rng, (2, 3, 4))]), expect=["RandomUniform", "GreaterEqual"])
register("dropout_v1_keep_prob1", "tf.compat.v1.nn.dropout with keep_prob tf.constant(1.0) (rate = 1 - keep_prob computed "
         "in the graph).", lambda rng: Spec(fn=lambda x: tf.compat.v1.nn.dropout(x, keep_prob=tf.constant(1.0)),
                                            inputs=[randn(rng, (3, 5))]), expect=["RandomUniform", "GreaterEqual"])


# ---------------------------------------------------------------------------
# Integer Pow with an exponent fed at run time.

def _ipow(dtype, bshape, eshape, ehi):
    def build(rng):
        b = rng.integers(-6, 7, bshape).astype(dtype)
        e = rng.integers(0, ehi, eshape).astype(dtype)
        return Spec(fn=lambda x, y: tf.pow(x, y), inputs=[b, e])
    return build


register("pow_int32_runtime_exponent", "Pow of int32 [3,4] bases in [-6,6] to int32 exponents in [0,12) fed at run time "
         "(broadcast [4]; products wrap).", _ipow(np.int32, (3, 4), (4,), 12), expect=["Pow"])
register("pow_int64_runtime_exponent", "Pow of int64 [2,5] bases to int64 exponents in [0,40) fed at run time (wrapping).",
         _ipow(np.int64, (2, 5), (2, 5), 40), expect=["Pow"])


# ---------------------------------------------------------------------------
# Convolutions whose filter is fed at run time (TensorRT: kernel as input 1).

register("conv2d_runtime_filter", "Conv2D of [1,6,6,3] with a [3,3,3,4] filter fed at run time, stride 2, SAME.",
         lambda rng: Spec(fn=lambda x, w: tf.nn.conv2d(x, w, 2, "SAME"), inputs=[randn(rng, (1, 6, 6, 3)), randn(rng, (3, 3, 3, 4))],
                          names=["x", "filter"]), expect=["Conv2D"])
register("conv2d_runtime_filter_bias", "Conv2D with a filter fed at run time plus BiasAdd of a bias fed at run time, dilation 2, VALID.",
         lambda rng: Spec(fn=lambda x, w, b: tf.nn.bias_add(tf.nn.conv2d(x, w, 1, "VALID", dilations=2), b),
                          inputs=[randn(rng, (2, 7, 7, 2)), randn(rng, (2, 2, 2, 3)), randn(rng, (3,))],
                          names=["x", "filter", "bias"]), expect=["Conv2D", "BiasAdd"])
register("depthwise_runtime_filter", "DepthwiseConv2dNative of [1,5,5,3] with a [3,3,3,2] filter fed at run time (multiplier 2).",
         lambda rng: Spec(fn=lambda x, w: tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "SAME"),
                          inputs=[randn(rng, (1, 5, 5, 3)), randn(rng, (3, 3, 3, 2))], names=["x", "filter"]),
         expect=["DepthwiseConv2dNative"])
register("depthwise_runtime_filter_strided", "DepthwiseConv2dNative of [2,7,6,4] with a [2,3,4,1] filter fed at run time "
         "(multiplier 1), stride 2, VALID: an even kernel height, a batch of two.",
         lambda rng: Spec(fn=lambda x, w: tf.nn.depthwise_conv2d(x, w, [1, 2, 2, 1], "VALID"),
                          inputs=[randn(rng, (2, 7, 6, 4)), randn(rng, (2, 3, 4, 1))], names=["x", "filter"]),
         expect=["DepthwiseConv2dNative"])


# ---------------------------------------------------------------------------
# MaxPoolWithArgmax

register("maxpool_argmax_valid", "MaxPoolWithArgmax 2x2/2 VALID of [2,4,6,3] (int64 argmax without the batch).",
         lambda rng: Spec(fn=lambda x: tf.nn.max_pool_with_argmax(x, 2, 2, "VALID"), inputs=[distinct_grid(rng, (2, 4, 6, 3))]),
         expect=["MaxPoolWithArgmax"])
register("maxpool_argmax_same_batch_index", "MaxPoolWithArgmax 3x3/2 SAME of [2,5,5,2], include_batch_in_index.",
         lambda rng: Spec(fn=lambda x: tf.nn.max_pool_with_argmax(x, 3, 2, "SAME", include_batch_in_index=True),
                          inputs=[distinct_grid(rng, (2, 5, 5, 2))]), expect=["MaxPoolWithArgmax"])
register("maxpool_argmax_nan", "MaxPoolWithArgmax 2x2/2 over NaN: a NaN in a window's first position stays, later ones never win.",
         lambda rng: Spec(fn=lambda x: tf.nn.max_pool_with_argmax(x, 2, 2, "VALID"),
                          inputs=[np.array([np.nan, 1, 2, np.nan, 3, np.nan, np.nan, np.nan, -1, -2, np.nan, 5,
                                            np.nan, np.nan, np.nan, np.nan], np.float32).reshape(1, 4, 4, 1)]),
         expect=["MaxPoolWithArgmax"])


# ---------------------------------------------------------------------------
# tf.cond with a constant predicate (frozen to TF1 Switch/Merge): the taken
# branch is kept, the other dropped.

def _learning_phase(rng):
    def fn(x):
        training = tf.compat.v1.placeholder_with_default(False, [], name="keras_learning_phase")
        y = tf.cond(training, lambda: tf.nn.dropout(x, 0.5), lambda: x * 2.0)
        return y + 1.0
    return Spec(fn=fn, inputs=[randn(rng, (2, 3))])


register("cond_learning_phase_const_pred", "tf.cond on a Keras-style learning phase (PlaceholderWithDefault(False)): the "
         "untaken branch holds an active dropout; the frozen graph has Switch/Merge.", _learning_phase,
         expect=["Switch", "Merge", "PlaceholderWithDefault"])


def _const_pred_true(rng):
    def fn(x, y):
        flag = tf.constant(3) > tf.constant(2)
        a = tf.cond(flag, lambda: tf.matmul(x, y), lambda: tf.matmul(x, y) * 0.0 - 1.0)
        return tf.nn.relu(a)
    return Spec(fn=fn, inputs=[randn(rng, (2, 3)), randn(rng, (3, 4))])


register("cond_true_const_pred", "tf.cond whose predicate is a constant expression (3 > 2) over two inputs: the true branch "
         "is kept.", _const_pred_true, expect=["Switch", "Merge"])


register("where_const_input", "Where (one argument) of a constant [3,4] mask, used as GatherNd indices into an input: the "
         "coordinates fold to a constant.",
         lambda rng: Spec(fn=lambda x: tf.gather_nd(x, tf.where(tf.constant([[True, False, True, False], [False, False, False, True],
                                                                             [True, True, False, False]]))),
                          inputs=[randn(rng, (3, 4))]), expect=["Where", "GatherNd"])


# Where (one argument) of a run-time input: a data-dependent count of rows
# (the IR's nonzero, TensorRT's INonZeroLayer).
def _where_1d(rng):
    x = randn(rng, (9,)).astype(np.float32)
    x[[1, 4, 5]] = 0.0
    return Spec(fn=lambda x: tf.where(x), inputs=[x])


register("where_runtime_1d", "Where of a float32 [9] input with three zeros: int64 [6,1] coordinates.",
         _where_1d, expect=["Where"])


def _where_3d(rng):
    return Spec(fn=lambda x: tf.where(x > 0.25), inputs=[randn(rng, (2, 3, 4))])


register("where_runtime_3d", "Where of Greater on a [2,3,4] input: int64 [count,3] row-major coordinates.",
         _where_3d, expect=["Where", "Greater"])


def _where_bool(rng):
    return Spec(fn=lambda b: tf.where(b), inputs=[rng.random((3, 5)) < 0.4])


register("where_runtime_bool", "Where of a bool [3,5] input.", _where_bool, expect=["Where"])


def _where_nan(rng):
    x = np.array([[0.0, np.nan, -0.0, 1.5], [-0.0, 0.0, -np.inf, 0.0], [np.nan, 2.0, 0.0, -0.0]], np.float32)
    return Spec(fn=lambda x: tf.where(x), inputs=[x])


register("where_runtime_nan", "Where of a float32 input with NaN (nonzero), -0.0 and 0.0 (zero) and -Inf.",
         _where_nan, expect=["Where"])


def _where_int(rng):
    return Spec(fn=lambda x: tf.where(x), inputs=[rng.integers(-1, 2, size=(4, 3)).astype(np.int32)])


register("where_runtime_int32", "Where of an int32 [4,3] input of -1, 0 and 1.", _where_int, expect=["Where"])


def _where_int64(rng):
    i = rng.integers(-2, 3, size=(2, 5)).astype(np.int64)
    i[0, 0] = 1 << 40
    i[1, 4] = -(1 << 35)
    i[0, 1] = i[1, 2] = 0
    return Spec(fn=lambda i: tf.where(i), inputs=[i])


register("where_runtime_int64", "Where of an int64 [2,5] input: zeros and values beyond 32 bits (TensorRT's "
         "INonZeroLayer takes no kINT64, so it gets NOT(EQUAL(x, 0))).", _where_int64, expect=["Where"])


def _where_empty(rng):
    return Spec(fn=lambda x: tf.where(x > 100.0), inputs=[randn(rng, (3, 4))])


register("where_runtime_empty", "Where of Greater(x, 100) on a normal [3,4] input: no coordinates, int64 [0,2].",
         _where_empty, expect=["Where"])


def _where_slice(rng):
    return Spec(fn=lambda x: tf.where(x > 0.0)[0], inputs=[randn(rng, (2, 3))])


register("where_runtime_slice", "The first row of Where(x > 0): a StridedSlice of the data-dependent rows.",
         _where_slice, expect=["Where", "StridedSlice"])


def _where_gather_sum(rng):
    return Spec(fn=lambda x: tf.reduce_sum(tf.gather_nd(x, tf.where(x > 0.0)) * 2.0), inputs=[randn(rng, (4, 5))])


register("where_gather_nd_sum", "GatherNd(x, Where(x > 0)) scaled and summed: the sum of the positive elements, "
         "a static result computed from a data-dependent count.", _where_gather_sum, expect=["Where", "GatherNd", "Sum"])


def _boolean_mask(rng):
    return Spec(fn=lambda x, m: tf.boolean_mask(x, m), inputs=[randn(rng, (5, 3)), np.array([True, False, True, True, False])])


register("where_boolean_mask", "tf.boolean_mask of a [5,3] input by a run-time bool [5] mask: Where, Squeeze, GatherV2.",
         _boolean_mask, expect=["Where", "GatherV2"])


def _boolean_mask_2d(rng):
    return Spec(fn=lambda x, m: tf.reduce_max(tf.boolean_mask(x, m), axis=0),
                inputs=[randn(rng, (3, 4, 2)), rng.random((3, 4)) < 0.5])


register("where_boolean_mask_2d", "tf.boolean_mask of a [3,4,2] input by a run-time bool [3,4] mask (flattened), then "
         "Max over the selected rows.", _boolean_mask_2d, expect=["Where", "GatherV2", "Max"])


def _learning_phase_if(rng):
    s = _learning_phase(rng)
    s.lower_control_flow = False
    return s


register("if_learning_phase_const_pred", "tf.cond on a Keras-style learning phase frozen without lowering control flow: "
         "a TF2 If whose then branch (an active dropout) is never taken; the else branch is inlined.",
         _learning_phase_if, expect=["If", "PlaceholderWithDefault"])
