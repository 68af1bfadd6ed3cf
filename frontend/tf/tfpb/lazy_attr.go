package tfpb

import (
	"slices"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// Reading a node's attributes from its encoding. Decoding a NodeDef
// allocates its attr map, an AttrValue and its oneof wrapper per attribute,
// and what they hold: a million-node graph decoded node by node makes
// about 700 MB of garbage while its IR is being built, which the collector
// marks again and again. Most nodes are plain: an op, inputs and a few
// attributes that are types, numbers, shapes or a tensor with its content.
// ParseLazy checks each node's whole encoding for that plain form
// (plainNode: what the protobuf module decodes, without error, to the
// values read here), and an importer reads such a node's attributes
// straight from the encoding (NodeAttr, AttrType, AttrBool, AttrInt,
// AttrTensor), allocating nothing but what it keeps.

// Field numbers of AttrValue, its ListValue, TensorShapeProto and its Dim,
// and TensorProto (tensorflow/core/framework/{attr_value,tensor_shape,
// tensor}.proto; TestLazyFieldNumbers checks them against the generated
// code).
const (
	nodeDefDevice protowire.Number = 4

	attrValueList  protowire.Number = 1
	attrValueS     protowire.Number = 2
	attrValueI     protowire.Number = 3
	attrValueF     protowire.Number = 4
	attrValueB     protowire.Number = 5
	attrValueType  protowire.Number = 6
	attrValueShape protowire.Number = 7
	listValueS     protowire.Number = 2
	listValueI     protowire.Number = 3
	listValueF     protowire.Number = 4
	listValueB     protowire.Number = 5
	listValueType  protowire.Number = 6
	listValueShape protowire.Number = 7
	shapeDim       protowire.Number = 2
	shapeUnknown   protowire.Number = 3
	dimSize        protowire.Number = 1
	dimName        protowire.Number = 2
	tensorDtype    protowire.Number = 1
	tensorShape    protowire.Number = 2
	tensorVersion  protowire.Number = 3
)

// wireField is one field of an encoded message: its number, wire type and
// value (for BytesType, the bytes without their length prefix; for the
// other types, the value's own encoding).
type wireField struct {
	num protowire.Number
	typ protowire.Type
	val []byte
}

// fields calls f with each field of the message b until f returns false;
// it returns false if b is malformed (or f stopped).
func fields(b []byte, f func(wireField) bool) bool {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return false
		}
		m := protowire.ConsumeFieldValue(num, typ, b[n:])
		if m < 0 {
			return false
		}
		v := b[n : n+m]
		if typ == protowire.BytesType {
			v, _ = protowire.ConsumeBytes(v)
		}
		b = b[n+m:]
		if !f(wireField{num, typ, v}) {
			return false
		}
	}
	return true
}

// plainNode reports whether a NodeDef's encoding is plain: only name, op,
// inputs and device (valid UTF-8) and attr entries, each of one key
// (valid UTF-8) and one plain value.
func plainNode(body []byte) bool {
	return fields(body, func(f wireField) bool {
		switch f.num {
		case nodeDefName, nodeDefOp, nodeDefInput, nodeDefDevice:
			return f.typ == protowire.BytesType && utf8.Valid(f.val)
		case nodeDefAttr:
			return f.typ == protowire.BytesType && plainEntry(f.val)
		}
		return false
	})
}

// plainEntry reports whether an attr map entry has one key, valid UTF-8,
// and one plain value.
func plainEntry(b []byte) bool {
	keys, values := 0, 0
	ok := fields(b, func(f wireField) bool {
		if f.typ != protowire.BytesType {
			return false
		}
		switch f.num {
		case mapEntryKey:
			keys++
			return utf8.Valid(f.val)
		case mapEntryValue:
			values++
			return plainAttrValue(f.val)
		}
		return false
	})
	return ok && keys == 1 && values == 1
}

