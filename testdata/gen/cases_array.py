"""Op cases: shape manipulation, slicing, gather, padding, resizing,
space/depth/batch rearrangements, fill, shape arithmetic, identities, odd
shapes."""

import numpy as np
import tensorflow as tf

from common import Spec, ints, randn, register


def add(name, description, build, expect=()):
    register(name, description, build, expect=expect)


def _simple(name, desc, f, shape, expect, dtype=np.float32, make=None):
    def build(rng):
        if make is not None:
            x = make(rng, shape)
        elif np.issubdtype(dtype, np.integer):
            x = ints(rng, shape, -100, 100, dtype)
        else:
            x = randn(rng, shape, dtype)
        return Spec(fn=f, inputs=[x])

    add(name, desc, build, expect=expect)


def _seq(rng, shape):
    """Distinct, recognisable values: element i is i/10 (makes layout bugs obvious)."""
    return (np.arange(int(np.prod(shape)), dtype=np.float32) / 10.0).reshape(shape)


# ---------------------------------------------------------------------------
# Reshape / Transpose


_simple("reshape_neg1", "Reshape [2,3,4] -> [6,-1].", lambda x: tf.reshape(x, [6, -1]), (2, 3, 4), ["Reshape"])
_simple("reshape_flatten", "Reshape [2,3,4,5] -> [2,-1] (flatten).", lambda x: tf.reshape(x, [2, -1]), (2, 3, 4, 5), ["Reshape"])
_simple("reshape_to_rank1", "Reshape [2,3,4] -> [-1].", lambda x: tf.reshape(x, [-1]), (2, 3, 4), ["Reshape"])
_simple("reshape_unit_dims", "Reshape [2,12] -> [2,1,3,4,1].", lambda x: tf.reshape(x, [2, 1, 3, 4, 1]), (2, 12), ["Reshape"])
_simple("reshape_int32", "Reshape of int32 [4,6] -> [3,-1,2].", lambda x: tf.reshape(x, [3, -1, 2]), (4, 6), ["Reshape"], dtype=np.int32)
_simple("transpose_2d", "Transpose [3,5] -> [5,3].", tf.transpose, (3, 5), ["Transpose"], make=_seq)
_simple("transpose_nhwc_to_nchw", "Transpose perm [0,3,1,2] on [2,3,4,5].", lambda x: tf.transpose(x, [0, 3, 1, 2]),
        (2, 3, 4, 5), ["Transpose"], make=_seq)
_simple("transpose_nchw_to_nhwc", "Transpose perm [0,2,3,1] on [1,3,4,5].", lambda x: tf.transpose(x, [0, 2, 3, 1]),
        (1, 3, 4, 5), ["Transpose"], make=_seq)
_simple("transpose_rank3_021", "Transpose perm [0,2,1] on [2,3,4].", lambda x: tf.transpose(x, [0, 2, 1]), (2, 3, 4),
        ["Transpose"], make=_seq)
_simple("transpose_rank5", "Transpose perm [4,0,2,1,3] on rank 5 [2,3,2,4,3].", lambda x: tf.transpose(x, [4, 0, 2, 1, 3]),
        (2, 3, 2, 4, 3), ["Transpose"], make=_seq)
_simple("transpose_int64", "Transpose perm [1,0] of int64.", lambda x: tf.transpose(x), (3, 4), ["Transpose"], dtype=np.int64)


# ---------------------------------------------------------------------------
# ConcatV2 / Pack / Unpack / Split / SplitV


def _concat(name, desc, shapes, axis, dtype=np.float32, const_extra=None):
    def build(rng):
        ins = [ints(rng, s, -50, 50, dtype) if np.issubdtype(dtype, np.integer) else randn(rng, s) for s in shapes]
        if const_extra is not None:
            c = randn(rng, const_extra)
            return Spec(fn=lambda *xs: tf.concat(list(xs) + [c], axis), inputs=ins)
        return Spec(fn=lambda *xs: tf.concat(list(xs), axis), inputs=ins)

    add(name, desc, build, expect=["ConcatV2"])


