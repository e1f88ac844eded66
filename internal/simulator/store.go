package simulator

import (
	"math"
	"sync"
)

// chunkSize events share one chunk. Chunks are never reallocated (the log
// grows by adding chunks), which keeps the footprint at ~16 bytes per event
// and lets a scan skip a whole chunk whose [minTS, maxTS] misses the window.
const chunkSize = 4096

// chunk stores events column-wise: a generated event is fully described by
// its (truncated) timestamp and its generation seed; its JSON is rebuilt on
// demand. Events added with AddRaw keep their bytes in raw.
type chunk struct {
	n            int
	minTS, maxTS int64
	ts           [chunkSize]int64
	seed         [chunkSize]uint64
	raw          map[int][]byte
}

// eventLog is one stream of one account: an append-only log in insertion
// order. Insertion order differs from event time (late arrivals are appended
// with old timestamps); the position in a cursor is an insertion sequence
// number, so a continuing cursor delivers late events that a time window
// would miss (events-api.md §7.5).
type eventLog struct {
	mu      sync.RWMutex
	chunks  []*chunk
	count   uint64 // events stored; the last event's sequence number
	batches uint64 // AddEvents calls so far, to derive distinct seeds
}

// eventRef is a stored event copied out of the log, so that rendering runs
// without holding the lock.
type eventRef struct {
	seq  uint64
	ts   int64
	seed uint64
	raw  []byte
}

// appendLocked stores one event; the caller holds l.mu for writing.
func (l *eventLog) appendLocked(ts int64, seed uint64, raw []byte) {
	if len(l.chunks) == 0 || l.chunks[len(l.chunks)-1].n == chunkSize {
		l.chunks = append(l.chunks, &chunk{minTS: math.MaxInt64, maxTS: math.MinInt64})
	}
	c := l.chunks[len(l.chunks)-1]
	i := c.n
	c.ts[i], c.seed[i] = ts, seed
	if raw != nil {
		if c.raw == nil {
			c.raw = make(map[int][]byte)
		}
		c.raw[i] = raw
	}
	c.minTS = min(c.minTS, ts)
	c.maxTS = max(c.maxTS, ts)
	c.n++
	l.count++
}

func (l *eventLog) len() uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.count
}

// window is a time filter: [start, end), end open when !hasEnd.
type window struct {
	start, end int64
	hasEnd     bool
}

func (w window) contains(ts int64) bool {
	return ts >= w.start && (!w.hasEnd || ts < w.end)
}

func (w window) misses(c *chunk) bool {
	return c.maxTS < w.start || (w.hasEnd && c.minTS >= w.end)
}

// page appends to dst up to limit events with sequence number > after whose
// timestamp is in w, and reports whether at least one more such event exists
// right now (has_more).
func (l *eventLog) page(after uint64, w window, limit int, dst []eventRef) ([]eventRef, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	idx := after // 0-based index of the first candidate (seq = idx+1)
	for ci := int(idx / chunkSize); ci < len(l.chunks); ci++ {
		c := l.chunks[ci]
		first := 0
		if uint64(ci)*chunkSize < idx {
			first = int(idx - uint64(ci)*chunkSize)
		}
		if w.misses(c) {
			continue
		}
		for i := first; i < c.n; i++ {
			ts := c.ts[i]
			if !w.contains(ts) {
				continue
			}
			if limit == 0 {
				return dst, true
			}
			ref := eventRef{seq: uint64(ci)*chunkSize + uint64(i) + 1, ts: ts, seed: c.seed[i]}
			if c.raw != nil {
				ref.raw = c.raw[i]
			}
			dst = append(dst, ref)
			limit--
		}
	}
	return dst, false
}
