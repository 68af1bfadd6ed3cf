"""Op cases whose shape arithmetic is dynamic (issue 12): each graph has
unknown dimensions in its placeholder (None), and is fed at several input
shapes, one case directory per shape, all with the same model.pb, in
testdata/dynamic. tfc compiles each graph once with symbolic dimensions
and an optimization profile covering the shapes, and checks every shape
against TensorFlow (the Go test TestDynamicOpCases groups the cases by
their model.pb)."""

import numpy as np
import tensorflow as tf

from common import DYNAMIC_DIR, Spec, randn, register


def dyn(name, desc, fn, sig, shapes, expect=()):
    """Registers dynop_<name>_<shape> for each input shape."""
    for shape in shapes:
        suffix = "x".join(str(d) for d in shape)

        def build(rng, shape=shape):
            return Spec(fn=fn, inputs=[randn(rng, shape)], sig_shapes=[sig])

        register(f"dynop_{name}_{suffix}", f"{desc} Placeholder {sig}, fed {list(shape)}.", build,
                 expect=expect, out_dir=DYNAMIC_DIR)


B = [(1, 3, 4), (2, 3, 4), (5, 3, 4)]

dyn("reshape_minus1", "tf.reshape(x, [-1, 4]): a constant shape with -1 on a dynamic batch.",
    lambda x: tf.reshape(x, [-1, 4]), [None, 3, 4], B, ["Reshape"])
dyn("reshape_batch_minus1", "tf.reshape(x, [shape(x)[0], -1]): Shape, StridedSlice, Pack, Reshape.",
    lambda x: tf.reshape(x, [tf.shape(x)[0], -1]), [None, 3, 4, 5], [(1, 3, 4, 5), (3, 3, 4, 5), (4, 3, 4, 5)],
    ["Shape", "StridedSlice", "Pack", "Reshape"])


def _stack_prod(x):
    s = tf.shape(x)
    return tf.reshape(x, tf.stack([s[0] * s[1], s[2]]))


dyn("reshape_stack_prod", "reshape to stack([s[0]*s[1], s[2]]) of s = shape(x): batch and sequence merged.",
    _stack_prod, [None, None, 6], [(1, 2, 6), (3, 4, 6), (2, 7, 6)], ["Shape", "StridedSlice", "Mul", "Pack", "Reshape"])
dyn("reshape_concat_shape", "reshape to concat([shape(x)[:-2], [-1]]): the last two dimensions merged.",
    lambda x: tf.reshape(x, tf.concat([tf.shape(x)[:-2], [-1]], 0)), [None, None, 4, 5],
    [(1, 2, 4, 5), (3, 1, 4, 5), (2, 3, 4, 5)], ["Shape", "StridedSlice", "ConcatV2", "Reshape"])


def _heads(x):
    s = tf.shape(x)
    h = tf.transpose(tf.reshape(x, [s[0], s[1], 4, 4]), [0, 2, 1, 3])
    return tf.reshape(tf.transpose(h * 2.0, [0, 2, 1, 3]), [s[0], s[1], 16])


dyn("split_merge_heads", "Attention heads: reshape [b,s,16] to [b,s,4,4] from shape(x), transpose, scale, back.",
    _heads, [None, None, 16], [(1, 3, 16), (2, 5, 16), (4, 2, 16)], ["Shape", "Pack", "Reshape", "Transpose"])


def _gather_prod(x):
    s = tf.shape(x)
    lead = tf.gather(s, [0, 1])
    flat = tf.reshape(x, tf.stack([tf.reduce_prod(lead), s[2]]))
    return tf.reshape(flat * 3.0, tf.concat([lead, [3]], 0))


dyn("gather_prod_reshape", "Keras Tensordot's shape arithmetic: GatherV2 of shape(x), Prod, Pack, Reshape, ConcatV2 back.",
    _gather_prod, [None, None, 3], [(1, 1, 3), (2, 5, 3), (6, 2, 3)], ["Shape", "GatherV2", "Prod", "Reshape", "ConcatV2"])
dyn("size_scale", "x / cast(Size(x)): the element count of a dynamic tensor as a value.",
    lambda x: x / tf.cast(tf.raw_ops.Size(input=x), tf.float32), [None, 3, 4], B, ["Size", "Cast"])
