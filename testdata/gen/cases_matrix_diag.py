"""Diagonals of batched matrices: MatrixDiag, MatrixDiagPart, MatrixSetDiag
(V1, V2 with LEFT_LEFT alignment, V3 with every align), Diag and DiagPart:
bands of several diagonals, rectangular matrices with inferred sizes,
constant and runtime padding values, integer types and NaN (moved, never
computed with)."""

import numpy as np
import tensorflow as tf

from common import Spec, randn, register

raw = tf.raw_ops


def _x(rng, shape, dtype=np.float32, nan=False):
    if np.issubdtype(dtype, np.integer):
        return rng.integers(-20, 20, shape).astype(dtype)
    x = randn(rng, shape, dtype=dtype)
    if nan:
        x.reshape(-1)[1] = np.nan
    return x


def _case(name, desc, tfop, fn, shapes, dtype=np.float32, nan=False, names=None):
    def build(rng):
        inputs = [_x(rng, s, dtype if i == 0 or s != () else dtype, nan and i == 0) for i, s in enumerate(shapes)]
        return Spec(fn=fn, inputs=inputs, names=names)

    register(name, desc, build, expect=[tfop])


def _k(k):
    return tf.constant(k, dtype=tf.int32)


# MatrixDiag
_case("matrix_diag_v1_batch", "MatrixDiag of [2,4]: two 4×4 diagonal matrices.", "MatrixDiag",
      lambda x: raw.MatrixDiag(diagonal=x), [(2, 4)], nan=True)
_case("matrix_diag_v1_int32", "MatrixDiag of int32 [3].", "MatrixDiag",
      lambda x: raw.MatrixDiag(diagonal=x), [(3,)], dtype=np.int32)
_case("matrix_diag_v2_band", "MatrixDiagV2 (LEFT_LEFT) of [2,3,3] with k=(-1,1): square 3×3 inferred.", "MatrixDiagV2",
      lambda x: raw.MatrixDiagV2(diagonal=x, k=_k([-1, 1]), num_rows=-1, num_cols=-1, padding_value=0.0), [(2, 3, 3)])
_case("matrix_diag_v2_sub_rows_pad", "MatrixDiagV2 of [2] with k=-1, num_rows=3, inferred num_cols, padding 9.", "MatrixDiagV2",
      lambda x: raw.MatrixDiagV2(diagonal=x, k=_k(-1), num_rows=3, num_cols=-1, padding_value=9.0), [(2,)])
_case("matrix_diag_v3_band_default", "MatrixDiagV3 of [2,4,3] with k=(-1,2) and default align RIGHT_LEFT.", "MatrixDiagV3",
      lambda x: tf.linalg.diag(x, k=(-1, 2)), [(2, 4, 3)])
_case("matrix_diag_v3_left_right_rect", "MatrixDiagV3 of [3,3] with k=(-2,0), LEFT_RIGHT, num_cols=5 (rows inferred).", "MatrixDiagV3",
      lambda x: tf.linalg.diag(x, k=(-2, 0), num_cols=5, align="LEFT_RIGHT"), [(3, 3)])
_case("matrix_diag_v3_right_right_pad", "MatrixDiagV3 of [2,2,3] with k=(1,2), RIGHT_RIGHT, num_rows=4 and a runtime padding value.",
      "MatrixDiagV3",
      lambda x, y: raw.MatrixDiagV3(diagonal=x, k=_k([1, 2]), num_rows=4, num_cols=-1, padding_value=y, align="RIGHT_RIGHT"),
      [(2, 2, 3), ()])
_case("matrix_diag_v3_super_int64", "MatrixDiagV3 of int64 [2,3] with k=2 (one superdiagonal), LEFT_LEFT.", "MatrixDiagV3",
      lambda x: tf.linalg.diag(x, k=2, align="LEFT_LEFT"), [(2, 3)], dtype=np.int64)

# MatrixDiagPart
_case("matrix_diag_part_v1_rect", "MatrixDiagPart of [2,3,4]: main diagonals of 3×4 matrices.", "MatrixDiagPart",
      lambda x: raw.MatrixDiagPart(input=x), [(2, 3, 4)], nan=True)
_case("matrix_diag_part_v1_int32", "MatrixDiagPart of int32 [4,2].", "MatrixDiagPart",
      lambda x: raw.MatrixDiagPart(input=x), [(4, 2)], dtype=np.int32)
