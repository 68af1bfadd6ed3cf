"""Control flow: tf.while_loop and tf.cond as TF2 functional While/If
(frozen with lower_control_flow=False: StatelessWhile/StatelessIf with
their functions in the library). Data-dependent trip counts, zero-trip
loops, loop invariants (captured weights), nested loops, a cond inside a
loop, an RNN cell written as a loop, conditionals with different ops in
each branch. The cases go to testdata/control."""

import numpy as np
import tensorflow as tf

from common import CONTROL_DIR, Spec, ints, randn, register, uniform


def _v2(name, desc, build, expect):
    def b(rng):
        s = build(rng)
        s.lower_control_flow = False
        return s

    register(name, desc, b, expect=expect, out_dir=CONTROL_DIR)


# ---------------------------------------------------------------------------
# Loops


def _grow(rng):
    # x grows by 1.5x until its sum passes the limit: the trip count depends
    # on the data (and differs per input).
    x = uniform(rng, (2, 3), 0.1, 1.0)
    limit = np.array(50.0, np.float32)

    def fn(x, y):
        def cond(i, v):
            return tf.reduce_sum(v) < y

        def body(i, v):
            return i + 1, v * 1.5

        i, v = tf.while_loop(cond, body, [tf.constant(0), x], name="grow")
        return v, i

    return Spec(fn=fn, inputs=[x, limit])


_v2("control_while_data_dependent", "tf.while_loop growing x by 1.5 until its sum reaches an input limit: a data-dependent "
    "trip count; outputs the value and the count.", _grow, ["StatelessWhile"])


def _where_in_loop(rng):
    # Each iteration shifts x down and adds the sum of its positive
    # elements, gathered through Where: a data-dependent count in a body.
    x = np.array([2.0, 0.1, 1.2, 3.0, -1.0, 0.75], np.float32)

    def fn(x):
        def body(i, v, s):
            v = v - 0.5
            return i + 1, v, s + tf.reduce_sum(tf.gather_nd(v, tf.where(v > 0.0)))

        _, v, s = tf.while_loop(lambda i, v, s: i < 3, body, [tf.constant(0), x, tf.constant(0.0)], name="loop")
        return s

    return Spec(fn=fn, inputs=[x])


_v2("control_while_where", "tf.while_loop whose body sums the positive elements through Where and GatherNd: a "
    "data-dependent count inside a loop body (3 trips).", _where_in_loop, ["StatelessWhile"])


def _zero_trip(rng):
    x = randn(rng, (4,))
    n = np.array(0, np.int32)

    def fn(x, y):
        i, v = tf.while_loop(lambda i, v: i < y, lambda i, v: (i + 1, tf.sin(v) * 2.0), [tf.constant(0), x], name="loop")
        return v, i

    return Spec(fn=fn, inputs=[x, n])


_v2("control_while_zero_trip", "tf.while_loop whose condition is false on entry (n = 0): the body never runs, the outputs "
    "are the initial values.", _zero_trip, ["StatelessWhile"])


def _fixed_trip(rng):
    x = randn(rng, (3,))
    n = np.array(5, np.int32)

    def fn(x, y):
        i, v = tf.while_loop(lambda i, v: i < y, lambda i, v: (i + 1, tf.sin(v) * 2.0 + tf.cast(i, tf.float32)),
                             [tf.constant(0), x], name="loop")
        return v

    return Spec(fn=fn, inputs=[x, n])


_v2("control_while_counter_input", "tf.while_loop running n = 5 times (n an input), the counter used in the body.",
    _fixed_trip, ["StatelessWhile"])


def _invariant(rng):
    x = randn(rng, (2, 4))
    w = randn(rng, (4, 4), scale=0.5)
    b = randn(rng, (4,), scale=0.1)

    def fn(x, y):
        wt = tf.constant(w)

        def body(i, v):
            return i + 1, tf.tanh(tf.matmul(v, wt) + y)

        _, v = tf.while_loop(lambda i, v: i < 4, body, [tf.constant(0), x], name="loop")
        return v

    return Spec(fn=fn, inputs=[x, b])


_v2("control_while_invariants", "tf.while_loop of 4 steps of tanh(v @ W + b): W a captured constant and b a captured "
    "input, both loop-invariant loop variables.", _invariant, ["StatelessWhile", "MatMul"])


