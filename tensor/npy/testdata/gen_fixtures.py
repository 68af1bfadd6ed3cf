# Regenerates the numpy-written fixtures in this directory.
# The Go tests do not need Python; run this only to refresh the files:
#   python3 gen_fixtures.py   (from tensor/npy/testdata, with numpy installed)
import numpy as np
from numpy.lib import format as npformat


def save(name, a):
    np.save(name, a)


save("f32_2x3.npy", (np.arange(6, dtype="<f4").reshape(2, 3) * 0.5 - 1))
save("f16_6.npy", np.array([0, 1.5, -2, 65504, 2.0**-24, np.inf], dtype="<f2"))
save("f64_scalar.npy", np.array(3.141592653589793, dtype="<f8"))
save("i8_4.npy", np.array([-128, -1, 0, 127], dtype="|i1"))
save("i16_3.npy", np.array([-32768, 32767, 0], dtype="<i2"))
save("i32_2x2.npy", np.array([[-(2**31), 2**31 - 1], [0, 7]], dtype="<i4"))
save("i64_3.npy", np.array([-(2**63), 2**63 - 1, 42], dtype="<i8"))
save("u8_3.npy", np.array([0, 255, 7], dtype="|u1"))
save("u16_2.npy", np.array([0, 65535], dtype="<u2"))
save("u32_3.npy", np.array([0, 2**32 - 1, 123], dtype="<u4"))
save("bool_2x2.npy", np.array([[True, False], [False, True]], dtype="|b1"))
save("u8_scalar.npy", np.array(200, dtype="|u1"))
save("f32_0x3.npy", np.zeros((0, 3), dtype="<f4"))
# Header padding edge cases: total header 192 bytes, and the case where
# numpy pads with a full 64 extra spaces ((10 + hlen) % 64 == 0).
save("f32_rank15.npy", np.zeros((1,) * 15, dtype="<f4"))
save("u8_pad64.npy", (np.arange(200) % 256).astype("|u1").reshape((2,) + (1,) * 12 + (100,)))

# Fortran order and big-endian, which tfc reads but never writes.
save("i32_fortran_2x3x4.npy", np.asfortranarray(np.arange(24, dtype="<i4").reshape(2, 3, 4)))
save("f32be_fortran_2x3.npy", np.asfortranarray(np.arange(6, dtype=">f4").reshape(2, 3)))
save("f64be_2x3.npy", np.arange(6, dtype=">f8").reshape(2, 3))
save("i32be_2.npy", np.array([-5, 70000], dtype=">i4"))
save("u16be_2.npy", np.array([1, 65535], dtype=">u2"))
save("f16be_2.npy", np.array([1.5, -0.25], dtype=">f2"))
save("u32be_2.npy", np.array([1, 2**32 - 1], dtype=">u4"))
save("i64be_2.npy", np.array([-2, 2**40], dtype=">i8"))
save("i16be_2.npy", np.array([-2, 300], dtype=">i2"))

# Format versions 2.0 and 3.0.
with open("f32_v2.npy", "wb") as f:
    npformat.write_array(f, np.array([1, 2, 3], dtype="<f4"), version=(2, 0))
with open("i16_v3.npy", "wb") as f:
    npformat.write_array(f, np.array([-1, 1], dtype="<i2"), version=(3, 0))

# Unsupported dtypes, for error messages.
save("c8_2.npy", np.array([1 + 2j, 3], dtype="<c8"))
save("str_U5.npy", np.array(["ab", "cde"], dtype="<U5"))
save("struct.npy", np.zeros(2, dtype=[("a", "<f4"), ("b", "<i2")]))
save("u64_2.npy", np.array([1, 2], dtype="<u8"))
