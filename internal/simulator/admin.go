package simulator

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"time"
)

// The admin API lets a test drive a simulator running as a separate process
// the way in-process tests use the Go methods. It needs no token, so it only
// answers loopback clients unless Config.AllowRemoteAdmin is set.
//
//	GET  /_sim/stats[?log=1]  Stats (with the request log when log=1)
//	GET  /_sim/faults         FaultState
//	POST /_sim/faults         Faults  -> FaultState
//	POST /_sim/events         EventsRequest -> EventsResponse
//	POST /_sim/reset          ResetRequest (optional) -> FaultState

// EventsRequest is the body of POST /_sim/events. With Items the items are
// added verbatim (AddRaw); else with LateAge, Count late events (AddLate);
// else Count generated events (AddEvents with Start/End/Step/Seed).
type EventsRequest struct {
	Account string            `json:"account,omitempty"` // "" = first account
	Stream  string            `json:"stream,omitempty"`  // "" = every stream
	Count   int               `json:"count,omitempty"`
	LateAge *Duration         `json:"late_age,omitempty"`
	Start   *time.Time        `json:"start,omitempty"`
	End     *time.Time        `json:"end,omitempty"`
	Step    *Duration         `json:"step,omitempty"`
	Seed    uint64            `json:"seed,omitempty"`
	Items   []json.RawMessage `json:"items,omitempty"`
}

// EventsResponse answers POST /_sim/events.
type EventsResponse struct {
	Added  int            `json:"added"`
	Stored map[string]int `json:"stored"` // stream -> events now stored
}

// ResetRequest is the optional body of POST /_sim/reset: faults are always
// cleared; Stats also zeroes the counters and the request log.
type ResetRequest struct {
	Stats bool `json:"stats,omitempty"`
}

type adminError struct {
	Error string `json:"error"`
}

func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if !s.cfg.AllowRemoteAdmin && !isLoopbackRemote(r.RemoteAddr) {
		writeAdmin(w, http.StatusForbidden, adminError{"the admin API only answers loopback clients"})
		return
	}
	if s.serveUsersAdmin(w, r) {
		return
	}
	switch r.Method + " " + r.URL.Path {
	case "GET /_sim/stats":
		writeAdmin(w, http.StatusOK, s.stats(r.URL.Query().Get("log") == "1" || r.URL.Query().Get("log") == "true"))
	case "GET /_sim/faults":
		writeAdmin(w, http.StatusOK, s.FaultState())
	case "POST /_sim/faults":
		var f Faults
		if !decodeAdmin(w, r, &f, false) {
			return
		}
		if err := s.ApplyFaults(f); err != nil {
			writeAdmin(w, http.StatusBadRequest, adminError{err.Error()})
			return
		}
		writeAdmin(w, http.StatusOK, s.FaultState())
	case "POST /_sim/events":
		var req EventsRequest
		if !decodeAdmin(w, r, &req, false) {
			return
		}
		resp, err := s.adminEvents(req)
		if err != nil {
			writeAdmin(w, http.StatusBadRequest, adminError{err.Error()})
			return
		}
		writeAdmin(w, http.StatusOK, resp)
	case "POST /_sim/reset":
		var req ResetRequest
		if !decodeAdmin(w, r, &req, true) {
			return
		}
		s.ClearFaults()
		if req.Stats {
			s.ResetStats()
		}
		writeAdmin(w, http.StatusOK, s.FaultState())
	default:
		writeAdmin(w, http.StatusNotFound, adminError{"unknown admin endpoint " + r.Method + " " + r.URL.Path})
	}
}

func (s *Server) adminEvents(req EventsRequest) (EventsResponse, error) {
	streams := Streams
	if req.Stream != "" {
		streams = []string{req.Stream}
	}
	added := 0
	for _, st := range streams {
		var err error
		switch {
		case len(req.Items) > 0:
			err = s.AddRaw(req.Account, st, req.Items...)
			added += len(req.Items)
		case req.LateAge != nil:
			err = s.AddLate(req.Account, st, req.Count, time.Duration(*req.LateAge))
			added += req.Count
		default:
			opts := GenOptions{Seed: req.Seed}
			if req.Start != nil {
				opts.Start = *req.Start
			}
			if req.End != nil {
				opts.End = *req.End
			}
			if req.Step != nil {
				opts.Step = time.Duration(*req.Step)
			}
			err = s.AddEvents(req.Account, st, req.Count, opts)
			added += req.Count
		}
		if err != nil {
			return EventsResponse{}, err
		}
	}
	resp := EventsResponse{Added: added, Stored: map[string]int{}}
	for _, st := range Streams {
		resp.Stored[st] = s.Stored(req.Account, st)
	}
	return resp, nil
}

func decodeAdmin(w http.ResponseWriter, r *http.Request, dst any, emptyOK bool) bool {
	body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err == nil && len(body) == 0 && emptyOK {
		return true
	}
	if err == nil {
		err = json.Unmarshal(body, dst)
	}
	if err != nil {
		writeAdmin(w, http.StatusBadRequest, adminError{"bad JSON: " + err.Error()})
		return false
	}
	return true
}

func writeAdmin(w http.ResponseWriter, status int, v any) {
	body, _ := json.MarshalIndent(v, "", "  ")
	w.Header().Set("Content-Type", contentTypeJSON)
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

func isLoopbackRemote(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
