//go:build e2e

package bench

import (
	"context"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// soakFault is one kind of misbehaviour of the API stand-in. inject applies
// it and returns once it is over (timed faults) or armed (bursts, which the
// next requests use up).
type soakFault struct {
	name   string
	weight int
	inject func(ctx context.Context, sim *simulator.Server, r *rand.Rand) error
}

// soakFaults are what the API does wrong during the soak, by relative
// frequency. A rejected cursor makes the receiver read back up to its
// whole overlap, so it is the rarest.
var soakFaults = []soakFault{
	{"429 with Retry-After in seconds", 3, func(_ context.Context, sim *simulator.Server, r *rand.Rand) error {
		return sim.Inject429(simulator.TooManyRequestsFault{Burst: simulator.Burst{Count: 1 + r.IntN(3)}, RetryAfter: simulator.RetryAfterSeconds, Seconds: 1 + r.IntN(3)})
	}},
	{"429 with Retry-After as an HTTP date", 2, func(_ context.Context, sim *simulator.Server, r *rand.Rand) error {
		return sim.Inject429(simulator.TooManyRequestsFault{Burst: simulator.Burst{Count: 1 + r.IntN(2)}, RetryAfter: simulator.RetryAfterDate, Seconds: 2 + r.IntN(2)})
	}},
	{"429 without Retry-After", 2, func(_ context.Context, sim *simulator.Server, r *rand.Rand) error {
		return sim.Inject429(simulator.TooManyRequestsFault{Burst: simulator.Burst{Count: 1 + r.IntN(3)}, RetryAfter: simulator.RetryAfterNone})
	}},
	{"5xx burst", 3, func(_ context.Context, sim *simulator.Server, r *rand.Rand) error {
		statuses := []int{500, 502, 503, 504}
		return sim.Inject5xx(simulator.ServerErrorFault{Burst: simulator.Burst{Count: 1 + r.IntN(4)}, Status: statuses[r.IntN(len(statuses))]})
	}},
	{"slow answers", 2, func(ctx context.Context, sim *simulator.Server, r *rand.Rand) error {
		if err := sim.SetDelay(time.Duration(300+r.IntN(1200)) * time.Millisecond); err != nil {
			return err
		}
		sleepCtx(ctx, time.Duration(5+r.IntN(15))*time.Second)
		return sim.SetDelay(0)
	}},
	{"truncated bodies", 2, func(_ context.Context, sim *simulator.Server, r *rand.Rand) error {
		return sim.TruncateNextBodies(1 + r.IntN(2))
	}},
	{"malformed bodies", 1, func(_ context.Context, sim *simulator.Server, r *rand.Rand) error {
		return sim.MalformNextBodies(1)
	}},
	{"rejected cursor", 1, func(_ context.Context, sim *simulator.Server, r *rand.Rand) error {
		return sim.RejectNextCursors(1)
	}},
}

// faultLog counts what was injected, for the result line.
type faultLog struct {
	mu      sync.Mutex
	counts  map[string]int
	refusal int // sink refusals
	errs    []error
}

func (l *faultLog) add(name string, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.errs = append(l.errs, err)
		return
	}
	if l.counts == nil {
		l.counts = map[string]int{}
	}
	l.counts[name]++
}

func (l *faultLog) snapshot() (map[string]int, int, []error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := make(map[string]int, len(l.counts))
	for k, v := range l.counts {
		c[k] = v
	}
	return c, l.refusal, append([]error(nil), l.errs...)
}

// runFaults injects a random fault every 15-45 s until ctx ends.
func runFaults(ctx context.Context, sim *simulator.Server, r *rand.Rand, log *faultLog) {
	total := 0
	for _, f := range soakFaults {
		total += f.weight
	}
	for sleepCtx(ctx, time.Duration(15+r.IntN(30))*time.Second) {
		pick := r.IntN(total)
		for _, f := range soakFaults {
			if pick -= f.weight; pick < 0 {
				log.add(f.name, f.inject(ctx, sim, r))
				break
			}
		}
	}
}

// runRefusals makes the sink refuse every export for 5-25 s, every 1-3
// minutes, as a congested backend does: 503 or 429, with or without
// Retry-After.
func runRefusals(ctx context.Context, sink *e2ekit.Sink, r *rand.Rand, log *faultLog) {
	for sleepCtx(ctx, time.Duration(60+r.IntN(120))*time.Second) {
		status := []int{http.StatusServiceUnavailable, http.StatusTooManyRequests}[r.IntN(2)]
		hint := []string{"", "2"}[r.IntN(2)]
		sink.RefuseFor(time.Duration(5+r.IntN(20))*time.Second, status, hint)
		log.mu.Lock()
		log.refusal++
		log.mu.Unlock()
	}
}

// sleepCtx waits d and reports whether ctx is still alive.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
