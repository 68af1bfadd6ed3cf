#!/usr/bin/env python3
"""weights-skeleton.py strip|fill IN.pb OUT.pb: a frozen GraphDef without (strip) or with
regenerated (fill) the contents of its large float constants.

  strip  drops tensor_content of every DT_FLOAT Const of at least 1024 elements: what is left
         (the graph, every shape and dtype) is a few hundred KB for ResNet50's 100 MB.
  fill   gives each such constant (DT_FLOAT, no content, no float_val, >= 1024 elements)
         deterministic pseudo-random values: a 4-D kernel (HWIO) uniform in +-sqrt(3/fan_in)
         (variance 1/fan_in, fan_in = H*W*I), a 2-D matrix likewise over its rows, anything
         else uniform in [0.5, 1.5) (positive: batch-norm variances, scales).

scripts/gpu-verify.sh uses it to move ResNet50 to the GPU machine for latency measurements
(explore, bench) in one small bundle: the time of a float32 convolution does not depend on the
values of its weights. A graph filled this way is not the graph TensorFlow verified; only the
engines' timings, never their numbers, are reported from it. Standard library only (the GPU
machine has no TensorFlow). Field numbers: GraphDef.node = 1; NodeDef.op = 2, attr = 5 (map
entry: key = 1, value = 2); AttrValue.tensor = 8; TensorProto.dtype = 1, tensor_shape = 2,
tensor_content = 4, float_val = 5; TensorShapeProto.dim = 2; Dim.size = 1.
"""
import array
import importlib.util
import os
import random
import sys


# The wire-format helpers (varint, fields, ld) are set-batch.py's, which travels beside this script.
_spec = importlib.util.spec_from_file_location("set_batch", os.path.join(os.path.dirname(os.path.abspath(__file__)), "set-batch.py"))
_wire = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_wire)
fields, ld = _wire.fields, _wire.ld


def shape_of(t):
    dims = []
    for num, _, v, _ in fields(t):
        if num == 2:
            for n2, _, d, _ in fields(v):
                if n2 == 2:
                    size = 0
                    for n3, _, s, _ in fields(d):
                        if n3 == 1:
                            size = s - (1 << 64) if s >= 1 << 63 else s
                    dims.append(size)
    return dims


def numel(dims):
    n = 1
    for d in dims:
        n *= d
    return n


def fill_values(dims, rng):
    n = numel(dims)
    if len(dims) == 4:
        fan = dims[0] * dims[1] * dims[2]
    elif len(dims) == 2:
        fan = dims[0]
    else:
        fan = 0
    a = array.array("f", bytes(4 * n))
    r = rng.random
    if fan > 0:
        s = (3.0 / fan) ** 0.5
        for i in range(n):
            a[i] = (2 * r() - 1) * s
    else:
        for i in range(n):
            a[i] = 0.5 + r()
    if sys.byteorder != "little":
        a.byteswap()
    return a.tobytes()


def tensor(t, mode, rng, stats):
    dtype, has_content, has_floats = 0, False, False
    for num, _, v, _ in fields(t):
        if num == 1:
            dtype = v
        elif num == 4:
            has_content = True
        elif num == 5:
            has_floats = True
    dims = shape_of(t)
    if dtype != 1 or numel(dims) < 1024:
        return t
    if mode == "strip" and has_content:
        stats[0] += 1
        return b"".join(raw for num, _, _, raw in fields(t) if num != 4)
    if mode == "fill" and not has_content and not has_floats:
        stats[0] += 1
        return t + ld(4, fill_values(dims, rng))
    return t


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("strip", "fill"):
        raise SystemExit(__doc__)
    mode, src, dst = sys.argv[1:]
    b = open(src, "rb").read()
    rng = random.Random(20261205)
    stats = [0]
    out = bytearray()
    for num, _, node, raw in fields(b):
        if num != 1:
            out += raw
            continue
        op = b""
        for n2, _, v, _ in fields(node):
            if n2 == 2:
                op = bytes(v)
        if op != b"Const":
            out += raw
            continue
        nb = bytearray()
        for n2, _, entry, raw2 in fields(node):
            if n2 != 5:
                nb += raw2
                continue
            key = b""
            for n3, _, v, _ in fields(entry):
                if n3 == 1:
                    key = bytes(v)
            if key != b"value":
                nb += raw2
                continue
            eb = bytearray()
            for n3, _, val, raw3 in fields(entry):
                if n3 != 2:
                    eb += raw3
                    continue
                vb = bytearray()
                for n4, _, t, raw4 in fields(val):
                    vb += ld(8, tensor(bytes(t), mode, rng, stats)) if n4 == 8 else raw4
                eb += ld(2, bytes(vb))
            nb += ld(5, bytes(eb))
        out += ld(1, bytes(nb))
    with open(dst, "wb") as f:
        f.write(out)
    print(f"weights-skeleton {mode}: {stats[0]} constants, {len(b)} -> {len(out)} bytes")


main()
