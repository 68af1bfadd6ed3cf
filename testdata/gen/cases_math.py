"""Op cases: elementwise math, comparisons, logic, select, cast, reductions,
ArgMax/ArgMin, TopKV2."""

import numpy as np
import tensorflow as tf

from common import (Spec, avoid_half, distinct, ints, nonzero_ints, randn, register,
                    uniform)


def add(name, description, build, expect=()):
    register(name, description, build, expect=expect)


# ---------------------------------------------------------------------------
# Unary float math


def _unary(op, f, lo, hi, desc="", shape=(3, 4, 5), post=None, expect=None):
    def build(rng):
        x = uniform(rng, shape, lo, hi)
        if post is not None:
            x = post(rng, x)
        return Spec(fn=f, inputs=[x])

    add("unary_" + op.lower(), f"{op} on float32 in [{lo:g},{hi:g}]. {desc}".strip(), build,
        expect=[expect or op])


def _nonzero(rng, x):
    s = np.where(rng.random(x.shape) < 0.5, -1.0, 1.0)
    return (s * x).astype(np.float32)


def _with_zeros(rng, x):
    x = x.copy()
    x.flat[::7] = 0.0
    return x


def _no_half(rng, x):
    return avoid_half(x)


_unary("Abs", tf.math.abs, -4, 4)
_unary("Neg", tf.math.negative, -4, 4)
_unary("Exp", tf.math.exp, -5, 5)
_unary("Log", tf.math.log, 0.01, 10, "(positive domain)")
_unary("Log1p", tf.math.log1p, -0.9, 5)
_unary("Expm1", tf.math.expm1, -3, 3)
_unary("Sqrt", tf.math.sqrt, 0.01, 10)
_unary("Rsqrt", tf.math.rsqrt, 0.05, 10)
_unary("Square", tf.math.square, -4, 4)
_unary("Reciprocal", tf.math.reciprocal, 0.2, 5, "(random signs, no zeros)", post=_nonzero)
_unary("Inv", lambda x: tf.raw_ops.Inv(x=x), 0.2, 5, "(the legacy Inv op; random signs)", post=_nonzero)
_unary("Sin", tf.math.sin, -6, 6)
_unary("Cos", tf.math.cos, -6, 6)
_unary("Tan", tf.math.tan, -1.3, 1.3)
_unary("Asin", tf.math.asin, -0.99, 0.99)
_unary("Acos", tf.math.acos, -0.99, 0.99)
_unary("Atan", tf.math.atan, -5, 5)
_unary("Sinh", tf.math.sinh, -3, 3)
_unary("Cosh", tf.math.cosh, -3, 3)
_unary("Asinh", tf.math.asinh, -5, 5)
_unary("Acosh", tf.math.acosh, 1.01, 5)
_unary("Atanh", tf.math.atanh, -0.95, 0.95)
_unary("Floor", tf.math.floor, -5, 5)
_unary("Ceil", tf.math.ceil, -5, 5)
_unary("Round", tf.math.round, -5, 5, "(no exact .5 fractions; TF rounds half to even)", post=_no_half)
_unary("Rint", tf.math.rint, -5, 5, "(no exact .5 fractions)", post=_no_half)
_unary("Sign", tf.math.sign, -3, 3, "(every 7th element is exactly 0)", post=_with_zeros)


def _unary_f16(rng):
    return Spec(fn=lambda x: tf.math.exp(x), inputs=[uniform(rng, (4, 6), -3, 3, np.float16)])


add("unary_exp_f16", "Exp in float16.", _unary_f16, expect=["Exp"])


# ---------------------------------------------------------------------------
# Binary float math


def _binary(name, desc, f, expect, xshape=(3, 4), yshape=(3, 4), xr=(-4, 4), yr=(-4, 4),
            dtype=np.float32, ypost=None, const_y=False):
    def build(rng):
        x = uniform(rng, xshape, xr[0], xr[1], dtype)
        y = uniform(rng, yshape, yr[0], yr[1], dtype)
        if ypost is not None:
            y = ypost(rng, y).astype(dtype)
        if const_y:
            return Spec(fn=lambda a: f(a, y), inputs=[x])
        return Spec(fn=f, inputs=[x, y])

    add(name, desc, build, expect=expect)


def _div_zeros(rng, y):
    y = y.copy()
    y.flat[::5] = 0.0
    return y