// plainAttrValue reports whether an AttrValue's encoding is one field: a
// string, int, float, bool or type, a plain shape or tensor, or a plain
// list.
func plainAttrValue(b []byte) bool {
	n := 0
	ok := fields(b, func(f wireField) bool {
		n++
		switch f.num {
		case attrValueS:
			return f.typ == protowire.BytesType
		case attrValueI, attrValueB, attrValueType:
			return f.typ == protowire.VarintType
		case attrValueF:
			return f.typ == protowire.Fixed32Type
		case attrValueShape:
			return f.typ == protowire.BytesType && plainShape(f.val)
		case attrValueTensor:
			return f.typ == protowire.BytesType && plainTensor(f.val)
		case attrValueList:
			return f.typ == protowire.BytesType && plainList(f.val)
		}
		return false
	})
	return ok && n == 1
}

// plainList reports whether a ListValue holds only strings, ints,
// floats, bools, types (packed or not) and plain shapes.
func plainList(b []byte) bool {
	return fields(b, func(f wireField) bool {
		switch f.num {
		case listValueS:
			return f.typ == protowire.BytesType
		case listValueI, listValueB, listValueType:
			return f.typ == protowire.VarintType || f.typ == protowire.BytesType && packedVarints(f.val)
		case listValueF:
			return f.typ == protowire.Fixed32Type || f.typ == protowire.BytesType && len(f.val)%4 == 0
		case listValueShape:
			return f.typ == protowire.BytesType && plainShape(f.val)
		}
		return false
	})
}

// packedVarints reports whether b is a sequence of whole varints.
func packedVarints(b []byte) bool {
	for len(b) > 0 {
		_, n := protowire.ConsumeVarint(b)
		if n < 0 {
			return false
		}
		b = b[n:]
	}
	return true
}

// plainShape reports whether a TensorShapeProto holds only dims (of a
// size and a name, valid UTF-8) and unknown_rank.
func plainShape(b []byte) bool {
	return fields(b, func(f wireField) bool {
		switch f.num {
		case shapeDim:
			return f.typ == protowire.BytesType && fields(f.val, func(d wireField) bool {
				switch d.num {
				case dimSize:
					return d.typ == protowire.VarintType
				case dimName:
					return d.typ == protowire.BytesType && utf8.Valid(d.val)
				}
				return false
			})
		case shapeUnknown:
			return f.typ == protowire.VarintType
		}
		return false
	})
}

// plainTensor reports whether a TensorProto holds only a dtype, a plain
// shape, a version number and tensor_content.
func plainTensor(b []byte) bool {
	return fields(b, func(f wireField) bool {
		switch f.num {
		case tensorDtype, tensorVersion:
			return f.typ == protowire.VarintType
		case tensorShape:
			return f.typ == protowire.BytesType && plainShape(f.val)
		case tensorProtoContent:
			return f.typ == protowire.BytesType
		}
		return false
	})
}

// NodeAttr returns the encoding of the AttrValue of the attribute key of a
// plain node (LazyNode.Plain): the last entry of that key, as the
// protobuf module keeps it; ok is false if the node has none.
func NodeAttr(enc []byte, key string) (val []byte, ok bool) {
	fields(enc, func(f wireField) bool {
		if f.num != nodeDefAttr {
			return true
		}
		if k, v, kv := keyFirst(f.val); kv {
			// The usual layout, key then value: the key is compared
			// in place, and the value read only for a match.
			if string(k) == key {
				val, ok = v, true
			}
			return true
		}
		var k, v []byte
		fields(f.val, func(e wireField) bool {
			if e.num == mapEntryKey {
				k = e.val
			} else {
				v = e.val
			}
			return true
		})
		if string(k) == key {
			val, ok = v, true
		}
		return true
	})
	return val, ok
}

// keyFirst splits a plain attr entry whose key comes first into key and
// value; ok is false for another layout.
func keyFirst(entry []byte) (key, val []byte, ok bool) {
	const keyTag = byte(mapEntryKey)<<3 | byte(protowire.BytesType)
	const valueTag = byte(mapEntryValue)<<3 | byte(protowire.BytesType)
	if len(entry) < 2 || entry[0] != keyTag {
		return nil, nil, false
	}
	key, n := protowire.ConsumeBytes(entry[1:])
	if n < 0 {
		return nil, nil, false
	}
	rest := entry[1+n:]
	if len(rest) < 1 || rest[0] != valueTag {
		return nil, nil, false
	}
	val, m := protowire.ConsumeBytes(rest[1:])
	if m < 0 || 1+m != len(rest) {
		return nil, nil, false
	}
	return key, val, true
}

