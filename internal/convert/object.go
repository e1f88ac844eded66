package convert // import "github.com/onepassword-otel/onepasswordreceiver/internal/convert"

import (
	"sync"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// objectDecoders recycles decoders between DecodeObject calls: a decoder is
// larger than a typical user object, and the users source decodes one
// object per record.
var objectDecoders = sync.Pool{New: func() any { return new(decoder) }}

// DecodeObject decodes one JSON object (for example a Users API user) into
// dst with the body rules of the Events API records: keys in the order sent,
// an integer that fits int64 as int, any other number as double, null as an
// empty value, nested objects as maps and arrays as slices. dst is cleared
// first. Nothing feeds an attribute: the caller reads what it needs from dst.
//
// As with DecodePage, raw is copied once and string values are substrings of
// that copy; errors name an offset, never a part of the input.
func DecodeObject(raw []byte, dst pcommon.Map) error {
	dst.Clear()
	// Room for the keys of a compact object (about 30 bytes a member), so
	// that dst grows at most rarely.
	dst.EnsureCapacity(min(maxHint, len(raw)/32+1))
	d := objectDecoders.Get().(*decoder)
	defer func() {
		d.s = "" // do not pin the object while pooled
		objectDecoders.Put(d)
	}()
	d.s, d.i, d.item = string(raw), 0, -1
	if err := d.expect('{', "'{' (a JSON object)"); err != nil {
		return err
	}
	if err := d.object(dst, ctxOther, 1); err != nil {
		return err
	}
	return d.end()
}