_binary("binary_add", "Add (the legacy op, tf.raw_ops.Add) [3,4] + [3,4].", lambda x, y: tf.raw_ops.Add(x=x, y=y), ["Add"])
_binary("binary_addv2", "AddV2 [3,4] + [3,4].", tf.math.add, ["AddV2"])
_binary("binary_sub", "Sub [3,4] - [3,4].", tf.math.subtract, ["Sub"])
_binary("binary_mul", "Mul [3,4] * [3,4].", tf.math.multiply, ["Mul"])
_binary("binary_realdiv", "RealDiv with divisors of magnitude [0.5,4] and random sign.", tf.math.truediv, ["RealDiv"],
        yr=(0.5, 4), ypost=_nonzero)
_binary("binary_div", "Div (tf.raw_ops.Div) on float32.", lambda x, y: tf.raw_ops.Div(x=x, y=y), ["Div"],
        yr=(0.5, 4), ypost=_nonzero)
_binary("binary_floordiv_f32", "FloorDiv on float32 with mixed signs.", tf.math.floordiv, ["FloorDiv"],
        xr=(-10, 10), yr=(0.7, 3), ypost=_nonzero)
_binary("binary_floormod_f32", "FloorMod on float32 with mixed signs (result has the divisor's sign).", tf.math.floormod,
        ["FloorMod"], xr=(-10, 10), yr=(0.7, 3), ypost=_nonzero)
_binary("binary_pow", "Pow with positive base in [0.1,3] and exponent in [-2,3].", tf.math.pow, ["Pow"],
        xr=(0.1, 3), yr=(-2, 3))
_binary("binary_pow_const_2", "Pow with a constant exponent 2.0 (x**2).", lambda x, y: tf.math.pow(x, y), ["Pow"],
        yshape=(), yr=(2, 2), const_y=True)
_binary("binary_maximum", "Maximum [3,4] vs [3,4].", tf.math.maximum, ["Maximum"])
_binary("binary_minimum", "Minimum [3,4] vs [3,4].", tf.math.minimum, ["Minimum"])
_binary("binary_squareddifference", "SquaredDifference [3,4] vs [3,4].", tf.math.squared_difference, ["SquaredDifference"])
_binary("binary_divnonan", "DivNoNan where every 5th divisor is exactly 0 (result 0 there).", tf.math.divide_no_nan,
        ["DivNoNan"], yr=(0.5, 4), ypost=_div_zeros)

# broadcasting
_binary("binary_addv2_bcast_scalar", "AddV2 broadcasting a scalar input: [3,4] + [].", tf.math.add, ["AddV2"], yshape=())
_binary("binary_mul_bcast_row", "Mul broadcasting a row: [3,4] * [4].", tf.math.multiply, ["Mul"], yshape=(4,))
_binary("binary_sub_bcast_col", "Sub broadcasting a column: [3,4] - [3,1].", tf.math.subtract, ["Sub"], yshape=(3, 1))
_binary("binary_sub_bcast_lhs_scalar", "Sub with a scalar on the left: [] - [3,4].", tf.math.subtract, ["Sub"], xshape=(), yshape=(3, 4))
_binary("binary_maximum_bcast_rank_expand", "Maximum broadcasting rank 1 against rank 4: [2,3,4,5] vs [5].",
        tf.math.maximum, ["Maximum"], xshape=(2, 3, 4, 5), yshape=(5,))
_binary("binary_realdiv_bcast_both", "RealDiv broadcasting both sides: [3,1] / [1,4] -> [3,4].", tf.math.truediv,
        ["RealDiv"], xshape=(3, 1), yshape=(1, 4), yr=(0.5, 4), ypost=_nonzero)
_binary("binary_addv2_bcast_4d", "AddV2 broadcasting [2,1,4,1] + [1,3,1,5] -> [2,3,4,5].", tf.math.add, ["AddV2"],
        xshape=(2, 1, 4, 1), yshape=(1, 3, 1, 5))
_binary("binary_mul_bcast_channel", "Mul broadcasting a per-channel [1,1,1,6] scale on [1,4,4,6] (squeeze-excite style).",
        tf.math.multiply, ["Mul"], xshape=(1, 4, 4, 6), yshape=(1, 1, 1, 6))
_binary("binary_squareddifference_bcast", "SquaredDifference broadcasting [2,3,4] vs [2,3,1] (variance pattern).",
        tf.math.squared_difference, ["SquaredDifference"], xshape=(2, 3, 4), yshape=(2, 3, 1))
