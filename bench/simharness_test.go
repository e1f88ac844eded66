//go:build e2e

package bench

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// simHarness serves an in-process simulator on 127.0.0.1 and adds what the
// benchmarks need around it: the moment an account has been served a given
// number of events, a gate that holds API requests back (so a profile can
// start before the first request), and a count of TCP connections (a
// client without keep-alive shows up as one connection per request).
type simHarness struct {
	sim   *simulator.Server
	url   string
	conns atomic.Int64

	mu      sync.Mutex
	gate    chan struct{} // nil, or API requests wait until it is closed
	watches []*servedWatch
}

// servedWatch fires once the simulator has served want events to account,
// over all three streams, counted since the last ResetStats.
type servedWatch struct {
	account string
	want    int
	done    chan struct{}
	at      time.Time // when the response that completed the count returned
}

func startSim(b *testing.B, cfg simulator.Config) *simHarness {
	b.Helper()
	h := &simHarness{sim: simulator.New(cfg)}
	h.url = e2ekit.ServeSim(b, h.sim, h, func() { h.conns.Add(1) })
	return h
}

func (h *simHarness) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	api := !strings.HasPrefix(r.URL.Path, "/_sim/")
	if api {
		h.mu.Lock()
		gate := h.gate
		h.mu.Unlock()
		if gate != nil {
			select {
			case <-gate:
			case <-r.Context().Done():
				return
			}
		}
	}
	h.sim.ServeHTTP(w, r)
	if api && r.Method == http.MethodPost {
		h.checkWatches()
	}
}

// holdAPI makes API requests wait until releaseAPI.
func (h *simHarness) holdAPI() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.gate = make(chan struct{})
}

func (h *simHarness) releaseAPI() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.gate != nil {
		close(h.gate)
		h.gate = nil
	}
}

func (h *simHarness) watch(account string, want int) *servedWatch {
	w := &servedWatch{account: account, want: want, done: make(chan struct{})}
	h.mu.Lock()
	h.watches = append(h.watches, w)
	h.mu.Unlock()
	h.checkWatches()
	return w
}

func (h *simHarness) checkWatches() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.watches = slices.DeleteFunc(h.watches, func(w *servedWatch) bool {
		if h.served(w.account) < w.want {
			return false
		}
		w.at = time.Now()
		close(w.done)
		return true
	})
}

// served is the number of events served to account over its three streams.
func (h *simHarness) served(account string) int {
	n := 0
	for _, st := range simulator.Streams {
		n += h.sim.Served(account, st)
	}
	return n
}

// wait blocks until w fired, ctx ended or the collector exited.
func (w *servedWatch) wait(ctx context.Context, c *collector) error {
	select {
	case <-w.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-c.Done():
		return errors.New("the collector exited: " + c.logTail(20))
	}
}

// firstRequest returns the arrival time of account's first request that
// method (GET, POST or "" for any) made, from the simulator's request log.
func (h *simHarness) firstRequest(account, method string) (time.Time, bool) {
	var first time.Time
	for _, rec := range h.sim.RequestLog() {
		if rec.Account != account || (method != "" && rec.Method != method) {
			continue
		}
		if first.IsZero() || rec.Time.Before(first) {
			first = rec.Time
		}
	}
	return first, !first.IsZero()
}

// requestsOf returns the account's requests from the log in arrival order.
func (h *simHarness) requestsOf(account string) []simulator.RequestRecord {
	var out []simulator.RequestRecord
	for _, rec := range h.sim.RequestLog() {
		if rec.Account == account {
			out = append(out, rec)
		}
	}
	slices.SortFunc(out, func(a, b simulator.RequestRecord) int { return a.Time.Compare(b.Time) })
	return out
}

// addSpread adds n events to account, split as evenly as possible over the
// three streams, with timestamps spread over [from, to).
func (h *simHarness) addSpread(b *testing.B, account string, n int, from, to time.Time) {
	b.Helper()
	for i, st := range simulator.Streams {
		share := n / len(simulator.Streams)
		if i < n%len(simulator.Streams) {
			share++
		}
		if err := h.sim.AddEvents(account, st, share, simulator.GenOptions{Start: from, End: to}); err != nil {
			b.Fatal(err)
		}
	}
}

// caughtUp reports whether every account has been served every stored event.
func (h *simHarness) caughtUp() bool {
	st := h.sim.Stats()
	for _, acct := range st.Accounts {
		for _, name := range simulator.Streams {
			if st.EventsServed[acct][name] < st.EventsStored[acct][name] {
				return false
			}
		}
	}
	return true
}
