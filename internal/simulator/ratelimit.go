package simulator

import (
	"sort"
	"sync"
	"time"
)

// slidingWindow enforces "at most N requests in any minute and M in any
// hour" exactly, by keeping the accepted request times of the last hour.
// A fixed bucket would let a client burst twice the limit around a bucket
// boundary; the receiver's own limiter is held to the sliding definition, so
// the simulator checks the same one. Rejected requests are not counted.
type slidingWindow struct {
	mu    sync.Mutex
	times []int64 // accepted request times (unix ns), ascending, last hour
	head  int     // times[:head] are expired and awaiting compaction
}

// allow records a request at now if both windows have room. Otherwise it
// returns how long until a slot frees up.
func (w *slidingWindow) allow(now time.Time, rl RateLimitConfig) (bool, time.Duration) {
	if rl.RequestsPerMinute <= 0 && rl.RequestsPerHour <= 0 {
		return true, 0
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	t := now.UnixNano()
	// expire everything at or before now-1h: the window is (now-1h, now]
	cut := t - int64(time.Hour)
	for w.head < len(w.times) && w.times[w.head] <= cut {
		w.head++
	}
	live := w.times[w.head:]
	var wait time.Duration
	check := func(limit int, window time.Duration) {
		if limit <= 0 {
			return
		}
		from := t - int64(window)
		// number of live requests inside (now-window, now]
		i := sort.Search(len(live), func(i int) bool { return live[i] > from })
		if len(live)-i >= limit {
			// a slot frees when the limit-th newest request leaves the window
			freeAt := live[len(live)-limit] + int64(window)
			wait = max(wait, time.Duration(freeAt-t))
		}
	}
	check(rl.RequestsPerMinute, time.Minute)
	check(rl.RequestsPerHour, time.Hour)
	if wait > 0 {
		return false, wait
	}
	if w.head > 1024 && w.head*2 > len(w.times) {
		w.times = append(w.times[:0], w.times[w.head:]...)
		w.head = 0
	}
	// keep the log ascending even if an injected clock steps backwards
	if n := len(w.times); n > w.head && w.times[n-1] > t {
		t = w.times[n-1]
	}
	w.times = append(w.times, t)
	return true, 0
}

func (w *slidingWindow) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.times, w.head = nil, 0
}

// retryAfterSeconds rounds up: announcing less than the real wait would make
// a well-behaved client retry too early and be refused again.
func retryAfterSeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}
