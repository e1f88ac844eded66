package ratelimit

import (
	"context"
	"sync"
	"time"
)

// Window is one sliding-window limit: at most Limit requests in any
// interval of length Length. A Limit of 0 disables the window.
type Window struct {
	Length time.Duration
	Limit  int
}

// RateGuard is added to every window when a slot is computed. The server
// sees a request some time after it left; without a guard, two requests sent
// exactly one window apart could land inside one server-side window when the
// network delays the first more than the second.
const RateGuard = 500 * time.Millisecond

// Limiter is a sliding-window-log rate limiter shared by all streams of one
// receiver instance (the API's budget is per account). Unlike a token
// bucket, it never allows a double burst across a window edge: no interval
// of a window's length ever holds more than its limit of requests.
//
// It also carries the instance-wide pause that a 429 imposes.
type Limiter struct {
	mu          sync.Mutex
	windows     []windowLog
	pausedUntil time.Time
	last        time.Time
	now         func() time.Time
}

// windowLog remembers the send times of the latest Limit requests. The ring
// grows lazily, so an idle instance holds only what it used.
type windowLog struct {
	Window
	times []time.Time
	head  int // index of the oldest entry once the ring is full
}

// NewLimiter builds a limiter for the given windows.
func NewLimiter(windows ...Window) *Limiter {
	l := &Limiter{now: time.Now}
	for _, w := range windows {
		if w.Limit > 0 && w.Length > 0 {
			l.windows = append(l.windows, windowLog{Window: w})
		}
	}
	return l
}

// Reserve records a request slot and returns when it may be sent: now, or
// later when a window is full or the instance is paused.
func (l *Limiter) Reserve() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	at := now
	if l.pausedUntil.After(at) {
		at = l.pausedUntil
	}
	for i := range l.windows {
		w := &l.windows[i]
		if len(w.times) == w.Limit {
			if free := w.times[w.head].Add(w.Length + RateGuard); free.After(at) {
				at = free
			}
		}
	}
	// Slots are handed out in order, which keeps every ring sorted.
	if l.last.After(at) {
		at = l.last
	}
	l.last = at
	for i := range l.windows {
		w := &l.windows[i]
		if len(w.times) < w.Limit {
			w.times = append(w.times, at)
			continue
		}
		w.times[w.head] = at
		w.head = (w.head + 1) % w.Limit
	}
	return at
}

// Wait blocks until the caller may send one request. It reports whether it
// had to wait, and returns ctx's error if ctx ended first.
func (l *Limiter) Wait(ctx context.Context) (bool, error) {
	at := l.Reserve()
	waited := false
	for {
		d := at.Sub(l.now())
		if d <= 0 {
			return waited, nil
		}
		waited = true
		if err := Sleep(ctx, d); err != nil {
			return waited, err
		}
		// A 429 may have paused the instance while this slot slept.
		at = l.PausedUntil()
	}
}

// Pause stops every request of the instance until until (a 429's
// Retry-After). Requests already in flight are not affected.
func (l *Limiter) Pause(until time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if until.After(l.pausedUntil) {
		l.pausedUntil = until
	}
}

// PausedUntil returns the end of the current pause (zero or past if none).
func (l *Limiter) PausedUntil() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.pausedUntil
}

// Sleep waits d or until ctx ends, whichever is first.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
