package convert

// An independent reference for what DecodePage must produce, built on
// encoding/json: the body through json.Decoder tokens (which keep key order),
// the envelope rules, and the timestamp through time.Parse. The golden
// hand-checks and FuzzDecodePage compare the converter against it, so that
// the golden files are not merely the converter's own output.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// refNode is an order-preserving decoding of a JSON value.
type refNode struct {
	kind  byte // 'o' object, 'a' array, 's' string, 'i' int, 'd' double, 'b' bool, 'n' null
	keys  []string
	elems []*refNode // object values (parallel to keys) or array elements
	str   string
	i     int64
	d     float64
	b     bool
}

// refDecode decodes one JSON value with encoding/json's tokenizer. Numbers
// follow the contract: an integer literal that fits int64 is an int, every
// other number a double. A repeated key keeps its first position and its last
// value, which is what encoding/json's map decoding and pdata's Put give.
func refDecode(raw []byte) (*refNode, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	n, err := refValue(dec)
	if err != nil {
		return nil, err
	}
	if tok, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("trailing data: %v", tok)
	}
	return n, nil
}

func refValue(dec *json.Decoder) (*refNode, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &refNode{kind: 'o'}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k := kt.(string)
				v, err := refValue(dec)
				if err != nil {
					return nil, err
				}
				if i := indexOf(n.keys, k); i >= 0 {
					n.elems[i] = v
				} else {
					n.keys = append(n.keys, k)
					n.elems = append(n.elems, v)
				}
			}
			_, err := dec.Token()
			return n, err
		case '[':
			n := &refNode{kind: 'a'}
			for dec.More() {
				v, err := refValue(dec)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, v)
			}
			_, err := dec.Token()
			return n, err
		}
		return nil, fmt.Errorf("unexpected delimiter %v", t)
	case string:
		return &refNode{kind: 's', str: t}, nil
	case json.Number:
		return refNumber(string(t)), nil
	case bool:
		return &refNode{kind: 'b', b: t}, nil
	case nil:
		return &refNode{kind: 'n'}, nil
	}
	return nil, fmt.Errorf("unexpected token %T", tok)
}

func refNumber(s string) *refNode {
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return &refNode{kind: 'i', i: i}
		}
	}
	f, _ := strconv.ParseFloat(s, 64) // ErrRange gives ±Inf, as in the converter
	return &refNode{kind: 'd', d: f}
}

func indexOf(keys []string, k string) int {
	for i, x := range keys {
		if x == k {
			return i
		}
	}
	return -1
}

// raw converts the node to the form pcommon.Value.AsRaw returns.
func (n *refNode) raw() any {
	switch n.kind {
	case 'o':
		m := make(map[string]any, len(n.keys))
		for i, k := range n.keys {
			m[k] = n.elems[i].raw()
		}
		return m
	case 'a':
		s := make([]any, len(n.elems))
		for i, e := range n.elems {
			s[i] = e.raw()
		}
		return s
	case 's':
		return n.str
	case 'i':
		return n.i
	case 'd':
		return n.d
	case 'b':
		return n.b
	}
	return nil
}

// get walks a path of object keys.
func (n *refNode) get(path ...string) *refNode {
	for _, k := range path {
		if n == nil || n.kind != 'o' {
			return nil
		}
		i := indexOf(n.keys, k)
		if i < 0 {
			return nil
		}
		n = n.elems[i]
	}
	return n
}