_binary("binary_minimum_bcast_const", "Minimum with a constant scalar 1.5 (clip).", tf.math.minimum, ["Minimum"],
        yshape=(), yr=(1.5, 1.5), const_y=True)
_binary("binary_pow_bcast", "Pow broadcasting exponents [4] over bases [3,4].", tf.math.pow, ["Pow"],
        xr=(0.1, 3), yshape=(4,), yr=(-1.5, 2.5))
_binary("binary_floormod_bcast_scalar", "FloorMod float32 by a scalar input.", tf.math.floormod, ["FloorMod"],
        xr=(-10, 10), yshape=(), yr=(1.3, 1.3))
_binary("binary_addv2_rank1", "AddV2 on rank-1 [7] tensors.", tf.math.add, ["AddV2"], xshape=(7,), yshape=(7,))
_binary("binary_mul_rank5", "Mul on rank-5 [2,1,3,2,2] * [1,2,1,2,1].", tf.math.multiply, ["Mul"],
        xshape=(2, 1, 3, 2, 2), yshape=(1, 2, 1, 2, 1))
_binary("binary_addv2_ones_shape", "AddV2 on all-ones shapes [1,1,1,1] + [1].", tf.math.add, ["AddV2"],
        xshape=(1, 1, 1, 1), yshape=(1,))

# float16
_binary("binary_addv2_f16", "AddV2 in float16.", tf.math.add, ["AddV2"], dtype=np.float16)
_binary("binary_mul_f16_bcast", "Mul in float16 broadcasting a row.", tf.math.multiply, ["Mul"], yshape=(4,),
        dtype=np.float16)


def _addn(rng):
    return Spec(fn=lambda x, y, z: tf.math.add_n([x, y, z]),
                inputs=[randn(rng, (3, 4)), randn(rng, (3, 4)), randn(rng, (3, 4))])


add("binary_addn_3", "AddN of three [3,4] inputs.", _addn, expect=["AddN"])


# ---------------------------------------------------------------------------
# Integer math


def _int_binary(opname, f, dtype, desc, divisor=False, yshape=(3, 5)):
    tname = "i32" if dtype == np.int32 else "i64"

    def build(rng):
        x = ints(rng, (3, 5), -20, 21, dtype)
        y = nonzero_ints(rng, yshape, -6, 7, dtype) if divisor else ints(rng, yshape, -20, 21, dtype)
        return Spec(fn=f, inputs=[x, y])

    add(f"binary_{opname.lower()}_{tname}", f"{opname} on {np.dtype(dtype).name} {desc}".strip(), build,
        expect=[opname])


for _dt in (np.int32, np.int64):
    _int_binary("AddV2", tf.math.add, _dt, "with negatives.")
    _int_binary("Mul", tf.math.multiply, _dt, "with negatives.")
    _int_binary("FloorDiv", tf.math.floordiv, _dt, "with negative dividends and divisors (floor, not truncation).", divisor=True)
    _int_binary("FloorMod", tf.math.floormod, _dt, "with negative dividends and divisors (sign of divisor).", divisor=True)
    _int_binary("Maximum", tf.math.maximum, _dt, "with negatives.")
_int_binary("Sub", tf.math.subtract, np.int32, "broadcasting a row [5].", yshape=(5,))
_int_binary("Minimum", tf.math.minimum, np.int64, "broadcasting a column [3,1].", yshape=(3, 1))


def _int_add_raw(rng):
    return Spec(fn=lambda x, y: tf.raw_ops.Add(x=x, y=y),
                inputs=[ints(rng, (4,), -9, 10), ints(rng, (), -9, 10)])


add("binary_add_i32_bcast_scalar", "Add (legacy op) int32 [4] + scalar.", _int_add_raw, expect=["Add"])


# ---------------------------------------------------------------------------
# Comparisons


def _cmp(opname, f, dtype, xshape=(3, 4), yshape=(3, 4), extra=""):
    tname = {np.float32: "f32", np.int32: "i32", np.int64: "i64"}[dtype]
    name = f"compare_{opname.lower()}_{tname}" + extra

    def build(rng):
        # Small integer-valued inputs so that equal pairs occur.
        x = ints(rng, xshape, -2, 3, dtype)
        y = ints(rng, yshape, -2, 3, dtype)
        if dtype == np.float32:
            x = x + np.float32(0.25)
            y = y + np.float32(0.25)
        return Spec(fn=f, inputs=[x, y])

    add(name, f"{opname} on {np.dtype(dtype).name} {list(xshape)} vs {list(yshape)} (with equal pairs).", build,
        expect=[opname])