_concat("concat_axis0", "ConcatV2 of [2,3] and [4,3] on axis 0.", [(2, 3), (4, 3)], 0)
_concat("concat_axis_last_3", "ConcatV2 of three inputs [2,3,1], [2,3,4], [2,3,2] on axis 2.", [(2, 3, 1), (2, 3, 4), (2, 3, 2)], 2)
_concat("concat_neg_axis", "ConcatV2 on axis -2: [2,3,4] and [2,5,4].", [(2, 3, 4), (2, 5, 4)], -2)
_concat("concat_nhwc_channels", "ConcatV2 of NHWC maps on channels axis 3 [1,4,4,3] and [1,4,4,5].", [(1, 4, 4, 3), (1, 4, 4, 5)], 3)
_concat("concat_int32", "ConcatV2 of int32 [3] and [2] on axis 0.", [(3,), (2,)], 0, dtype=np.int32)
_concat("concat_with_const", "ConcatV2 of an input [2,3] with a constant [2,2] on axis 1.", [(2, 3)], 1, const_extra=(2, 2))


def _pack(name, desc, n, shape, axis):
    def build(rng):
        return Spec(fn=lambda *xs: tf.stack(list(xs), axis=axis), inputs=[randn(rng, shape) for _ in range(n)])

    add(name, desc, build, expect=["Pack"])


_pack("pack_axis0", "Pack of three [3,4] on axis 0 -> [3,3,4].", 3, (3, 4), 0)
_pack("pack_axis_last", "Pack of two [3,4] on axis -1 (last) -> [3,4,2].", 2, (3, 4), -1)
_pack("pack_axis1", "Pack of four [2,3] on axis 1 -> [2,4,3].", 4, (2, 3), 1)
_pack("pack_scalars", "Pack of three scalars -> [3].", 3, (), 0)


def _unpack(name, desc, shape, axis):
    def build(rng):
        return Spec(fn=lambda x: tuple(tf.unstack(x, axis=axis)), inputs=[_seq(rng, shape)])

    add(name, desc, build, expect=["Unpack"])


_unpack("unpack_axis0", "Unpack [3,4,2] on axis 0 -> three [4,2].", (3, 4, 2), 0)
_unpack("unpack_axis_last", "Unpack [2,3,4] on axis -1 (last) -> four [2,3].", (2, 3, 4), -1)
_unpack("unpack_axis1", "Unpack [2,3,4] on axis 1 -> three [2,4].", (2, 3, 4), 1)


def _split(name, desc, shape, num_or_sizes, axis, expect):
    def build(rng):
        return Spec(fn=lambda x: tuple(tf.split(x, num_or_sizes, axis=axis)), inputs=[_seq(rng, shape)])

    add(name, desc, build, expect=[expect])


_split("split_axis1_3", "Split [2,6,3] into 3 on axis 1.", (2, 6, 3), 3, 1, "Split")
_split("split_neg_axis_2", "Split [2,3,4] into 2 on axis -1.", (2, 3, 4), 2, -1, "Split")
_split("split_axis0_4", "Split [4,5] into 4 on axis 0.", (4, 5), 4, 0, "Split")
_split("splitv_sizes", "SplitV [2,6,3] with sizes [1,3,2] on axis 1.", (2, 6, 3), [1, 3, 2], 1, "SplitV")
_split("splitv_neg1_size", "SplitV [7,4] with sizes [2,-1,1] on axis 0 (-1 takes the rest).", (7, 4), [2, -1, 1], 0, "SplitV")
_split("splitv_neg_axis", "SplitV [2,3,8] with sizes [5,3] on axis -1.", (2, 3, 8), [5, 3], -1, "SplitV")


# ---------------------------------------------------------------------------
# Squeeze / ExpandDims