def _max_iter(rng):
    x = uniform(rng, (5,), 0.5, 1.5)

    def fn(x):
        i, v = tf.while_loop(lambda i, v: tf.reduce_max(v) < 1e6, lambda i, v: (i + 1, v * 3.0),
                             [tf.constant(0), x], maximum_iterations=4, name="loop")
        return v, i

    return Spec(fn=fn, inputs=[x])


_v2("control_while_maximum_iterations", "tf.while_loop with maximum_iterations=4 cutting a data-dependent loop short.",
    _max_iter, ["StatelessWhile"])


def _nested(rng):
    x = randn(rng, (3,))

    def fn(x):
        def outer(i, v):
            _, w = tf.while_loop(lambda j, w: j < i, lambda j, w: (j + 1, w * 0.5 + 1.0), [tf.constant(0), v], name="inner")
            return i + 1, w

        _, v = tf.while_loop(lambda i, v: i < 4, outer, [tf.constant(0), x], name="outer")
        return v

    return Spec(fn=fn, inputs=[x])


_v2("control_while_nested", "a tf.while_loop inside a tf.while_loop: the inner trip count is the outer counter "
    "(0, 1, 2, 3).", _nested, ["StatelessWhile"])


def _cond_in_loop(rng):
    x = randn(rng, (2, 3))

    def fn(x):
        def body(i, v):
            v = tf.cond(tf.reduce_sum(v) > 0.0, lambda: v - 1.0, lambda: tf.abs(v) * 2.0 + 0.5, name="branch")
            return i + 1, v

        _, v = tf.while_loop(lambda i, v: i < 5, body, [tf.constant(0), x], name="loop")
        return v

    return Spec(fn=fn, inputs=[x])


_v2("control_while_cond_inside", "a tf.cond nested in a tf.while_loop body: the branch taken changes between "
    "iterations (subtract 1 while the sum is positive, else abs * 2 + 0.5).", _cond_in_loop,
    ["StatelessWhile", "StatelessIf"])


def _rnn(rng):
    t, b, d, h = 6, 2, 3, 4
    seq = randn(rng, (t, b, d))
    wx = randn(rng, (d, h), scale=0.5)
    wh = randn(rng, (h, h), scale=0.5)
    bias = randn(rng, (h,), scale=0.1)

    def fn(x):
        def body(i, hs, acc):
            xt = tf.gather(x, i)
            hn = tf.tanh(tf.matmul(xt, tf.constant(wx)) + tf.matmul(hs, tf.constant(wh)) + tf.constant(bias))
            return i + 1, hn, acc + hn

        _, hT, acc = tf.while_loop(lambda i, hs, acc: i < t, body,
                                   [tf.constant(0), tf.zeros((b, h)), tf.zeros((b, h))], name="rnn")
        return hT, acc / t

    return Spec(fn=fn, inputs=[seq])


_v2("control_while_rnn", "a small RNN cell written as a tf.while_loop over 6 time steps (gather of step i, two "
    "matmuls, tanh); outputs the last state and the mean state.", _rnn, ["StatelessWhile", "GatherV2"])


# ---------------------------------------------------------------------------
# Conditionals


def _if_pair(sign):
    def build(rng):
        x = randn(rng, (3, 4))
        y = np.array(sign, np.float32)

        def fn(x, y):
            a, b = tf.cond(y > 0.0,
                           lambda: (tf.nn.relu(x), tf.reduce_sum(x, axis=1)),
                           lambda: (tf.exp(x) - y, tf.reduce_max(x, axis=1)), name="branch")
            return a, b

        return Spec(fn=fn, inputs=[x, y])

    return build


_v2("control_if_then", "tf.cond on an input scalar (> 0: the then branch runs) with two outputs computed by different "
    "ops in each branch (relu/sum vs exp/max).", _if_pair(1.0), ["StatelessIf"])
_v2("control_if_else", "control_if_then with the predicate false: the else branch runs.", _if_pair(-2.0),
    ["StatelessIf"])


