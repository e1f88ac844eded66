package simulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"
)

// GenOptions places generated events in time.
//
//   - With Step > 0, event i has timestamp Start + i*Step; Start defaults to
//     End - n*Step and End to now (End is otherwise unused).
//   - Otherwise the n events are spread evenly (with jitter inside each
//     slot, keeping time order) over [Start, End); End defaults to now and
//     Start to End - 1h, the window a default reset reads.
//
// Timestamps are then truncated to the event's wire precision (seconds,
// milliseconds or nanoseconds), so the stored time is exactly the one
// served. Seed makes the batch reproducible; 0 derives a seed from the
// account, the stream and the number of earlier batches.
type GenOptions struct {
	Start time.Time
	End   time.Time
	Step  time.Duration
	Seed  uint64
}

// AddEvents appends n generated events to the stream of account ("" = the
// first account).
func (s *Server) AddEvents(accountUUID, stream string, n int, opts GenOptions) error {
	acct, es, err := s.lookup(accountUUID, stream)
	if err != nil {
		return err
	}
	if n < 0 {
		return errors.New("simulator: n must be >= 0")
	}
	now := s.now()
	end := opts.End
	if end.IsZero() {
		end = now
	}
	var start time.Time
	var slot time.Duration
	if opts.Step > 0 {
		start = opts.Start
		if start.IsZero() {
			start = end.Add(-time.Duration(n) * opts.Step)
		}
	} else {
		start = opts.Start
		if start.IsZero() {
			start = end.Add(-defaultStartWindow)
		}
		if !end.After(start) {
			return errors.New("simulator: GenOptions.End must be after Start")
		}
		if n > 0 {
			slot = end.Sub(start) / time.Duration(n)
		}
	}

	log, code := &es.log, uint64(es.def.code)
	log.mu.Lock()
	defer log.mu.Unlock()
	log.batches++
	base := opts.Seed
	if base == 0 {
		base = mix(acct.seed, code<<32|log.batches)
	}
	base = mix(mixString(base, acct.uuid), code+1)
	prev := int64(math.MinInt64)
	for i := 0; i < n; i++ {
		seed := mix(base, uint64(i))
		var ts int64
		if opts.Step > 0 {
			ts = start.Add(time.Duration(i) * opts.Step).UnixNano()
		} else {
			ts = start.Add(time.Duration(i) * slot).UnixNano()
			if slot > 0 {
				jr := newRNG(seed ^ 0x7157)
				ts += int64(jr.next() % uint64(slot))
			}
		}
		prev = orderedTS(ts, prev, precisionFor(es.def, seed))
		log.appendLocked(prev, seed, nil)
	}
	return nil
}

// AddLate appends n events whose timestamps are at least age before now
// (whole seconds, one second apart, the last one at now-age rounded down):
// events that become visible after newer ones were served, as late-syncing
// clients cause. Only a continuing cursor delivers them; a time-window
// poller that already moved past them misses them.
func (s *Server) AddLate(accountUUID, stream string, n int, age time.Duration) error {
	if age <= 0 {
		return errors.New("simulator: late events need a positive age")
	}
	if n <= 0 {
		return nil
	}
	end := s.now().Add(-age).Truncate(time.Second)
	return s.AddEvents(accountUUID, stream, n, GenOptions{
		Start: end.Add(-time.Duration(n-1) * time.Second),
		Step:  time.Second,
	})
}

// AddRaw appends items exactly as given (compacted), e.g. fixture payloads;
// they are served unchanged by both API versions. Each item must be a JSON
// object; its "timestamp" (RFC 3339) places it in time, and an item without
// a readable timestamp is placed at now.
func (s *Server) AddRaw(accountUUID, stream string, items ...json.RawMessage) error {
	_, es, err := s.lookup(accountUUID, stream)
	if err != nil {
		return err
	}
	type prepared struct {
		ts  int64
		raw []byte
	}
	now := s.now().UnixNano()
	ps := make([]prepared, 0, len(items))
	for i, it := range items {
		var buf bytes.Buffer
		if err := json.Compact(&buf, it); err != nil || buf.Len() == 0 || buf.Bytes()[0] != '{' {
			return fmt.Errorf("simulator: item %d is not a JSON object", i)
		}
		var probe struct {
			Timestamp string `json:"timestamp"`
		}
		ts := now
		if json.Unmarshal(buf.Bytes(), &probe) == nil {
			if t, err := time.Parse(time.RFC3339Nano, probe.Timestamp); err == nil {
				ts = t.UnixNano()
			}
		}
		ps = append(ps, prepared{ts: ts, raw: buf.Bytes()})
	}
	log := &es.log
	log.mu.Lock()
	defer log.mu.Unlock()
	for _, p := range ps {
		log.appendLocked(p.ts, 0, p.raw)
	}
	return nil
}

// Stored returns the number of events in the stream of account.
func (s *Server) Stored(accountUUID, stream string) int {
	_, es, err := s.lookup(accountUUID, stream)
	if err != nil {
		return 0
	}
	return int(es.log.len())
}