_cmp("Equal", tf.math.equal, np.float32)
_cmp("NotEqual", tf.math.not_equal, np.float32)
_cmp("Less", tf.math.less, np.float32)
_cmp("LessEqual", tf.math.less_equal, np.float32)
_cmp("Greater", tf.math.greater, np.float32)
_cmp("GreaterEqual", tf.math.greater_equal, np.float32)
_cmp("Equal", tf.math.equal, np.int32, yshape=(4,), extra="_bcast_row")
_cmp("NotEqual", tf.math.not_equal, np.int64, yshape=(3, 1), extra="_bcast_col")
_cmp("Less", tf.math.less, np.int32)
_cmp("LessEqual", tf.math.less_equal, np.int64, yshape=(), extra="_bcast_scalar")
_cmp("Greater", tf.math.greater, np.float32, xshape=(2, 1, 4), yshape=(3, 1), extra="_bcast_both")
_cmp("GreaterEqual", tf.math.greater_equal, np.int32, yshape=(4,), extra="_bcast_row")


def _cmp_const(rng):
    return Spec(fn=lambda x: tf.cast(x > 0.0, tf.float32) * x, inputs=[randn(rng, (3, 5))])


add("compare_greater_const_cast_mul", "Greater against a constant 0, Cast bool->float, Mul (a relu written by hand).",
    _cmp_const, expect=["Greater", "Cast", "Mul"])


# ---------------------------------------------------------------------------
# Logical


def _bools(rng, shape):
    return rng.random(shape) < 0.5


def _logical(name, desc, f, nin, expect, yshape=(3, 4)):
    def build(rng):
        ins = [_bools(rng, (3, 4))] + ([_bools(rng, yshape)] if nin == 2 else [])
        return Spec(fn=f, inputs=ins)

    add(name, desc, build, expect=expect)


_logical("logical_and", "LogicalAnd on bool [3,4].", tf.math.logical_and, 2, ["LogicalAnd"])
_logical("logical_or", "LogicalOr on bool [3,4].", tf.math.logical_or, 2, ["LogicalOr"])
_logical("logical_not", "LogicalNot on bool [3,4].", tf.math.logical_not, 1, ["LogicalNot"])
_logical("logical_and_bcast", "LogicalAnd broadcasting [3,4] and [4].", tf.math.logical_and, 2, ["LogicalAnd"], yshape=(4,))
_logical("logical_or_bcast", "LogicalOr broadcasting [3,4] and [3,1].", tf.math.logical_or, 2, ["LogicalOr"], yshape=(3, 1))


def _logical_mixed(rng):
    def f(x, y):
        m = tf.math.logical_and(x > 0.0, tf.math.logical_not(y < -0.5))
        return tf.cast(m, tf.float32)

    return Spec(fn=f, inputs=[randn(rng, (4, 5)), randn(rng, (4, 5))])


add("logical_from_compares", "LogicalAnd/LogicalNot of comparisons, cast to float.", _logical_mixed,
    expect=["LogicalAnd", "LogicalNot", "Greater", "Less", "Cast"])


# ---------------------------------------------------------------------------
# Select / SelectV2


def _select_v1(rng):
    return Spec(fn=lambda c, x, y: tf.raw_ops.Select(condition=c, x=x, y=y),
                inputs=[_bools(rng, (3, 4)), randn(rng, (3, 4)), randn(rng, (3, 4))], names=["c", "x", "y"])


add("select_v1_same_shape", "Select (V1) with condition, x and y all [3,4].", _select_v1, expect=["Select"])


def _select_v1_rows(rng):
    return Spec(fn=lambda c, x, y: tf.raw_ops.Select(condition=c, x=x, y=y),
                inputs=[_bools(rng, (3,)), randn(rng, (3, 4)), randn(rng, (3, 4))], names=["c", "x", "y"])


add("select_v1_vector_cond", "Select (V1) with a rank-1 [3] condition choosing whole rows of [3,4] (V1 semantics, not broadcasting).",
    _select_v1_rows, expect=["Select"])


def _select_v2_bcast(rng):
    return Spec(fn=lambda c, x, y: tf.where(c, x, y),
                inputs=[np.array([[True], [False], [True]]), randn(rng, (1, 4)), randn(rng, ())],
                names=["c", "x", "y"])


add("select_v2_bcast", "SelectV2 (tf.where) broadcasting condition [3,1], x [1,4], y scalar -> [3,4].", _select_v2_bcast,
    expect=["SelectV2"])


