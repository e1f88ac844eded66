package simulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"sync"
	"time"
)

// handlePage serves POST /api/v{1,2}/{stream}.
func (s *Server) handlePage(w http.ResponseWriter, r *http.Request, apiVersion int, def *streamDef) {
	stream := def.name
	ti, ok := s.prelude(w, r, stream)
	if !ok {
		return
	}
	req, err := parsePageRequest(r)
	if err != nil {
		s.writeError(w, http.StatusBadRequest)
		return
	}
	acct := ti.account
	es := acct.streams[stream]
	log := &es.log
	now := s.now()

	var st cursorState
	if req.cursor != "" {
		st, err = s.cursors.decode(req.cursor)
		// A cursor belongs to one account, one stream and one API version
		// (events-api.md §7.3); a position past the log's end can only come
		// from another simulator instance.
		if err != nil || st.account != acct.uuid || st.stream != def.code || st.apiVersion != apiVersion ||
			st.position > log.len() {
			s.writeError(w, http.StatusBadRequest)
			return
		}
		if s.faults.take(pickReject, r.URL.Path, stream) {
			s.writeError(w, http.StatusBadRequest)
			return
		}
	} else {
		st = s.resetState(req, now, apiVersion, def.code, acct.uuid)
	}

	if s.faults.take(pickEmpty, r.URL.Path, stream) {
		s.writeOK(w, r, stream, []byte(`{"has_more":false,"items":[]}`))
		return
	}

	bp := s.bufPool.Get().(*[]byte)
	defer s.bufPool.Put(bp)
	var n int
	*bp, n = s.renderPage((*bp)[:0], acct, es, st, req.cursor)
	if s.writeOK(w, r, stream, *bp) {
		es.served.Add(int64(n))
	}
}

// resetState turns a ResetCursor body into the cursor state it starts:
// start_time defaults to an hour before end_time (or now) and is clamped to
// the retention window, as the API accepts 2020-01-01 and serves 120 days.
func (s *Server) resetState(req pageRequest, now time.Time, apiVersion, streamCode int, acct string) cursorState {
	start := req.start
	if !req.hasStart {
		if req.hasEnd {
			start = req.end.Add(-defaultStartWindow)
		} else {
			start = now.Add(-defaultStartWindow)
		}
	}
	if floor := now.Add(-s.cfg.Retention); start.Before(floor) {
		start = floor
	}
	st := cursorState{apiVersion: apiVersion, stream: streamCode, account: acct, limit: req.limit, start: start.UnixNano()}
	if req.hasEnd {
		st.end, st.hasEnd = req.end.UnixNano(), true
	}
	return st
}

// pageScratch avoids an allocation per page for the selected events.
type pageScratch struct {
	refs []eventRef
	ev   genEvent
}

// renderPage appends the response body for the page after st to b. When
// nothing new exists it repeats prevCursor (if any), so a caught-up client
// gets back exactly the cursor it sent. It returns the number of items.
func (s *Server) renderPage(b []byte, acct *account, es *eventStream, st cursorState, prevCursor string) ([]byte, int) {
	sc := scratchPool.Get().(*pageScratch)
	defer scratchPool.Put(sc)
	refs, hasMore := es.log.page(st.position, window{start: st.start, end: st.end, hasEnd: st.hasEnd}, st.limit, sc.refs[:0])
	sc.refs = refs

	cursor := prevCursor
	if len(refs) > 0 || cursor == "" {
		if len(refs) > 0 {
			st.position = refs[len(refs)-1].seq
		}
		cursor = s.cursors.encode(st)
	}
	b = append(b, `{"cursor":"`...)
	b = append(b, cursor...)
	if hasMore {
		b = append(b, `","has_more":true,"items":[`...)
	} else {
		b = append(b, `","has_more":false,"items":[`...)
	}
	v2 := st.apiVersion == 2
	for i := range refs {
		if i > 0 {
			b = append(b, ',')
		}
		if refs[i].raw != nil {
			b = append(b, refs[i].raw...)
			continue
		}
		acct.pop.fill(&sc.ev, es.def, refs[i].seed, refs[i].ts)
		b = appendEvent(b, &sc.ev, v2, acct.uuid)
	}
	b = append(b, "]}"...)
	return b, len(refs)
}

var scratchPool = sync.Pool{New: func() any {
	return &pageScratch{refs: make([]eventRef, 0, MaxLimit)}
}}

type introspectV2 struct {
	UUID        string   `json:"uuid"`
	IssuedAt    string   `json:"issued_at"`
	Features    []string `json:"features"`
	AccountUUID string   `json:"account_uuid"`
}

type introspectV1 struct {
	UUID     string   `json:"UUID"`
	IssuedAt string   `json:"IssuedAt"`
	Features []string `json:"Features"`
}

func (s *Server) handleIntrospectV2(w http.ResponseWriter, r *http.Request) {
	ti, ok := s.prelude(w, r, "")
	if !ok {
		return
	}
	body, _ := json.Marshal(introspectV2{
		UUID:        ti.claims.Subject,
		IssuedAt:    ti.claims.IssuedAt.UTC().Format(time.RFC3339),
		Features:    nonNil(ti.claims.Features),
		AccountUUID: ti.account.uuid,
	})
	s.writeOK(w, r, "", body)
}

// handleIntrospectV1 serves the deprecated introspection with PascalCase
// keys, which the official beat and Splunk app still call.
func (s *Server) handleIntrospectV1(w http.ResponseWriter, r *http.Request) {
	ti, ok := s.prelude(w, r, "")
	if !ok {
		return
	}
	body, _ := json.Marshal(introspectV1{
		UUID:     ti.claims.Subject,
		IssuedAt: ti.claims.IssuedAt.UTC().Format(time.RFC3339),
		Features: nonNil(ti.claims.Features),
	})
	s.writeOK(w, r, "", body)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}