dyn("fill_from_shape", "tf.fill(shape(x), 0.5) * x: Fill with dims from Shape.",
    lambda x: tf.fill(tf.shape(x), 0.5) * x, [None, None, 3], [(1, 2, 3), (2, 4, 3), (3, 1, 3)], ["Shape", "Fill"])
dyn("fill_batch_concat", "concat([x, fill(stack([shape(x)[0], 3]), 1.0)], 1): a batch-sized Fill joined to x.",
    lambda x: tf.concat([x, tf.fill(tf.stack([tf.shape(x)[0], 3]), 1.0)], 1), [None, 2],
    [(1, 2), (4, 2), (7, 2)], ["Shape", "Pack", "Fill", "ConcatV2"])
dyn("zeros_like", "ZerosLike(x) + 2x of a dynamic x.",
    lambda x: tf.raw_ops.ZerosLike(x=x) + 2.0 * x, [None, 4], [(1, 4), (3, 4), (6, 4)], ["ZerosLike"])
dyn("ones_like", "OnesLike(x) * 3 - x of a dynamic x.",
    lambda x: tf.raw_ops.OnesLike(x=x) * 3.0 - x, [None, None], [(1, 1), (2, 5), (4, 3)], ["OnesLike"])
dyn("broadcast_to_shape", "broadcast_to(row, shape(x)) + x: a constant [1,4] row broadcast to a dynamic shape.",
    lambda x: tf.broadcast_to(tf.constant([[1.0, -2.0, 3.0, 0.5]]), tf.shape(x)) + x, [None, 4],
    [(1, 4), (2, 4), (5, 4)], ["Shape", "BroadcastTo"])
dyn("broadcast_to_stack", "broadcast_to(x, stack([shape(x)[0], 3, 4])) of x [b,1,4].",
    lambda x: tf.broadcast_to(x, tf.stack([tf.shape(x)[0], 3, 4])), [None, 1, 4],
    [(1, 1, 4), (2, 1, 4), (5, 1, 4)], ["Shape", "Pack", "BroadcastTo"])
dyn("mean_batch_keepdims", "reduce_mean over the dynamic batch axis, keepdims=True.",
    lambda x: tf.reduce_mean(x, axis=0, keepdims=True), [None, 5], [(1, 5), (3, 5), (8, 5)], ["Mean"])
dyn("mean_batch", "reduce_mean over the dynamic batch axis, keepdims=False.",
    lambda x: tf.reduce_mean(x, axis=0), [None, 5], [(1, 5), (3, 5), (8, 5)], ["Mean"])
dyn("mean_seq_keepdims", "reduce_mean over the dynamic sequence axis (1), keepdims=True, subtracted from x.",
    lambda x: x - tf.reduce_mean(x, axis=[1], keepdims=True), [None, None, 8], [(1, 1, 8), (2, 5, 8), (3, 9, 8)], ["Mean"])
dyn("mean_two_dynamic", "reduce_mean over both dynamic axes (0 and 1), keepdims=False.",
    lambda x: tf.reduce_mean(x, axis=[0, 1]), [None, None, 8], [(1, 1, 8), (2, 5, 8), (3, 9, 8)], ["Mean"])


def _sum_div_len(x):
    n = tf.cast(tf.shape(x)[1], tf.float32)
    return x - tf.reduce_sum(x, axis=1, keepdims=True) / n


dyn("sum_div_length", "x - reduce_sum(x, 1, keepdims) / cast(shape(x)[1]): a dynamic length as a value.",
    _sum_div_len, [None, None, 4], [(1, 2, 4), (2, 6, 4), (3, 3, 4)], ["Shape", "Sum", "Cast"])
dyn("shape_output", "shape(x) (int32) as an output, beside x * 2.",
    lambda x: (tf.shape(x), x * 2.0), [None, None, 3], [(1, 2, 3), (4, 1, 3), (2, 5, 3)], ["Shape"])
dyn("shape_arith_output", "stack([shape(x)[0] * 2, shape(x)[1] + 1]) (int32) as an output.",
    lambda x: tf.stack([tf.shape(x)[0] * 2, tf.shape(x)[1] + 1]), [None, None], [(1, 2), (3, 5), (6, 1)],
    ["Shape", "Mul", "AddV2", "Pack"])