def _select_v2_scalar(rng):
    return Spec(fn=lambda c, x, y: tf.raw_ops.SelectV2(condition=c, t=x, e=y),
                inputs=[np.array(False), randn(rng, (2, 3)), randn(rng, (2, 3))], names=["c", "x", "y"])


add("select_v2_scalar_cond", "SelectV2 with a scalar condition (False).", _select_v2_scalar, expect=["SelectV2"])


def _select_v2_leaky(rng):
    return Spec(fn=lambda x: tf.where(x > 0.0, x, 0.1 * x), inputs=[randn(rng, (2, 3, 4))])


add("select_v2_from_compare", "SelectV2 fed by Greater against a constant: where(x>0, x, 0.1*x).", _select_v2_leaky,
    expect=["SelectV2", "Greater"])


def _select_v2_int(rng):
    return Spec(fn=lambda c, x, y: tf.where(c, x, y),
                inputs=[_bools(rng, (2, 3, 4)), ints(rng, (3, 4), -50, 50), ints(rng, (4,), -50, 50)],
                names=["c", "x", "y"])


add("select_v2_int32_bcast", "SelectV2 on int32 values broadcasting x [3,4] and y [4] against condition [2,3,4].",
    _select_v2_int, expect=["SelectV2"])


# ---------------------------------------------------------------------------
# Cast


def _cast(name, desc, make, to):
    def build(rng):
        return Spec(fn=lambda x: tf.cast(x, to), inputs=[make(rng)])

    add(name, desc, build, expect=["Cast"])


def _frac_vals(rng):
    x = uniform(rng, (3, 5), -9, 9)
    x.flat[::4] = np.trunc(x.flat[::4])
    return x


_cast("cast_f32_to_i32", "Cast float32 -> int32 truncates toward zero (negative fractions included).", _frac_vals, tf.int32)
_cast("cast_f32_to_i64", "Cast float32 -> int64 truncates toward zero.", _frac_vals, tf.int64)
_cast("cast_i32_to_f32", "Cast int32 -> float32.", lambda rng: ints(rng, (3, 5), -1000, 1000), tf.float32)
_cast("cast_i64_to_i32", "Cast int64 -> int32 (values in range).", lambda rng: ints(rng, (3, 5), -1000, 1000, np.int64), tf.int32)
_cast("cast_i32_to_i64", "Cast int32 -> int64.", lambda rng: ints(rng, (3, 5), -1000, 1000), tf.int64)
_cast("cast_f32_to_f16", "Cast float32 -> float16 (round to nearest).", lambda rng: randn(rng, (3, 5), scale=10.0), tf.float16)
_cast("cast_f16_to_f32", "Cast float16 -> float32.", lambda rng: randn(rng, (3, 5), np.float16, scale=10.0), tf.float32)
_cast("cast_bool_to_f32", "Cast bool -> float32.", lambda rng: _bools(rng, (3, 5)), tf.float32)
_cast("cast_bool_to_i32", "Cast bool -> int32.", lambda rng: _bools(rng, (3, 5)), tf.int32)


def _f32_with_zeros(rng):
    x = randn(rng, (3, 5))
    x.flat[::3] = 0.0
    return x


_cast("cast_f32_to_bool", "Cast float32 -> bool (nonzero is True; every 3rd element is 0).", _f32_with_zeros, tf.bool)


# ---------------------------------------------------------------------------
# Reductions


def _reduce(name, desc, f, expect, shape=(2, 3, 4), make=None):
    def build(rng):
        x = make(rng, shape) if make else randn(rng, shape)
        return Spec(fn=f, inputs=[x])

    add(name, desc, build, expect=expect)


def _near1(rng, shape):
    return uniform(rng, shape, 0.6, 1.4)


def _bool_mostly(p):
    return lambda rng, shape: rng.random(shape) < p


