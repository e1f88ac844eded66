package simulator

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

const contentTypeJSON = "application/json; charset=utf-8"

// writeError sends an error in the configured shape: the live API's
// {"Error":{"Message":"Unauthorized"}} or the 1.4.1 reference's
// {"status":401,"message":"Unauthorized"} (events-api.md §6.2).
func (s *Server) writeError(w http.ResponseWriter, status int) {
	text := http.StatusText(status)
	var body string
	if s.faults.errorShape() == ErrorShapeDocumented {
		body = fmt.Sprintf(`{"status":%d,"message":%q}`, status, text)
	} else {
		body = fmt.Sprintf(`{"Error":{"Message":%q}}`, text)
	}
	h := w.Header()
	h.Set("Content-Type", contentTypeJSON)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// writeTooMany sends an injected 429 with the requested Retry-After style.
func (s *Server) writeTooMany(w http.ResponseWriter, now time.Time, f TooManyRequestsFault) {
	h := w.Header()
	switch f.RetryAfter {
	case RetryAfterDate:
		h.Set("Retry-After", now.Add(time.Duration(f.Seconds)*time.Second).UTC().Format(http.TimeFormat))
	case RetryAfterNone:
	default:
		h.Set("Retry-After", strconv.Itoa(f.Seconds))
	}
	if f.RateLimitHeaders {
		h.Set("RateLimit-Limit", strconv.Itoa(DefaultRequestsPerMinute))
		h.Set("RateLimit-Remaining", "0")
		h.Set("RateLimit-Reset", strconv.Itoa(f.Seconds))
	}
	s.writeError(w, http.StatusTooManyRequests)
}

// writeOK sends a 200 JSON body, applying the body faults: a truncated body
// announces its full length, sends half and cuts the connection (the client
// sees an unexpected EOF); a malformed body is a consistent HTTP answer
// whose JSON stops half-way. It reports whether the body went out whole.
func (s *Server) writeOK(w http.ResponseWriter, r *http.Request, stream string, body []byte) bool {
	h := w.Header()
	h.Set("Content-Type", contentTypeJSON)
	path := r.URL.Path
	switch {
	case s.faults.take(pickTruncate, path, stream):
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body[:len(body)/2])
		_ = http.NewResponseController(w).Flush()
		// ErrAbortHandler makes net/http close the connection silently.
		panic(http.ErrAbortHandler)
	case s.faults.take(pickMalform, path, stream):
		half := body[:len(body)/2]
		h.Set("Content-Length", strconv.Itoa(len(half)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(half)
		return false
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(body)
	return err == nil
}
