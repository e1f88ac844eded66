//go:build e2e

package bench

import (
	"context"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// BenchmarkDrain1M: one account holds a backlog of 1,000,000 events over its
// three streams; the collector (page_size 1000, no rate limit, cursors in
// file_storage, exporter nop) drains it. The same backlog is also read by
// the plain floor client (drainFloor), before and after the collector, so
// the receiver's rate is compared with the best any client achieves
// against this simulator on this machine at this moment. A CPU profile of
// the collector is taken during its drain (see -profile-dir).
//
// Every rate is timed by the simulator: from the arrival of the account's
// first POST to the moment the response that completed the backlog was
// written.
func BenchmarkDrain1M(b *testing.B) {
	bin := e2ekit.BinaryPath(b)
	total, pageSize := *drainEvents, *drainPageSize

	h := startSim(b, simulator.Config{Seed: 1, RateLimit: &simulator.RateLimitConfig{}}) // no rate limit
	acct := h.sim.Accounts()[0]
	token := h.sim.Tokens(acct)[0]
	now := time.Now()
	oldest := now.Add(-30 * 24 * time.Hour)
	start := oldest.Add(-time.Hour) // start_time before the oldest event
	h.addSpread(b, acct, total, oldest, now.Add(-time.Minute))
	b.ResetTimer()

	before := measureFloor(b, h, acct, token, pageSize, start, total)
	rec := drainWithCollector(b, h, bin, acct, token, pageSize, start, total, before.seconds)
	after := measureFloor(b, h, acct, token, pageSize, start, total)
	b.StopTimer()

	floor := max(before.rate, after.rate) // the conservative ratio: against the best floor
	r := newResult(b, "Drain1M")
	r.note("events", float64(total))
	r.metric("receiver_events_per_s", round(rec.rate, 0), "events/s")
	r.metric("floor_events_per_s", round(floor, 0), "floor-events/s")
	r.note("floor_before_events_per_s", round(before.rate, 0))
	r.note("floor_after_events_per_s", round(after.rate, 0))
	r.metric("ratio_pct", round(100*rec.rate/floor, 1), "%-of-floor")
	r.metric("peak_rss_mib", round(mib(rec.mem.peak), 1), "peak-RSS-MiB")
	r.note("rss_end_mib", round(mib(rec.mem.rss), 1))
	r.note("drain_s", round(rec.seconds, 3))
	r.note("cpu_s", round(rec.cpu.Seconds(), 2))
	r.note("cpu_us_per_event", round(float64(rec.cpu.Microseconds())/float64(total), 2))
	r.note("collector_cores", round(rec.cpu.Seconds()/rec.seconds, 2))
	r.note("requests", float64(rec.requests))
	r.note("tcp_connections", float64(rec.conns))
	r.note("floor_tcp_connections", float64(before.conns))
	r.note("accepted_log_records", rec.accepted)
	r.note("collector_error_lines", float64(rec.errorLines))
	r.note("profile_s", float64(rec.profileSeconds))
	r.print()
}

type drainRun struct {
	seconds        float64
	rate           float64 // events per second
	requests       int
	conns          int64 // TCP connections the client opened
	mem            memory
	cpu            time.Duration
	accepted       float64
	errorLines     int
	profileSeconds int
}

// timed returns how long the account's drain took, by the simulator's
// clock: first POST arrival to the completing response.
func (h *simHarness) timed(b *testing.B, acct string, w *servedWatch, total int) drainRun {
	b.Helper()
	first, ok := h.firstRequest(acct, http.MethodPost)
	if !ok {
		b.Fatal("no POST in the simulator's request log")
	}
	secs := w.at.Sub(first).Seconds()
	return drainRun{seconds: secs, rate: float64(total) / secs, requests: len(h.requestsOf(acct))}
}

func measureFloor(b *testing.B, h *simHarness, acct, token string, pageSize int, start time.Time, total int) drainRun {
	b.Helper()
	h.sim.ResetStats()
	conns := h.conns.Load()
	w := h.watch(acct, total)
	ctx, cancel := context.WithTimeout(b.Context(), 10*time.Minute)
	defer cancel()
	if _, err := drainFloor(ctx, h.url, token, pageSize, start); err != nil {
		b.Fatalf("floor client: %v", err)
	}
	// the client may finish reading before the server goroutine notes it
	select {
	case <-w.done:
	case <-time.After(10 * time.Second):
		b.Fatalf("floor client finished but the simulator served %d of %d events", h.served(acct), total)
	}
	run := h.timed(b, acct, w, total)
	run.conns = h.conns.Load() - conns
	b.Logf("floor: %d events in %.3f s = %.0f events/s, %d requests", total, run.seconds, run.rate, run.requests)
	return run
}

func drainWithCollector(b *testing.B, h *simHarness, bin, acct, token string, pageSize int, start time.Time, total int, floorSeconds float64) drainRun {
	b.Helper()
	dir := b.TempDir()
	cfg := collectorConfig{
		storageDir:  filepath.Join(dir, "storage"),
		metricsPort: e2ekit.FreePort(b),
		receivers: []receiverConfig{{
			id: "onepassword", token: token, endpoint: h.url, startTime: start,
			pageSize: pageSize, pollInterval: time.Second, rateLimit: &rateLimit{0, 0},
		}},
	}
	if err := os.MkdirAll(cfg.storageDir, 0o700); err != nil {
		b.Fatal(err)
	}
	profiling := *profileDir != ""
	if profiling {
		cfg.pprofPort = e2ekit.FreePort(b)
	}

	h.sim.ResetStats()
	conns := h.conns.Load()
	if profiling {
		h.holdAPI() // until the profile runs, so that it covers the drain
	}
	defer h.releaseAPI()
	c := startCollector(b, bin, dir, cfg)
	defer c.stop()
	w := h.watch(acct, total)
	ctx, cancel := context.WithTimeout(b.Context(), 15*time.Minute)
	defer cancel()

	var profile chan error
	var profilePath string
	seconds := 0
	if profiling {
		pprofBase := "http://127.0.0.1:" + itoa(cfg.pprofPort)
		if err := waitHTTP(ctx, pprofBase+"/debug/pprof/", c); err != nil {
			b.Fatal(err)
		}
		if err := os.MkdirAll(*profileDir, 0o755); err != nil {
			b.Fatal(err)
		}
		profilePath = filepath.Join(*profileDir, "drain-cpu.prof")
		// CPU samples come only from busy time, so a window longer than the
		// drain costs nothing but waiting; twelve times the floor's
		// duration covers a receiver that reaches a twelfth of the floor.
		seconds = int(math.Min(60, math.Max(5, math.Ceil(12*floorSeconds))))
		profile = make(chan error, 1)
		go func() { profile <- captureCPUProfile(ctx, pprofBase, seconds, profilePath) }()
		time.Sleep(300 * time.Millisecond) // the profiler starts on the request's arrival
	}
	cpu0, _ := readCPU(c.Pid())
	h.releaseAPI()

	if err := w.wait(ctx, c); err != nil {
		b.Fatalf("drain: %v (served %d of %d)", err, h.served(acct), total)
	}
	mem, err := readMemory(c.Pid())
	if err != nil {
		b.Fatal(err)
	}
	cpu1, _ := readCPU(c.Pid())
	run := h.timed(b, acct, w, total)
	run.mem, run.cpu, run.profileSeconds = mem, cpu1-cpu0, seconds
	run.conns = h.conns.Load() - conns

	// The simulator has served the last page; the pipeline accepts it a
	// moment later.
	metricsURL := "http://127.0.0.1:" + itoa(cfg.metricsPort) + "/metrics"
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		run.accepted, err = scrapeSum(metricsURL, "otelcol_receiver_accepted_log_records")
		if (err == nil && run.accepted >= float64(total)) || time.Now().After(deadline) {
			break
		}
	}
	if run.accepted != float64(total) {
		b.Errorf("the pipeline accepted %.0f records, the simulator served %d events (scrape error: %v)", run.accepted, total, err)
	}
	if profiling {
		if err := <-profile; err != nil {
			b.Errorf("CPU profile: %v", err)
		} else {
			writeProfileTops(b, profilePath)
		}
	}
	run.errorLines = c.countLogLines("\terror\t")
	c.stop()
	b.Logf("receiver: %d events in %.3f s = %.0f events/s, %d requests, %d TCP connections, peak RSS %.1f MiB",
		total, run.seconds, run.rate, run.requests, run.conns, mib(run.mem.peak))
	return run
}

// writeProfileTops saves the flat and the cumulative top-25 next to the
// profile, the text BENCHMARKS.md quotes.
func writeProfileTops(b *testing.B, profilePath string) {
	b.Helper()
	for name, extra := range map[string][]string{"drain-cpu-top.txt": nil, "drain-cpu-top-cum.txt": {"-cum"}} {
		text, err := pprofTop(profilePath, extra...)
		if err != nil {
			b.Errorf("pprof: %v", err)
			continue
		}
		dst := filepath.Join(filepath.Dir(profilePath), name)
		if err := os.WriteFile(dst, []byte(text), 0o644); err != nil {
			b.Error(err)
		}
		b.Logf("CPU profile top: %s", dst)
	}
}