_reduce("reduce_sum_axis1", "Sum over axis 1 of [2,3,4], keep_dims false.", lambda x: tf.reduce_sum(x, 1), ["Sum"])
_reduce("reduce_sum_keepdims_axis1", "Sum over axis 1, keep_dims true.", lambda x: tf.reduce_sum(x, 1, keepdims=True), ["Sum"])
_reduce("reduce_sum_axes02", "Sum over axes [0,2], keep_dims false.", lambda x: tf.reduce_sum(x, [0, 2]), ["Sum"])
_reduce("reduce_sum_keepdims_axes02", "Sum over axes [0,2], keep_dims true.", lambda x: tf.reduce_sum(x, [0, 2], keepdims=True), ["Sum"])
_reduce("reduce_sum_neg_axis", "Sum over axis -1.", lambda x: tf.reduce_sum(x, -1), ["Sum"])
_reduce("reduce_sum_all", "Sum over all axes (axis=None -> [0,1,2]), scalar output.", lambda x: tf.reduce_sum(x), ["Sum"])
_reduce("reduce_sum_keepdims_all", "Sum over all axes with keep_dims -> [1,1,1].", lambda x: tf.reduce_sum(x, keepdims=True), ["Sum"])
_reduce("reduce_sum_i32", "Sum of int32 over axis 0.", lambda x: tf.reduce_sum(x, 0), ["Sum"],
        make=lambda rng, s: ints(rng, s, -50, 50))
_reduce("reduce_sum_rank5_axes13", "Sum of a rank-5 [2,2,3,2,3] over axes [1,3].", lambda x: tf.reduce_sum(x, [1, 3]), ["Sum"],
        shape=(2, 2, 3, 2, 3))
_reduce("reduce_sum_empty_axes", "Sum with an empty axis list (identity reduction).", lambda x: tf.reduce_sum(x, []), ["Sum"])
_reduce("reduce_mean_axis_last", "Mean over the last axis.", lambda x: tf.reduce_mean(x, 2), ["Mean"])
_reduce("reduce_mean_keepdims_axes12", "Mean over spatial axes [1,2] of [2,4,5,3] with keep_dims (global average pool).",
        lambda x: tf.reduce_mean(x, [1, 2], keepdims=True), ["Mean"], shape=(2, 4, 5, 3))
_reduce("reduce_mean_axes12", "Mean over spatial axes [1,2] of [2,4,5,3] without keep_dims.",
        lambda x: tf.reduce_mean(x, [1, 2]), ["Mean"], shape=(2, 4, 5, 3))
_reduce("reduce_mean_neg_axes", "Mean over axes [-1,-2].", lambda x: tf.reduce_mean(x, [-1, -2]), ["Mean"])
_reduce("reduce_mean_all", "Mean over all axes.", lambda x: tf.reduce_mean(x), ["Mean"])
_reduce("reduce_max_axis0", "Max over axis 0.", lambda x: tf.reduce_max(x, 0), ["Max"])
_reduce("reduce_max_keepdims_neg_axis", "Max over axis -2 with keep_dims.", lambda x: tf.reduce_max(x, -2, keepdims=True), ["Max"])
_reduce("reduce_max_all", "Max over all axes.", lambda x: tf.reduce_max(x), ["Max"])
_reduce("reduce_max_i64", "Max of int64 over axis 1.", lambda x: tf.reduce_max(x, 1), ["Max"],
        make=lambda rng, s: ints(rng, s, -50, 50, np.int64))
_reduce("reduce_min_axis2", "Min over axis 2.", lambda x: tf.reduce_min(x, 2), ["Min"])
_reduce("reduce_min_keepdims_axes01", "Min over axes [0,1] with keep_dims.", lambda x: tf.reduce_min(x, [0, 1], keepdims=True), ["Min"])
_reduce("reduce_min_i32_all", "Min of int32 over all axes.", lambda x: tf.reduce_min(x), ["Min"],
        make=lambda rng, s: ints(rng, s, -50, 50))
_reduce("reduce_prod_axis1", "Prod over axis 1 (values in [0.6,1.4]).", lambda x: tf.reduce_prod(x, 1), ["Prod"], make=_near1)
_reduce("reduce_prod_keepdims_all", "Prod over all axes with keep_dims (values in [0.6,1.4]).",
        lambda x: tf.reduce_prod(x, keepdims=True), ["Prod"], make=_near1)
_reduce("reduce_prod_neg_axes", "Prod over axes [-1,0].", lambda x: tf.reduce_prod(x, [-1, 0]), ["Prod"], make=_near1)
_reduce("reduce_all_axis1", "All over axis 1 of bool [2,3,4] (mostly True).", lambda x: tf.reduce_all(x, 1), ["All"],
        make=_bool_mostly(0.8))
_reduce("reduce_all_keepdims_axes02", "All over axes [0,2] with keep_dims.", lambda x: tf.reduce_all(x, [0, 2], keepdims=True),
        ["All"], make=_bool_mostly(0.85))
