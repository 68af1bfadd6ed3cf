"""Image ops: RGBToHSV/HSVToRGB, AdjustHue/AdjustSaturation/AdjustContrastv2,
ResizeBicubic (legacy and half-pixel, align_corners, up and down),
ResizeArea (up, down, non-integer ratios, align_corners)."""

import numpy as np
import tensorflow as tf
from tensorflow.python.ops import gen_image_ops

from common import Spec, register, uniform


def _rgb(rng, shape, ties=False):
    x = uniform(rng, shape, 0.0, 1.0)
    if ties:
        flat = x.reshape(-1, 3)
        # grey pixels (all equal), two equal channels, zeros and ones
        flat[0] = [0.5, 0.5, 0.5]
        flat[1] = [0.25, 0.75, 0.75]
        flat[2] = [0.0, 0.0, 0.0]
        flat[3] = [1.0, 0.0, 1.0]
        flat[4] = [0.3, 0.3, 0.9]
        flat[5] = [0.8, 0.2, 0.8]
    return x


def _img(name, desc, fn, shape, expect, ties=False, extra=None, tol=None):
    def build(rng):
        inputs = [_rgb(rng, shape, ties)]
        names = None
        if extra is not None:
            inputs.append(np.array(extra, dtype=np.float32))
            names = ["x", "y"]
        return Spec(fn=fn, inputs=inputs, names=names, tol=tol)

    register(name, desc, build, expect=expect)


_img("rgb_to_hsv_ties", "RGBToHSV of [2,3,4,3] with grey pixels, equal channels, black and white.",
     tf.image.rgb_to_hsv, (2, 3, 4, 3), ["RGBToHSV"], ties=True)
_img("rgb_to_hsv_rank1", "RGBToHSV of a single pixel [3].", tf.image.rgb_to_hsv, (3,), ["RGBToHSV"])
_img("rgb_to_hsv_empty", "RGBToHSV of an empty [0,4,3] batch.", tf.image.rgb_to_hsv, (0, 4, 3), ["RGBToHSV"])
_img("hsv_to_rgb_ties", "HSVToRGB of [2,5,3,3], hue 0 and 1, saturation 0 and 1 included.",
     tf.image.hsv_to_rgb, (2, 5, 3, 3), ["HSVToRGB"], ties=True)
_img("hsv_to_rgb_rank2", "HSVToRGB of [7,3].", tf.image.hsv_to_rgb, (7, 3), ["HSVToRGB"])
_img("adjust_saturation_ties", "AdjustSaturation by 1.7 (clamped at 1) of [2,4,4,3] with grey and two-equal pixels.",
     lambda x: tf.image.adjust_saturation(x, 1.7), (2, 4, 4, 3), ["AdjustSaturation"], ties=True)
_img("adjust_saturation_runtime_scale", "AdjustSaturation of [3,5,3] by a scale fed at run time (0.4).",
     lambda x, y: gen_image_ops.adjust_saturation(x, y), (3, 5, 3), ["AdjustSaturation"], extra=0.4)
_img("adjust_saturation_zero", "AdjustSaturation by 0 (grey) of [1,3,3,3].",
     lambda x: tf.image.adjust_saturation(x, 0.0), (1, 3, 3, 3), ["AdjustSaturation"], ties=True)
_img("adjust_hue_ties", "AdjustHue by 0.3 of [2,4,4,3] with grey and two-equal pixels.",
     lambda x: tf.image.adjust_hue(x, 0.3), (2, 4, 4, 3), ["AdjustHue"], ties=True)
_img("adjust_hue_negative", "AdjustHue by -0.85 of [4,4,3] (wraps below 0).",
     lambda x: tf.image.adjust_hue(x, -0.85), (4, 4, 3), ["AdjustHue"], ties=True)
_img("adjust_hue_runtime_delta", "AdjustHue of [3,3,3] by delta 1.0 fed at run time (wraps above 6).",
     lambda x, y: gen_image_ops.adjust_hue(x, y), (3, 3, 3), ["AdjustHue"], extra=1.0)
_img("adjust_contrast_batch", "AdjustContrastv2 by 2.5 of [2,3,5,3].",
     lambda x: tf.image.adjust_contrast(x, 2.5), (2, 3, 5, 3), ["AdjustContrastv2"])
_img("adjust_contrast_runtime_rank3", "AdjustContrastv2 of one [4,2,3] image by a factor fed at run time (-0.5).",
     lambda x, y: gen_image_ops.adjust_contrastv2(x, y), (4, 2, 3), ["AdjustContrastv2"], extra=-0.5)


def _resize(name, op, shape, size, align=False, half=False, dtype=np.float32):
    def build(rng):
        if np.issubdtype(dtype, np.integer):
            x = rng.integers(0, 255, shape).astype(dtype)
        else:
            x = rng.standard_normal(shape).astype(dtype)
        if op == "ResizeBicubic":
            fn = lambda x: gen_image_ops.resize_bicubic(x, size, align_corners=align, half_pixel_centers=half)
        else:
            fn = lambda x: gen_image_ops.resize_area(x, size, align_corners=align)
        return Spec(fn=fn, inputs=[x])

    register(name, f"{op} of {np.dtype(dtype).name} {list(shape)} to {size}, align_corners={align}, "
             f"half_pixel_centers={half}.", build, expect=[op])


_resize("resize_bicubic_up_legacy", "ResizeBicubic", (1, 4, 5, 2), [7, 9])
_resize("resize_bicubic_up_half", "ResizeBicubic", (2, 4, 5, 3), [9, 7], half=True)
_resize("resize_bicubic_down_half", "ResizeBicubic", (1, 9, 8, 2), [4, 3], half=True)
_resize("resize_bicubic_align", "ResizeBicubic", (1, 5, 4, 1), [8, 6], align=True)
_resize("resize_bicubic_from_1px_int32", "ResizeBicubic", (1, 1, 3, 2), [3, 4], half=True, dtype=np.int32)
_resize("resize_area_down", "ResizeArea", (2, 8, 9, 3), [3, 4])
_resize("resize_area_up", "ResizeArea", (1, 3, 4, 2), [7, 5])
_resize("resize_area_align", "ResizeArea", (1, 7, 6, 2), [4, 5], align=True)
_resize("resize_area_int32", "ResizeArea", (1, 5, 5, 1), [2, 3], dtype=np.int32)
