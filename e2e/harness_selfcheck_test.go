//go:build e2e

package e2e

import (
	"reflect"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// TestHarnessChecksCanFail feeds the suite's checkers with made-up evidence
// of the failures they exist to catch: a checker that cannot fail would let
// every end-to-end test pass for the wrong reason. It needs no binary.
func TestHarnessChecksCanFail(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 400e6, time.UTC)
	at := func(d time.Duration, path string, status int) simulator.RequestRecord {
		return simulator.RequestRecord{Time: t0.Add(d), Path: path, Status: status}
	}

	t.Run("Retry-After", func(t *testing.T) {
		log := []simulator.RequestRecord{
			at(0, "/api/v2/auditevents", 429),
			at(50*time.Millisecond, "/api/v2/itemusages", 200), // in flight
			at(900*time.Millisecond, "/api/v2/signinattempts", 200),
			at(2100*time.Millisecond, "/api/v2/auditevents", 200),
		}
		v, err := retryAfterViolations(log, []announced429{{simulator.RetryAfterSeconds, 2}})
		if err != nil || len(v) != 1 {
			t.Errorf("a request 0.9 s into a 2 s Retry-After: got %d violations (%v), want 1", len(v), err)
		}
		// An HTTP date names whole seconds: a 429 at 12:00:00.4 with "2 s"
		// names 12:00:02, so 12:00:02.1 is fine and 12:00:01.9 is early.
		dated := []simulator.RequestRecord{
			at(0, "/api/v2/auditevents", 429),
			at(1500*time.Millisecond, "/api/v2/itemusages", 200),
			at(1700*time.Millisecond, "/api/v2/auditevents", 200),
		}
		v, err = retryAfterViolations(dated, []announced429{{simulator.RetryAfterDate, 2}})
		if err != nil || len(v) != 1 {
			t.Errorf("HTTP date: got %d violations (%v), want 1", len(v), err)
		}
		if _, err := retryAfterViolations(log, nil); err == nil {
			t.Errorf("a 429 that was not injected went unnoticed")
		}
	})

	t.Run("early retry", func(t *testing.T) {
		log := []simulator.RequestRecord{
			at(0, "/api/v2/auditevents", 503),
			at(20*time.Millisecond, "/api/v2/itemusages", 200),
			at(40*time.Millisecond, "/api/v2/auditevents", 200),
		}
		if got := earlyRetries(log, 100*time.Millisecond); len(got) != 1 {
			t.Errorf("a retry 40 ms after a 503: got %v, want one", got)
		}
	})

	t.Run("delivery", func(t *testing.T) {
		want := expectation{"e": {{UUID: "a", HasUUID: true}, {UUID: "b", HasUUID: true}, {UUID: "b", HasUUID: true}}}
		got := map[string]map[string]int{"e": {"a": 3, "b": 1, "x": 1}}
		d := compareDelivery(want, got)
		if d.Missing != 1 || d.Duplicates != 2 || d.Unexpected != 1 {
			t.Errorf("got %s, want missing=1 duplicates=2 unexpected=1", d)
		}
	})

	t.Run("body numbers", func(t *testing.T) {
		v, err := jsonAsBody([]byte(`{"aux_id":9007199254740993,"f":1.0,"e":1e3,"n":null,"a":[1,"x"]}`))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"aux_id": int64(9007199254740993), "f": 1.0, "e": 1000.0, "n": nil, "a": []any{int64(1), "x"}}
		if !reflect.DeepEqual(v, want) {
			t.Errorf("got %#v, want %#v", v, want)
		}
		// A body that rounded the integer through float64 must not match.
		rounded := map[string]any{"aux_id": float64(9007199254740993), "f": 1.0, "e": 1000.0, "n": nil, "a": []any{int64(1), "x"}}
		if reflect.DeepEqual(v, rounded) {
			t.Errorf("an integer rounded to float64 compares equal")
		}
	})

	t.Run("fixture date", func(t *testing.T) {
		got := string(moveIntoRetention([]byte(`{"uuid":"u","timestamp":"2022-10-24T21:16:52.827288935-03:00","x":{"timestamp":"2022-10-24T00:00:00Z"}}`), "2026-11-24"))
		want := `{"uuid":"u","timestamp":"2026-11-24T21:16:52.827288935-03:00","x":{"timestamp":"2022-10-24T00:00:00Z"}}`
		if got != want {
			t.Errorf("got %s\nwant %s", got, want)
		}
	})
}