// diffValue reports the first difference between the reference and a
// pcommon value: type, value, or key order.
func diffValue(path string, want *refNode, got pcommon.Value) string {
	switch want.kind {
	case 'o':
		if got.Type() != pcommon.ValueTypeMap {
			return path + ": want a map, got " + got.Type().String()
		}
		m := got.Map()
		if m.Len() != len(want.keys) {
			return fmt.Sprintf("%s: want %d keys %q, got %d", path, len(want.keys), want.keys, m.Len())
		}
		i := 0
		for k, v := range m.All() {
			if k != want.keys[i] {
				return fmt.Sprintf("%s: key %d is %q, want %q (order as sent)", path, i, k, want.keys[i])
			}
			if d := diffValue(path+"."+k, want.elems[i], v); d != "" {
				return d
			}
			i++
		}
	case 'a':
		if got.Type() != pcommon.ValueTypeSlice {
			return path + ": want a slice, got " + got.Type().String()
		}
		s := got.Slice()
		if s.Len() != len(want.elems) {
			return fmt.Sprintf("%s: want %d elements, got %d", path, len(want.elems), s.Len())
		}
		for i, e := range want.elems {
			if d := diffValue(fmt.Sprintf("%s[%d]", path, i), e, s.At(i)); d != "" {
				return d
			}
		}
	case 's':
		if got.Type() != pcommon.ValueTypeStr || got.Str() != want.str {
			return fmt.Sprintf("%s: want string %q, got %s %q", path, want.str, got.Type(), got.AsString())
		}
	case 'i':
		if got.Type() != pcommon.ValueTypeInt || got.Int() != want.i {
			return fmt.Sprintf("%s: want int %d, got %s %s", path, want.i, got.Type(), got.AsString())
		}
	case 'd':
		if got.Type() != pcommon.ValueTypeDouble || (got.Double() != want.d && !(math.IsNaN(want.d) && math.IsNaN(got.Double()))) {
			return fmt.Sprintf("%s: want double %v, got %s %s", path, want.d, got.Type(), got.AsString())
		}
	case 'b':
		if got.Type() != pcommon.ValueTypeBool || got.Bool() != want.b {
			return fmt.Sprintf("%s: want bool %v, got %s %s", path, want.b, got.Type(), got.AsString())
		}
	case 'n':
		if got.Type() != pcommon.ValueTypeEmpty {
			return fmt.Sprintf("%s: want empty (null), got %s %s", path, got.Type(), got.AsString())
		}
	}
	return ""
}

// refPage is the reference reading of a response body: nil items and an
// error when encoding/json does not accept it as a page. A page is a JSON
// object whose "cursor" is a string or null, "has_more" a boolean or null and
// "items" an array of objects or null (each optional; keys are matched
// exactly, unknown ones ignored, the last of a repeated key wins).
type refPage struct {
	cursor    string
	hasCursor bool
	hasMore   bool
	items     []json.RawMessage
}

func refDecodePage(body []byte) (refPage, error) {
	var p refPage
	var env map[string]json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		return p, err
	}
	if env == nil {
		return p, errors.New("not an object")
	}
	if raw, ok := env["cursor"]; ok {
		var c *string
		if err := json.Unmarshal(raw, &c); err != nil {
			return p, err
		}
		if c != nil {
			p.cursor, p.hasCursor = *c, true
		}
	}
	if raw, ok := env["has_more"]; ok {
		var b *bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return p, err
		}
		p.hasMore = b != nil && *b
	}
	if raw, ok := env["items"]; ok {
		items, err := refDecodeItems(raw)
		if err != nil {
			return p, err
		}
		p.items = items
	}
	return p, nil
}

func refDecodeItems(raw []byte) ([]json.RawMessage, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, err
	}
	for i, it := range items {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(it, &m); err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		if m == nil {
			return nil, fmt.Errorf("item %d is null", i)
		}
	}
	return items, nil
}

// refTimestamp parses like the contract says: RFC 3339 with nanoseconds and
// offsets, representable as a pcommon.Timestamp. time.Parse alone is more
// lenient than RFC 3339 (one-digit hours, a comma before the fraction, offset
// hours above 23), so the shape is checked first.
func refTimestamp(item *refNode) (pcommon.Timestamp, bool) {
	n := item.get("timestamp")
	if n == nil || n.kind != 's' || !rfc3339.MatchString(n.str) {
		return 0, false
	}
	t, err := time.Parse(time.RFC3339Nano, n.str)
	if err != nil || t.Year() > 2261 || t.Unix() < 0 {
		return 0, false
	}
	return pcommon.NewTimestampFromTime(t), true
}

var rfc3339 = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$`)