def _if_int(rng):
    x = randn(rng, (5,))
    k = np.array(3, np.int32)

    def fn(x, y):
        return tf.cond(y > 2, lambda: tf.cast(tf.argmax(x), tf.int32) + y, lambda: y * 2, name="branch")

    return Spec(fn=fn, inputs=[x, k])


_v2("control_if_int_outputs", "tf.cond with int32 outputs from different ops (argmax + k vs k * 2).", _if_int,
    ["StatelessIf"])


# ---------------------------------------------------------------------------
# Stateful forms: a stateful op in a body or branch (here CheckNumerics,
# which TensorFlow marks stateful) makes tf.while_loop and tf.cond emit
# While and If instead of StatelessWhile and StatelessIf.


def _while_stateful(n):
    def build(rng):
        x = randn(rng, (2, 3))
        k = np.array(n, np.int32)

        def fn(x, y):
            def body(i, v):
                return i + 1, tf.debugging.check_numerics(tf.tanh(v) * 1.5 + 0.25, "v")

            i, v = tf.while_loop(lambda i, v: i < y, body, [tf.constant(0), x], name="loop")
            return v, i

        return Spec(fn=fn, inputs=[x, k])

    return build


_v2("control_while_stateful", "tf.while_loop of 3 steps whose body holds CheckNumerics (stateful): a While, "
    "not a StatelessWhile.", _while_stateful(3), ["While", "CheckNumerics"])
_v2("control_while_stateful_zero_trip", "control_while_stateful with n = 0: the While's body never runs.",
    _while_stateful(0), ["While", "CheckNumerics"])


def _if_stateful(sign):
    def build(rng):
        x = randn(rng, (4, 3))
        y = np.array(sign, np.float32)

        def fn(x, y):
            return tf.cond(y > 0.0,
                           lambda: tf.debugging.check_numerics(tf.sigmoid(x) * y, "then"),
                           lambda: tf.reduce_min(x, axis=0, keepdims=True) - x, name="branch")

        return Spec(fn=fn, inputs=[x, y])

    return build


_v2("control_if_stateful_then", "tf.cond whose then branch holds CheckNumerics (stateful): an If, not a StatelessIf; "
    "the predicate is true.", _if_stateful(0.5), ["If", "CheckNumerics"])
_v2("control_if_stateful_else", "control_if_stateful_then with the predicate false: the If's else branch runs.",
    _if_stateful(-1.0), ["If", "CheckNumerics"])


# ---------------------------------------------------------------------------
# TF1 while loops: frames of Enter/Merge/Switch/NextIteration/LoopCond/Exit
# built by tf.compat.v1.while_loop in a TF1 graph (control flow v2 off), and
# TensorArrayV3 inside them.


def _v1(name, desc, build, expect):
    def b(rng):
        s = build(rng)
        s.tf1_graph = True
        return s

    register(name, desc, b, expect=expect, out_dir=CONTROL_DIR)


_FRAME_OPS = ["Enter", "Merge", "Switch", "NextIteration", "LoopCond", "Exit"]


def _tf1_nested(rng):
    x = randn(rng, (2, 3))
    k = np.array(3, np.int32)

    def fn(x, y):
        w = tf.constant(randn(rng, (3, 3), scale=0.5))

        def outer(i, v):
            # the inner trip count is the outer counter; w and y are
            # captured: is_constant Enters into both frames
            _, u = tf.compat.v1.while_loop(lambda j, u: j < i, lambda j, u: (j + 1, tf.tanh(tf.matmul(u, w)) + 0.5),
                                           [tf.constant(0), v], name="inner")
            return i + 1, u * tf.cast(y, tf.float32)

        i, v = tf.compat.v1.while_loop(lambda i, v: tf.logical_and(i < y + 1, tf.reduce_sum(v) < 100.0), outer,
                                       [tf.constant(0), x], name="outer")
        return v, i

    return Spec(fn=fn, inputs=[x, k])


_v1("control_tf1_while_nested", "tf.compat.v1.while_loop in a TF1 graph (frames, not While) holding another: the inner "
    "trip count is the outer counter, a captured constant matrix and a captured input enter both frames as "
    "is_constant Enters; the outer condition is data-dependent.", _tf1_nested, _FRAME_OPS)


