//go:build e2e

package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// TestSoak runs the built collector for -soak-duration (make soak: 60 min)
// against the simulator with all three streams: a trickle of events every
// second, a backlog of 20,000-50,000 events every -soak-backlog-every, a
// random API fault every 15-45 s (soakFaults), an OTLP sink that refuses
// every export for 5-25 s every 1-3 minutes, and a SIGKILL and restart on
// the same file_storage every -soak-kill-every ±50 %. Every
// -soak-sample-every it samples the collector's RSS, goroutines (pprof),
// open descriptors and the storage directory's size.
//
// Then the faults stop and the collector catches up. The test fails if one
// event the simulator stored did not reach the sink (repeats are allowed
// and counted) or if a sampled quantity is not flat over the trailing
// window (judgeFlat; runs shorter than that window plus a warm-up only
// report it). It writes soak.csv, soak.png and soak-result.txt to
// -soak-out.
func TestSoak(t *testing.T) {
	if *soakDuration <= 0 {
		t.Skip("the soak runs only with -soak-duration, e.g. make soak")
	}
	bin := e2ekit.BinaryPath(t)
	seed := *soakSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("soak: %s, seed %d", *soakDuration, seed)
	rng := rand.New(rand.NewPCG(seed, 1))

	sim := simulator.New(simulator.Config{Seed: seed, RateLimit: &simulator.RateLimitConfig{}}) // 429s are injected
	url := e2ekit.ServeSim(t, sim, sim, nil)
	acct := sim.Accounts()[0]
	token := sim.Tokens(acct)[0]
	sink := e2ekit.NewSink(t, false)

	start := time.Now().Add(-2 * time.Hour).UTC().Truncate(time.Second)
	dir := t.TempDir()
	storageDir := filepath.Join(dir, "storage")
	if err := os.MkdirAll(storageDir, 0o700); err != nil {
		t.Fatal(err)
	}
	c := newSoakCollector(t, bin, dir, collectorConfig{
		storageDir: storageDir,
		sinkURL:    sink.URL(),
		receivers: []receiverConfig{{
			id: "onepassword", token: token, endpoint: url, startTime: start,
			pageSize: 1000, pollInterval: 2 * time.Second, rateLimit: &rateLimit{0, 0},
			extra: map[string]any{
				// A rejected cursor restarts this far before the newest
				// delivered event: beyond the start time, so that the
				// restart can lose nothing the soak added.
				"cursor_reset_overlap": (*soakDuration + 3*time.Hour).String(),
				"retry_on_failure": map[string]any{
					"enabled": true, "initial_interval": "200ms", "max_interval": "5s",
				},
			},
		}},
	})

	addBacklog := func() int {
		n := 20_000 + rng.IntN(30_001)
		for i, share := range splitRandom(rng, n, len(simulator.Streams)) {
			if err := sim.AddEvents(acct, simulator.Streams[i], share, simulator.GenOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		return n
	}

	began := time.Now()
	backlogs, backlogEvents := 1, addBacklog()
	c.start()

	ctx, cancel := context.WithCancel(t.Context())
	var faults faultLog
	var wg sync.WaitGroup
	wg.Go(func() { runFaults(ctx, sim, rand.New(rand.NewPCG(seed, 2)), &faults) })
	wg.Go(func() { runRefusals(ctx, sink, rand.New(rand.NewPCG(seed, 3)), &faults) })
	stopFaults := func() {
		cancel()
		wg.Wait()
		sim.ClearFaults()
		sink.Accept()
	}
	defer stopFaults()

	jitter := func(d time.Duration) time.Duration { return d/2 + time.Duration(rng.Int64N(int64(d))) }
	var (
		samples   []soakSample
		kills     []time.Duration
		runBegan  = time.Now()
		deadline  = began.Add(*soakDuration)
		next      = began.Add(time.Second)
		nextKill  = began.Add(jitter(*soakKillEvery))
		nextBack  = began.Add(*soakBacklog)
		nextTake  = began
		lastTrick = time.Now()
	)
	for now := time.Now(); now.Before(deadline); now = time.Now() {
		if c.current().Exited() {
			t.Fatalf("collector run %d exited by itself: %v\n%s", len(c.runs), c.current().Err(), c.lastLog(40))
		}
		// The trickle: events timed over the last second on every stream.
		if now.After(lastTrick) {
			for _, st := range simulator.Streams {
				if err := sim.AddEvents(acct, st, *soakTrickle, simulator.GenOptions{Start: lastTrick, End: now}); err != nil {
					t.Fatal(err)
				}
			}
			lastTrick = now
		}
		if !now.Before(nextBack) {
			backlogs++
			backlogEvents += addBacklog()
			nextBack = nextBack.Add(*soakBacklog)
		}
		if !now.Before(nextTake) {
			if s, err := takeSample(c, sink, sim, acct, storageDir); err == nil {
				s.elapsed, s.run, s.uptime = now.Sub(began), len(c.runs), now.Sub(runBegan)
				samples = append(samples, s)
			} else {
				t.Logf("sample at %s skipped: %v", now.Sub(began).Round(time.Second), err)
			}
			nextTake = nextTake.Add(*soakSampleEvery)
		}
		if !now.Before(nextKill) {
			kills = append(kills, now.Sub(began))
			c.kill()
			c.start()
			runBegan = time.Now()
			t.Logf("%s: SIGKILL %d, run %d ready after %s", now.Sub(began).Round(time.Second), len(kills), len(c.runs), runBegan.Sub(now).Round(time.Millisecond))
			nextKill = time.Now().Add(jitter(*soakKillEvery))
		}
		next = next.Add(time.Second)
		time.Sleep(time.Until(next))
	}
	soakLen := time.Since(began)
	stopFaults()
	injected, refusals, faultErrs := faults.snapshot()
	for _, err := range faultErrs {
		t.Errorf("injecting a fault: %v", err)
	}

	// Catch up: everything stored must arrive once the faults are over.
	caughtUp := waitCaughtUp(t, c, sink, sim, acct, 20*time.Minute)
	catchUp := time.Since(began) - soakLen
	d := compareWithSimulator(t, sim, token, start, sink.Received())
	stopped := c.current().Stop(stopGrace)
	exitErr := c.current().Err()

	window, flatDecides := flatWindow(soakLen, *soakFlatWindow)
	var verdicts []flatness
	allFlat := true
	for _, rule := range flatRules {
		f := judgeFlat(rule, samples, soakLen, window)
		verdicts = append(verdicts, f)
		allFlat = allFlat && f.flat
	}

	res := soakResult{
		seed: seed, duration: soakLen, catchUp: catchUp, kills: len(kills), runs: len(c.runs),
		backlogs: backlogs, backlogEvents: backlogEvents, injected: injected, refusals: refusals,
		sinkRefused: sink.Stats().Refused, delivery: d, samples: len(samples), flat: verdicts,
		errorLines: c.errorLines(), cleanExit: stopped && exitErr == nil,
	}
	text := res.String()
	fmt.Print(text)
	if err := writeSoakOutputs(*soakOut, text, samples, soakLen-window); err != nil {
		t.Errorf("writing the soak's results: %v", err)
	}
	if !caughtUp {
		t.Errorf("the collector did not catch up within 20 minutes of the last fault")
	}
	if d.missing > 0 || d.unexpected > 0 {
		t.Errorf("delivery: %d of %d events missing, %d unexpected (e.g. %s)", d.missing, d.expected, d.unexpected, strings.Join(d.samples, ", "))
	}
	switch {
	case !allFlat && flatDecides:
		t.Errorf("not flat over the last %s: see the flatness lines above", window.Round(time.Second))
	case !flatDecides:
		t.Logf("a run of %s is too short to judge flatness (it needs -soak-flat-window plus 10 minutes); the figures above are for information", soakLen.Round(time.Second))
	}
	if !res.cleanExit {
		t.Errorf("the last run did not exit cleanly after SIGTERM: %v", exitErr)
	}
}

// splitRandom splits n into k random shares that add up to n.
func splitRandom(r *rand.Rand, n, k int) []int {
	cuts := make([]int, k-1)
	for i := range cuts {
		cuts[i] = r.IntN(n + 1)
	}
	sort.Ints(cuts)
	out := make([]int, k)
	prev := 0
	for i, c := range cuts {
		out[i], prev = c-prev, c
	}
	out[k-1] = n - prev
	return out
}

// takeSample looks at the current run of the collector.
func takeSample(c *soakCollector, sink *e2ekit.Sink, sim *simulator.Server, acct, storageDir string) (soakSample, error) {
	pid := c.current().Pid()
	mem, err := readMemory(pid)
	if err != nil {
		return soakSample{}, err
	}
	s := soakSample{rss: mem.rss}
	if s.fds, err = countFDs(pid); err != nil {
		return soakSample{}, err
	}
	if s.goroutines, err = goroutineCount(c.pprofBase()); err != nil {
		s.goroutines = -1 // a run that is still starting; the other figures stand
	}
	if s.storage, err = dirSize(storageDir); err != nil {
		return soakSample{}, err
	}
	for _, st := range simulator.Streams {
		s.stored += sim.Stored(acct, st)
		s.distinct += sink.Distinct(e2ekit.EventNameOf[st])
	}
	s.received = sink.Stats().Total
	return s, nil
}

// waitCaughtUp waits until the sink holds as many distinct uuids per stream
// as the simulator stores (generated uuids are unique).
func waitCaughtUp(t *testing.T, c *soakCollector, sink *e2ekit.Sink, sim *simulator.Server, acct string, timeout time.Duration) bool {
	t.Helper()
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(time.Second) {
		if c.current().Exited() {
			t.Errorf("the collector exited while catching up: %v\n%s", c.current().Err(), c.lastLog(40))
			return false
		}
		done := true
		for _, st := range simulator.Streams {
			if sink.Distinct(e2ekit.EventNameOf[st]) < sim.Stored(acct, st) {
				done = false
			}
		}
		if done {
			return true
		}
	}
	return false
}

// soakDelivery compares the simulator's events with the sink's.
type soakDelivery struct {
	expected, missing, repeats, unexpected int
	samples                                []string
}

// compareWithSimulator reads every event the simulator stores (through its
// handler, faults cleared) and counts which of them the sink lacks or got
// more than once.
func compareWithSimulator(t *testing.T, sim *simulator.Server, token string, start time.Time, got map[string]map[string]int) soakDelivery {
	t.Helper()
	var d soakDelivery
	for _, st := range simulator.Streams {
		name := e2ekit.EventNameOf[st]
		want := map[string]int{}
		err := e2ekit.ReadStream(sim, token, "/api/v2/"+st, start, func(item json.RawMessage) {
			var probe struct {
				UUID string `json:"uuid"`
			}
			_ = json.Unmarshal(item, &probe)
			want[probe.UUID]++
			d.expected++
		})
		if err != nil {
			t.Fatal(err)
		}
		for uuid, n := range want {
			switch g := got[name][uuid]; {
			case g < n:
				d.missing += n - g
				if len(d.samples) < 5 {
					d.samples = append(d.samples, "missing "+name+" "+uuid)
				}
			case g > n:
				d.repeats += g - n
			}
		}
		for uuid, g := range got[name] {
			if want[uuid] == 0 {
				d.unexpected += g
				if len(d.samples) < 5 {
					d.samples = append(d.samples, "unexpected "+name+" "+uuid)
				}
			}
		}
	}
	return d
}
