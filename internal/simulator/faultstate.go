package simulator

import (
	"strings"
	"sync"
	"time"
)

// faultState holds the live faults; the server consults it per request.
type faultState struct {
	mu    sync.Mutex
	state FaultState
}

func (fs *faultState) apply(f Faults) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	st := &fs.state
	if f.TooManyRequests != nil {
		t := *f.TooManyRequests
		if t.RetryAfter == "" {
			t.RetryAfter = RetryAfterSeconds
		}
		if t.Seconds == 0 {
			t.Seconds = 1
		}
		st.TooManyRequests = t
	}
	if f.ServerErrors != nil {
		e := *f.ServerErrors
		if e.Status == 0 {
			e.Status = 500
		}
		st.ServerErrors = e
	}
	if f.Delay != nil {
		st.Delay = *f.Delay
	}
	for _, p := range []struct {
		src *Burst
		dst *Burst
	}{
		{f.RejectCursors, &st.RejectCursors}, {f.TruncateBodies, &st.TruncateBodies},
		{f.MalformBodies, &st.MalformBodies}, {f.EmptyWithoutCursor, &st.EmptyWithoutCursor},
		{f.Unauthorized, &st.Unauthorized},
	} {
		if p.src != nil {
			*p.dst = *p.src
		}
	}
	if f.RateLimit != nil {
		st.RateLimit = *f.RateLimit
	}
	if f.ErrorShape != nil {
		st.ErrorShape = *f.ErrorShape
	}
}

func (fs *faultState) snapshot() FaultState {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.state
}

// matches reports whether a burst's Path selects this request.
func (b *Burst) matches(path, stream string) bool {
	if b.Path == "" || b.Path == path {
		return true
	}
	return stream != "" && !strings.Contains(b.Path, "/") && b.Path == stream
}

// take consumes one unit of the burst selected by pick, if it applies.
func (fs *faultState) take(pick func(*FaultState) *Burst, path, stream string) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	b := pick(&fs.state)
	if b.Count <= 0 || !b.matches(path, stream) {
		return false
	}
	b.Count--
	return true
}

func (fs *faultState) take429(path, stream string) (TooManyRequestsFault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	t := &fs.state.TooManyRequests
	if t.Count <= 0 || !t.matches(path, stream) {
		return TooManyRequestsFault{}, false
	}
	t.Count--
	return *t, true
}

func (fs *faultState) take5xx(path, stream string) (int, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	e := &fs.state.ServerErrors
	if e.Count <= 0 || !e.matches(path, stream) {
		return 0, false
	}
	e.Count--
	return e.Status, true
}

func (fs *faultState) delay() time.Duration {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return time.Duration(fs.state.Delay)
}

func (fs *faultState) rateLimit() RateLimitConfig {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.state.RateLimit
}

func (fs *faultState) errorShape() ErrorShape {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	e, _ := parseErrorShape(fs.state.ErrorShape)
	return e
}

func pickReject(s *FaultState) *Burst   { return &s.RejectCursors }
func pickTruncate(s *FaultState) *Burst { return &s.TruncateBodies }
func pickMalform(s *FaultState) *Burst  { return &s.MalformBodies }
func pickEmpty(s *FaultState) *Burst    { return &s.EmptyWithoutCursor }
func pickUnauthorized(s *FaultState) *Burst {
	return &s.Unauthorized
}