_simple("squeeze_all", "Squeeze with no axes on [1,3,1,4,1] -> [3,4].", tf.squeeze, (1, 3, 1, 4, 1), ["Squeeze"])
_simple("squeeze_axes", "Squeeze axes [0,2] of [1,3,1,4,1] -> [3,4,1].", lambda x: tf.squeeze(x, [0, 2]), (1, 3, 1, 4, 1), ["Squeeze"])
_simple("squeeze_neg_axis", "Squeeze axis -1 of [2,3,1].", lambda x: tf.squeeze(x, [-1]), (2, 3, 1), ["Squeeze"])
_simple("squeeze_spatial", "Squeeze axes [1,2] of [2,1,1,5] (after global pooling).", lambda x: tf.squeeze(x, [1, 2]), (2, 1, 1, 5), ["Squeeze"])
_simple("expand_dims_axis0", "ExpandDims axis 0 of [3,4].", lambda x: tf.expand_dims(x, 0), (3, 4), ["ExpandDims"])
_simple("expand_dims_neg1", "ExpandDims axis -1 of [3,4] -> [3,4,1].", lambda x: tf.expand_dims(x, -1), (3, 4), ["ExpandDims"])
_simple("expand_dims_neg_axis", "ExpandDims axis -2 of [3,4] -> [3,1,4].", lambda x: tf.expand_dims(x, -2), (3, 4), ["ExpandDims"])
_simple("expand_dims_scalar", "ExpandDims of a scalar -> [1].", lambda x: tf.expand_dims(x, 0), (), ["ExpandDims"])


# ---------------------------------------------------------------------------
# StridedSlice / Slice


def _ss(name, desc, f, shape=(4, 6, 5)):
    _simple("strided_slice_" + name, "StridedSlice: " + desc, f, shape, ["StridedSlice"], make=_seq)


_ss("basic", "x[1:3, 0:4:2] (explicit begin/end/strides) on [4,6,5].", lambda x: x[1:3, 0:4:2])
_ss("begin_end_mask", "x[:, 2:, :3] (begin_mask and end_mask).", lambda x: x[:, 2:, :3])
_ss("ellipsis_shrink", "x[..., 1] (ellipsis_mask + shrink_axis_mask).", lambda x: x[..., 1])
_ss("new_axis", "x[:, tf.newaxis, 1:] (new_axis_mask).", lambda x: x[:, tf.newaxis, 1:])
_ss("neg_stride", "x[::-1] (negative stride, reverse axis 0).", lambda x: x[::-1])
_ss("neg_stride_2", "x[-1:0:-2, ::-1] (negative strides with negative begin).", lambda x: x[-1:0:-2, ::-1])
_ss("neg_indices", "x[-3:-1, -4:] (negative begin/end).", lambda x: x[-3:-1, -4:])
_ss("shrink_first", "x[2] (shrink axis 0).", lambda x: x[2])
_ss("shrink_neg", "x[:, -1] (shrink with a negative index).", lambda x: x[:, -1])
_ss("ellipsis_middle", "x[1:, ..., ::2] on rank 4 [3,2,4,6] (ellipsis between slices).", lambda x: x[1:, ..., ::2], shape=(3, 2, 4, 6))
_ss("ellipsis_new_axis_shrink", "x[..., tf.newaxis, 1] (ellipsis + new axis + shrink).", lambda x: x[..., tf.newaxis, 1])
_ss("out_of_range", "x[0:100, -100:2] (bounds clamped).", lambda x: x[0:100, -100:2])
_ss("stride3_rank4", "x[:, 1::3, ::2, 2:] on [2,7,6,4].", lambda x: x[:, 1::3, ::2, 2:], shape=(2, 7, 6, 4))
_ss("all_shrink", "x[1, 2, 3] (every axis shrunk -> scalar).", lambda x: x[1, 2, 3])


def _ss_raw(rng):
    def f(x):
        return tf.raw_ops.StridedSlice(input=x, begin=[1, 0, 4, 0], end=[0, 5, 1, 2], strides=[1, 2, -1, 1],
                                       begin_mask=0b0010, end_mask=0b0001, ellipsis_mask=0,
                                       new_axis_mask=0, shrink_axis_mask=0b1000)

    return Spec(fn=f, inputs=[_seq(rng, (3, 6, 5, 4))])


add("strided_slice_raw_masks", "StridedSlice (raw op) begin [1,0,4,0] end [0,5,1,2] strides [1,2,-1,1], begin_mask 0b0010, "
    "end_mask 0b0001, shrink_axis_mask 0b1000 on [3,6,5,4].", _ss_raw, expect=["StridedSlice"])


