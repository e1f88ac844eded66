//go:build e2e

package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// inFlightGrace is how much later than a 429 a request may reach the
// simulator and still count as already in flight when the 429 was answered
// (sent before the receiver read the 429). Loopback latency is far below it;
// it absorbs scheduling delays on a loaded 2-core machine.
const inFlightGrace = 100 * time.Millisecond

// announced429 is how one injected 429 announced its Retry-After.
type announced429 struct {
	Mode    simulator.RetryAfterMode
	Seconds int
}

// notBefore is the earliest moment the API allowed the next request after a
// 429 that arrived at t. An HTTP date has whole seconds (the simulator
// truncates), so it may name a moment up to a second before t+Seconds.
func (a announced429) notBefore(t time.Time) time.Time {
	until := t.Add(time.Duration(a.Seconds) * time.Second)
	if a.Mode == simulator.RetryAfterDate {
		return until.Truncate(time.Second)
	}
	return until
}

// apiRequests keeps the Events API requests of a request log (the admin API
// is not logged anyway; this also drops anything else).
func apiRequests(log []simulator.RequestRecord) []simulator.RequestRecord {
	var out []simulator.RequestRecord
	for _, r := range log {
		if strings.HasPrefix(r.Path, "/api/") {
			out = append(out, r)
		}
	}
	return out
}

// retryAfterViolations lists requests that reached the API after a 429 and
// before its Retry-After had passed, leaving out those within inFlightGrace
// of the 429 (already in flight). The 429s of the log are matched in order
// with announced, which must list every 429 the simulator sent.
func retryAfterViolations(log []simulator.RequestRecord, announced []announced429) ([]string, error) {
	var violations []string
	k := 0
	for i, r := range log {
		if r.Status != http.StatusTooManyRequests {
			continue
		}
		if k >= len(announced) {
			return nil, fmt.Errorf("the log holds more 429s than were injected (%d)", len(announced))
		}
		a := announced[k]
		k++
		allowed := a.notBefore(r.Time)
		for _, next := range log[i+1:] {
			if !next.Time.Before(allowed) {
				break // the log is in arrival order
			}
			if next.Time.Sub(r.Time) <= inFlightGrace {
				continue
			}
			violations = append(violations, fmt.Sprintf("%s %d at +%s after the 429 on %s (Retry-After %s %d allowed +%s)",
				next.Path, next.Status, next.Time.Sub(r.Time).Round(time.Millisecond), r.Path,
				a.Mode, a.Seconds, allowed.Sub(r.Time).Round(time.Millisecond)))
		}
	}
	if k != len(announced) {
		return nil, fmt.Errorf("the log holds %d 429s, %d were injected", k, len(announced))
	}
	return violations, nil
}

// earlyRetries lists requests on the same path that followed a failed
// (4xx/5xx) request sooner than min: the contract's floor for any retry.
// Each stream has at most one request in flight, so the next request on the
// path is the stream's retry.
func earlyRetries(log []simulator.RequestRecord, min time.Duration) []string {
	var out []string
	for i, r := range log {
		if r.Status < 400 || r.Status == 499 {
			continue
		}
		for _, next := range log[i+1:] {
			if next.Path != r.Path {
				continue
			}
			if gap := next.Time.Sub(r.Time); gap < min {
				out = append(out, fmt.Sprintf("%s retried %s after a %d", r.Path, gap.Round(time.Millisecond), r.Status))
			}
			break
		}
	}
	return out
}

// statusCounts counts the log's requests by status.
func statusCounts(log []simulator.RequestRecord) map[int]int {
	out := map[int]int{}
	for _, r := range log {
		out[r.Status]++
	}
	return out
}
