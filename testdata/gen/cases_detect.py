"""Detection post-processing: CropAndResize (bilinear, nearest, extrapolation,
flipped and out-of-image boxes, crop size 1, integer images),
NonMaxSuppressionV3/V4/V5 and CombinedNonMaxSuppression (edge cases: no box
above the score threshold, all boxes overlapping, max_output_size 0, no
boxes, equal scores, flipped corners) and a detector head (boxes + scores ->
NMS -> CropAndResize -> a small classifier on the crops)."""

import numpy as np
import tensorflow as tf

from common import Spec, randn, register, uniform


# ---------------------------------------------------------------------------
# CropAndResize


def _boxes(rng, n):
    """Boxes in normalized coordinates: some inside the image, some flipped
    (y1 > y2 or x1 > x2), some partly or wholly outside it."""
    b = uniform(rng, (n, 4), -0.3, 1.3)
    b[0] = [0.1, 0.2, 0.7, 0.9]  # inside
    if n > 1:
        b[1] = [0.8, 0.9, 0.2, 0.1]  # flipped both ways
    if n > 2:
        b[2] = [-0.5, 1.2, -0.1, 1.6]  # wholly outside
    return b


def _crop(name, desc, img_shape, nboxes, crop, method="bilinear", extrap=0.0, dtype=np.float32):
    def build(rng):
        if np.issubdtype(dtype, np.integer):
            img = rng.integers(0, 200, img_shape).astype(dtype)
        else:
            img = randn(rng, img_shape, dtype)
        boxes = _boxes(rng, nboxes)
        ind = rng.integers(0, img_shape[0], (nboxes,)).astype(np.int32)
        return Spec(fn=lambda x, y, z: tf.image.crop_and_resize(x, y, z, crop, method=method,
                                                                  extrapolation_value=extrap),
                    inputs=[img, boxes, ind])

    register(name, desc, build, expect=["CropAndResize"])


_crop("crop_and_resize_bilinear", "CropAndResize bilinear, 2x8x9x3 image, 5 boxes (inside, flipped, outside) -> 5x4.",
      (2, 8, 9, 3), 5, (5, 4))
_crop("crop_and_resize_nearest", "CropAndResize nearest, 2x8x9x3 image, 5 boxes -> 6x7.", (2, 8, 9, 3), 5, (6, 7),
      method="nearest")
_crop("crop_and_resize_extrapolate", "CropAndResize bilinear with extrapolation_value -1.5, 7 boxes -> 3x3.",
      (3, 6, 5, 2), 7, (3, 3), extrap=-1.5)
_crop("crop_and_resize_size1", "CropAndResize with crop size 1x1 (box centres), bilinear.", (1, 7, 7, 4), 4, (1, 1))
_crop("crop_and_resize_size1x5_nearest", "CropAndResize nearest with crop size 1x5.", (2, 5, 6, 1), 3, (1, 5),
      method="nearest", extrap=2.0)
_crop("crop_and_resize_int32", "CropAndResize of an int32 image (read as float), bilinear -> 4x4.", (2, 6, 6, 3), 4,
      (4, 4), dtype=np.int32)


def _crop_half_pixels(rng):
    # Nearest sampling exactly on .5 coordinates (rounds away from zero):
    # a 5x5 image, boxes whose samples fall on half pixels.
    img = randn(rng, (1, 5, 5, 2))
    boxes = np.array([[0.125, 0.125, 0.875, 0.875], [0.0, 0.375, 1.0, 0.625]], np.float32)
    return Spec(fn=lambda x, y, z: tf.image.crop_and_resize(x, y, z, [4, 3], method="nearest"),
                inputs=[img, boxes, np.zeros(2, np.int32)])


register("crop_and_resize_nearest_halves", "CropAndResize nearest with samples on .5 pixel coordinates.",
         _crop_half_pixels, expect=["CropAndResize"])


# ---------------------------------------------------------------------------
# NonMaxSuppressionV3/V4/V5


def _nms_boxes(rng, n, spread=0.6):
    """n boxes (y1, x1, y2, x2) of sizes 0.1-0.4 around random centres,
    overlapping each other more or less."""
    c = uniform(rng, (n, 2), 0.2, 0.2 + spread)
    s = uniform(rng, (n, 2), 0.1, 0.4)
    return np.concatenate([c - s / 2, c + s / 2], axis=1).astype(np.float32)


def _distinct_scores(rng, n):
    return rng.permutation(np.linspace(0.05, 0.95, n)).astype(np.float32)


