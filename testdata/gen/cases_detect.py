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
