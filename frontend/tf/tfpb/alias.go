package tfpb

import (
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// The protobuf module copies every bytes field it decodes, so a frozen
// graph's weights (TensorProto.tensor_content, nearly all of a model
// file) would be held twice: in the file's bytes and in the decoded
// message. unmarshalAliased decodes a binary GraphDef with the large
// tensor_content fields left where they are: each is a slice of data, not
// a copy (see ParseGraphDef).
//
// It walks the wire format of the GraphDef, its nodes, their attr map
// entries, the AttrValue and the TensorProto itself, only as deep as a
// field is large: everything else goes to the protobuf module in as few
// calls as possible (runs of ordinary nodes are decoded together,
// merged into the GraphDef), so the result is the message proto.Unmarshal
// gives, field for field. A node whose encoding is unusual (a repeated
// field where one is expected, an attr value with fields besides its
// tensor) is decoded the ordinary way, copying.

// aliasMinBytes is the size from which a tensor_content is aliased rather
// than copied.
const aliasMinBytes = 4096

// Field numbers on the path GraphDef.node → NodeDef.attr (a map entry:
// key, value) → AttrValue.tensor → TensorProto.tensor_content
// (tensorflow/core/framework/{graph,node_def,attr_value,tensor}.proto;
// TestWireNumbers checks them against the generated code).
const (
	graphDefNode       protowire.Number = 1
	nodeDefAttr        protowire.Number = 5
	mapEntryKey        protowire.Number = 1
	mapEntryValue      protowire.Number = 2
	attrValueTensor    protowire.Number = 8
	tensorProtoContent protowire.Number = 4
)

// unmarshalAliased decodes data into a new GraphDef, aliasing large
// tensor contents. Malformed data is decoded by proto.Unmarshal alone, so
// that the errors are the protobuf module's.
func unmarshalAliased(data []byte) (*GraphDef, error) {
	g := new(GraphDef)
	merge := proto.UnmarshalOptions{Merge: true}
	start := 0 // the run of fields not yet decoded: data[start:pos]
	for pos := 0; pos < len(data); {
		num, typ, n := protowire.ConsumeTag(data[pos:])
		if n < 0 {
			return unmarshalCopy(data)
		}
		m := protowire.ConsumeFieldValue(num, typ, data[pos+n:])
		if m < 0 {
			return unmarshalCopy(data)
		}
		field := data[pos : pos+n+m]
		if num == graphDefNode && typ == protowire.BytesType && m >= aliasMinBytes {
			if nd, ok := nodeAliased(field[n:]); ok {
				if err := merge.Unmarshal(data[start:pos], g); err != nil {
					return unmarshalCopy(data)
				}
				g.Node = append(g.Node, nd)
				start = pos + n + m
			}
		}
		pos += n + m
	}
	if err := merge.Unmarshal(data[start:], g); err != nil {
		return unmarshalCopy(data)
	}
	return g, nil
}

func unmarshalCopy(data []byte) (*GraphDef, error) {
	g := new(GraphDef)
	if err := proto.Unmarshal(data, g); err != nil {
		return nil, err
	}
	return g, nil
}

// nodeAliased decodes one NodeDef field (length prefix included) whose
// large tensor attrs alias data; ok is false when it has none or its
// encoding is unusual.
func nodeAliased(field []byte) (*NodeDef, bool) {
	body, n := protowire.ConsumeBytes(field)
	if n < 0 {
		return nil, false
	}
	return nodeBodyAliased(body)
}

// nodeBodyAliased is nodeAliased for the NodeDef's encoding without its
// length prefix.
func nodeBodyAliased(body []byte) (*NodeDef, bool) {
	type tensorAttr struct {
		key string
		tp  *TensorProto
	}
	var big []tensorAttr
	var rest []byte // the node's other fields
	for pos := 0; pos < len(body); {
		num, typ, n := protowire.ConsumeTag(body[pos:])
		if n < 0 {
			return nil, false
		}
		m := protowire.ConsumeFieldValue(num, typ, body[pos+n:])
		if m < 0 {
			return nil, false
		}
		f := body[pos : pos+n+m]
		pos += n + m
		if num == nodeDefAttr && typ == protowire.BytesType && m >= aliasMinBytes {
			if key, tp, ok := attrAliased(f[n:]); ok {
				big = append(big, tensorAttr{key, tp})
				continue
			}
		}
		rest = append(rest, f...)
	}
	if len(big) == 0 {
		return nil, false
	}
	nd := new(NodeDef)
	if err := proto.Unmarshal(rest, nd); err != nil {
		return nil, false
	}
	for _, a := range big {
		if _, dup := nd.Attr[a.key]; dup {
			return nil, false // a repeated key: the last entry would win
		}
		if nd.Attr == nil {
			nd.Attr = make(map[string]*AttrValue)
		}
		nd.Attr[a.key] = &AttrValue{Value: &AttrValue_Tensor{Tensor: a.tp}}
	}
	return nd, true
}

// attrAliased decodes one attr map entry (length prefix included) whose
// value is an AttrValue holding only a tensor with a large
// tensor_content, which it aliases.
func attrAliased(field []byte) (key string, tp *TensorProto, ok bool) {
	entry, n := protowire.ConsumeBytes(field)
	if n < 0 {
		return "", nil, false
	}
	var haveKey bool
	var value []byte
	for pos := 0; pos < len(entry); {
		num, typ, n := protowire.ConsumeTag(entry[pos:])
		if n < 0 || typ != protowire.BytesType {
			return "", nil, false
		}
		v, m := protowire.ConsumeBytes(entry[pos+n:])
		if m < 0 {
			return "", nil, false
		}
		pos += n + m
		switch {
		case num == mapEntryKey && !haveKey && utf8.Valid(v):
			key, haveKey = string(v), true
		case num == mapEntryValue && value == nil:
			value = v
		default:
			return "", nil, false
		}
	}
	if value == nil {
		return "", nil, false
	}
	// The AttrValue: one field, the tensor.
	num, typ, n := protowire.ConsumeTag(value)
	if n < 0 || num != attrValueTensor || typ != protowire.BytesType {
		return "", nil, false
	}
	tensor, m := protowire.ConsumeBytes(value[n:])
	if m < 0 || n+m != len(value) {
		return "", nil, false
	}
	// The TensorProto: its content aliased, the rest decoded.
	var content, rest []byte
	for pos := 0; pos < len(tensor); {
		num, typ, n := protowire.ConsumeTag(tensor[pos:])
		if n < 0 {
			return "", nil, false
		}
		m := protowire.ConsumeFieldValue(num, typ, tensor[pos+n:])
		if m < 0 {
			return "", nil, false
		}
		f := tensor[pos : pos+n+m]
		pos += n + m
		if num == tensorProtoContent {
			if content != nil || typ != protowire.BytesType {
				return "", nil, false
			}
			content, _ = protowire.ConsumeBytes(f[n:])
			continue
		}
		rest = append(rest, f...)
	}
	if len(content) < aliasMinBytes {
		return "", nil, false
	}
	tp = new(TensorProto)
	if err := proto.Unmarshal(rest, tp); err != nil {
		return "", nil, false
	}
	tp.TensorContent = content[:len(content):len(content)]
	return key, tp, true
}
