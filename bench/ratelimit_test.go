//go:build e2e

package bench

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// BenchmarkRateLimitSustained: the simulator enforces R requests per minute
// (no hourly limit) with its exact sliding window, the receiver is given the
// same budget, and the backlog (page_size 10, 20,000 events per stream)
// cannot be drained within the run. The receiver should use its budget and
// never be refused:
//
//   - share_pct: requests the simulator accepted in the first W whole
//     minutes after the account's first request, as a share of W*R;
//   - too_many_requests: 429 answers (the simulator counts them);
//   - max_in_any_minute: the most accepted requests in any sliding minute
//     (at most R, or the simulator would have refused some);
//   - slot_period_s: the mean time between request i and request i+R, the
//     steady-state period of the budget (60 s plus the receiver's guard),
//     and steady_share_pct, the long-run rate it allows as a share of R.
func BenchmarkRateLimitSustained(b *testing.B) {
	bin := e2ekit.BinaryPath(b)
	rpm, windows := *rateLimitRPM, *rateLimitWindows
	const perStream = 20_000

	h := startSim(b, simulator.Config{Seed: 2, RateLimit: &simulator.RateLimitConfig{RequestsPerMinute: rpm}})
	acct := h.sim.Accounts()[0]
	now := time.Now()
	oldest := now.Add(-7 * 24 * time.Hour)
	h.addSpread(b, acct, 3*perStream, oldest, now.Add(-time.Minute))

	dir := b.TempDir()
	cfg := collectorConfig{
		storageDir:  filepath.Join(dir, "storage"),
		metricsPort: e2ekit.FreePort(b),
		receivers: []receiverConfig{{
			id: "onepassword", token: h.sim.Tokens(acct)[0], endpoint: h.url,
			startTime: oldest.Add(-time.Hour), pageSize: 10, pollInterval: time.Second,
			rateLimit: &rateLimit{perMinute: rpm},
		}},
	}
	if err := os.MkdirAll(cfg.storageDir, 0o700); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	h.sim.ResetStats()
	c := startCollector(b, bin, dir, cfg)
	defer c.stop()

	// Run for W whole windows after the first request, plus a margin.
	var t0 time.Time
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var ok bool
		if t0, ok = h.firstRequest(acct, ""); ok {
			break
		}
		if !c.running() || time.Now().After(deadline) {
			b.Fatalf("no request from the collector: %s", c.logTail(20))
		}
	}
	measured := time.Duration(windows) * time.Minute
	select {
	case <-time.After(time.Until(t0.Add(measured + 10*time.Second))):
	case <-c.Done():
		b.Fatalf("the collector exited: %s", c.logTail(20))
	case <-b.Context().Done():
		b.Fatal(b.Context().Err())
	}
	c.stop()
	b.StopTimer()

	var accepted []time.Time
	for _, rec := range h.requestsOf(acct) {
		if rec.Status == http.StatusOK {
			accepted = append(accepted, rec.Time)
		}
	}
	inWindows := 0
	for _, t := range accepted {
		if t.Before(t0.Add(measured)) {
			inWindows++
		}
	}
	period, minPeriod := slotPeriod(accepted, rpm)

	r := newResult(b, "RateLimitSustained")
	r.note("limit_per_minute", float64(rpm))
	r.note("windows", float64(windows))
	r.note("accepted_in_windows", float64(inWindows))
	r.metric("share_pct", round(100*float64(inWindows)/float64(windows*rpm), 1), "%-of-limit")
	r.metric("too_many_requests", float64(h.sim.Stats().TooManyRequests), "429s")
	r.note("max_in_any_minute", float64(maxInWindow(accepted, time.Minute)))
	r.note("slot_period_s", round(period.Seconds(), 3))
	if period > 0 {
		// the long-run rate: R requests per slot period
		r.note("steady_share_pct", round(100*time.Minute.Seconds()/period.Seconds(), 1))
	}
	r.note("min_slot_period_s", round(minPeriod.Seconds(), 3))
	r.note("requests_total", float64(len(accepted)))
	r.note("collector_error_lines", float64(c.countLogLines("\terror\t")))
	r.print()
}

// maxInWindow returns the most times (sorted) inside any interval
// (t-length, t], the simulator's definition of its window.
func maxInWindow(times []time.Time, length time.Duration) int {
	best, lo := 0, 0
	for hi, t := range times {
		for !times[lo].After(t.Add(-length)) {
			lo++
		}
		best = max(best, hi-lo+1)
	}
	return best
}

// slotPeriod returns the mean and the smallest gap between request i and
// request i+n: how long the limiter makes a slot wait before it is reused.
func slotPeriod(times []time.Time, n int) (mean, smallest time.Duration) {
	if len(times) <= n {
		return 0, 0
	}
	var sum time.Duration
	gaps := make([]time.Duration, 0, len(times)-n)
	for i := n; i < len(times); i++ {
		gaps = append(gaps, times[i].Sub(times[i-n]))
		sum += gaps[len(gaps)-1]
	}
	return sum / time.Duration(len(gaps)), slices.Min(gaps)
}
