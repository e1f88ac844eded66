//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// fixtureDirs maps the shared fixture folders to simulator streams.
var fixtureDirs = map[string]string{
	"audit-events":    simulator.StreamAuditEvents,
	"item-usages":     simulator.StreamItemUsages,
	"signin-attempts": simulator.StreamSignInAttempts,
}

// fixtureItem is one API item from a fixture file.
type fixtureItem struct {
	File string
	Raw  json.RawMessage
}

// loadFixtureItems returns every item of the shared fixtures by simulator
// stream: the items of *-items.json arrays, of *.response.json pages, and
// single-item files. The fixtures are real payloads from public test suites
// and vendor docs, with the oddities real clients met (a key "uuid:", a
// placeholder uuid, a non-RFC 3339 timestamp, nanosecond and offset times,
// null details).
func loadFixtureItems(t testing.TB) map[string][]fixtureItem {
	t.Helper()
	dir := *fixturesFlag
	out := map[string][]fixtureItem{}
	for sub, stream := range fixtureDirs {
		files, err := filepath.Glob(filepath.Join(dir, sub, "*.json"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no fixtures in %s (set -fixtures): %v", filepath.Join(dir, sub), err)
		}
		sort.Strings(files)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range itemsOf(t, f, b) {
				out[stream] = append(out[stream], fixtureItem{File: filepath.Base(f), Raw: it})
			}
		}
	}
	return out
}

func itemsOf(t testing.TB, file string, b []byte) []json.RawMessage {
	t.Helper()
	b = bytes.TrimSpace(b)
	var items []json.RawMessage
	switch {
	case len(b) > 0 && b[0] == '[':
		if err := json.Unmarshal(b, &items); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	default:
		var page map[string]json.RawMessage
		if err := json.Unmarshal(b, &page); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if raw, ok := page["items"]; ok {
			if err := json.Unmarshal(raw, &items); err != nil {
				t.Fatalf("%s: items: %v", file, err)
			}
		} else {
			items = []json.RawMessage{b} // a single item
		}
	}
	return items
}

// moveIntoRetention replaces the date of an item's top-level RFC 3339
// timestamp with day (YYYY-MM-DD), leaving every other byte as it is (time
// of day, precision, offset). The fixtures are years old, and the API serves
// only the last 120 days. A timestamp that is not RFC 3339 is left alone;
// the simulator then files the item at "now".
func moveIntoRetention(raw json.RawMessage, day string) json.RawMessage {
	var top map[string]json.RawMessage
	if json.Unmarshal(raw, &top) != nil {
		return raw
	}
	var ts string
	if json.Unmarshal(top["timestamp"], &ts) != nil {
		return raw
	}
	if _, err := time.Parse(time.RFC3339Nano, ts); err != nil {
		return raw
	}
	var compact bytes.Buffer
	if json.Compact(&compact, raw) != nil {
		return raw
	}
	old, _ := json.Marshal(ts)
	moved, _ := json.Marshal(day + ts[len("2006-01-02"):])
	from := append([]byte(`"timestamp":`), old...)
	to := append([]byte(`"timestamp":`), moved...)
	return bytes.Replace(compact.Bytes(), from, to, 1)
}
