"""Control flow: tf.while_loop and tf.cond as TF2 functional While/If
(frozen with lower_control_flow=False: StatelessWhile/StatelessIf with
their functions in the library). Data-dependent trip counts, zero-trip
loops, loop invariants (captured weights), nested loops, a cond inside a
loop, an RNN cell written as a loop, conditionals with different ops in
each branch. The cases go to testdata/control."""

import numpy as np
import tensorflow as tf

from common import CONTROL_DIR, Spec, randn, register, uniform


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