def _tf1_tensorarray(rng):
    t, d = 5, 3
    seq = randn(rng, (t, d))
    w = randn(rng, (d, d), scale=0.5)

    def fn(x):
        xs = tf.TensorArray(tf.float32, size=t).unstack(x)
        ys = tf.TensorArray(tf.float32, size=t)

        def body(i, h, ys):
            h = tf.tanh(tf.matmul(tf.expand_dims(h, 0), tf.constant(w))[0] + xs.read(i))
            return i + 1, h, ys.write(i, h * 2.0)

        i, h, ys = tf.compat.v1.while_loop(lambda i, h, ys: i < t, body, [tf.constant(0), tf.zeros([d]), ys],
                                           name="loop")
        return ys.stack(), h, i

    return Spec(fn=fn, inputs=[seq])


_v1("control_tf1_while_tensorarray", "tf.compat.v1.while_loop in a TF1 graph with TensorArrays (TensorArrayV3): the "
    "input unstacked into one (TensorArrayScatterV3) and read per step (TensorArrayReadV3), the states written to "
    "another (TensorArrayWriteV3, its flow a loop variable) and stacked after the loop (TensorArrayGatherV3).",
    _tf1_tensorarray, _FRAME_OPS + ["TensorArrayV3", "TensorArrayScatterV3", "TensorArrayReadV3",
                                    "TensorArrayWriteV3", "TensorArrayGatherV3"])


def _tf1_map_fn(rng):
    x = randn(rng, (4, 2, 3))

    def fn(x):
        return tf.map_fn(lambda m: tf.reduce_max(m, axis=0) * tf.reduce_sum(m), x)

    return Spec(fn=fn, inputs=[x])


_v1("control_tf1_map_fn", "tf.map_fn in a TF1 graph: a frame whose input TensorArray is unstacked before the loop and "
    "read per element, and whose output TensorArray is written per element and stacked after it.", _tf1_map_fn,
    _FRAME_OPS + ["TensorArrayV3", "TensorArrayReadV3", "TensorArrayWriteV3", "TensorArrayGatherV3"])


def _lowered(rng):
    x = uniform(rng, (2, 3), 0.1, 1.0)

    def fn(x, y):
        i, v = tf.while_loop(lambda i, v: tf.reduce_sum(v) < y, lambda i, v: (i + 1, v * 1.5 + 0.1),
                             [tf.constant(0), x], name="grow")
        return v, i

    return Spec(fn=fn, inputs=[x, np.array(40.0, np.float32)])


register("control_while_lowered_frames", "a TF2 tf.while_loop with a data-dependent trip count frozen with "
         "lower_control_flow (the default): TensorFlow lowers the While into TF1 frames.", _lowered,
         expect=_FRAME_OPS, out_dir=CONTROL_DIR)


# ---------------------------------------------------------------------------
# TF2 TensorLists (tf.map_fn, tf.scan) and Case


def _map_fn(rng):
    x = randn(rng, (5, 3))

    def fn(x):
        return tf.map_fn(lambda r: tf.reduce_sum(r * r), x)

    return Spec(fn=fn, inputs=[x])


_v2("control_map_fn", "tf.map_fn of a row's squared norm: a While over TensorLists (TensorListFromTensor read per "
    "element, TensorListReserve of unknown element shape written per element, TensorListStack after the loop).",
    _map_fn, ["StatelessWhile", "TensorListReserve", "TensorListFromTensor", "TensorListGetItem",
              "TensorListSetItem", "TensorListStack"])


def _scan_rnn(rng):
    t, b, d, h = 6, 2, 3, 4
    seq = randn(rng, (t, b, d))
    wx = randn(rng, (d, h), scale=0.5)
    wh = randn(rng, (h, h), scale=0.5)

    def fn(x):
        def cell(hs, xt):
            return tf.tanh(tf.matmul(xt, tf.constant(wx)) + tf.matmul(hs, tf.constant(wh)))

        return tf.scan(cell, x, initializer=tf.zeros((b, h)))

    return Spec(fn=fn, inputs=[seq])


_v2("control_scan_rnn", "tf.scan of an RNN cell over 6 time steps (cumulative: every state is an output): TensorLists "
    "read and written per step in a While.", _scan_rnn,
    ["StatelessWhile", "TensorListReserve", "TensorListGetItem", "TensorListSetItem", "TensorListStack", "MatMul"])