def _flatten_tail(x):
    s = tf.shape(x)
    return tf.reshape(x, [s[0], s[1] * s[2]])


dyn("reshape_mul_dims", "reshape to [s[0], s[1]*s[2]]: the product of two dynamic dimensions.",
    _flatten_tail, [None, None, None], [(1, 2, 3), (2, 3, 1), (3, 1, 4)], ["Shape", "Mul", "Pack", "Reshape"])
dyn("rank_range_mean", "reduce_mean over range(1, rank(x)): axes computed from Rank of a dynamic x.",
    lambda x: tf.reduce_mean(x, axis=tf.range(1, tf.raw_ops.Rank(input=x))), [None, 3, 4], B, ["Rank", "Range", "Mean"])
dyn("shape_i64_reshape", "reshape with a shape computed in int64 (Shape out_type=int64).",
    lambda x: tf.reshape(x, tf.stack([tf.shape(x, out_type=tf.int64)[0], tf.constant(-1, tf.int64)])),
    [None, 2, 3], [(1, 2, 3), (2, 2, 3), (5, 2, 3)], ["Shape", "Pack", "Reshape"])
dyn("expand_squeeze", "expand_dims(x, 1) * 2, squeezed back: ExpandDims and Squeeze of a dynamic x.",
    lambda x: tf.squeeze(tf.expand_dims(x, 1) * 2.0, axis=[1]), [None, None, 3], [(1, 2, 3), (3, 1, 3), (2, 4, 3)],
    ["ExpandDims", "Squeeze"])
dyn("stack_dynamic", "tf.stack([x, -x], axis=1): Pack of dynamic values (a new axis of 2).",
    lambda x: tf.stack([x, -x], axis=1), [None, 3], [(1, 3), (2, 3), (5, 3)], ["Pack"])
dyn("tile_batch", "tf.tile(x, [2, 3]): tiling a dynamic batch (2N rows).",
    lambda x: tf.tile(x, [2, 3]), [None, 2], [(1, 2), (3, 2), (4, 2)], ["Tile"])
dyn("concat_dynamic_axis", "concat([x, 2x], axis=0): joined along the dynamic axis (2N).",
    lambda x: tf.concat([x, 2.0 * x], 0), [None, 3], [(1, 3), (2, 3), (6, 3)], ["ConcatV2"])
dyn("pad_dynamic_axis", "tf.pad(x, [[1, 2], [0, 1]]) with value 0.5: padding the dynamic axis (N+3).",
    lambda x: tf.pad(x, [[1, 2], [0, 1]], constant_values=0.5), [None, 3], [(1, 3), (2, 3), (5, 3)], ["PadV2"])
dyn("range_from_shape", "x + cast(range(shape(x)[1])): a Range whose limit is a dynamic length (position ids).",
    lambda x: x + tf.cast(tf.range(tf.shape(x)[1]), tf.float32), [None, None], [(1, 1), (2, 5), (3, 8)],
    ["Shape", "Range", "Cast"])
dyn("range_start_delta", "range(1, 2*shape(x)[0], 3) as an int32 output: start and delta with a dynamic limit.",
    lambda x: tf.range(1, 2 * tf.shape(x)[0], 3), [None, 2], [(1, 2), (4, 2), (8, 2)], ["Shape", "Range"])
dyn("tile_computed", "tile(row, [shape(x)[0], 1]) + x: multiples computed from the dynamic batch.",
    lambda x: tf.tile(tf.constant([[0.5, -1.0, 2.0]]), tf.stack([tf.shape(x)[0], 1])) + x, [None, 3],
    [(1, 3), (2, 3), (6, 3)], ["Shape", "Pack", "Tile"])


def _resize_double(x):
    return tf.compat.v1.image.resize_bilinear(x, tf.shape(x)[1:3] * 2, half_pixel_centers=True)


dyn("resize_computed_size", "ResizeBilinear (half_pixel_centers) to shape(x)[1:3]*2: a size computed from dynamic height and width.",
    _resize_double, [None, None, None, 2], [(1, 2, 3, 2), (2, 4, 4, 2), (3, 5, 2, 2)],
    ["Shape", "StridedSlice", "Mul", "ResizeBilinear"])