def _nms(name, desc, make, k, iou=0.5, score=float("-inf"), version=4, pad=True):
    def build(rng):
        boxes, scores = make(rng)

        def fn(b, s):
            if version == 3:
                return tf.raw_ops.NonMaxSuppressionV3(boxes=b, scores=s, max_output_size=k, iou_threshold=iou,
                                                      score_threshold=score)
            if version == 4:
                return tf.raw_ops.NonMaxSuppressionV4(boxes=b, scores=s, max_output_size=k, iou_threshold=iou,
                                                      score_threshold=score, pad_to_max_output_size=pad)
            return tf.raw_ops.NonMaxSuppressionV5(boxes=b, scores=s, max_output_size=k, iou_threshold=iou,
                                                  score_threshold=score, soft_nms_sigma=0.0,
                                                  pad_to_max_output_size=pad)

        return Spec(fn=fn, inputs=[boxes, scores], names=["boxes", "scores"])

    register(name, desc, build, expect=[f"NonMaxSuppressionV{version}"])


def _flip_some(rng, b):
    """Swaps the corners of about half the boxes (y, x or both)."""
    b = b.copy()
    for i in range(len(b)):
        r = rng.integers(0, 4)
        if r & 1:
            b[i, [0, 2]] = b[i, [2, 0]]
        if r & 2:
            b[i, [1, 3]] = b[i, [3, 1]]
    return b


def _random(n, spread=0.6):
    return lambda rng: (_nms_boxes(rng, n, spread), _distinct_scores(rng, n))


_nms("nms_v4_padded", "NonMaxSuppressionV4 padded: 16 overlapping boxes, max 6, IoU 0.5, score > 0.2.",
     _random(16), 6, score=0.2)
_nms("nms_v5_padded", "NonMaxSuppressionV5 padded (soft_nms_sigma 0 = hard NMS): selected scores and valid count.",
     _random(16, spread=0.3), 8, iou=0.3, version=5)
_nms("nms_v5_padded_k_over_n", "NonMaxSuppressionV5 padded with max_output_size 10 > 5 boxes.", _random(5), 10,
     iou=0.4, version=5)
_nms("nms_v4_none_above_threshold", "NonMaxSuppressionV4 padded: no score above the threshold (valid 0, indices 0).",
     lambda rng: (_nms_boxes(rng, 6), uniform(rng, (6,), 0.0, 0.5)), 4, score=0.5)
_nms("nms_v4_all_overlapping", "NonMaxSuppressionV4 padded: near-identical boxes, only the best survives.",
     lambda rng: (np.tile([[0.1, 0.1, 0.6, 0.6]], (7, 1)).astype(np.float32) + uniform(rng, (7, 4), 0, 0.01),
                  _distinct_scores(rng, 7)), 5)
_nms("nms_v4_max_output_0", "NonMaxSuppressionV4 padded with max_output_size 0 (empty outputs).", _random(6), 0)
_nms("nms_v3_max_output_0", "NonMaxSuppressionV3 with max_output_size 0 (empty result, static length).",
     _random(6), 0, version=3)
_nms("nms_v3_no_boxes", "NonMaxSuppressionV3 of zero boxes (empty result).",
     lambda rng: (np.zeros((0, 4), np.float32), np.zeros((0,), np.float32)), 5, version=3)
_nms("nms_v4_no_boxes_padded", "NonMaxSuppressionV4 padded, zero boxes: indices all 0, valid 0.",
     lambda rng: (np.zeros((0, 4), np.float32), np.zeros((0,), np.float32)), 3)
_nms("nms_v4_equal_scores", "NonMaxSuppressionV4 padded with equal scores: TensorFlow takes lower indices first.",
     lambda rng: (_nms_boxes(rng, 10), np.repeat(np.array([0.7, 0.4], np.float32), 5)), 6, iou=0.3)
_nms("nms_v4_flipped_corners", "NonMaxSuppressionV4 padded with corners given in either order.",
     lambda rng: (_flip_some(rng, _nms_boxes(rng, 12)), _distinct_scores(rng, 12)), 7, iou=0.25)
_nms("nms_v5_iou_0", "NonMaxSuppressionV5 padded with IoU threshold 0 (any overlap suppresses).", _random(12), 12,
     iou=0.0, version=5)
_nms("nms_v4_iou_1_threshold_neg_inf", "NonMaxSuppressionV4 padded, IoU threshold 1 and score threshold -inf.",
     _random(8), 8, iou=1.0)