_reduce("reduce_any_axis0", "Any over axis 0 (mostly False).", lambda x: tf.reduce_any(x, 0), ["Any"], make=_bool_mostly(0.2))
_reduce("reduce_any_all", "Any over all axes.", lambda x: tf.reduce_any(x), ["Any"], make=_bool_mostly(0.1))
_reduce("reduce_any_keepdims_neg_axis", "Any over axis -1 with keep_dims.", lambda x: tf.reduce_any(x, -1, keepdims=True),
        ["Any"], make=_bool_mostly(0.2))


# ---------------------------------------------------------------------------
# ArgMax / ArgMin / TopKV2


def _arg(name, desc, f, expect, shape=(3, 4, 5)):
    def build(rng):
        return Spec(fn=f, inputs=[distinct(rng, shape)])

    add(name, desc.rstrip(".") + " (no ties).", build, expect=expect)


_arg("argmax_axis_last_i64", "ArgMax over the last axis, output_type int64 (default).", lambda x: tf.math.argmax(x, -1), ["ArgMax"])
_arg("argmax_axis0_i32", "ArgMax over axis 0, output_type int32.", lambda x: tf.math.argmax(x, 0, output_type=tf.int32), ["ArgMax"])
_arg("argmax_rank2_axis1_i32", "ArgMax over axis 1 of [4,10] logits, output_type int32.",
     lambda x: tf.math.argmax(x, 1, output_type=tf.int32), ["ArgMax"], shape=(4, 10))
_arg("argmin_axis1_i64", "ArgMin over axis 1, output_type int64.", lambda x: tf.math.argmin(x, 1), ["ArgMin"])
_arg("argmin_neg_axis_i32", "ArgMin over axis -2, output_type int32.", lambda x: tf.math.argmin(x, -2, output_type=tf.int32),
     ["ArgMin"])
_arg("argmax_rank1_i32", "ArgMax of a rank-1 [9] vector -> scalar int32.",
     lambda x: tf.math.argmax(x, 0, output_type=tf.int32), ["ArgMax"], shape=(9,))


def _topk(name, desc, k, shape):
    def build(rng):
        return Spec(fn=lambda x: tf.math.top_k(x, k=k, sorted=True), inputs=[distinct(rng, shape)])

    add(name, desc.rstrip(".") + " (no ties); outputs values float32 and indices int32.", build, expect=["TopKV2"])


_topk("topk_k1", "TopKV2 k=1 sorted on [4,10].", 1, (4, 10))
_topk("topk_k3", "TopKV2 k=3 sorted on [4,10].", 3, (4, 10))
_topk("topk_k3_rank3", "TopKV2 k=3 sorted on rank 3 [2,3,8].", 3, (2, 3, 8))
_topk("topk_k5_rank1", "TopKV2 k=5 sorted on rank 1 [12].", 5, (12,))


# TopK (V1, k an attribute) left GraphDef at version 7: TF 2.21's Python
# API cannot emit it and refuses it in a graph of the current version, but
# it still runs it in a graph of producer version 6, whose CPU kernel (shared
# with TopKV2) also needs TopKV2's index_type attribute. So the case freezes
# TopKV2 and rewrites that node to TopK (k from the constant input,
# index_type int32) in a version-6 GraphDef, which TensorFlow then runs: its
# outputs are TensorFlow's TopK.


def _to_topk_v1(gd):
    out = tf.compat.v1.GraphDef()
    out.CopyFrom(gd)
    out.versions.producer = 6
    consts = {n.name: n for n in out.node if n.op == "Const"}
    for n in out.node:
        if n.op != "TopKV2":
            continue
        k = consts[n.input[1].split(":")[0]]
        n.op = "TopK"
        n.attr["k"].i = int(tf.make_ndarray(k.attr["value"].tensor))
        del n.input[1]
        n.attr["index_type"].type = tf.int32.as_datatype_enum
    used = {i.split(":")[0].lstrip("^") for n in out.node for i in n.input}
    keep = [n for n in out.node if n.op != "Const" or n.name in used]
    del out.node[:]
    out.node.extend(keep)
    return out


def _topk_v1(name, desc, k, shape, make):
    def build(rng):
        return Spec(fn=lambda x: tf.math.top_k(x, k=k, sorted=True), inputs=[make(rng, shape)],
                    graph_edit=_to_topk_v1, expect=["TopK"])

    add(name, desc + " TopKV2 frozen, then rewritten to TopK (V1) in a producer-6 GraphDef, which TF 2.21 runs.",
        build)