def _ss_int(rng):
    return Spec(fn=lambda x: x[::2, 1:-1], inputs=[ints(rng, (5, 6), -100, 100)])


add("strided_slice_int32", "StridedSlice x[::2, 1:-1] on int32.", _ss_int, expect=["StridedSlice"])

_simple("slice_basic", "Slice begin [1,0,2] size [2,3,2] on [4,6,5].", lambda x: tf.slice(x, [1, 0, 2], [2, 3, 2]),
        (4, 6, 5), ["Slice"], make=_seq)
_simple("slice_size_neg1", "Slice begin [1,1,0] size [-1,2,-1] (-1 = to the end).", lambda x: tf.slice(x, [1, 1, 0], [-1, 2, -1]),
        (4, 6, 5), ["Slice"], make=_seq)


# ---------------------------------------------------------------------------
# Tile / BroadcastTo / ReverseV2 / Pad / PadV2 / MirrorPad


_simple("tile_2d", "Tile [2,3] by multiples [2,3].", lambda x: tf.tile(x, [2, 3]), (2, 3), ["Tile"], make=_seq)
_simple("tile_rank4", "Tile [1,2,3,2] by multiples [2,1,2,3].", lambda x: tf.tile(x, [2, 1, 2, 3]), (1, 2, 3, 2), ["Tile"], make=_seq)
_simple("tile_int32", "Tile int32 [3] by [4].", lambda x: tf.tile(x, [4]), (3,), ["Tile"], dtype=np.int32)
_simple("broadcast_to", "BroadcastTo [3,1] -> [2,3,4].", lambda x: tf.broadcast_to(x, [2, 3, 4]), (3, 1), ["BroadcastTo"], make=_seq)
_simple("reverse_v2_axes", "ReverseV2 (tf.reverse) on axes [0,2] of [2,3,4].", lambda x: tf.reverse(x, [0, 2]), (2, 3, 4),
        ["ReverseV2"], make=_seq)
_simple("pad_zero", "Pad [[1,2],[0,1]] with zeros.", lambda x: tf.pad(x, [[1, 2], [0, 1]]), (3, 4), ["Pad"])
_simple("pad_nhwc_spatial", "Pad NHWC spatial dims [[0,0],[1,1],[2,0],[0,0]] with zeros.",
        lambda x: tf.pad(x, [[0, 0], [1, 1], [2, 0], [0, 0]]), (1, 3, 4, 2), ["Pad"])
_simple("pad_int32", "Pad of int32 [[1,0],[2,2]].", lambda x: tf.pad(x, [[1, 0], [2, 2]]), (2, 3), ["Pad"], dtype=np.int32)
_simple("padv2_constant_value", "PadV2 [[1,1],[2,1]] with constant_values -1.5.",
        lambda x: tf.pad(x, [[1, 1], [2, 1]], constant_values=-1.5), (3, 4), ["PadV2"])
_simple("padv2_rank4_neg_inf_like", "PadV2 [[0,0],[1,1],[1,1],[0,0]] with constant -1e9 (max-pool style padding).",
        lambda x: tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], constant_values=-1e9), (1, 3, 3, 2), ["PadV2"])
_simple("mirrorpad_reflect", "MirrorPad REFLECT [[1,2],[2,1]] on [4,5].", lambda x: tf.pad(x, [[1, 2], [2, 1]], mode="REFLECT"),
        (4, 5), ["MirrorPad"], make=_seq)
_simple("mirrorpad_symmetric", "MirrorPad SYMMETRIC [[2,1],[1,3]] on [4,5].", lambda x: tf.pad(x, [[2, 1], [1, 3]], mode="SYMMETRIC"),
        (4, 5), ["MirrorPad"], make=_seq)
_simple("mirrorpad_reflect_nhwc", "MirrorPad REFLECT on NHWC spatial dims [[0,0],[1,1],[2,2],[0,0]].",
        lambda x: tf.pad(x, [[0, 0], [1, 1], [2, 2], [0, 0]], mode="REFLECT"), (1, 4, 5, 2), ["MirrorPad"], make=_seq)


