package simulator

import (
	"math"
	"slices"
	"time"
)

// runGenerator appends Continuous.EventsPerSecond events per stream per
// account every second (in Interval ticks) until Close. A LateFraction of
// them get timestamps between one minute and LateMaxAge in the past, so a
// demo shows late arrivals that only a continuing cursor picks up.
func (s *Server) runGenerator() {
	defer s.wg.Done()
	cc := s.cfg.Continuous
	t := time.NewTicker(cc.Interval)
	defer t.Stop()
	r := newRNG(mix(s.cfg.Seed, 0xC0471))
	last := s.now()
	carry := map[*eventStream]float64{}
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
		}
		now := s.now()
		elapsed := now.Sub(last)
		if elapsed <= 0 {
			elapsed = cc.Interval
		}
		want := cc.EventsPerSecond * elapsed.Seconds()
		s.mu.RLock()
		accts := slices.Clone(s.accounts)
		s.mu.RUnlock()
		for _, a := range accts {
			// In the order of Streams: the generator's draws must not
			// depend on map order, or a seed would not repeat a run.
			for _, name := range Streams {
				es := a.streams[name]
				carry[es] += want
				n := int(carry[es])
				carry[es] -= float64(n)
				s.generateTick(&r, es, n, last, now)
			}
		}
		last = now
	}
}

// generateTick appends n events with timestamps spread over (from, to], in
// time order, except the late ones.
func (s *Server) generateTick(r *rng, es *eventStream, n int, from, to time.Time) {
	if n <= 0 {
		return
	}
	cc := s.cfg.Continuous
	span := to.Sub(from)
	ts := make([]int64, 0, n)
	var late []int64
	for i := 0; i < n; i++ {
		if cc.LateFraction > 0 && float64(r.next()>>11)/(1<<53) < cc.LateFraction {
			age := time.Minute
			if extra := cc.LateMaxAge - time.Minute; extra > 0 {
				age += time.Duration(r.next() % uint64(extra))
			}
			late = append(late, to.Add(-age).UnixNano())
			continue
		}
		off := time.Duration(0)
		if span > 0 {
			off = time.Duration(r.next() % uint64(span))
		}
		ts = append(ts, from.Add(off).UnixNano())
	}
	slices.Sort(ts)
	log := &es.log
	log.mu.Lock()
	defer log.mu.Unlock()
	prev := int64(math.MinInt64)
	for _, t := range ts {
		seed := r.next()
		prev = orderedTS(t, prev, precisionFor(es.def, seed))
		log.appendLocked(prev, seed, nil)
	}
	for _, t := range late {
		seed := r.next()
		log.appendLocked(truncateTS(t, precisionFor(es.def, seed)), seed, nil)
	}
}
