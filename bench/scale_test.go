//go:build e2e

package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// BenchmarkScale100Accounts: what one more account costs. A collector with
// N receiver instances (onepassword/a000 ... , one simulator account and
// token each, default poll_interval 10s, page_size 1000 and rate limits,
// cursors in file_storage, exporter nop) is measured twice:
//
//   - idle: every instance caught up, over -scale-idle (60 s): mean VmRSS and
//     CPU (utime+stime) as a share of one core;
//   - drain: -scale-drain-events (2,000) new events per account at once,
//     until the pipeline has accepted them all (the collector's
//     otelcol_receiver_accepted_log_records): peak VmRSS and CPU;
//   - idle after the drain, over -scale-post-drain (30 s): mean VmRSS, CPU
//     and the collector's live Go heap after a forced GC
//     (otelcol_process_runtime_heap_alloc_bytes), i.e. what a drain leaves
//     behind; the heap profile is kept under -profile-dir.
//
// The same is measured for a collector with one instance, and the cost per
// instance is (N-instance figure - 1-instance figure) / (N - 1), which
// removes what the collector costs by itself.
func BenchmarkScale100Accounts(b *testing.B) {
	bin := e2ekit.BinaryPath(b)
	n := *scaleAccounts
	if n < 2 {
		b.Fatalf("-scale-accounts=%d: need at least 2 to compare with one instance", n)
	}
	b.ResetTimer()
	one := runScale(b, bin, 1)
	many := runScale(b, bin, n)
	b.StopTimer()

	per := func(x1, xn float64) float64 { return (xn - x1) / float64(n-1) }
	r := newResult(b, fmt.Sprintf("Scale%dAccounts", n))
	r.note("instances", float64(n))
	r.metric("idle_rss_mib_per_instance", round(per(mib(one.idleRSS), mib(many.idleRSS)), 3), "idle-MiB/instance")
	r.metric("idle_cpu_pct_per_instance", round(per(one.idleCorePct(), many.idleCorePct()), 4), "idle-%core/instance")
	r.metric("drain_rss_mib_per_instance", round(per(mib(one.drainPeakRSS), mib(many.drainPeakRSS)), 3), "drain-MiB/instance")
	r.note("drain_cpu_ms_per_instance", round(per(ms(one.drainCPU), ms(many.drainCPU)), 1))
	r.metric("post_drain_rss_mib_per_instance", round(per(mib(one.postDrainRSS), mib(many.postDrainRSS)), 3), "post-drain-MiB/instance")
	r.note("post_drain_heap_mib_per_instance", round(per(mib(one.postDrainHeap), mib(many.postDrainHeap)), 3))
	r.note("post_drain_cpu_pct_per_instance", round(per(one.postDrainCorePct(), many.postDrainCorePct()), 4))
	for _, p := range []scaleRun{one, many} {
		k := fmt.Sprintf("n%d_", p.instances)
		r.note(k+"catch_up_s", round(p.catchUp.Seconds(), 1))
		r.note(k+"idle_rss_mib", round(mib(p.idleRSS), 1))
		r.note(k+"idle_rss_max_mib", round(mib(p.idleRSSMax), 1))
		r.note(k+"idle_cpu_pct", round(p.idleCorePct(), 3))
		r.note(k+"idle_s", round(p.idleWall.Seconds(), 1))
		r.note(k+"idle_requests_per_s", round(float64(p.idleRequests)/p.idleWall.Seconds(), 2))
		r.note(k+"drain_s", round(p.drainWall.Seconds(), 1))
		r.note(k+"drain_cpu_s", round(p.drainCPU.Seconds(), 2))
		r.note(k+"drain_cpu_us_per_event", round(float64(p.drainCPU.Microseconds())/float64(p.instances**scaleDrainEvents), 2))
		r.note(k+"drain_peak_rss_mib", round(mib(p.drainPeakRSS), 1))
		r.note(k+"post_drain_rss_mib", round(mib(p.postDrainRSS), 1))
		r.note(k+"post_drain_heap_mib", round(mib(p.postDrainHeap), 1))
		r.note(k+"post_drain_cpu_pct", round(p.postDrainCorePct(), 3))
		r.note(k+"vmhwm_mib", round(mib(p.hwm), 1))
		r.note(k+"too_many_requests", float64(p.tooMany))
		r.note(k+"tcp_connections", float64(p.conns))
		r.note(k+"collector_error_lines", float64(p.errorLines))
	}
	r.print()
}

