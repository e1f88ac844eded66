package convert // import "github.com/onepassword-otel/onepasswordreceiver/internal/convert"

import (
	"errors"
	"strings"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// PageInfo describes one decoded response page.
type PageInfo struct {
	Cursor           string // the page's cursor; "" when absent
	HasCursor        bool   // the response carried a non-null "cursor" key
	HasMore          bool
	Items            int               // records appended
	MissingTimestamp int               // items whose timestamp was missing or unparseable
	MissingUUID      int               // items without a (non-empty string) uuid
	Newest           pcommon.Timestamp // newest item timestamp in the page, 0 if none
}

// maxPageItems is the API's largest page (limit 1..1000); it caps the
// capacity reserved up front for records.
const maxPageItems = 1000

// DecodePage decodes one response body (`{"cursor":..,"has_more":..,"items":[..]}`, keys in any
// order, unknown envelope keys ignored, missing "items" or null = empty) in ONE pass, appending one
// log record per item to dst. observed is set as ObservedTimestamp on every record. On error the
// caller discards dst entirely, so partial appends are fine; the error must say what is wrong and
// where (byte offset), never include the whole body.
func DecodePage(body []byte, kind Kind, observed pcommon.Timestamp, dst plog.LogRecordSlice) (PageInfo, error) {
	var info PageInfo
	d, err := newDecoder(body, kind)
	if err != nil {
		return info, err
	}
	if err := d.expect('{', "'{' (a page is a JSON object)"); err != nil {
		return info, err
	}
	d.skipWS()
	if d.i < len(d.s) && d.s[d.i] == '}' {
		d.i++
		return info, d.end()
	}
	for {
		if d.i >= len(d.s) || d.s[d.i] != '"' {
			return info, d.errUnexpected("a string key")
		}
		_, k, err := d.key()
		if err != nil {
			return info, err
		}
		if err := d.expect(':', "':'"); err != nil {
			return info, err
		}
		d.skipWS()
		if d.i >= len(d.s) {
			return info, d.errUnexpected("a value")
		}
		switch k {
		case kCursor:
			err = d.cursor(&info)
		case kHasMore:
			err = d.hasMore(&info)
		case kItems:
			err = d.pageItems(kind, observed, dst, &info)
		default:
			err = d.skipValue(1)
		}
		if err != nil {
			return info, err
		}
		done, err := d.next('}')
		if err != nil {
			return info, err
		}
		if done {
			return info, d.end()
		}
	}
}

// cursor reads the envelope's "cursor": a string, or null for none.
func (d *decoder) cursor(info *PageInfo) error {
	switch c := d.s[d.i]; c {
	case '"':
		s, err := d.str()
		if err != nil {
			return err
		}
		// A copy, so that a stored cursor does not pin the page.
		info.Cursor, info.HasCursor = strings.Clone(s), true
		return nil
	case 'n':
		info.Cursor, info.HasCursor = "", false
		return d.literal("null")
	default:
		return d.errAt(d.i, `"cursor" must be a string or null, found `+describeValue(c))
	}
}

// hasMore reads the envelope's "has_more": a boolean, or null for false.
func (d *decoder) hasMore(info *PageInfo) error {
	switch c := d.s[d.i]; c {
	case 't':
		info.HasMore = true
		return d.literal("true")
	case 'f', 'n':
		info.HasMore = false
		if c == 'f' {
			return d.literal("false")
		}
		return d.literal("null")
	default:
		return d.errAt(d.i, `"has_more" must be a boolean or null, found `+describeValue(c))
	}
}

// pageItems reads the envelope's "items": an array of items, or null for none.
func (d *decoder) pageItems(kind Kind, observed pcommon.Timestamp, dst plog.LogRecordSlice, info *PageInfo) error {
	// A repeated "items" replaces the earlier one, as in encoding/json.
	if info.Items > 0 {
		dropLast(dst, info.Items)
	}
	info.Items, info.MissingTimestamp, info.MissingUUID, info.Newest = 0, 0, 0, 0
	switch c := d.s[d.i]; c {
	case '[':
		d.i++
		dst.EnsureCapacity(dst.Len() + d.expectedItems())
		return d.items(kind, observed, dst, info, 2)
	case 'n':
		return d.literal("null")
	default:
		return d.errAt(d.i, `"items" must be an array or null, found `+describeValue(c))
	}
}

// DecodeItems decodes a bare JSON array of items (used for fixture files and tests), same rules.
func DecodeItems(body []byte, kind Kind, observed pcommon.Timestamp, dst plog.LogRecordSlice) (PageInfo, error) {
	var info PageInfo
	d, err := newDecoder(body, kind)
	if err != nil {
		return info, err
	}
	d.skipWS()
	if d.i < len(d.s) && d.s[d.i] == 'n' {
		if err := d.literal("null"); err != nil {
			return info, err
		}
		return info, d.end()
	}
	if err := d.expect('[', "'[' (an array of items)"); err != nil {
		return info, err
	}
	dst.EnsureCapacity(dst.Len() + d.expectedItems())
	if err := d.items(kind, observed, dst, &info, 1); err != nil {
		return info, err
	}
	return info, d.end()
}

func newDecoder(body []byte, kind Kind) (*decoder, error) {
	if kind > SigninAttempt {
		return nil, errors.New("onepassword events page: unknown stream kind")
	}
	// One copy of the page; string values are substrings of it (see doc.go).
	d := &decoder{s: string(body), item: -1}
	d.hint = defaultHint
	return d, nil
}

// expectedItems guesses how many items the rest of the body holds, to
// reserve room once: compact items take 500 to 1,500 bytes, so this errs on
// the generous side, and a page never has more than 1,000.
func (d *decoder) expectedItems() int {
	return min(maxPageItems, (len(d.s)-d.i)/256+1)
}

// end checks that only whitespace follows the top-level value.
func (d *decoder) end() error {
	d.item = -1
	d.skipWS()
	if d.i < len(d.s) {
		return d.errAt(d.i, "unexpected "+describeByte(d.s[d.i])+" after the end of the JSON value")
	}
	return nil
}

// items decodes the elements of the items array whose '[' was just
// consumed, one record per item, each built while its bytes are scanned.
func (d *decoder) items(kind Kind, observed pcommon.Timestamp, dst plog.LogRecordSlice, info *PageInfo, depth int) error {
	d.skipWS()
	if d.i < len(d.s) && d.s[d.i] == ']' {
		d.i++
		return nil
	}
	d.kept.Grow(26 * d.expectedItems()) // 26: the length of the API's uuids
	itemCtx := kind.itemCtx()
	eventName := kind.EventName()
	for n := 0; ; n++ {
		d.item = n
		if d.i >= len(d.s) {
			return d.errUnexpected("an item")
		}
		if d.s[d.i] != '{' {
			return d.errAt(d.i, "an item must be an object, found "+describeValue(d.s[d.i]))
		}
		d.i++

		rec := dst.AppendEmpty()
		rec.SetEventName(eventName)
		rec.SetObservedTimestamp(observed)
		body := rec.Body().SetEmptyMap()
		body.EnsureCapacity(int(d.hint[itemCtx]))
		d.mask = 0
		if err := d.object(body, itemCtx, depth+1); err != nil {
			return err
		}
		d.finish(kind, rec, info)

		done, err := d.next(']')
		if err != nil {
			return err
		}
		if done {
			d.item = -1
			return nil
		}
	}
}

// finish sets what is known only once the whole item has been read.
func (d *decoder) finish(kind Kind, rec plog.LogRecord, info *PageInfo) {
	info.Items++
	if ts, ok := d.timestamp(); ok {
		rec.SetTimestamp(pcommon.Timestamp(ts))
		if pcommon.Timestamp(ts) > info.Newest {
			info.Newest = pcommon.Timestamp(ts)
		}
	} else {
		info.MissingTimestamp++
	}
	if !d.has(fUUID) {
		info.MissingUUID++
	}
	rec.SetSeverityNumber(d.severity(kind))
	d.putAttributes(kind, rec.Attributes())
}

func (d *decoder) timestamp() (uint64, bool) {
	if !d.has(fTimestamp) {
		return 0, false
	}
	return parseTimestamp(d.text[fTimestamp])
}

// keep returns a copy of v that does not pin the page. It is for the uuid,
// the value callers keep long after the page (de-duplication sets); as a
// substring of the page it would keep the whole page alive. The copies of a
// page are appended to one buffer reserved up front, so that they cost one
// allocation per page rather than one per item: a strings.Builder never
// changes bytes once written, and when it grows, the strings taken before
// keep the old buffer alive.
func (d *decoder) keep(v string) string {
	start := d.kept.Len()
	d.kept.WriteString(v)
	return d.kept.String()[start:]
}

// dropLast removes the last n records of dst (a repeated "items" key).
func dropLast(dst plog.LogRecordSlice, n int) {
	keep := dst.Len() - n
	i := 0
	dst.RemoveIf(func(plog.LogRecord) bool {
		i++
		return i > keep
	})
}