def _clip(rng):
    return Spec(fn=lambda x: tf.raw_ops.ClipByValue(t=x, clip_value_min=-0.5, clip_value_max=0.75),
                inputs=[randn(rng, (3, 5))])


add("clip_by_value", "ClipByValue to [-0.5, 0.75].", _clip, expect=["ClipByValue"])


# ---------------------------------------------------------------------------
# GatherV2 / OneHot


def _gather(name, desc, pshape, indices, axis, batch_dims=0, idx_dtype=np.int32, indices_input=False):
    def build(rng):
        p = _seq(rng, pshape)
        idx = np.array(indices, dtype=idx_dtype)
        if indices_input:
            return Spec(fn=lambda x, i: tf.gather(x, i, axis=axis, batch_dims=batch_dims), inputs=[p, idx],
                        names=["x", "indices"])
        return Spec(fn=lambda x: tf.gather(x, idx, axis=axis, batch_dims=batch_dims), inputs=[p])

    add(name, desc, build, expect=["GatherV2"])


_gather("gather_axis0", "GatherV2 axis 0 of [5,4] with constant indices [3,0,4,4].", (5, 4), [3, 0, 4, 4], 0)
_gather("gather_axis1", "GatherV2 axis 1 of [3,6,2] with rank-2 indices [[0,5],[2,1]] -> [3,2,2,2].", (3, 6, 2), [[0, 5], [2, 1]], 1)
_gather("gather_neg_axis", "GatherV2 axis -1 of [2,3,5] with indices [4,0,2].", (2, 3, 5), [4, 0, 2], -1)
_gather("gather_scalar_index", "GatherV2 with a scalar index 2 on axis 1 (removes the axis).", (3, 4, 2), 2, 1)
_gather("gather_batch_dims1", "GatherV2 batch_dims=1 axis 1: params [2,5,3], indices [[0,4,1,1],[3,2,0,4]].", (2, 5, 3),
        [[0, 4, 1, 1], [3, 2, 0, 4]], 1, batch_dims=1)
_gather("gather_int64_indices", "GatherV2 axis 0 with int64 indices fed as an input.", (6, 3), [5, 1, 1, 0, 3], 0,
        idx_dtype=np.int64, indices_input=True)
_gather("gather_indices_input_i32", "GatherV2 axis 0 with int32 indices [2,3] fed as an input (embedding lookup).", (10, 4),
        [[1, 9, 0], [7, 7, 3]], 0, indices_input=True)


def _embedding(rng):
    table = randn(rng, (12, 6))
    return Spec(fn=lambda i: tf.gather(table, i), inputs=[np.array([[3, 0, 11, 5]], dtype=np.int32)], names=["ids"])


add("gather_const_table", "GatherV2 from a constant [12,6] table with int32 ids [1,4] as the only input.", _embedding,
    expect=["GatherV2"])


def _onehot(rng):
    return Spec(fn=lambda i: tf.one_hot(i, 5, on_value=2.0, off_value=-1.0),
                inputs=[np.array([[0, 3, 4], [1, 1, 2]], dtype=np.int32)], names=["indices"])


add("onehot_depth5", "OneHot depth 5 on int32 indices [2,3] with on 2.0 / off -1.0.", _onehot, expect=["OneHot"])


# ---------------------------------------------------------------------------
# ResizeBilinear / ResizeNearestNeighbor


def _resize(kind, tag, in_hw, out_hw, align_corners, half_pixel):
    op = tf.raw_ops.ResizeBilinear if kind == "bilinear" else tf.raw_ops.ResizeNearestNeighbor
    opname = "ResizeBilinear" if kind == "bilinear" else "ResizeNearestNeighbor"

    def build(rng):
        x = randn(rng, (1, in_hw[0], in_hw[1], 2))
        return Spec(fn=lambda t: op(images=t, size=list(out_hw), align_corners=align_corners,
                                    half_pixel_centers=half_pixel), inputs=[x])

    flags = f"align_corners={align_corners}, half_pixel_centers={half_pixel}"
    add(f"resize_{kind}_{tag}", f"{opname} {in_hw[0]}x{in_hw[1]} -> {out_hw[0]}x{out_hw[1]}, {flags}.", build,
        expect=[opname])


