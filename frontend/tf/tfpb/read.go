package tfpb

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/tfc-dev/tfc/internal/safeio"
	"google.golang.org/protobuf/encoding/prototext"
)

// ErrNotGraphDef is wrapped by the errors ParseGraphDef and ReadGraphDef
// return for data that is neither a binary nor a text GraphDef.
var ErrNotGraphDef = errors.New("not a TensorFlow GraphDef")

// ErrEmpty is wrapped by the errors ParseGraphDef and ReadGraphDef return for
// an empty file (or a text file holding only whitespace and comments).
var ErrEmpty = errors.New("empty file")

// ReadGraphDef reads a frozen TensorFlow graph from a binary (.pb) or text
// (.pbtxt) GraphDef file; see ParseGraphDef. Errors are one line and start
// with path.
func ReadGraphDef(path string) (*GraphDef, error) {
	data, err := safeio.ReadFile(path, safeio.MaxProtoBytes)
	if err != nil {
		return nil, err
	}
	return ParseGraphDef(data, path)
}

// ParseGraphDef decodes a GraphDef in the binary wire format or in the
// protobuf text format. name (a file name) is used in errors and, by its
// extension, as a hint for the format; the content decides first: data that
// starts, after whitespace and # comments, like a text-format field
// ("node {", "versions {", "library {", ...) is parsed as text whatever its
// name, and data that cannot be text is parsed as binary even if named
// .pbtxt. If the first choice fails the other format is tried; if both fail
// the error of the first choice is reported, for example
//
//	model.pb: not a TensorFlow GraphDef (binary parse: proto: cannot parse invalid wire-format data)
//
// Binary data keeps fields tfc does not declare as unknown fields. Binary
// data that decodes to no nodes but has unknown fields (another kind of
// protobuf message, such as a SavedModel) is rejected as not a GraphDef.
// ParseGraphDef does not panic on any input.
//
// A binary GraphDef's large tensor contents (4 KiB or more) are not
// copied: their TensorProto.TensorContent is a slice of data, so data must
// stay unchanged while the GraphDef is used (see alias.go).
func ParseGraphDef(data []byte, name string) (*GraphDef, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrEmpty)
	}
	textFirst := looksLikeText(data) || (hasTextExt(name) && isPlainText(data))
	if _, blank := skipBlank(data); blank && isPlainText(data) {
		return nil, fmt.Errorf("%s: %w (only whitespace and comments)", name, ErrEmpty)
	}

	parsers := [2]func([]byte) (*GraphDef, error){parseBinary, parseText}
	if textFirst {
		parsers[0], parsers[1] = parsers[1], parsers[0]
	}
	g, firstErr := parsers[0](data)
	if firstErr == nil {
		return g, nil
	}
	if g, err := parsers[1](data); err == nil {
		return g, nil
	}
	return nil, fmt.Errorf("%s: %w (%s)", name, ErrNotGraphDef, oneLine(firstErr.Error()))
}

func parseBinary(data []byte) (*GraphDef, error) {
	g, err := unmarshalAliased(data)
	if err != nil {
		return nil, fmt.Errorf("binary parse: %v", err)
	}
	if len(g.GetNode()) == 0 && len(g.ProtoReflect().GetUnknown()) > 0 {
		return nil, errors.New("binary parse: no nodes, only fields a GraphDef does not have")
	}
	return g, nil
}

func parseText(data []byte) (*GraphDef, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("text parse: not valid UTF-8 text")
	}
	g := new(GraphDef)
	if err := (prototext.UnmarshalOptions{DiscardUnknown: false}).Unmarshal(data, g); err != nil {
		return nil, fmt.Errorf("text parse: %v", err)
	}
	return g, nil
}

// oneLine collapses s onto one line. It also turns the non-breaking space
// that the protobuf module puts, at random, after its "proto:" prefix into
// a plain one, so that messages are stable.
func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func hasTextExt(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".pbtxt", ".pbtext", ".prototxt", ".txt", ".textproto", ".txtpb":
		return true
	}
	return false
}

// skipBlank skips whitespace and # comments; blank reports whether nothing
// else is left.
func skipBlank(data []byte) (rest []byte, blank bool) {
	i := 0
	for i < len(data) {
		switch c := data[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			i++
		case c == '#':
			for i < len(data) && data[i] != '\n' {
				i++
			}
		default:
			return data[i:], false
		}
	}
	return nil, true
}

// looksLikeText reports whether data starts, after whitespace and comments,
// with a field name followed by ':', '{' or '<', as a text-format message
// does.
func looksLikeText(data []byte) bool {
	rest, blank := skipBlank(data)
	if blank {
		return false
	}
	n := 0
	for n < len(rest) && isIdentByte(rest[n], n == 0) {
		n++
	}
	if n == 0 {
		return false
	}
	rest, blank = skipBlank(rest[n:])
	return !blank && (rest[0] == ':' || rest[0] == '{' || rest[0] == '<')
}

func isIdentByte(c byte, first bool) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9')
}

// isPlainText reports whether data is valid UTF-8 without control
// characters other than whitespace.
func isPlainText(data []byte) bool {
	if !utf8.Valid(data) {
		return false
	}
	for _, c := range data {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f' || c == 0x7f {
			return false
		}
	}
	return true
}