def _case(index):
    def build(rng):
        x = randn(rng, (3, 4))

        def fn(x, y):
            return tf.switch_case(y, [lambda: tf.nn.relu(x) * 2.0, lambda: tf.exp(x) - 1.0,
                                      lambda: tf.reduce_sum(x, axis=0, keepdims=True) + x])

        s = Spec(fn=fn, inputs=[x, np.array(index, np.int32)])
        s.lower_control_flow = False
        s.unfrozen = True
        return s

    return build


register("control_case_1", "tf.switch_case with three branches of different ops (StatelessCase): branch_index 1.",
         _case(1), expect=["StatelessCase"], out_dir=CONTROL_DIR)
register("control_case_out_of_range", "tf.switch_case with branch_index 7, outside [0, 3): TensorFlow's Case runs the "
         "last branch.", _case(7), expect=["StatelessCase"], out_dir=CONTROL_DIR)


def _tf1_ta_ops(rng):
    x = randn(rng, (4, 2, 3))

    def fn(x):
        ta = tf.TensorArray(tf.float32, size=4, element_shape=[2, 3]).scatter([3, 1, 0, 2], x)
        out = tf.TensorArray(tf.float32, size=4, clear_after_read=False)

        def body(i, acc, out):
            acc = acc + ta.read(i)
            # ta.size() folds to a constant in Python: the op itself
            size = tf.raw_ops.TensorArraySizeV3(handle=ta.handle, flow_in=ta.flow)
            return i + 1, acc, out.write(i, acc * tf.cast(size, tf.float32))

        _, acc, out = tf.compat.v1.while_loop(lambda i, acc, out: i < 4, body, [tf.constant(0), tf.zeros([2, 3]), out],
                                              name="loop")
        ta.close().mark_used()  # an op with no outputs, reached by nothing
        return out.concat(), out.gather([2, 0, 2]), acc

    return Spec(fn=fn, inputs=[x])


_v1("control_tf1_tensorarray_ops", "TensorArrayV3 in a TF1 loop: a scatter to permuted indices before the loop, "
    "TensorArraySizeV3 in the body, TensorArrayConcatV3 and a gather of repeated indices after it (and a "
    "TensorArrayCloseV3 nothing reads).", _tf1_ta_ops,
    _FRAME_OPS + ["TensorArrayScatterV3", "TensorArraySizeV3", "TensorArrayConcatV3", "TensorArrayGatherV3",
                  "TensorArrayCloseV3"])


def _tl_ops(rng):
    x = randn(rng, (5, 3))

    def fn(x):
        ta = tf.TensorArray(tf.float32, size=5, element_shape=[3])

        def body(i, ta):
            # ta.size() folds to a constant in Python: the op itself
            size = tf.raw_ops.TensorListLength(input_handle=ta.flow)
            return i + 1, ta.write(i, tf.gather(x, i) * tf.cast(size, tf.float32) + tf.cast(i, tf.float32))

        _, ta = tf.while_loop(lambda i, ta: i < 5, body, [tf.constant(0), ta], name="loop")
        return ta.gather([4, 1, 1]), tf.raw_ops.TensorListLength(input_handle=ta.flow)

    return Spec(fn=fn, inputs=[x])


_v2("control_tensorlist_ops", "a TF2 tf.TensorArray written in a While (TensorListReserve of a known element shape, "
    "TensorListLength in the body), then TensorListGather of repeated indices and TensorListLength after it.",
    _tl_ops, ["StatelessWhile", "TensorListReserve", "TensorListSetItem", "TensorListLength", "TensorListGather"])


def _tf1_ta_int(rng):
    x = ints(rng, (3, 2), -5, 6)

    def fn(x):
        ta = tf.TensorArray(tf.int32, size=3).unstack(x)
        out = tf.TensorArray(tf.int32, size=3, clear_after_read=False)

        def body(i, s, out):
            s = s * 2 + ta.read(i)
            return i + 1, s, out.write(i, s)

        _, s, out = tf.compat.v1.while_loop(lambda i, s, out: i < 3, body, [tf.constant(0), tf.zeros([2], tf.int32), out],
                                            name="loop")
        size = tf.raw_ops.TensorArraySizeV3(handle=out.handle, flow_in=out.flow)
        cat = out.concat()
        with tf.control_dependencies([cat]):
            out.close().mark_used()
        return cat, size, s

    return Spec(fn=fn, inputs=[x])


