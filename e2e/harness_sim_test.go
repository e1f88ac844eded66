//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
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
		var evs []expectedEvent
		err := e2ekit.ReadStream(e.sim, e.token, path, start, func(it json.RawMessage) {
			evs = append(evs, newExpectedEvent(it, keepRaw))
		})
		if err != nil {
			t.Fatal(err)
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