dyn("resize_nearest_batch", "ResizeNearestNeighbor to a constant [6, 4] of a dynamic batch.",
    lambda x: tf.compat.v1.image.resize_nearest_neighbor(x, [6, 4]), [None, 3, 2, 1], [(1, 3, 2, 1), (2, 3, 2, 1), (4, 3, 2, 1)],
    ["ResizeNearestNeighbor"])
dyn("strided_index_seq", "x[:, 0] * 2: StridedSlice shrinking a dynamic sequence axis to its first element.",
    lambda x: x[:, 0] * 2.0, [None, None, 8], [(1, 1, 8), (2, 4, 8), (3, 6, 8)], ["StridedSlice"])
dyn("strided_trim_seq", "x[:, 1:-1]: StridedSlice dropping the first and last positions of a dynamic sequence (S-2).",
    lambda x: x[:, 1:-1], [None, None, 8], [(1, 3, 8), (2, 5, 8), (3, 9, 8)], ["StridedSlice"])
dyn("strided_ellipsis_head", "x[..., :3]: StridedSlice of a static last axis of a value with two dynamic axes.",
    lambda x: x[..., :3], [None, None, 8], [(1, 2, 8), (2, 4, 8), (3, 1, 8)], ["StridedSlice"])
dyn("strided_newaxis_reverse", "x[:, tf.newaxis, 1:, ::-2]: a new axis, a dynamic axis from 1 (S-1), a static axis reversed by 2.",
    lambda x: x[:, tf.newaxis, 1:, ::-2], [None, None, 6], [(1, 2, 6), (2, 5, 6), (4, 3, 6)], ["StridedSlice"])
dyn("strided_batch_tail_index", "x[1:, 2] + 1: a dynamic batch from 1 (N-1) and an index into a static axis.",
    lambda x: x[1:, 2] + 1.0, [None, 4, 3], [(2, 4, 3), (3, 4, 3), (6, 4, 3)], ["StridedSlice"])
dyn("strided_last_token", "x[:, -1]: StridedSlice taking the last position of a dynamic sequence (a start from the end).",
    lambda x: x[:, -1] * 2.0, [None, None, 8], [(1, 1, 8), (2, 4, 8), (3, 7, 8)], ["StridedSlice"])
dyn("strided_reverse_seq", "x[:, ::-1]: StridedSlice reversing a dynamic sequence axis (start S-1, stride -1, size S).",
    lambda x: x[:, ::-1] + 1.0, [None, None, 4], [(1, 1, 4), (2, 5, 4), (3, 3, 4)], ["StridedSlice"])
dyn("strided_tail_window", "x[:, -3:, 1:] and x[:-1]: constant windows from the end of dynamic axes (valid for S ≥ 3, N ≥ 2).",
    lambda x: x[:-1, -3:, 1:], [None, None, 5], [(2, 3, 5), (3, 6, 5), (5, 4, 5)], ["StridedSlice"])
dyn("range_float_positions", "x + 0.5 * range(float(shape(x)[1]))[None, :, None]: a float32 Range to a dynamic length.",
    lambda x: x + 0.5 * tf.range(tf.cast(tf.shape(x)[1], tf.float32))[None, :, None], [None, None, 4],
    [(1, 1, 4), (2, 5, 4), (3, 8, 4)], ["Shape", "Cast", "Range"])
dyn("range_float_negative_delta", "range(0., -float(shape(x)[0]), -2.): a float Range counting down to a dynamic limit.",
    lambda x: tf.range(0.0, -tf.cast(tf.shape(x)[0], tf.float32), -2.0), [None, 3], [(1, 3), (4, 3), (7, 3)],
    ["Shape", "Cast", "Neg", "Range"])
dyn("range_float_empty", "range(3., float(shape(x)[0]) + 2.): a float Range of N-1 elements, empty at N=1.",
    lambda x: tf.range(3.0, tf.cast(tf.shape(x)[0], tf.float32) + 2.0), [None, 2], [(1, 2), (2, 2), (5, 2)],
    ["Shape", "Cast", "Range"])
dyn("range_float_scaled", "range(-1., 3*float(shape(x)[1]) - 1., 3.): a float Range with a scaled and shifted dynamic limit.",
    lambda x: tf.range(-1.0, 3.0 * tf.cast(tf.shape(x)[1], tf.float32) - 1.0, 3.0),
    [None, None], [(1, 1), (2, 4), (3, 6)], ["Shape", "Cast", "Mul", "Sub", "Range"])