# ---------------------------------------------------------------------------
# CombinedNonMaxSuppression (scores distinct across classes: TensorFlow's
# kernel leaves the order of equal scores unspecified)


def _combined(name, desc, b, n, q, c, per_class, total, iou=0.5, score=0.1, pad_per_class=False, clip=True,
              score_range=(0.0, 1.0)):
    def build(rng):
        boxes = _nms_boxes(rng, b * n * q, spread=0.5).reshape(b, n, q, 4)
        boxes = boxes * 1.3 - 0.15  # some corners outside [0, 1], for clip_boxes
        lo, hi = score_range
        scores = rng.permutation(np.linspace(lo, hi, b * n * c, endpoint=False) + (hi - lo) / (2 * b * n * c))
        scores = scores.reshape(b, n, c).astype(np.float32)

        def fn(x, y):
            r = tf.image.combined_non_max_suppression(x, y, per_class, total, iou_threshold=iou,
                                                      score_threshold=score, pad_per_class=pad_per_class,
                                                      clip_boxes=clip)
            return r.nmsed_boxes, r.nmsed_scores, r.nmsed_classes, r.valid_detections

        return Spec(fn=fn, inputs=[boxes.astype(np.float32), scores], names=["boxes", "scores"])

    register(name, desc, build, expect=["CombinedNonMaxSuppression"])


_combined("combined_nms_shared_boxes", "CombinedNonMaxSuppression, boxes shared by 3 classes (q=1), batch 2, 12 anchors, "
          "4 per class, 7 in total, clipped.", 2, 12, 1, 3, 4, 7)
_combined("combined_nms_per_class_boxes", "CombinedNonMaxSuppression with per-class boxes (q=C=3), pad_per_class, "
          "no clipping.", 2, 10, 3, 3, 2, 20, iou=0.3, pad_per_class=True, clip=False)
_combined("combined_nms_total_limit", "CombinedNonMaxSuppression whose total limit (3) cuts the per-class selections.",
          1, 16, 1, 4, 5, 3)
_combined("combined_nms_none_above_threshold", "CombinedNonMaxSuppression with every score below the threshold.",
          2, 6, 1, 2, 3, 4, score=0.9, score_range=(0.0, 0.5))
_combined("combined_nms_one_class_batch3", "CombinedNonMaxSuppression, one class, batch 3, IoU 0.2.", 3, 9, 1, 1,
          5, 5, iou=0.2, score=0.0)


# ---------------------------------------------------------------------------
# A detector head: boxes + scores -> NMS -> CropAndResize -> a small
# classifier on the crops.


@__import__("common").case("detector_head", "Detector head: NonMaxSuppressionV5 (padded, 6 of 24 boxes) -> GatherV2 of "
                           "the boxes -> CropAndResize 8x8 of a 32x32x3 image -> Conv2D 3x3 + Relu -> Mean -> MatMul -> "
                           "Softmax: class probabilities per selected box, the selected scores and the valid count.",
                           expect=["NonMaxSuppressionV5", "CropAndResize", "Conv2D", "Softmax"])
def _detector_head(rng):
    img = randn(rng, (1, 32, 32, 3))
    boxes = _nms_boxes(rng, 24, spread=0.25)
    scores = _distinct_scores(rng, 24)
    w = randn(rng, (3, 3, 3, 8), scale=0.4)
    b = randn(rng, (8,), scale=0.1)
    fc = randn(rng, (8, 4), scale=0.5)
    fcb = randn(rng, (4,), scale=0.1)

    def fn(image, bx, sc):
        sel, sel_scores, valid = tf.raw_ops.NonMaxSuppressionV5(
            boxes=bx, scores=sc, max_output_size=6, iou_threshold=0.3, score_threshold=0.2, soft_nms_sigma=0.0,
            pad_to_max_output_size=True)
        chosen = tf.gather(bx, sel)
        crops = tf.image.crop_and_resize(image, chosen, tf.zeros_like(sel), [8, 8])
        h = tf.nn.relu(tf.nn.conv2d(crops, w, 1, "SAME") + b)
        feat = tf.reduce_mean(h, axis=[1, 2])
        probs = tf.nn.softmax(tf.matmul(feat, fc) + fcb)
        return probs, sel_scores, valid

    return Spec(fn=fn, inputs=[img, boxes, scores], names=["image", "boxes", "scores"])
