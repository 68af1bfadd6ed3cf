package npy

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/tfc-dev/tfc/tensor"
)

// magic is the first six bytes of every .npy file.
const magic = "\x93NUMPY"

// maxHeaderLen bounds the header length a reader accepts. Headers of
// supported arrays are a few hundred bytes; numpy itself refuses to parse
// headers over 10000 bytes by default.
const maxHeaderLen = 1 << 20

// supportedDescrs lists the descrs tfc reads and writes, for messages.
const supportedDescrs = "'<f2', '<f4', '<f8', '|i1', '<i2', '<i4', '<i8', '|u1', '<u2', '<u4', '|b1' (multi-byte types also big-endian '>' or native '=')"

// descrs maps a descr without its byte-order character to a dtype.
var descrs = map[string]tensor.DType{
	"f2": tensor.Float16,
	"f4": tensor.Float32,
	"f8": tensor.Float64,
	"i1": tensor.Int8,
	"i2": tensor.Int16,
	"i4": tensor.Int32,
	"i8": tensor.Int64,
	"u1": tensor.Uint8,
	"u2": tensor.Uint16,
	"u4": tensor.Uint32,
	"b1": tensor.Bool,
}

// descrOf returns the descr written for dt.
func descrOf(dt tensor.DType) (string, error) {
	switch dt {
	case tensor.Float16:
		return "<f2", nil
	case tensor.Float32:
		return "<f4", nil
	case tensor.Float64:
		return "<f8", nil
	case tensor.Int8:
		return "|i1", nil
	case tensor.Int16:
		return "<i2", nil
	case tensor.Int32:
		return "<i4", nil
	case tensor.Int64:
		return "<i8", nil
	case tensor.Uint8:
		return "|u1", nil
	case tensor.Uint16:
		return "<u2", nil
	case tensor.Uint32:
		return "<u4", nil
	case tensor.Bool:
		return "|b1", nil
	case tensor.BFloat16:
		return "", fmt.Errorf("npy: cannot write a bf16 tensor: numpy has no bfloat16 type (convert it to f32 first)")
	}
	return "", fmt.Errorf("npy: cannot write a tensor of dtype %v; supported: f16, f32, f64, i8, i16, i32, i64, u8, u16, u32, bool", dt)
}

// parseDescr maps a numpy type string to a dtype and the byte order of its
// data.
func parseDescr(s string) (tensor.DType, binary.ByteOrder, error) {
	body := s
	var order binary.ByteOrder = binary.NativeEndian
	if body != "" {
		switch body[0] {
		case '<':
			order, body = binary.LittleEndian, body[1:]
		case '>':
			order, body = binary.BigEndian, body[1:]
		case '=', '|':
			body = body[1:]
		}
	}
	if dt, ok := descrs[body]; ok {
		return dt, order, nil
	}
	return tensor.Invalid, nil, fmt.Errorf("npy: unsupported dtype %q%s; supported: %s", s, describeDescr(body), supportedDescrs)
}

// describeDescr names an unsupported type string's numpy type, if known.
func describeDescr(body string) string {
	kinds := map[byte]string{
		'c': "complex",
		'O': "Python object",
		'U': "unicode string",
		'S': "byte string",
		'a': "byte string",
		'V': "void/raw bytes",
		'M': "datetime64",
		'm': "timedelta64",
	}
	if body == "" {
		return ""
	}
	if k, ok := kinds[body[0]]; ok {
		return " (" + k + ")"
	}
	switch body {
	case "u8":
		return " (uint64, which tfc has no tensor type for)"
	case "f16", "f12":
		return " (long double)"
	}
	return ""
}

// header is a decoded .npy header.
type header struct {
	dtype   tensor.DType
	order   binary.ByteOrder
	fortran bool
	shape   tensor.Shape
	n       int // number of elements
}