_v1("control_tf1_tensorarray_int", "int32 TensorArrays in a TF1 loop: unstacked input, a running value written per "
    "step, then TensorArrayConcatV3, TensorArraySizeV3 and TensorArrayCloseV3 after the loop.", _tf1_ta_int,
    _FRAME_OPS + ["TensorArrayConcatV3", "TensorArraySizeV3", "TensorArrayCloseV3", "TensorArrayScatterV3"])


def _tl_int(rng):
    x = ints(rng, (4, 2), -9, 10)

    def fn(x):
        ta = tf.TensorArray(tf.int32, size=4, element_shape=[2])

        def body(i, ta):
            return i + 1, ta.write(3 - i, tf.gather(x, i) * (i + 1))

        _, ta = tf.while_loop(lambda i, ta: i < 4, body, [tf.constant(0), ta], name="loop")
        return ta.gather([0, 3]), tf.raw_ops.TensorListLength(input_handle=ta.flow) * 10

    return Spec(fn=fn, inputs=[x])


_v2("control_tensorlist_int", "an int32 TF2 tf.TensorArray written back to front in a While (TensorListSetItem at "
    "3 - i), then TensorListGather and TensorListLength.", _tl_int,
    ["StatelessWhile", "TensorListReserve", "TensorListSetItem", "TensorListGather", "TensorListLength"])


def _case_stateful(index):
    def build(rng):
        x = randn(rng, (2, 3))

        def fn(x, y):
            return tf.switch_case(y, [lambda: tf.debugging.check_numerics(x * 3.0, "b0"), lambda: tf.abs(x) + 1.0])

        s = Spec(fn=fn, inputs=[x, np.array(index, np.int32)])
        s.lower_control_flow = False
        s.unfrozen = True
        return s

    return build


register("control_case_stateful_0", "tf.switch_case whose branch 0 holds CheckNumerics (stateful): a Case, not a "
         "StatelessCase; branch_index 0.", _case_stateful(0), expect=["Case", "CheckNumerics"], out_dir=CONTROL_DIR)
register("control_case_stateful_negative", "control_case_stateful_0 with branch_index -1: TensorFlow's Case runs the "
         "last branch.", _case_stateful(-1), expect=["Case", "CheckNumerics"], out_dir=CONTROL_DIR)


# ---------------------------------------------------------------------------
# TF1 conditionals (Switch/Merge) with a predicate computed at run time


def _tf1_cond_in_while(rng):
    x = randn(rng, (2, 3))

    def fn(x):
        def body(i, v):
            v = tf.compat.v1.cond(tf.reduce_sum(v) > 0.0, lambda: v - 1.0, lambda: tf.abs(v) * 2.0 + 0.5,
                                  name="branch")
            return i + 1, v

        _, v = tf.compat.v1.while_loop(lambda i, v: i < 5, body, [tf.constant(0), x], name="loop")
        return v

    return Spec(fn=fn, inputs=[x])


_v1("control_tf1_cond_in_while", "a TF1 tf.cond (Switch/Merge, predicate computed at run time) in a TF1 while loop's "
    "body: the branch taken changes between iterations.", _tf1_cond_in_while, _FRAME_OPS)


def _cond_lowered(sign):
    def build(rng):
        x = randn(rng, (3, 4))

        def fn(x, y):
            a, b = tf.cond(y > 0.0, lambda: (tf.nn.relu(x) * y, tf.reduce_sum(x, axis=1)),
                           lambda: (tf.exp(x) - 1.0, tf.constant([1.0, 2.0, 3.0])), name="branch")
            return a, b

        return Spec(fn=fn, inputs=[x, np.array(sign, np.float32)])

    return build


register("control_cond_lowered_then", "a TF2 tf.cond frozen with lower_control_flow (the default): Switch and Merge "
         "with a predicate computed at run time, two results, one branch yielding a constant; the true side runs.",
         _cond_lowered(1.5), expect=["Switch", "Merge"], out_dir=CONTROL_DIR)