for _kind in ("bilinear", "nearest"):
    _resize(_kind, "up2_legacy", (4, 5), (8, 10), False, False)
    _resize(_kind, "up_align_corners", (4, 5), (7, 9), True, False)
    _resize(_kind, "up2_half_pixel", (4, 5), (8, 10), False, True)
    _resize(_kind, "up_nonint_half_pixel", (4, 5), (6, 13), False, True)
    _resize(_kind, "up_nonint_legacy", (4, 5), (6, 13), False, False)
    _resize(_kind, "down_half_pixel", (8, 10), (5, 7), False, True)
    _resize(_kind, "down_legacy", (8, 10), (3, 7), False, False)
    _resize(_kind, "down_align_corners", (8, 10), (3, 4), True, False)


def _resize_tf2(rng):
    return Spec(fn=lambda t: tf.image.resize(t, [7, 9], method="bilinear"), inputs=[randn(rng, (2, 4, 5, 3))])


add("resize_bilinear_tf2_api", "tf.image.resize(method='bilinear') 4x5 -> 7x9, batch 2 (TF2 API: half_pixel_centers=True).",
    _resize_tf2, expect=["ResizeBilinear"])


def _resize_nearest_tf2(rng):
    return Spec(fn=lambda t: tf.image.resize(t, [8, 10], method="nearest"), inputs=[randn(rng, (1, 4, 5, 3))])


add("resize_nearest_tf2_api", "tf.image.resize(method='nearest') 4x5 -> 8x10 (TF2 API: half_pixel_centers=True).",
    _resize_nearest_tf2, expect=["ResizeNearestNeighbor"])


# ---------------------------------------------------------------------------
# DepthToSpace / SpaceToDepth / SpaceToBatchND / BatchToSpaceND


_simple("depth_to_space_b2", "DepthToSpace block 2 NHWC [1,3,4,8] -> [1,6,8,2].", lambda x: tf.nn.depth_to_space(x, 2),
        (1, 3, 4, 8), ["DepthToSpace"], make=_seq)
_simple("depth_to_space_b2_batch2", "DepthToSpace block 2 NHWC [2,2,2,4] -> [2,4,4,1].", lambda x: tf.nn.depth_to_space(x, 2),
        (2, 2, 2, 4), ["DepthToSpace"], make=_seq)
_simple("space_to_depth_b2", "SpaceToDepth block 2 NHWC [1,6,8,3] -> [1,3,4,12].", lambda x: tf.nn.space_to_depth(x, 2),
        (1, 6, 8, 3), ["SpaceToDepth"], make=_seq)
_simple("space_to_batch_nd_pad", "SpaceToBatchND block [2,3] paddings [[1,0],[0,0]]: [1,5,6,2] -> [6,3,2,2].",
        lambda x: tf.space_to_batch_nd(x, [2, 3], [[1, 0], [0, 0]]), (1, 5, 6, 2), ["SpaceToBatchND"], make=_seq)
_simple("space_to_batch_nd_no_pad", "SpaceToBatchND block [2,2] no padding: [2,4,4,1] -> [8,2,2,1].",
        lambda x: tf.space_to_batch_nd(x, [2, 2], [[0, 0], [0, 0]]), (2, 4, 4, 1), ["SpaceToBatchND"], make=_seq)
_simple("batch_to_space_nd_crop", "BatchToSpaceND block [2,2] crops [[0,1],[1,0]]: [4,3,3,2] -> [1,5,5,2].",
        lambda x: tf.batch_to_space(x, [2, 2], [[0, 1], [1, 0]]), (4, 3, 3, 2), ["BatchToSpaceND"], make=_seq)
_simple("batch_to_space_nd_no_crop", "BatchToSpaceND block [2,3] no crops: [6,2,2,1] -> [1,4,6,1].",
        lambda x: tf.batch_to_space(x, [2, 3], [[0, 0], [0, 0]]), (6, 2, 2, 1), ["BatchToSpaceND"], make=_seq)