def dyn_multi(name, desc, fn, sigs, shape_sets, expect=()):
    """Registers dynop_<name>_<shapes> for each tuple of input shapes (one
    per placeholder); inputs whose dimensions vary differently get their
    own symbols in tfc (see tfc.LoadOptions.Profiles)."""
    for shapes in shape_sets:
        suffix = "_".join("x".join(str(d) for d in s) for s in shapes)

        def build(rng, shapes=shapes):
            return Spec(fn=fn, inputs=[randn(rng, s) for s in shapes], sig_shapes=sigs)

        register(f"dynop_{name}_{suffix}", f"{desc} Placeholders {sigs}, fed {[list(s) for s in shapes]}.", build,
                 expect=expect, out_dir=DYNAMIC_DIR)


dyn_multi("concat_two_batches", "concat([x, y], 0) * 2 of two independent dynamic batches (N+N_2 rows).",
          lambda x, y: tf.concat([x, y], 0) * 2.0, [[None, 3], [None, 3]],
          [((1, 3), (2, 3)), ((3, 3), (1, 3)), ((4, 3), (5, 3))], ["ConcatV2"])
dyn_multi("concat_seq_memory", "concat([x, m], 1): a shared batch, a sequence and a memory of other lengths (S+S_2).",
          lambda x, m: tf.nn.relu(tf.concat([x, m], 1)), [[None, None, 4], [None, None, 4]],
          [((1, 2, 4), (1, 3, 4)), ((2, 5, 4), (2, 1, 4)), ((3, 4, 4), (3, 6, 4))], ["ConcatV2"])


def _concat_arith(x, y):
    c = tf.concat([x, y], 0)
    n = tf.shape(x)[0] + tf.shape(y)[0]
    return tf.reshape(c, tf.stack([n, -1])) + tf.fill(tf.stack([n, 1]), 0.5)


dyn_multi("concat_shape_arith", "reshape(concat([x, y]), [shape(x)[0] + shape(y)[0], -1]) + fill([n, 1]): a sum of dynamic dims in shape arithmetic.",
          _concat_arith, [[None, 2, 3], [None, 2, 3]],
          [((1, 2, 3), (3, 2, 3)), ((2, 2, 3), (1, 2, 3)), ((5, 2, 3), (4, 2, 3))], ["ConcatV2", "Shape", "AddV2", "Pack", "Reshape", "Fill"])


# Where (one argument) of a dynamic input: a data-dependent count bounded by
# the symbolic size (the IR's nonzero; INonZeroLayer in a dynamic network).
dyn("where_gather_sum", "reduce_sum(gather_nd(x, where(x > 0))): a data-dependent count of a dynamic batch.",
    lambda x: tf.reduce_sum(tf.gather_nd(x, tf.where(x > 0.0)), keepdims=True), [None, 4],
    [(1, 4), (3, 4), (6, 4)], ["Where", "GatherNd", "Sum"])
dyn("boolean_mask_rows", "tf.boolean_mask(x, x[:, 0] > 0): the rows of a dynamic batch whose first value is positive.",
    lambda x: tf.boolean_mask(x, x[:, 0] > 0.0), [None, 3], [(2, 3), (4, 3), (7, 3)], ["Where", "GatherV2"])


def _positions(x):
    table = tf.constant(np.linspace(-1.0, 1.0, 16 * 4, dtype=np.float32).reshape(16, 4))
    return x + tf.gather(table, tf.range(tf.shape(x)[1]))[tf.newaxis]


dyn("gather_positions", "x + gather(table, range(shape(x)[1])): learned positions, indices as long as the dynamic sequence.",
    _positions, [None, None, 4], [(1, 1, 4), (2, 6, 4), (3, 16, 4)], ["GatherV2", "Range"])
dyn("gather_static_axis", "gather(x, [3, 0, 3], axis=2): a constant pick along the static axis of a dynamic value.",
    lambda x: tf.gather(x, [3, 0, 3], axis=2), [None, None, 4], [(1, 2, 4), (2, 5, 4), (4, 1, 4)], ["GatherV2"])