_case("matrix_diag_part_v2_band_pad", "MatrixDiagPartV2 (LEFT_LEFT) of [2,3,4] with k=(-1,2), padding 9.", "MatrixDiagPartV2",
      lambda x: raw.MatrixDiagPartV2(input=x, k=_k([-1, 2]), padding_value=9.0), [(2, 3, 4)])
_case("matrix_diag_part_v2_sub", "MatrixDiagPartV2 of [4,3] with k=-2.", "MatrixDiagPartV2",
      lambda x: raw.MatrixDiagPartV2(input=x, k=_k(-2), padding_value=0.0), [(4, 3)])
_case("matrix_diag_part_v3_band_default", "MatrixDiagPartV3 of [2,4,3] with k=(-2,1), default align RIGHT_LEFT.", "MatrixDiagPartV3",
      lambda x: tf.linalg.diag_part(x, k=(-2, 1)), [(2, 4, 3)])
_case("matrix_diag_part_v3_left_right_pad", "MatrixDiagPartV3 of [3,5] with k=(-1,3), LEFT_RIGHT and a runtime padding value.",
      "MatrixDiagPartV3",
      lambda x, y: raw.MatrixDiagPartV3(input=x, k=_k([-1, 3]), padding_value=y, align="LEFT_RIGHT"), [(3, 5), ()])
_case("matrix_diag_part_v3_right_right_i32", "MatrixDiagPartV3 of int32 [2,3,3] with k=(-2,2), RIGHT_RIGHT.", "MatrixDiagPartV3",
      lambda x: tf.linalg.diag_part(x, k=(-2, 2), align="RIGHT_RIGHT"), [(2, 3, 3)], dtype=np.int32)

# MatrixSetDiag
_case("matrix_set_diag_v1", "MatrixSetDiag of [2,3,4] with diagonals [2,3].", "MatrixSetDiag",
      lambda x, y: raw.MatrixSetDiag(input=x, diagonal=y), [(2, 3, 4), (2, 3)], nan=True)
_case("matrix_set_diag_v1_int32", "MatrixSetDiag of int32 [4,3] with diagonal [3].", "MatrixSetDiag",
      lambda x, y: raw.MatrixSetDiag(input=x, diagonal=y), [(4, 3), (3,)], dtype=np.int32)
_case("matrix_set_diag_v2_band", "MatrixSetDiagV2 (LEFT_LEFT) of [2,3,4] with k=(-1,1), diagonals [2,3,3].", "MatrixSetDiagV2",
      lambda x, y: raw.MatrixSetDiagV2(input=x, diagonal=y, k=_k([-1, 1])), [(2, 3, 4), (2, 3, 3)])
_case("matrix_set_diag_v2_super", "MatrixSetDiagV2 of [4,4] with k=1, diagonal [3].", "MatrixSetDiagV2",
      lambda x, y: raw.MatrixSetDiagV2(input=x, diagonal=y, k=_k(1)), [(4, 4), (3,)])
_case("matrix_set_diag_v3_band_default", "MatrixSetDiagV3 of [2,4,3] with k=(0,2), default align RIGHT_LEFT.", "MatrixSetDiagV3",
      lambda x, y: tf.linalg.set_diag(x, y, k=(0, 2)), [(2, 4, 3), (2, 3, 3)])
_case("matrix_set_diag_v3_right_right_sub", "MatrixSetDiagV3 of [3,5,4] with k=(-3,-1), RIGHT_RIGHT.", "MatrixSetDiagV3",
      lambda x, y: tf.linalg.set_diag(x, y, k=(-3, -1), align="RIGHT_RIGHT"), [(3, 5, 4), (3, 3, 4)])

# Diag, DiagPart
_case("diag_rank1", "Diag of [4]: a 4×4 diagonal matrix.", "Diag", lambda x: tf.linalg.tensor_diag(x), [(4,)], nan=True)
_case("diag_rank2_int32", "Diag of int32 [2,3]: shape [2,3,2,3].", "Diag", lambda x: tf.linalg.tensor_diag(x), [(2, 3)], dtype=np.int32)
_case("diag_part_rank2", "DiagPart of [3,3].", "DiagPart", lambda x: tf.linalg.tensor_diag_part(x), [(3, 3)])
_case("diag_part_rank4", "DiagPart of [2,3,2,3]: shape [2,3].", "DiagPart", lambda x: tf.linalg.tensor_diag_part(x), [(2, 3, 2, 3)])
