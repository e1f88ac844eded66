package usersim

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
)

// AdminPrefix is where the admin routes live. They need no token, so they
// answer loopback clients only:
//
//	GET    /_sim/users/stats             Stats
//	GET    /_sim/users/users             []User, in listing order
//	POST   /_sim/users/apply             Op: change the roster now
//	POST   /_sim/users/before_next_page  Op: change it just before the next page of a walk
//	POST   /_sim/users/generate          {"count": n} -> {"ids": [...]}
//	POST   /_sim/users/fault             Fault
//	DELETE /_sim/users/fault             clear the fault
//	POST   /_sim/users/expire_tokens     invalidate every access token
const AdminPrefix = "/_sim/users/"

// Operations of an Op.
const (
	OpAdd        = "add"        // User appended (or replaced)
	OpInsert     = "insert"     // User inserted at Index of the listing
	OpRemove     = "remove"     // ID
	OpRename     = "rename"     // ID, DisplayName
	OpSetState   = "set_state"  // ID, State
	OpSuspend    = "suspend"    // ID
	OpReactivate = "reactivate" // ID
)

// Op is one change to the roster, for the admin routes.
type Op struct {
	Op          string `json:"op"`
	ID          string `json:"id,omitempty"`
	User        *User  `json:"user,omitempty"`
	Index       int    `json:"index,omitempty"`
	DisplayName string `json:"display_name,omitempty"`
	State       string `json:"state,omitempty"`
}

// Apply performs op.
func (s *Sim) Apply(op Op) error {
	switch op.Op {
	case OpAdd, OpInsert:
		if op.User == nil {
			return fmt.Errorf("usersim: op %q needs a user", op.Op)
		}
		if op.Op == OpInsert {
			return s.InsertUser(op.Index, *op.User)
		}
		return s.AddUser(*op.User)
	case OpRemove:
		return s.RemoveUser(op.ID)
	case OpRename:
		return s.Rename(op.ID, op.DisplayName)
	case OpSetState:
		return s.SetState(op.ID, op.State)
	case OpSuspend:
		return s.Suspend(op.ID)
	case OpReactivate:
		return s.Reactivate(op.ID)
	}
	return fmt.Errorf("usersim: unknown op %q", op.Op)
}

func (s *Sim) adminRoutes(m *http.ServeMux) {
	handle := func(pattern string, h http.HandlerFunc) {
		m.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			if !loopback(r.RemoteAddr) {
				http.Error(w, "admin routes answer loopback clients only", http.StatusForbidden)
				return
			}
			h(w, r)
		})
	}
	handle("GET "+AdminPrefix+"stats", func(w http.ResponseWriter, _ *http.Request) {
		writeJSONResponse(w, http.StatusOK, s.Stats())
	})
	handle("GET "+AdminPrefix+"users", func(w http.ResponseWriter, _ *http.Request) {
		writeJSONResponse(w, http.StatusOK, s.Users())
	})
	handle("POST "+AdminPrefix+"apply", func(w http.ResponseWriter, r *http.Request) {
		var op Op
		if !decodeBody(w, r, &op) {
			return
		}
		if err := s.Apply(op); err != nil {
			status := http.StatusBadRequest
			if errors.Is(err, ErrUnknownUser) {
				status = http.StatusNotFound
			}
			http.Error(w, err.Error(), status)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	handle("POST "+AdminPrefix+"before_next_page", func(w http.ResponseWriter, r *http.Request) {
		var op Op
		if !decodeBody(w, r, &op) {
			return
		}
		s.BeforeNextPage(func(s *Sim) { _ = s.Apply(op) })
		w.WriteHeader(http.StatusNoContent)
	})
	handle("POST "+AdminPrefix+"generate", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Count int `json:"count"`
		}
		if !decodeBody(w, r, &req) {
			return
		}
		if req.Count < 0 || req.Count > 10_000_000 {
			http.Error(w, "count must be 0..10000000", http.StatusBadRequest)
			return
		}
		writeJSONResponse(w, http.StatusOK, map[string][]string{"ids": s.Generate(req.Count)})
	})
	handle("POST "+AdminPrefix+"fault", func(w http.ResponseWriter, r *http.Request) {
		var f Fault
		if !decodeBody(w, r, &f) {
			return
		}
		s.SetFault(f)
		w.WriteHeader(http.StatusNoContent)
	})
	handle("DELETE "+AdminPrefix+"fault", func(w http.ResponseWriter, _ *http.Request) {
		s.ClearFault()
		w.WriteHeader(http.StatusNoContent)
	})
	handle("POST "+AdminPrefix+"expire_tokens", func(w http.ResponseWriter, _ *http.Request) {
		s.ExpireTokens()
		w.WriteHeader(http.StatusNoContent)
	})
}

// decodeBody reads a JSON admin request.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(v); err != nil {
		http.Error(w, "malformed admin request: "+err.Error(), http.StatusBadRequest)
		return false
	}
	return true
}

func loopback(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
