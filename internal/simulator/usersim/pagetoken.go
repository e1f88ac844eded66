package usersim

import "encoding/base64"

// pagePos is what a page token holds: an offset into the (filtered)
// listing, the page size and the filter it was issued for. It is encoded as
// a protobuf message (fields 1, 2 and 3 as varints) in base64, the shape of
// the vendor's example token CAIQAg.
type pagePos struct {
	offset, size, filter int
}

func encodePageToken(p pagePos) string {
	var b []byte
	b = appendField(b, 1, p.offset)
	b = appendField(b, 2, p.size)
	if p.filter != 0 {
		b = appendField(b, 3, p.filter)
	}
	return base64.RawStdEncoding.EncodeToString(b)
}

func appendField(b []byte, field, v int) []byte {
	b = append(b, byte(field<<3)) // wire type 0: varint
	u := uint64(v)
	for u >= 0x80 {
		b = append(b, byte(u)|0x80)
		u >>= 7
	}
	return append(b, byte(u))
}

func decodePageToken(s string) (pagePos, bool) {
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return pagePos{}, false
	}
	var p pagePos
	for len(b) > 0 {
		field := int(b[0] >> 3)
		if b[0]&7 != 0 {
			return pagePos{}, false
		}
		b = b[1:]
		var v uint64
		var shift uint
		for {
			if len(b) == 0 || shift > 56 {
				return pagePos{}, false
			}
			c := b[0]
			b = b[1:]
			v |= uint64(c&0x7f) << shift
			shift += 7
			if c < 0x80 {
				break
			}
		}
		if v > 1<<31 {
			return pagePos{}, false
		}
		switch field {
		case 1:
			p.offset = int(v)
		case 2:
			p.size = int(v)
		case 3:
			p.filter = int(v)
		default:
			return pagePos{}, false
		}
	}
	return p, p.size > 0
}
