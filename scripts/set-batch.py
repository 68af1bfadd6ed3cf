#!/usr/bin/env python3
"""set-batch.py IN.pb OUT.pb NAME BATCH: a frozen GraphDef whose Placeholder NAME has
batch dimension (dim 0 of its "shape" attr) BATCH; every other byte is kept.

It edits protobuf's wire format with the standard library alone (no TensorFlow,
no generated classes), so it runs on the GPU machine, which has no TensorFlow:
scripts/gpu-verify.sh uses it to make a batch-32 ResNet50 for benchmarks from the
batch-1 graph that TensorFlow verified, instead of moving a second 100 MB graph.
Field numbers: GraphDef.node = 1; NodeDef.name = 1, op = 2, attr = 5 (map entry:
key = 1, value = 2); AttrValue.shape = 7; TensorShapeProto.dim = 2; Dim.size = 1.
"""
import sys


def varint(b, i):
    v = shift = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return v, i


def enc_varint(v):
    out = bytearray()
    while True:
        c = v & 0x7F
        v >>= 7
        if v:
            out.append(c | 0x80)
        else:
            out.append(c)
            return bytes(out)


def fields(b):
    """Yields (field number, wire type, value, raw bytes of the whole field)."""
    i = 0
    while i < len(b):
        start = i
        key, i = varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            val, i = varint(b, i)
        elif wt == 1:
            val, i = b[i:i + 8], i + 8
        elif wt == 2:
            n, i = varint(b, i)
            val, i = b[i:i + n], i + n
        elif wt == 5:
            val, i = b[i:i + 4], i + 4
        else:
            raise ValueError(f"wire type {wt} not supported")
        yield num, wt, val, b[start:i]


def ld(num, payload):
    return enc_varint(num << 3 | 2) + enc_varint(len(payload)) + payload


def set_dim0(shape, batch):
    out, done = bytearray(), False
    for num, wt, val, raw in fields(shape):
        if num == 2 and wt == 2 and not done:  # the first dim
            dim = bytearray()
            for n2, w2, v2, r2 in fields(val):
                dim += (enc_varint(1 << 3) + enc_varint(batch)) if n2 == 1 else r2
            out += ld(2, bytes(dim))
            done = True
        else:
            out += raw
    if not done:
        raise ValueError("the shape has no dimensions")
    return bytes(out)


def edit_node(node, batch):
    out = bytearray()
    for num, wt, val, raw in fields(node):
        if num == 5 and wt == 2:
            key = next((v for n, w, v, _ in fields(val) if n == 1), b"")
            if key == b"shape":
                entry = bytearray()
                for n, w, v, r in fields(val):
                    if n == 2:
                        av = bytearray()
                        for n3, w3, v3, r3 in fields(v):
                            av += ld(7, set_dim0(v3, batch)) if n3 == 7 else r3
                        entry += ld(2, bytes(av))
                    else:
                        entry += r
                out += ld(5, bytes(entry))
                continue
        out += raw
    return bytes(out)


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    src, dst, name, batch = sys.argv[1], sys.argv[2], sys.argv[3].split(":")[0], int(sys.argv[4])
    b = open(src, "rb").read()
    out, found = bytearray(), 0
    for num, wt, val, raw in fields(b):
        if num == 1 and wt == 2:
            nf = {n: v for n, w, v, _ in fields(val) if n in (1, 2)}
            if nf.get(1) == name.encode() and nf.get(2) == b"Placeholder":
                out += ld(1, edit_node(val, batch))
                found += 1
                continue
        out += raw
    if found != 1:
        sys.exit(f"set-batch.py: {src}: {found} Placeholder nodes named {name!r}, want 1")
    open(dst, "wb").write(bytes(out))


if __name__ == "__main__":
    main()
