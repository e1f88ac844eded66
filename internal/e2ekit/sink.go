//go:build e2e

package e2ekit

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/convert"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
)

// attrRecordUID carries the event's uuid on every record (the contract's
// de-duplication key).
const attrRecordUID = convert.AttrRecordUID

// Record is one log record as the collector exported it.
type Record struct {
	UUID      string
	HasUUID   bool
	EventName string
	Body      any            // Body().AsRaw(); kept only when the sink keeps bodies
	Attrs     map[string]any // record attributes; kept only with bodies
	Resource  map[string]any // resource attributes
	Timestamp pcommon.Timestamp
	Observed  pcommon.Timestamp
	Severity  plog.SeverityNumber
}

// Sink is the collector's destination: an OTLP/HTTP logs endpoint
// (POST /v1/logs, protobuf or JSON, optionally gzip) that records every
// record it accepts and can be told to refuse for a while, as a congested
// backend does.
type Sink struct {
	srv        *httptest.Server
	keepBodies bool

	mu        sync.Mutex
	records   []Record                  // only with keepBodies
	counts    map[string]map[string]int // EventName -> uuid -> times received
	noUUID    map[string]int            // EventName -> records without log.record.uid
	total     int
	requests  int
	refused   int
	refuse    int                      // status to refuse with; 0 = accept
	retryHint string                   // Retry-After sent with a refusal, "" = none
	until     time.Time                // refusal ends then; zero = until Accept()
	delays    map[string]time.Duration // by EventName ("" = any): added before answering an export
	badReqs   []string                 // complete requests the sink could not decode
	aborted   int                      // uploads cut off by the client (a killed collector)
}

// NewSink starts a sink on 127.0.0.1. keepBodies keeps every record's body
// and attributes (for content checks); without it only uuids are counted,
// which keeps a 100,000-event run small.
func NewSink(t testing.TB, keepBodies bool) *Sink {
	s := &Sink{
		keepBodies: keepBodies,
		counts:     map[string]map[string]int{},
		noUUID:     map[string]int{},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	t.Cleanup(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, e := range s.badReqs {
			t.Errorf("OTLP sink could not read a request: %s", e)
		}
	})
	return s
}

// URL is the exporter's endpoint (the exporter appends /v1/logs).
func (s *Sink) URL() string { return s.srv.URL }

// RefuseFor answers every export with status (503 or 429) for d, with
// Retry-After: retryAfter when it is not empty.
func (s *Sink) RefuseFor(d time.Duration, status int, retryAfter string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse, s.retryHint, s.until = status, retryAfter, time.Now().Add(d)
}

// SlowDown makes every accepted export of records named eventName ("" =
// any) take d longer, as a slow backend does, so that each of those pages
// spends that long in ConsumeLogs. 0 ends it.
func (s *Sink) SlowDown(eventName string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.delays == nil {
		s.delays = map[string]time.Duration{}
	}
	s.delays[eventName] = d
}

// Accept ends any refusal.
func (s *Sink) Accept() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse, s.retryHint, s.until = 0, "", time.Time{}
}

func (s *Sink) refusing(now time.Time) (int, string) {
	if s.refuse == 0 || (!s.until.IsZero() && !now.Before(s.until)) {
		return 0, ""
	}
	return s.refuse, s.retryHint
}

func (s *Sink) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/logs" {
		http.NotFound(w, r)
		return
	}
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			s.bad(w, "gzip: "+err.Error())
			return
		}
		defer zr.Close()
		body = zr
	}
	raw, err := io.ReadAll(io.LimitReader(body, 256<<20))
	if err != nil {
		// The client went away mid-upload (a killed collector does): that
		// export was never acknowledged, so it is not a bad request.
		s.mu.Lock()
		s.aborted++
		s.mu.Unlock()
		return
	}

	s.mu.Lock()
	s.requests++
	status, hint := s.refusing(time.Now())
	if status != 0 {
		s.refused++
	}
	s.mu.Unlock()
	if status != 0 {
		if hint != "" {
			w.Header().Set("Retry-After", hint)
		}
		http.Error(w, http.StatusText(status), status)
		return
	}

	req := plogotlp.NewExportRequest()
	isJSON := r.Header.Get("Content-Type") == "application/json"
	if isJSON {
		err = req.UnmarshalJSON(raw)
	} else {
		err = req.UnmarshalProto(raw)
	}
	if err != nil {
		s.bad(w, "decoding the export request: "+err.Error())
		return
	}
	name := s.add(req.Logs())
	s.mu.Lock()
	delay := max(s.delays[""], s.delays[name])
	s.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
		}
	}

	resp := plogotlp.NewExportResponse()
	var out []byte
	if isJSON {
		out, _ = resp.MarshalJSON()
		w.Header().Set("Content-Type", "application/json")
	} else {
		out, _ = resp.MarshalProto()
		w.Header().Set("Content-Type", "application/x-protobuf")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out)
}

func (s *Sink) bad(w http.ResponseWriter, msg string) {
	s.mu.Lock()
	s.badReqs = append(s.badReqs, msg)
	s.mu.Unlock()
	// 400 is permanent for the exporter: the page would be dropped and the
	// test then reports it missing, besides this error.
	http.Error(w, msg, http.StatusBadRequest)
}

// add records every log record of one accepted export and returns the
// EventName of its first record.
func (s *Sink) add(ld plog.Logs) string {
	var batch []Record
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		rl := rls.At(i)
		res := rl.Resource().Attributes().AsRaw()
		sls := rl.ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				lr := lrs.At(k)
				rec := Record{
					EventName: lr.EventName(),
					Resource:  res,
					Timestamp: lr.Timestamp(),
					Observed:  lr.ObservedTimestamp(),
					Severity:  lr.SeverityNumber(),
				}
				if v, ok := lr.Attributes().Get(attrRecordUID); ok {
					rec.UUID, rec.HasUUID = v.AsString(), true
				}
				if s.keepBodies {
					rec.Body = lr.Body().AsRaw()
					rec.Attrs = lr.Attributes().AsRaw()
				}
				batch = append(batch, rec)
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rec := range batch {
		s.total++
		if !rec.HasUUID {
			s.noUUID[rec.EventName]++
		} else {
			m := s.counts[rec.EventName]
			if m == nil {
				m = map[string]int{}
				s.counts[rec.EventName] = m
			}
			m[rec.UUID]++
		}
		if s.keepBodies {
			s.records = append(s.records, rec)
		}
	}
	if len(batch) == 0 {
		return ""
	}
	return batch[0].EventName
}

// SinkStats is a snapshot of what the sink saw.
type SinkStats struct {
	Total    int // records accepted, repeats included
	Requests int // export requests, refused ones included
	Refused  int
}

func (s *Sink) Stats() SinkStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return SinkStats{Total: s.total, Requests: s.requests, Refused: s.refused}
}

// Received returns how often each uuid arrived, by EventName (a copy).
func (s *Sink) Received() map[string]map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]map[string]int, len(s.counts))
	for name, m := range s.counts {
		c := make(map[string]int, len(m))
		for k, v := range m {
			c[k] = v
		}
		out[name] = c
	}
	return out
}

// Distinct returns the number of distinct uuids received for eventName.
func (s *Sink) Distinct(eventName string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.counts[eventName])
}

// CountOf returns the records received for eventName, repeats included.
func (s *Sink) CountOf(eventName string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.noUUID[eventName]
	for _, c := range s.counts[eventName] {
		n += c
	}
	return n
}

// AllRecords returns the kept records (all of them with keepBodies).
func (s *Sink) AllRecords() []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Record(nil), s.records...)
}