// initialEvents per account are a small backlog to catch up on first.
const initialEvents = 300

type scaleRun struct {
	instances     int
	catchUp       time.Duration
	idleRSS       int64 // mean of the VmRSS samples
	idleRSSMax    int64
	idleCPU       time.Duration
	idleWall      time.Duration
	idleRequests  int
	drainCPU      time.Duration
	drainWall     time.Duration
	drainPeakRSS  int64 // the largest VmRSS sample while draining
	postDrainRSS  int64 // mean VmRSS once idle again after the drain
	postDrainCPU  time.Duration
	postDrainWall time.Duration
	postDrainHeap int64 // the collector's Go heap then (its own metric)
	hwm           int64 // VmHWM at the end: the peak of the whole run
	tooMany       int
	conns         int64
	errorLines    int
}

func (p scaleRun) idleCorePct() float64 { return 100 * p.idleCPU.Seconds() / p.idleWall.Seconds() }

func (p scaleRun) postDrainCorePct() float64 {
	return 100 * p.postDrainCPU.Seconds() / p.postDrainWall.Seconds()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func runScale(b *testing.B, bin string, n int) scaleRun {
	b.Helper()
	// Default simulator limits (600/min, 30,000/h per account), as the API.
	h := startSim(b, simulator.Config{Seed: 3, Accounts: make([]simulator.AccountConfig, n)})
	accounts := h.sim.Accounts()
	now := time.Now()
	oldest := now.Add(-24 * time.Hour)
	dir := b.TempDir()
	cfg := collectorConfig{storageDir: filepath.Join(dir, "storage"), metricsPort: e2ekit.FreePort(b), pprofPort: e2ekit.FreePort(b)}
	for i, acct := range accounts {
		h.addSpread(b, acct, initialEvents, oldest, now.Add(-time.Minute))
		cfg.receivers = append(cfg.receivers, receiverConfig{
			id: fmt.Sprintf("onepassword/a%03d", i), token: h.sim.Tokens(acct)[0],
			endpoint: h.url, startTime: oldest.Add(-time.Hour),
		})
	}
	if err := os.MkdirAll(cfg.storageDir, 0o700); err != nil {
		b.Fatal(err)
	}
	run := scaleRun{instances: n}
	conns := h.conns.Load()
	start := time.Now()
	c := startCollector(b, bin, dir, cfg)
	defer c.stop()
	waitUntil(b, c, 3*time.Minute, "catching up", h.caughtUp)
	run.catchUp = time.Since(start)
	pause(b, c, *scaleSettle)

	// idle
	requests0 := totalRequests(h.sim.Stats())
	cpu0, t0 := mustCPU(b, c), time.Now()
	run.idleRSS, run.idleRSSMax = sampleRSS(b, c, *scaleIdle)
	run.idleCPU, run.idleWall = mustCPU(b, c)-cpu0, time.Since(t0)
	run.idleRequests = totalRequests(h.sim.Stats()) - requests0

	// drain: every account gets its events at once
	now = time.Now()
	for _, acct := range accounts {
		h.addSpread(b, acct, *scaleDrainEvents, now.Add(-5*time.Minute), now)
	}
	hwmBefore := mustMemory(b, c).peak
	cpu0, t0 = mustCPU(b, c), time.Now()
	sampled := int64(0)
	waitUntil(b, c, 3*time.Minute, "draining", func() bool {
		sampled = max(sampled, mustMemory(b, c).rss)
		return h.caughtUp()
	})
	// The simulator has served everything; the last pages are still being
	// decoded. The drain ends when the pipeline has accepted every event.
	metricsURL := "http://127.0.0.1:" + itoa(cfg.metricsPort) + "/metrics"
	want := float64(n * (initialEvents + *scaleDrainEvents))
	waitUntil(b, c, time.Minute, "delivering", func() bool {
		sampled = max(sampled, mustMemory(b, c).rss)
		accepted, err := scrapeSum(metricsURL, "otelcol_receiver_accepted_log_records")
		return err == nil && accepted >= want
	})
	run.drainCPU, run.drainWall = mustCPU(b, c)-cpu0, time.Since(t0)
	// VmHWM is exact where sampling may miss the top; it belongs to the
	// drain when the drain raised it.
	run.drainPeakRSS = sampled
	if hwm := mustMemory(b, c).peak; hwm > hwmBefore {
		run.drainPeakRSS = hwm
	}

	// idle again: what the drain left behind (buffers kept per stream)
	pause(b, c, *scaleSettle)
	cpu0, t0 = mustCPU(b, c), time.Now()
	run.postDrainRSS, _ = sampleRSS(b, c, *scalePostDrain)
	run.postDrainCPU, run.postDrainWall = mustCPU(b, c)-cpu0, time.Since(t0)
	run.postDrainHeap = liveHeap(b, c, cfg, n)
	run.hwm = mustMemory(b, c).peak
	run.tooMany = h.sim.Stats().TooManyRequests
	run.errorLines = c.countLogLines("\terror\t")
	c.stop()
	run.conns = h.conns.Load() - conns
	b.Logf("%d instances: caught up in %s; idle %.1f MiB, %.3f%% of a core; drain %s, %.2f s CPU, peak %.1f MiB",
		n, run.catchUp.Round(time.Millisecond), mib(run.idleRSS), run.idleCorePct(), run.drainWall.Round(time.Millisecond),
		run.drainCPU.Seconds(), mib(run.drainPeakRSS))
	return run
}

// liveHeap collects the garbage in the collector (through a heap profile
// with gc=1, kept under -profile-dir) and returns its Go heap then, from
// its own metric otelcol_process_runtime_heap_alloc_bytes.
func liveHeap(b *testing.B, c *collector, cfg collectorConfig, n int) int64 {
	b.Helper()
	dst := filepath.Join(b.TempDir(), "heap.prof")
	if *profileDir != "" {
		if err := os.MkdirAll(*profileDir, 0o755); err != nil {
			b.Fatal(err)
		}
		dst = filepath.Join(*profileDir, fmt.Sprintf("scale-n%d-heap.prof", n))
	}
	if err := captureLiveHeap(b.Context(), "http://127.0.0.1:"+itoa(cfg.pprofPort), dst); err != nil {
		b.Errorf("heap profile: %v", err)
		return 0
	}
	if *profileDir != "" {
		if text, err := pprofTop(dst, "-sample_index=inuse_space"); err != nil {
			b.Errorf("pprof: %v", err)
		} else if err := os.WriteFile(strings.TrimSuffix(dst, ".prof")+"-top.txt", []byte(text), 0o644); err != nil {
			b.Error(err)
		}
	}
	pause(b, c, 1100*time.Millisecond) // the collector caches its memory stats for a second
	heap, err := scrapeSum("http://127.0.0.1:"+itoa(cfg.metricsPort)+"/metrics", "otelcol_process_runtime_heap_alloc_bytes")
	if err != nil {
		b.Errorf("heap metric: %v", err)
	}
	return int64(heap)
}

// sampleRSS samples VmRSS every second for d and returns the mean and the
// largest sample.
func sampleRSS(b *testing.B, c *collector, d time.Duration) (mean, largest int64) {
	b.Helper()
	var sum int64
	samples := 0
	for end := time.Now().Add(d); time.Now().Before(end); {
		pause(b, c, min(time.Second, time.Until(end)))
		rss := mustMemory(b, c).rss
		sum += rss
		samples++
		largest = max(largest, rss)
	}
	return sum / int64(max(samples, 1)), largest
}

func totalRequests(st simulator.Stats) int {
	n := 0
	for _, byStatus := range st.Requests {
		for _, c := range byStatus {
			n += c
		}
	}
	return n
}

// waitUntil polls cond every 200 ms until it holds; it fails the benchmark
// after timeout or when the collector exits.
func waitUntil(b *testing.B, c *collector, timeout time.Duration, what string, cond func() bool) {
	b.Helper()
	for deadline := time.Now().Add(timeout); !cond(); {
		if time.Now().After(deadline) {
			b.Fatalf("%s: not done after %s: %s", what, timeout, c.logTail(20))
		}
		pause(b, c, 200*time.Millisecond)
	}
}

// pause sleeps d, failing the benchmark if the collector exits meanwhile.
func pause(b *testing.B, c *collector, d time.Duration) {
	b.Helper()
	select {
	case <-time.After(d):
	case <-c.Done():
		b.Fatalf("the collector exited: %s", c.logTail(20))
	case <-b.Context().Done():
		b.Fatal(b.Context().Err())
	}
}

func mustCPU(b *testing.B, c *collector) time.Duration {
	b.Helper()
	d, err := readCPU(c.Pid())
	if err != nil {
		b.Fatal(err)
	}
	return d
}

func mustMemory(b *testing.B, c *collector) memory {
	b.Helper()
	m, err := readMemory(c.Pid())
	if err != nil {
		b.Fatal(err)
	}
	return m
}