# ---------------------------------------------------------------------------
# Fill / ZerosLike / OnesLike


_simple("fill_from_shape", "Fill(Shape(x), 2.5) + x.", lambda x: tf.raw_ops.Fill(dims=tf.raw_ops.Shape(input=x), value=2.5) + x,
        (2, 3, 4), ["Fill", "Shape"])


def _fill_value_input(rng):
    return Spec(fn=lambda v: tf.fill([2, 3], v), inputs=[np.array(-1.25, dtype=np.float32)], names=["value"])


add("fill_value_input", "Fill constant dims [2,3] with a scalar value fed as an input.", _fill_value_input, expect=["Fill"])
_simple("zeros_like", "ZerosLike of [3,4].", lambda x: tf.raw_ops.ZerosLike(x=x), (3, 4), ["ZerosLike"])
_simple("ones_like", "OnesLike of [3,4].", lambda x: tf.raw_ops.OnesLike(x=x), (3, 4), ["OnesLike"])
_simple("ones_like_int32_add", "OnesLike of int32 [2,5] added to the input.", lambda x: tf.raw_ops.OnesLike(x=x) + x, (2, 5),
        ["OnesLike", "AddV2"], dtype=np.int32)


# ---------------------------------------------------------------------------
# Shape arithmetic (Shape, Size, Rank, Range feeding Reshape and friends)


def _dyn(name, desc, f, shape, sig, expect):
    def build(rng):
        return Spec(fn=f, inputs=[randn(rng, shape)], sig_shapes=[sig])

    add(name, desc, build, expect=expect)


_dyn("shape_reshape_flatten_dynamic_batch",
     "tf.reshape(x, [tf.shape(x)[0], -1]) with an unknown batch dimension in the placeholder ([-1,3,4,5]; data [2,3,4,5]): "
     "Shape, StridedSlice, Pack, Reshape.",
     lambda x: tf.reshape(x, [tf.shape(x)[0], -1]), (2, 3, 4, 5), [None, 3, 4, 5],
     ["Shape", "StridedSlice", "Pack", "Reshape"])
_dyn("shape_concat_dynamic", "Reshape to concat([shape(x)[:-2], [-1]]) with placeholder shape [-1,-1,4,5] (merge last two dims): "
     "Shape, StridedSlice, ConcatV2, Reshape.",
     lambda x: tf.reshape(x, tf.concat([tf.shape(x)[:-2], [-1]], 0)), (2, 3, 4, 5), [None, None, 4, 5],
     ["Shape", "ConcatV2", "Reshape"])
_dyn("shape_dynamic_batch_dense", "Dense on a dynamic batch: reshape [-1,6] via Shape, MatMul, reshape back to [batch,2,4].",
     lambda x: tf.reshape(tf.linalg.matmul(tf.reshape(x, [-1, 6]), tf.ones([6, 4]) * 0.5),
                          tf.stack([tf.shape(x)[0], 2, 4])),
     (3, 2, 6), [None, 2, 6], ["Shape", "MatMul", "Reshape", "Pack"])


def _shape_static(rng):
    return Spec(fn=lambda x: tf.reshape(x, [tf.raw_ops.Shape(input=x)[0], -1]), inputs=[randn(rng, (2, 3, 4))])


add("shape_reshape_static", "tf.reshape(x, [Shape(x)[0], -1]) with a static placeholder (the Shape op stays in the graph).",
    _shape_static, expect=["Shape", "StridedSlice", "Pack", "Reshape"])


def _shape_out(rng):
    return Spec(fn=lambda x: (tf.raw_ops.Shape(input=x, out_type=tf.int32), tf.raw_ops.Shape(input=x, out_type=tf.int64)),
                inputs=[randn(rng, (2, 3, 4))])


add("shape_outputs_i32_i64", "Shape of [2,3,4] as outputs, out_type int32 and int64.", _shape_out, expect=["Shape"])


def _size_rank_range(rng):
    def f(x):
        n = tf.raw_ops.Size(input=x)
        r = tf.reshape(tf.range(n), tf.raw_ops.Shape(input=x))
        return x + tf.cast(r, tf.float32) * 0.01

    return Spec(fn=f, inputs=[randn(rng, (2, 3, 4))])


