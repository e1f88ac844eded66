package convert

import (
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// FuzzDecodePage checks DecodePage against encoding/json on arbitrary bodies:
//   - it never panics;
//   - it accepts exactly the bodies encoding/json accepts as a page
//     (refDecodePage says what that means), and refuses the others;
//   - for an accepted page, the envelope facts agree and every record agrees
//     with the reference: the body value for value, type for type and key for
//     key in order (nothing lost), the timestamp, severity and attributes.
//
// Seeded with every fixture, every edge case and a small realistic page.
// make test runs it for 20 s:
//
//	go test -run='^$' -fuzz=FuzzDecodePage -fuzztime=20s ./internal/convert
func FuzzDecodePage(f *testing.F) {
	for _, fx := range loadFixtures(f) {
		body := fx.body
		if fx.items {
			body = append(append([]byte(`{"items":`), body...), '}')
		}
		f.Add(body, uint8(fx.kind))
	}
	for _, tc := range edgeCases {
		body := []byte(tc.input)
		if tc.items {
			body = append(append([]byte(`{"items":`), body...), '}')
		}
		f.Add(body, uint8(tc.kind))
	}
	for _, kind := range []Kind{AuditEvent, ItemUsage, SigninAttempt} {
		f.Add(benchPage(kind, 3, 3), uint8(kind))
	}
	f.Fuzz(func(t *testing.T, data []byte, k uint8) {
		kind := Kind(k % 3)
		const observed = pcommon.Timestamp(7)
		recs := plog.NewLogRecordSlice()
		info, err := DecodePage(data, kind, observed, recs)
		ref, rerr := refDecodePage(data)
		if rerr != nil {
			if err == nil {
				t.Fatalf("accepted a body encoding/json refuses as a page (%v)", rerr)
			}
			return
		}
		if err != nil {
			t.Fatalf("refused a page encoding/json accepts: %v", err)
		}
		if info.Cursor != ref.cursor || info.HasCursor != ref.hasCursor || info.HasMore != ref.hasMore {
			t.Fatalf("envelope %+v, reference %+v", info, ref)
		}
		if info.Items != len(ref.items) || recs.Len() != len(ref.items) {
			t.Fatalf("%d items (%d records), reference %d", info.Items, recs.Len(), len(ref.items))
		}
		var want PageInfo
		for i, raw := range ref.items {
			if d := diffReference(kind, raw, recs.At(i), observed); d != "" {
				t.Fatalf("item %d: %s", i, d)
			}
			n, err := refDecode(raw)
			if err != nil {
				t.Fatal(err)
			}
			if ts, ok := refTimestamp(n); ok {
				want.Newest = max(want.Newest, ts)
			} else {
				want.MissingTimestamp++
			}
			if u := n.get("uuid"); u == nil || u.kind != 's' || u.str == "" {
				want.MissingUUID++
			}
		}
		if info.Newest != want.Newest || info.MissingTimestamp != want.MissingTimestamp || info.MissingUUID != want.MissingUUID {
			t.Fatalf("counts %+v, reference %+v", info, want)
		}
	})
}