_topk_v1("topk_v1_k2", "TopK (V1) k=2 sorted on [3,7] (no ties).", 2, (3, 7), distinct)
_topk_v1("topk_v1_k4_ties_rank1", "TopK (V1) k=4 sorted on rank 1 [9] with repeated values (ties: lower index first).", 4,
         (9,), lambda rng, shape: rng.integers(0, 4, shape).astype(np.float32))


# ---------------------------------------------------------------------------
# Integer, bool and float16 variants of ops that backend/lower's opTests
# reach: TestOpTestsHaveOracle requires a TensorFlow case for every op
# variant (opcode, attributes, dtype) those tests lower, so the kernels the
# interpreter and the reference executor share have an independent oracle.


def _int_unary(opname, f, dtype):
    tname = {np.int32: "i32", np.int64: "i64"}[dtype]
    add(f"unary_{opname.lower()}_{tname}", f"{opname} on {np.dtype(dtype).name} with negatives and zeros.",
        lambda rng: Spec(fn=f, inputs=[ints(rng, (3, 5), -9, 10, dtype)]), expect=[opname])


_int_unary("Abs", tf.math.abs, np.int64)
_int_unary("Neg", tf.math.negative, np.int64)
_int_unary("Sign", tf.math.sign, np.int64)
_int_binary("TruncateDiv", lambda x, y: tf.raw_ops.TruncateDiv(x=x, y=y), np.int32,
            "with negative dividends and divisors (truncation toward zero).", divisor=True)
_reduce("reduce_mean_i32", "Mean of int32 over axis 1 (integer division, truncating).",
        lambda x: tf.reduce_mean(x, 1), ["Mean"], make=lambda rng, s: ints(rng, s, -50, 50))
_reduce("reduce_mean_i32_keepdims", "Mean of int32 over axis 2 with keepdims (integer division, truncating).",
        lambda x: tf.reduce_mean(x, 2, keepdims=True), ["Mean"], make=lambda rng, s: ints(rng, s, -50, 50))
_reduce("reduce_mean_i32_all", "Mean of int32 over all axes (integer division, truncating).",
        lambda x: tf.reduce_mean(x), ["Mean"], make=lambda rng, s: ints(rng, s, -50, 50))


def _matmul_int(rng):
    return Spec(fn=lambda x, y: tf.linalg.matmul(x, y, transpose_a=True, transpose_b=True),
                inputs=[ints(rng, (4, 3), -9, 10), ints(rng, (5, 4), -9, 10)])


add("matmul_i32_transpose_ab", "MatMul int32 with transpose_a and transpose_b, [4,3]^T x [5,4]^T.",
    _matmul_int, expect=["MatMul"])


def _concat_i64(rng):
    return Spec(fn=lambda x, y: tf.concat([x, y], 1),
                inputs=[ints(rng, (2, 3), -9, 10, np.int64), ints(rng, (2, 2), -9, 10, np.int64)])


add("concat_i64", "ConcatV2 of int64 [2,3] and [2,2] along axis 1.", _concat_i64, expect=["ConcatV2"])


def _pad_typed(dtype):
    def build(rng):
        if dtype == np.bool_:
            x = rng.random((2, 3)) < 0.5
        else:
            x = ints(rng, (2, 3), -9, 10, dtype)
        return Spec(fn=lambda t: tf.pad(t, [[1, 0], [0, 2]]), inputs=[x])
    return build


add("pad_bool", "Pad of bool [2,3] with [[1,0],[0,2]] (pads with false).", _pad_typed(np.bool_), expect=["Pad"])
add("pad_i64", "Pad of int64 [2,3] with [[1,0],[0,2]] (pads with 0).", _pad_typed(np.int64), expect=["Pad"])


def _einsum_upper_f16(rng):
    return Spec(fn=lambda x, y: tf.einsum("Ij,jK->IK", x, y),
                inputs=[randn(rng, (3, 4), np.float16), randn(rng, (4, 5), np.float16)])


add("einsum_upper_f16", "Einsum 'Ij,jK->IK' (upper-case labels) in float16.", _einsum_upper_f16, expect=["Einsum"])


def _einsum_upper_f16_sum(rng):
    return Spec(fn=lambda x, y: tf.einsum("Ij,jK->K", x, y),
                inputs=[randn(rng, (2, 3), np.float16), randn(rng, (3, 4), np.float16)])


add("einsum_upper_f16_sum", "Einsum 'Ij,jK->K' (upper-case labels, I summed within one operand) in float16.",
    _einsum_upper_f16_sum, expect=["Einsum"])
