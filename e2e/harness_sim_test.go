//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// simEnv is an Events API simulator in this process, on 127.0.0.1.
type simEnv struct {
	sim     *simulator.Server
	url     string
	account string
	token   string
}

// startSim serves a simulator. Unless cfg says otherwise its rate limit is
// off: tests that need 429s inject them, so that the figures they check do
// not depend on the machine's speed.
func startSim(t testing.TB, cfg simulator.Config) *simEnv {
	t.Helper()
	if cfg.RateLimit == nil {
		cfg.RateLimit = &simulator.RateLimitConfig{}
	}
	sim := simulator.New(cfg)
	url := e2ekit.ServeSim(t, sim, sim, nil)
	acct := sim.Accounts()[0]
	return &simEnv{sim: sim, url: url, account: acct, token: sim.Tokens(acct)[0]}
}

// addEvents appends n generated events to every stream, spread over the
// hour before now (the simulator's default window).
func (e *simEnv) addEvents(t testing.TB, n int) {
	t.Helper()
	for _, st := range simulator.Streams {
		if err := e.sim.AddEvents(e.account, st, n, simulator.GenOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

// addLate appends n late events to every stream: older than events already
// served, visible only to a continuing cursor.
func (e *simEnv) addLate(t testing.TB, n int, age time.Duration) {
	t.Helper()
	for _, st := range simulator.Streams {
		if err := e.sim.AddLate(e.account, st, n, age); err != nil {
			t.Fatal(err)
		}
	}
}

// storedByEvent is the number of events the simulator holds, by EventName.
func (e *simEnv) storedByEvent() map[string]int {
	out := map[string]int{}
	for _, st := range simulator.Streams {
		out[eventNameOf[st]] = e.sim.Stored(e.account, st)
	}
	return out
}

// expectedEvent is one item the API serves.
type expectedEvent struct {
	UUID    string
	HasUUID bool
	Raw     json.RawMessage // the item as served; kept only when asked
}

// expectation is everything the API serves from a start time on, by
// EventName: what a correct receiver must deliver.
type expectation map[string][]expectedEvent

func (x expectation) total() int {
	n := 0
	for _, evs := range x {
		n += len(evs)
	}
	return n
}

// readReference drains every stream of the simulator the way the API
// documents (reset at start, then follow the cursor), through its handler
// directly rather than over the network. It is the independent record of
// what the receiver should have delivered. It does count in the simulator's
// request log, so tests that check the log take it first.
func (e *simEnv) readReference(t testing.TB, apiVersion string, start time.Time, keepRaw bool) expectation {
	t.Helper()
	out := expectation{}
	for _, st := range simulator.Streams {
		path := fmt.Sprintf("/api/%s/%s", apiVersion, st)
		body, _ := json.Marshal(map[string]any{"limit": 1000, "start_time": start.UTC().Format(time.RFC3339Nano)})
		var evs []expectedEvent
		for pages := 0; ; pages++ {
			if pages > 100000 {
				t.Fatalf("reference reader: %s never ended", path)
			}
			req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+e.token)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			e.sim.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("reference reader: %s answered %d: %s (clear faults before reading)", path, rec.Code, rec.Body.String())
			}
			var page struct {
				Cursor  string            `json:"cursor"`
				HasMore bool              `json:"has_more"`
				Items   []json.RawMessage `json:"items"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
				t.Fatalf("reference reader: %s: %v", path, err)
			}
			for _, it := range page.Items {
				evs = append(evs, newExpectedEvent(it, keepRaw))
			}
			if !page.HasMore {
				break
			}
			body, _ = json.Marshal(map[string]string{"cursor": page.Cursor})
		}
		out[eventNameOf[st]] = evs
	}
	return out
}

func newExpectedEvent(item json.RawMessage, keepRaw bool) expectedEvent {
	var probe struct {
		UUID any `json:"uuid"`
	}
	_ = json.Unmarshal(item, &probe)
	ev := expectedEvent{}
	if s, ok := probe.UUID.(string); ok {
		ev.UUID, ev.HasUUID = s, true
	}
	if keepRaw {
		ev.Raw = append(json.RawMessage(nil), item...)
	}
	return ev
}
