// Package npy reads and writes NumPy .npy files as tfc tensors.
//
// # Reading
//
// Read and ReadFile accept format versions 1.0, 2.0 and 3.0 (the latter two
// differ from 1.0 only in a 4-byte header length, and 3.0 in a UTF-8
// header). The header, a Python dict literal such as
//
//	{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
//
// is parsed by a small strict parser, not evaluated: keys in any order,
// single or double quotes, trailing commas, one-tuples "(3,)", the scalar
// shape "()", True/False, and Python 2 "L" suffixes on integers in version
// 1.0 and 2.0 headers. The keys must be exactly descr, fortran_order and
// shape.
//
// Supported element types (descr) and the tensor dtypes they become:
//
//	'<f2' f16 (decoded into F32)   '|i1' i8     '|u1' u8
//	'<f4' f32                      '<i2' i16    '<u2' u16
//	'<f8' f64                      '<i4' i32    '<u4' u32
//	'|b1' bool                     '<i8' i64
//
// Multi-byte types may be little-endian '<', big-endian '>' (converted on
// read), or native '=' / '|' / no prefix (the byte order of the machine
// running the program, as numpy reads them). One-byte types accept any
// prefix. Arrays stored in Fortran order are transposed into tfc's C
// (row-major) order. Anything else — complex, float128, uint64, string,
// object, datetime, structured and subarray dtypes — is rejected with an
// error naming what was found and what is supported.
//
// A reader never trusts the header's sizes: the header length is limited,
// the shape's element count is limited to tensor.MaxElements, and no
// buffer larger than the input actually provides is allocated (ReadFile
// compares the file size with the size the header implies before reading
// any data). Short data is an error that says how many bytes were
// expected and how many were present, and so are bytes after the data:
// unlike numpy, which ignores them, this package treats a file with
// trailing bytes as corrupt.
//
// # Writing
//
// Write and WriteFile always produce version 1.0 in C order, little-endian,
// with exactly the header numpy.save writes for the same array: the dict
// with sorted keys, the spaces numpy reserves so that the first dimension
// can grow in place, alignment spaces and a final '\n', such that the data
// starts at a multiple of 64 bytes. The output is byte-identical to
// numpy.save's (checked against numpy 2.4; older numpy releases reserved
// less space, which changes only the padding). (Should a header not fit in the 65535 bytes of version 1.0
// — it takes thousands of dimensions — version 2.0 is written, as numpy
// does.) bfloat16 tensors have no numpy type and are rejected.
//
// WriteFile is atomic: it writes a temporary file in the destination's
// directory, syncs it, and renames it over the destination; on failure the
// temporary file is removed and the destination is left as it was.
package npy
