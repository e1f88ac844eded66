//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// TestAllThreeKindsArriveIntact: the binary must not drop, rename or round a
// field. Generated events of every stream and every item of the shared
// fixtures go through the real distribution; each record's body must equal
// the item the API served, as JSON values with exact integers, under the
// right EventName, with its uuid and the account on the resource.
func TestAllThreeKindsArriveIntact(t *testing.T) {
	for _, apiVersion := range []string{"v2", "v1"} {
		t.Run(apiVersion, func(t *testing.T) {
			env := startSim(t, simulator.Config{Seed: 7})
			env.addEvents(t, 300)
			fixtures := loadFixtureItems(t)
			day := time.Now().UTC().AddDate(0, 0, -2).Format("2006-01-02")
			for stream, items := range fixtures {
				for _, it := range items {
					if err := env.sim.AddRaw(env.account, stream, moveIntoRetention(it.Raw, day)); err != nil {
						t.Fatalf("%s: %v", it.File, err)
					}
				}
			}
			start := time.Now().Add(-4 * 24 * time.Hour).UTC().Truncate(time.Second)
			want := env.readReference(t, apiVersion, start, true)
			for stream, items := range fixtures {
				// The reference must include the fixtures, or the test
				// would check nothing about them.
				if got, min := len(want[eventNameOf[stream]]), 300+len(items); got < min {
					t.Fatalf("the simulator serves %d %s items, want at least %d (are fixtures outside retention?)", got, stream, min)
				}
			}

			sink := newSink(t, true)
			c := newCollector(t, collectorConfig{
				SimURL:  env.url,
				SinkURL: sink.URL(),
				Receiver: map[string]any{
					"api_version": apiVersion,
					"page_size":   100,
					"start_time":  start.Format(time.RFC3339),
				},
			}, env.token)
			c.start()
			waitDelivered(t, c, sink, want, 2*time.Minute)
			if err := c.stop(); err != nil {
				t.Errorf("the collector's exit after SIGTERM was not clean: %v", err)
			}

			d := compareDelivery(want, sink.Received())
			t.Logf("delivery %s: %s", apiVersion, d)
			if d.Missing != 0 || d.Unexpected != 0 {
				t.Errorf("delivery: %s", d)
			}
			checkRecordsMatchItems(t, want, sink.AllRecords(), env.account)
		})
	}
}

// checkRecordsMatchItems pairs every served item with a distinct record of
// the same EventName and uuid whose body equals it, then checks the record's
// uid attribute, account resource attribute and timestamp.
func checkRecordsMatchItems(t *testing.T, want expectation, records []record, account string) {
	t.Helper()
	byKey := map[string][]int{}
	for i, r := range records {
		k := r.EventName + "/" + r.UUID
		byKey[k] = append(byKey[k], i)
	}
	used := make([]bool, len(records))
	failures := 0
	fail := func(format string, args ...any) {
		failures++
		if failures <= 10 {
			t.Errorf(format, args...)
		}
	}
	checked := 0
	for name, evs := range want {
		for _, ev := range evs {
			wantBody, err := jsonAsBody(ev.Raw)
			if err != nil {
				t.Fatalf("reference item is not JSON: %v", err)
			}
			candidates := byKey[name+"/"+ev.UUID]
			match := -1
			for _, i := range candidates {
				if !used[i] && reflect.DeepEqual(records[i].Body, wantBody) {
					match = i
					break
				}
			}
			if match < 0 {
				got := "no record with this EventName and uuid"
				if len(candidates) > 0 {
					got = "body " + asJSON(records[candidates[0]].Body)
				}
				fail("%s %q: no record carries the item as served.\nwant body %s\ngot %s", name, ev.UUID, asJSON(wantBody), got)
				continue
			}
			used[match] = true
			checked++
			r := records[match]
			if uid, _ := r.Attrs[attrRecordUID].(string); uid != ev.UUID {
				fail("%s %q: attribute %s = %v", name, ev.UUID, attrRecordUID, r.Attrs[attrRecordUID])
			}
			if acct, _ := r.Resource[attrAccountID].(string); acct != account {
				fail("%s %q: resource %s = %v, want %s", name, ev.UUID, attrAccountID, r.Resource[attrAccountID], account)
			}
			if wantTS := itemTimestamp(wantBody); uint64(r.Timestamp) != wantTS {
				fail("%s %q: Timestamp %d, want %d (the item's timestamp to the nanosecond; 0 when unreadable)", name, ev.UUID, r.Timestamp, wantTS)
			}
		}
	}
	if failures > 10 {
		t.Errorf("... and %d more mismatches", failures-10)
	}
	t.Logf("%d records matched their items field by field", checked)
}

// itemTimestamp is the Timestamp the contract asks for: the item's RFC 3339
// timestamp in Unix nanoseconds, 0 (unset) when missing or unreadable.
func itemTimestamp(body any) uint64 {
	m, _ := body.(map[string]any)
	s, _ := m["timestamp"].(string)
	ts, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0
	}
	return uint64(ts.UnixNano())
}

func asJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return string(b)
}