add("size_range_reshape", "x + 0.01*reshape(range(Size(x)), Shape(x)): Size, Range, Shape, Reshape, Cast.", _size_rank_range,
    expect=["Size", "Range", "Shape", "Reshape", "Cast"])


def _rank_range_sum(rng):
    def f(x):
        axes = tf.range(1, tf.raw_ops.Rank(input=x))
        return tf.reduce_sum(x, axis=axes), tf.raw_ops.Rank(input=x)

    return Spec(fn=f, inputs=[randn(rng, (2, 3, 4))])


add("rank_range_sum", "Sum over axes Range(1, Rank(x)) (computed reduction axes), plus Rank(x) as an int32 output.",
    _rank_range_sum, expect=["Rank", "Range", "Sum"])


def _range_float(rng):
    def f(x):
        n = tf.cast(tf.shape(x)[-1], tf.float32)
        return x * tf.range(0.5, n, 1.0)

    return Spec(fn=f, inputs=[randn(rng, (2, 5))], sig_shapes=[[2, None]])


add("range_float_dynamic", "x * range(0.5, last_dim, 1.0): float Range whose limit comes from Shape, Cast (placeholder [2,-1]).",
    _range_float, expect=["Range", "Shape", "Cast"])


# ---------------------------------------------------------------------------
# Identity / IdentityN / StopGradient


_simple("identity_chain", "Identity(Identity(x)) * 2.", lambda x: tf.identity(tf.identity(x)) * 2.0, (3, 4), ["Identity", "Mul"])
_simple("identity_passthrough", "The output is the input itself (graph is Placeholder -> Identity).", tf.identity, (2, 3), ["Identity"])


def _identityn(rng):
    return Spec(fn=lambda x, y: tuple(tf.raw_ops.IdentityN(input=[x, y])), inputs=[randn(rng, (2, 3)), ints(rng, (4,), -5, 5)])


add("identity_n", "IdentityN of a float32 [2,3] and an int32 [4] (two outputs).", _identityn, expect=["IdentityN"])
_simple("stop_gradient", "StopGradient(x) * x.", lambda x: tf.stop_gradient(x) * x, (3, 4), ["StopGradient"])


# ---------------------------------------------------------------------------
# Odd shapes


_simple("odd_scalar", "Scalar input: x*2+1 (rank 0).", lambda x: x * 2.0 + 1.0, (), ["Mul", "AddV2"])
_simple("odd_rank1_softmax", "Softmax of a rank-1 [7] vector.", tf.nn.softmax, (7,), ["Softmax"])
_simple("odd_unit_dims_relu_reshape", "Relu on [1,1,3,1] then Reshape to [3].", lambda x: tf.reshape(tf.nn.relu(x), [3]),
        (1, 1, 3, 1), ["Relu", "Reshape"])
_simple("odd_rank5_mean_transpose", "Rank-5 [1,2,3,4,2]: Mean over axis 3 keep_dims then Transpose [0,4,1,2,3].",
        lambda x: tf.transpose(tf.reduce_mean(x, 3, keepdims=True), [0, 4, 1, 2, 3]), (1, 2, 3, 4, 2), ["Mean", "Transpose"])
_simple("odd_all_ones_shape", "[1,1,1,1] tensor through Sigmoid and Sum.", lambda x: tf.reduce_sum(tf.sigmoid(x), [1, 2]),
        (1, 1, 1, 1), ["Sigmoid", "Sum"])
_simple("odd_rank5_softmax", "Softmax over the last axis of rank 5 [1,2,1,3,4].", tf.nn.softmax, (1, 2, 1, 3, 4), ["Softmax"])
_simple("odd_batch3_odd_spatial_conv", "Conv2D 3x3 VALID stride 2 with a constant (Const*Mul) kernel on batch 3 of single-channel 3x9 images.",
        lambda x: tf.nn.conv2d(x, tf.ones([3, 3, 1, 2]) * 0.25, 2, "VALID"), (3, 3, 9, 1), ["Conv2D"])