// decodeHeader parses and checks the header dict. major is the format's
// major version (Python 2 "L" integer suffixes are allowed below 3).
func decodeHeader(src string, major byte) (*header, error) {
	v, err := parsePyLiteral(src)
	if err != nil {
		return nil, fmt.Errorf("npy: %w", err)
	}
	if v.kind != pyDict {
		return nil, fmt.Errorf("npy: header is not a dict: %s", quoteShort(v.src))
	}
	var descr, fortran, shape *pyValue
	for i, k := range v.keys {
		switch k {
		case "descr":
			descr = &v.items[i]
		case "fortran_order":
			fortran = &v.items[i]
		case "shape":
			shape = &v.items[i]
		default:
			return nil, fmt.Errorf("npy: header has unexpected key %q; want exactly 'descr', 'fortran_order' and 'shape'", k)
		}
	}
	for _, m := range []struct {
		name string
		v    *pyValue
	}{{"descr", descr}, {"fortran_order", fortran}, {"shape", shape}} {
		if m.v == nil {
			return nil, fmt.Errorf("npy: header has no %q key; want exactly 'descr', 'fortran_order' and 'shape'", m.name)
		}
	}

	h := &header{}
	switch descr.kind {
	case pyStr:
		h.dtype, h.order, err = parseDescr(descr.str)
		if err != nil {
			return nil, err
		}
	case pyList:
		return nil, fmt.Errorf("npy: unsupported structured dtype %s; supported: %s", quoteShort(descr.src), supportedDescrs)
	case pyTuple:
		return nil, fmt.Errorf("npy: unsupported subarray dtype %s; supported: %s", quoteShort(descr.src), supportedDescrs)
	default:
		return nil, fmt.Errorf("npy: descr %s is not a type string; supported: %s", quoteShort(descr.src), supportedDescrs)
	}

	if fortran.kind != pyBool {
		return nil, fmt.Errorf("npy: fortran_order is %s, want True or False", quoteShort(fortran.src))
	}
	h.fortran = fortran.b

	if shape.kind != pyTuple {
		return nil, fmt.Errorf("npy: shape %s is not a tuple of integers", quoteShort(shape.src))
	}
	h.shape = make(tensor.Shape, len(shape.items))
	for i, d := range shape.items {
		h.shape[i], err = parseDim(d, major)
		if err != nil {
			return nil, fmt.Errorf("npy: shape %s: dimension %d: %w", quoteShort(shape.src), i, err)
		}
	}
	h.n, err = h.shape.NumElements()
	if err != nil {
		return nil, fmt.Errorf("npy: shape %s has more than tensor.MaxElements (%d) elements", quoteShort(shape.src), tensor.MaxElements)
	}
	return h, nil
}

// parseDim parses one dimension: a non-negative decimal integer.
func parseDim(v pyValue, major byte) (int, error) {
	if v.kind != pyNum {
		return 0, fmt.Errorf("%s is not an integer", quoteShort(v.src))
	}
	s := v.text
	if major < 3 && len(s) > 1 && s[len(s)-1] == 'L' {
		s = s[:len(s)-1] // Python 2 long
	}
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "+"), "-")
	if digits == "" || strings.IndexFunc(digits, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return 0, fmt.Errorf("%s is not an integer", quoteShort(v.text))
	}
	if s[0] == '-' && strings.Trim(digits, "0") != "" {
		return 0, fmt.Errorf("%s is negative", quoteShort(v.text))
	}
	d, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || d > tensor.MaxElements {
		return 0, fmt.Errorf("%s is larger than tensor.MaxElements (%d)", quoteShort(v.text), tensor.MaxElements)
	}
	return int(d), nil
}

// growthDigits is numpy's GROWTH_AXIS_MAX_DIGITS: numpy.save pads the
// header so that the first dimension can grow to this many digits in place.
const growthDigits = 21

// encodeHeader returns the preamble and header numpy.save writes for a
// C-order array: magic, version, header length, and the padded dict.
func encodeHeader(descr string, shape tensor.Shape) []byte {
	var d []byte
	d = append(d, "{'descr': '"...)
	d = append(d, descr...)
	d = append(d, "', 'fortran_order': False, 'shape': ("...)
	for i, n := range shape {
		if i > 0 {
			d = append(d, ", "...)
		}
		d = strconv.AppendInt(d, int64(n), 10)
	}
	if len(shape) == 1 {
		d = append(d, ',')
	}
	d = append(d, "), }"...)
	if len(shape) > 0 {
		for range growthDigits - len(strconv.Itoa(shape[0])) {
			d = append(d, ' ')
		}
	}

	// As numpy's _wrap_header: hlen counts the final newline, and the
	// padding is 1..64 spaces (a full 64 when already aligned).
	hlen := len(d) + 1
	prefix := []byte(magic + "\x01\x00")
	pad := 64 - (len(prefix)+2+hlen)%64
	if hlen+pad <= 0xffff {
		prefix = binary.LittleEndian.AppendUint16(prefix, uint16(hlen+pad))
	} else {
		prefix = []byte(magic + "\x02\x00")
		pad = 64 - (len(prefix)+4+hlen)%64
		prefix = binary.LittleEndian.AppendUint32(prefix, uint32(hlen+pad))
	}
	out := make([]byte, 0, len(prefix)+hlen+pad)
	out = append(out, prefix...)
	out = append(out, d...)
	for range pad {
		out = append(out, ' ')
	}
	return append(out, '\n')
}
