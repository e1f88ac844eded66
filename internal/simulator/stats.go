package simulator

import (
	"maps"
	"slices"
	"sync"
	"time"
)

// RequestRecord is one API request as the simulator saw it. Time comes from
// Config.Now at arrival, so rate checks work with an injected clock.
type RequestRecord struct {
	Time    time.Time `json:"time"`
	Account string    `json:"account,omitempty"` // empty when not authenticated
	Method  string    `json:"method"`
	Path    string    `json:"path"`
	Status  int       `json:"status"` // 499: the client went away first
}

// Stats is a snapshot of what the simulator served (GET /_sim/stats).
type Stats struct {
	// Requests counts API requests by path and status code.
	Requests map[string]map[int]int `json:"requests"`
	// TooManyRequests counts 429 answers, injected and rate-limited.
	TooManyRequests int `json:"too_many_requests"`
	// EventsServed counts events delivered in complete 200 pages, by
	// account UUID and stream.
	EventsServed map[string]map[string]int `json:"events_served"`
	// EventsStored is the size of each log, by account UUID and stream.
	EventsStored map[string]map[string]int `json:"events_stored"`
	// Accounts lists the account UUIDs in configuration order.
	Accounts []string `json:"accounts"`
	// InFlight is the number of API requests being handled right now.
	InFlight int `json:"in_flight"`
	// RequestLog holds the most recent requests in the order they were
	// answered (only with ?log=1 on the admin API).
	RequestLog []RequestRecord `json:"request_log,omitempty"`
}

const maxDistinctPaths = 64 // unknown paths beyond this are counted as "other"

type statsRecorder struct {
	mu       sync.Mutex
	requests map[string]map[int]int
	tooMany  int
	log      []RequestRecord // ring buffer
	logNext  int
	logFull  bool
	logSize  int
}

func newStatsRecorder(size int) *statsRecorder {
	return &statsRecorder{requests: map[string]map[int]int{}, logSize: size}
}

func (r *statsRecorder) record(rec RequestRecord) {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := rec.Path
	if _, ok := r.requests[key]; !ok && len(r.requests) >= maxDistinctPaths {
		key = "other"
	}
	m := r.requests[key]
	if m == nil {
		m = map[int]int{}
		r.requests[key] = m
	}
	m[rec.Status]++
	if rec.Status == 429 {
		r.tooMany++
	}
	if len(r.log) < r.logSize {
		r.log = append(r.log, rec)
		return
	}
	r.log[r.logNext] = rec
	r.logNext = (r.logNext + 1) % r.logSize
	r.logFull = true
}

func (r *statsRecorder) snapshot(withLog bool) (map[string]map[int]int, int, []RequestRecord) {
	r.mu.Lock()
	defer r.mu.Unlock()
	reqs := make(map[string]map[int]int, len(r.requests))
	for k, v := range r.requests {
		reqs[k] = maps.Clone(v)
	}
	var log []RequestRecord
	if withLog {
		if r.logFull {
			log = append(slices.Clone(r.log[r.logNext:]), r.log[:r.logNext]...)
		} else {
			log = slices.Clone(r.log)
		}
	}
	return reqs, r.tooMany, log
}

func (r *statsRecorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = map[string]map[int]int{}
	r.tooMany = 0
	r.log, r.logNext, r.logFull = nil, 0, false
}

// Stats returns a snapshot of the counters, without the request log.
func (s *Server) Stats() Stats { return s.stats(false) }

// RequestLog returns the most recent API requests in the order they were
// answered (a slow request is logged after quicker later ones); sort by
// Time for arrival order.
func (s *Server) RequestLog() []RequestRecord {
	_, _, log := s.rec.snapshot(true)
	return log
}

// Served returns how many events of stream were delivered to account in
// complete 200 pages.
func (s *Server) Served(accountUUID, stream string) int {
	_, es, err := s.lookup(accountUUID, stream)
	if err != nil {
		return 0
	}
	return int(es.served.Load())
}

// ResetStats zeroes the request counters, the log and the served counts.
func (s *Server) ResetStats() {
	s.rec.reset()
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, a := range s.accounts {
		for _, es := range a.streams {
			es.served.Store(0)
		}
	}
}

func (s *Server) stats(withLog bool) Stats {
	reqs, tooMany, log := s.rec.snapshot(withLog)
	st := Stats{
		Requests:        reqs,
		TooManyRequests: tooMany,
		EventsServed:    map[string]map[string]int{},
		EventsStored:    map[string]map[string]int{},
		RequestLog:      log,
		InFlight:        int(s.inFlight.Load()),
	}
	s.mu.RLock()
	accts := slices.Clone(s.accounts)
	s.mu.RUnlock()
	for _, a := range accts {
		st.Accounts = append(st.Accounts, a.uuid)
		served, stored := map[string]int{}, map[string]int{}
		for name, es := range a.streams {
			served[name] = int(es.served.Load())
			stored[name] = int(es.log.len())
		}
		st.EventsServed[a.uuid] = served
		st.EventsStored[a.uuid] = stored
	}
	return st
}
