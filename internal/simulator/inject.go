package simulator

import "time"

// ApplyFaults changes the fault settings named in f (nil fields stay).
func (s *Server) ApplyFaults(f Faults) error {
	if err := f.validate(); err != nil {
		return err
	}
	s.faults.apply(f)
	return nil
}

// FaultState returns the current fault settings and remaining counts.
func (s *Server) FaultState() FaultState { return s.faults.snapshot() }

// ClearFaults removes every injected fault, restores the configured rate
// limits and error shape, and forgets the rate-limit windows.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	s.faults.state = FaultState{RateLimit: *s.cfg.RateLimit, ErrorShape: errorShapeName(s.cfg.ErrorShape)}
	s.faults.mu.Unlock()
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, a := range s.accounts {
		a.limiter.reset()
	}
}

// Inject429 answers the next f.Count matching requests with 429.
func (s *Server) Inject429(f TooManyRequestsFault) error {
	return s.ApplyFaults(Faults{TooManyRequests: &f})
}

// Inject5xx answers the next f.Count matching requests with f.Status.
func (s *Server) Inject5xx(f ServerErrorFault) error {
	return s.ApplyFaults(Faults{ServerErrors: &f})
}

// Inject401 answers the next b.Count matching requests with 401, as for a
// token that was revoked (or expired) and then works again.
func (s *Server) Inject401(b Burst) error {
	return s.ApplyFaults(Faults{Unauthorized: &b})
}

// SetDelay delays every API response by d (0 turns it off). A delayed
// request ends early, without an answer, when its client goes away.
func (s *Server) SetDelay(d time.Duration) error {
	dd := Duration(d)
	return s.ApplyFaults(Faults{Delay: &dd})
}

// RejectNextCursors answers the next n continuing-cursor requests with 400.
func (s *Server) RejectNextCursors(n int) error {
	return s.ApplyFaults(Faults{RejectCursors: &Burst{Count: n}})
}

// TruncateNextBodies cuts the connection half-way through the next n
// successful bodies.
func (s *Server) TruncateNextBodies(n int) error {
	return s.ApplyFaults(Faults{TruncateBodies: &Burst{Count: n}})
}

// MalformNextBodies sends only the first half of the next n successful
// bodies, with a Content-Length that matches.
func (s *Server) MalformNextBodies(n int) error {
	return s.ApplyFaults(Faults{MalformBodies: &Burst{Count: n}})
}

// EmptyPagesWithoutCursor answers the next n page requests with
// {"has_more":false,"items":[]} and no cursor.
func (s *Server) EmptyPagesWithoutCursor(n int) error {
	return s.ApplyFaults(Faults{EmptyWithoutCursor: &Burst{Count: n}})
}

// SetRateLimit replaces the per-account sliding-window limits (0 = off).
func (s *Server) SetRateLimit(rl RateLimitConfig) error {
	return s.ApplyFaults(Faults{RateLimit: &rl})
}

// SetErrorShape selects the error body shape.
func (s *Server) SetErrorShape(e ErrorShape) {
	name := errorShapeName(e)
	_ = s.ApplyFaults(Faults{ErrorShape: &name})
}