// only returns the only field of a plain AttrValue's encoding.
func only(val []byte) wireField {
	var only wireField
	fields(val, func(f wireField) bool { only = f; return true })
	return only
}

// AttrType returns the type of a plain AttrValue's encoding that holds a
// type; ok is false if it holds something else.
func AttrType(val []byte) (t DataType, ok bool) {
	f := only(val)
	if f.num != attrValueType {
		return 0, false
	}
	v, _ := protowire.ConsumeVarint(f.val)
	return DataType(int32(v)), true
}

// AttrBool is AttrType for a bool.
func AttrBool(val []byte) (b, ok bool) {
	f := only(val)
	if f.num != attrValueB {
		return false, false
	}
	v, _ := protowire.ConsumeVarint(f.val)
	return protowire.DecodeBool(v), true
}

// AttrInt is AttrType for an int.
func AttrInt(val []byte) (i int64, ok bool) {
	f := only(val)
	if f.num != attrValueI {
		return 0, false
	}
	v, _ := protowire.ConsumeVarint(f.val)
	return int64(v), true
}

// AttrTensor is AttrType for a tensor: the TensorProto the protobuf
// module decodes, except that its tensor_content is a slice of val.
func AttrTensor(val []byte) (tp *TensorProto, ok bool) {
	f := only(val)
	if f.num != attrValueTensor {
		return nil, false
	}
	tp = new(TensorProto)
	fields(f.val, func(t wireField) bool {
		switch t.num {
		case tensorDtype:
			v, _ := protowire.ConsumeVarint(t.val)
			tp.Dtype = DataType(int32(v))
		case tensorVersion:
			v, _ := protowire.ConsumeVarint(t.val)
			tp.VersionNumber = int32(v)
		case tensorShape:
			tp.TensorShape = plainShapeProto(t.val, tp.TensorShape)
		case tensorProtoContent:
			tp.TensorContent = t.val[:len(t.val):len(t.val)]
		}
		return true
	})
	return tp, true
}

// AttrTensorContent is AttrTensor's TensorContent alone (nil if none), a
// slice of val, found without decoding the rest.
func AttrTensorContent(val []byte) (content []byte, ok bool) {
	f := only(val)
	if f.num != attrValueTensor {
		return nil, false
	}
	fields(f.val, func(t wireField) bool {
		if t.num == tensorProtoContent {
			content = t.val[:len(t.val):len(t.val)]
		}
		return true
	})
	return content, true
}

// plainShapeProto decodes a plain TensorShapeProto's encoding, merged
// into sp (a repeated shape field is merged, as the protobuf module does).
func plainShapeProto(b []byte, sp *TensorShapeProto) *TensorShapeProto {
	if sp == nil {
		sp = new(TensorShapeProto)
	}
	n := 0
	fields(b, func(f wireField) bool {
		if f.num == shapeDim {
			n++
		}
		return true
	})
	dims := make([]TensorShapeProto_Dim, n) // one allocation for all
	sp.Dim = slices.Grow(sp.Dim, n)
	fields(b, func(f wireField) bool {
		switch f.num {
		case shapeUnknown:
			v, _ := protowire.ConsumeVarint(f.val)
			sp.UnknownRank = protowire.DecodeBool(v)
		case shapeDim:
			d := &dims[0]
			dims = dims[1:]
			fields(f.val, func(g wireField) bool {
				if g.num == dimSize {
					v, _ := protowire.ConsumeVarint(g.val)
					d.Size = int64(v)
				} else {
					d.Name = string(g.val)
				}
				return true
			})
			sp.Dim = append(sp.Dim, d)
		}
		return true
	})
	return sp
}

// DecodeAttr decodes an AttrValue's encoding (a plain node's NodeAttr).
func DecodeAttr(val []byte) (*AttrValue, error) {
	a := new(AttrValue)
	if err := proto.Unmarshal(val, a); err != nil {
		return nil, err
	}
	return a, nil
}