register("control_cond_lowered_else", "control_cond_lowered_then with the predicate false.", _cond_lowered(-1.0),
         expect=["Switch", "Merge"], out_dir=CONTROL_DIR)


def _cond_nested(rng):
    x = randn(rng, (4,))

    def fn(x, y):
        def inner():
            return tf.cond(tf.reduce_max(x) > y, lambda: x * 2.0, lambda: x + y, name="inner")

        return tf.cond(y > 0.0, inner, lambda: -x, name="outer")

    return Spec(fn=fn, inputs=[x, np.array(0.25, np.float32)])


register("control_cond_lowered_nested", "nested tf.cond frozen with lower_control_flow: a Switch/Merge conditional in "
         "a branch of another, the inner predicate computed in the outer branch.", _cond_nested,
         expect=["Switch", "Merge"], out_dir=CONTROL_DIR)


def _tl_trial(rng):
    x = randn(rng, (4, 3))

    def fn(x):
        ta = tf.TensorArray(tf.float32, size=4)  # element shape unknown until the body writes

        def body(i, ta):
            return i + 1, ta.write(i, tf.reduce_sum(tf.gather(x, i)) * x[0])

        _, ta = tf.while_loop(lambda i, ta: i < 4, body, [tf.constant(0), ta], name="loop")
        return ta.read(2), ta.read(3)

    return Spec(fn=fn, inputs=[x])


_v2("control_tensorlist_unknown_shape", "a TF2 tf.TensorArray of unknown element shape (TensorListReserve with "
    "element_shape -1, read after the loop by TensorListGetItem of unknown shape too): the element shape is the one "
    "the loop body writes.", _tl_trial, ["StatelessWhile", "TensorListReserve", "TensorListSetItem",
                                         "TensorListGetItem"])


def _tf1_dynamic_rnn(rng):
    x = randn(rng, (2, 5, 3))

    wx, wh = randn(rng, (3, 4), scale=0.5), randn(rng, (4, 4), scale=0.5)

    class Cell:
        # an RNN cell as dynamic_rnn calls it (Keras 3 has no TF1 cells)
        state_size = 4
        output_size = 4

        def __call__(self, xt, h, scope=None):
            hn = tf.tanh(tf.matmul(xt, tf.constant(wx)) + tf.matmul(h, tf.constant(wh)))
            return hn * 2.0, hn

        def zero_state(self, batch, dtype):
            return tf.zeros([batch, 4], dtype)

    def fn(x):
        outs, state = tf.compat.v1.nn.dynamic_rnn(Cell(), x, dtype=tf.float32)
        return outs, state

    return Spec(fn=fn, inputs=[x])


_v1("control_tf1_dynamic_rnn", "tf.compat.v1.nn.dynamic_rnn of an RNN cell in a TF1 graph: a while loop over time "
    "with TensorArrays (the input unstacked, the outputs stacked), maximum_iterations and transposes between "
    "batch-major and time-major.", _tf1_dynamic_rnn,
    _FRAME_OPS + ["TensorArrayV3", "TensorArrayScatterV3", "TensorArrayReadV3", "TensorArrayWriteV3",
                  "TensorArrayGatherV3", "MatMul"])


def _loop_in_cond(sign):
    def build(rng):
        x = randn(rng, (3,))

        def fn(x, y):
            def looped():
                _, v = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * y + 1.0), [tf.constant(0), x],
                                     name="loop")
                return v

            return tf.cond(y > 0.0, looped, lambda: x - y, name="branch")

        return Spec(fn=fn, inputs=[x, np.array(sign, np.float32)])

    return build


register("control_loop_in_cond_lowered", "a tf.while_loop in a branch of a tf.cond, both lowered by freezing "
         "(lower_control_flow): a TF1 frame inside a Switch/Merge conditional; the loop's branch runs.",
         _loop_in_cond(0.5), expect=_FRAME_OPS, out_dir=CONTROL_DIR)
register("control_loop_in_cond_lowered_else", "control_loop_in_cond_lowered with the predicate false: the loop is "
         "not run.", _loop_in_cond(-0.5), expect=_FRAME_OPS, out_dir=CONTROL_DIR)
