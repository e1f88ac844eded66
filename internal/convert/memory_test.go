package convert

import (
	"sync"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
)

// TestAttributesShareBodyStrings: an attribute is the very Go string the body
// holds, not a copy.
func TestAttributesShareBodyStrings(t *testing.T) {
	for _, tc := range []struct {
		kind  Kind
		pairs map[string][]string // attribute -> body path
	}{
		{SigninAttempt, map[string][]string{
			"log.record.uid": {"uuid"}, "user.email": {"target_user", "email"}, "client.address": {"client", "ip_address"},
			"onepassword.signin.category": {"category"}, "onepassword.location.country": {"location", "country"},
		}},
		{ItemUsage, map[string][]string{"onepassword.item.id": {"item_uuid"}, "user_agent.name": {"client", "app_name"}}},
		{AuditEvent, map[string][]string{"client.address": {"session", "ip"}, "onepassword.audit.action": {"action"}, "user.id": {"actor_details", "uuid"}}},
	} {
		recs := plog.NewLogRecordSlice()
		_, err := DecodePage(benchPage(tc.kind, 20, 5), tc.kind, 1, recs)
		require.NoError(t, err)
		for i := range recs.Len() {
			rec := recs.At(i)
			for attr, path := range tc.pairs {
				a, ok := rec.Attributes().Get(attr)
				if !ok {
					continue // e.g. no location on this item
				}
				v := rec.Body()
				for _, k := range path {
					v, _ = v.Map().Get(k)
				}
				assert.Equal(t, unsafe.StringData(v.Str()), unsafe.StringData(a.Str()), "%v item %d: %s is a copy of body.%v", tc.kind, i, attr, path)
			}
		}
	}
}

// TestKeptValuesDoNotPinThePage: strings of a record are substrings of the
// page, except the uuid and the cursor, which callers keep (de-duplication
// sets, stored state) and which therefore live in memory of their own.
func TestKeptValuesDoNotPinThePage(t *testing.T) {
	recs := plog.NewLogRecordSlice()
	info, err := DecodePage(benchPage(SigninAttempt, 50, 9), SigninAttempt, 1, recs)
	require.NoError(t, err)
	lo, hi := uintptr(1<<63), uintptr(0)
	for i := range recs.Len() {
		ts, _ := recs.At(i).Body().Map().Get("timestamp") // a substring of the page
		p := uintptr(unsafe.Pointer(unsafe.StringData(ts.Str())))
		lo, hi = min(lo, p), max(hi, p)
	}
	outside := func(s string) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return p < lo || p > hi
	}
	assert.True(t, outside(info.Cursor), "the cursor points into the page")
	for i := range recs.Len() {
		uid, _ := recs.At(i).Attributes().Get("log.record.uid")
		assert.True(t, outside(uid.Str()), "item %d: the uuid points into the page", i)
		body, _ := recs.At(i).Body().Map().Get("uuid")
		assert.Equal(t, unsafe.StringData(uid.Str()), unsafe.StringData(body.Str()), "item %d", i)
	}
}

// TestAllocationsPerEvent guards the allocation budget (≤ 60 per event on
// realistic pages; see bench_test.go for where they come from).
func TestAllocationsPerEvent(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	const items = 500
	for _, kind := range []Kind{AuditEvent, ItemUsage, SigninAttempt} {
		page := benchPage(kind, items, 11)
		allocs := testing.AllocsPerRun(3, func() {
			if _, err := DecodePage(page, kind, 1, plog.NewLogRecordSlice()); err != nil {
				t.Fatal(err)
			}
		})
		assert.LessOrEqual(t, allocs/items, 60.0, "%v: allocations per event", kind)
	}
}

// TestDecodeConcurrently: the receiver decodes its three streams at once;
// the converter shares only read-only tables (run with -race).
func TestDecodeConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for _, kind := range []Kind{AuditEvent, ItemUsage, SigninAttempt} {
		page := benchPage(kind, 50, 13)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				recs := plog.NewLogRecordSlice()
				info, err := DecodePage(page, kind, 1, recs)
				assert.NoError(t, err)
				assert.Equal(t, 50, info.Items)
			}
		}()
	}
	wg.Wait()
}
