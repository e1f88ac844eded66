package convert // import "github.com/onepassword-otel/onepasswordreceiver/internal/convert"

import "go.opentelemetry.io/collector/pdata/pcommon"

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
	d := &decoder{s: string(raw), item: -1}
	if err := d.expect('{', "'{' (a JSON object)"); err != nil {
		return err
	}
	if err := d.object(dst, ctxOther, 1); err != nil {
		return err
	}
	return d.end()
}
