//go:build e2e

package e2e

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// delivery compares what the API served with what the sink received.
type delivery struct {
	Expected   int      // events the API serves
	Missing    int      // events that never arrived
	Duplicates int      // arrivals beyond the expected number, per uuid
	Unexpected int      // arrivals of uuids the API does not serve under that EventName
	Samples    []string // a few missing or unexpected events, for the failure message
}

func (d delivery) String() string {
	s := fmt.Sprintf("expected=%d missing=%d duplicates=%d unexpected=%d", d.Expected, d.Missing, d.Duplicates, d.Unexpected)
	if len(d.Samples) > 0 {
		s += " e.g. " + strings.Join(d.Samples, ", ")
	}
	return s
}

// compareDelivery counts missing, repeated and unexpected arrivals by
// (EventName, uuid). A uuid the API serves twice (fixtures repeat some)
// must arrive at least twice.
func compareDelivery(want expectation, got map[string]map[string]int) delivery {
	var d delivery
	names := make(map[string]bool)
	for name := range want {
		names[name] = true
	}
	for name := range got {
		names[name] = true
	}
	sorted := make([]string, 0, len(names))
	for name := range names {
		sorted = append(sorted, name)
	}
	sort.Strings(sorted)
	for _, name := range sorted {
		wantN := map[string]int{}
		for _, ev := range want[name] {
			d.Expected++
			if ev.HasUUID {
				wantN[ev.UUID]++
			}
		}
		gotN := got[name]
		for uuid, n := range wantN {
			switch g := gotN[uuid]; {
			case g < n:
				d.Missing += n - g
				if len(d.Samples) < 5 {
					d.Samples = append(d.Samples, fmt.Sprintf("missing %s %s", name, uuid))
				}
			case g > n:
				d.Duplicates += g - n
			}
		}
		for uuid, g := range gotN {
			if wantN[uuid] == 0 {
				d.Unexpected += g
				if len(d.Samples) < 5 {
					d.Samples = append(d.Samples, fmt.Sprintf("unexpected %s %s", name, uuid))
				}
			}
		}
	}
	return d
}

// missingOnly counts the expected events not yet received; it is the cheap
// check used while waiting.
func missingOnly(want map[string]map[string]int, got map[string]map[string]int) int {
	missing := 0
	for name, m := range want {
		for uuid, n := range m {
			if g := got[name][uuid]; g < n {
				missing += n - g
			}
		}
	}
	return missing
}

// wantCounts turns an expectation into uuid multiplicities.
func wantCounts(want expectation) map[string]map[string]int {
	out := map[string]map[string]int{}
	for name, evs := range want {
		m := map[string]int{}
		for _, ev := range evs {
			if ev.HasUUID {
				m[ev.UUID]++
			}
		}
		out[name] = m
	}
	return out
}

// stallLimit ends a wait early when nothing new arrived for this long while
// events are still missing: every test polls each second and backs off for
// at most a few seconds, so a longer silence means they are lost.
const stallLimit = 45 * time.Second

// waitDelivered waits until every expected event arrived, failing the test
// if the collector exits, nothing arrives for stallLimit, or the time runs
// out.
func waitDelivered(t testing.TB, c *collector, sink *otlpSink, want expectation, timeout time.Duration) {
	t.Helper()
	counts := wantCounts(want)
	missing := -1
	lastTotal, lastChange := -1, time.Now()
	stalled := false
	ok := waitFor(timeout, 200*time.Millisecond, func() bool {
		if c != nil && !c.alive() {
			return true // reported below
		}
		if total := sink.Stats().Total; total != lastTotal {
			lastTotal, lastChange = total, time.Now()
		}
		missing = missingOnly(counts, sink.Received())
		if missing > 0 && time.Since(lastChange) > stallLimit {
			stalled = true
			return true
		}
		return missing == 0
	})
	if c != nil && !c.alive() {
		t.Fatalf("the collector exited while draining (%d events still missing): %v", missing, c.current().Err())
	}
	if stalled {
		t.Fatalf("%d of %d events missing, and nothing arrived for %s", missing, want.total(), stallLimit)
	}
	if !ok {
		t.Fatalf("%d of %d events did not arrive within %s", missing, want.total(), timeout)
	}
}

// waitStored waits until the sink holds as many distinct uuids per
// EventName as the simulator stores: all of them, for generated events
// (their uuids are unique). It avoids reading the reference while the
// request log still matters.
func waitStored(t testing.TB, c *collector, sink *otlpSink, env *simEnv, timeout time.Duration) {
	t.Helper()
	var short []string
	ok := waitFor(timeout, 200*time.Millisecond, func() bool {
		if !c.alive() {
			return true
		}
		short = short[:0]
		for name, n := range env.storedByEvent() {
			if got := sink.Distinct(name); got < n {
				short = append(short, fmt.Sprintf("%s %d/%d", name, got, n))
			}
		}
		return len(short) == 0
	})
	if !c.alive() {
		t.Fatalf("the collector exited while draining: %v", c.current().Err())
	}
	if !ok {
		t.Fatalf("not everything arrived within %s: %s", timeout, strings.Join(short, ", "))
	}
}

// waitFor polls cond every interval until it holds or timeout passes.
func waitFor(timeout, interval time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(interval)
	}
}
