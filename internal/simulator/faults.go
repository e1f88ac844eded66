package simulator

import (
	"encoding/json"
	"fmt"
	"time"
)

// Burst is a fault that hits the next Count matching API requests.
type Burst struct {
	Count int `json:"count"`
	// Path limits the fault to one endpoint: an exact path such as
	// "/api/v2/itemusages", or a stream name such as "itemusages" (both API
	// versions). Empty means every API request, introspection included.
	Path string `json:"path,omitempty"`
}

// RetryAfterMode says how an injected 429 carries Retry-After.
type RetryAfterMode string

const (
	RetryAfterSeconds RetryAfterMode = "seconds" // Retry-After: <seconds> (default)
	RetryAfterDate    RetryAfterMode = "date"    // Retry-After: <HTTP date>
	RetryAfterNone    RetryAfterMode = "none"    // no Retry-After header
)

// TooManyRequestsFault answers the next Count requests with 429.
type TooManyRequestsFault struct {
	Burst
	RetryAfter RetryAfterMode `json:"retry_after,omitempty"`
	// Seconds to announce in Retry-After (default 1).
	Seconds int `json:"seconds,omitempty"`
	// RateLimitHeaders adds RateLimit-Limit/-Remaining/-Reset, as the v3
	// beta documents (events-api.md §6.3).
	RateLimitHeaders bool `json:"ratelimit_headers,omitempty"`
}

// ServerErrorFault answers the next Count requests with Status (500, 502
// or 503; default 500).
type ServerErrorFault struct {
	Burst
	Status int `json:"status,omitempty"`
}

// Faults is a change to the fault settings: nil fields are left as they
// are. It is the body of POST /_sim/faults and the argument of ApplyFaults.
type Faults struct {
	TooManyRequests *TooManyRequestsFault `json:"too_many_requests,omitempty"`
	ServerErrors    *ServerErrorFault     `json:"server_errors,omitempty"`
	// Delay before every API response, e.g. "250ms"; "0s" turns it off.
	Delay *Duration `json:"delay,omitempty"`
	// RejectCursors answers the next continuing-cursor requests with 400.
	RejectCursors *Burst `json:"reject_cursors,omitempty"`
	// Unauthorized answers the next requests with 401, as the API answers
	// a revoked or expired token, whatever token they carry.
	Unauthorized *Burst `json:"unauthorized,omitempty"`
	// TruncateBodies: the next 200 answers announce their full length, send
	// half of the body and then cut the connection.
	TruncateBodies *Burst `json:"truncate_bodies,omitempty"`
	// MalformBodies: the next 200 answers are cut in half, with a matching
	// Content-Length, so the HTTP exchange succeeds but the JSON is broken.
	MalformBodies *Burst `json:"malform_bodies,omitempty"`
	// EmptyWithoutCursor: the next page requests get {"has_more":false,
	// "items":[]} with no cursor key (the Elastic mocks' empty answer).
	EmptyWithoutCursor *Burst `json:"empty_without_cursor,omitempty"`
	// RateLimit replaces the per-account sliding-window limits (0 = off).
	RateLimit *RateLimitConfig `json:"rate_limit,omitempty"`
	// ErrorShape is "observed" ({"Error":{"Message":...}}) or "documented"
	// ({"status":...,"message":...}).
	ErrorShape *string `json:"error_shape,omitempty"`
}

// FaultState is the complete current fault configuration (GET/POST
// /_sim/faults answer with it).
type FaultState struct {
	TooManyRequests    TooManyRequestsFault `json:"too_many_requests"`
	ServerErrors       ServerErrorFault     `json:"server_errors"`
	Delay              Duration             `json:"delay"`
	RejectCursors      Burst                `json:"reject_cursors"`
	Unauthorized       Burst                `json:"unauthorized"`
	TruncateBodies     Burst                `json:"truncate_bodies"`
	MalformBodies      Burst                `json:"malform_bodies"`
	EmptyWithoutCursor Burst                `json:"empty_without_cursor"`
	RateLimit          RateLimitConfig      `json:"rate_limit"`
	ErrorShape         string               `json:"error_shape"`
}

// Duration is a time.Duration written in JSON as a Go duration string
// ("1.5s"); a bare number is read as milliseconds.
type Duration time.Duration

func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		*d = Duration(v)
		return nil
	}
	var ms float64
	if err := json.Unmarshal(b, &ms); err != nil {
		return fmt.Errorf("duration must be a string such as \"250ms\" or milliseconds: %w", err)
	}
	*d = Duration(time.Duration(ms * float64(time.Millisecond)))
	return nil
}

func errorShapeName(e ErrorShape) string {
	if e == ErrorShapeDocumented {
		return "documented"
	}
	return "observed"
}

func parseErrorShape(s string) (ErrorShape, error) {
	switch s {
	case "observed", "":
		return ErrorShapeObserved, nil
	case "documented":
		return ErrorShapeDocumented, nil
	}
	return 0, fmt.Errorf("error_shape %q: want observed or documented", s)
}

func validateBurst(name string, b *Burst) error {
	if b != nil && b.Count < 0 {
		return fmt.Errorf("%s.count must be >= 0", name)
	}
	return nil
}

func (f *Faults) validate() error {
	for name, b := range map[string]*Burst{
		"reject_cursors": f.RejectCursors, "truncate_bodies": f.TruncateBodies,
		"malform_bodies": f.MalformBodies, "empty_without_cursor": f.EmptyWithoutCursor,
		"unauthorized": f.Unauthorized,
	} {
		if err := validateBurst(name, b); err != nil {
			return err
		}
	}
	if t := f.TooManyRequests; t != nil {
		if err := validateBurst("too_many_requests", &t.Burst); err != nil {
			return err
		}
		switch t.RetryAfter {
		case "", RetryAfterSeconds, RetryAfterDate, RetryAfterNone:
		default:
			return fmt.Errorf("too_many_requests.retry_after %q: want seconds, date or none", t.RetryAfter)
		}
		if t.Seconds < 0 {
			return fmt.Errorf("too_many_requests.seconds must be >= 0")
		}
	}
	if e := f.ServerErrors; e != nil {
		if err := validateBurst("server_errors", &e.Burst); err != nil {
			return err
		}
		switch e.Status {
		case 0, 500, 502, 503, 504:
		default:
			return fmt.Errorf("server_errors.status %d: want 500, 502, 503 or 504", e.Status)
		}
	}
	if f.Delay != nil && *f.Delay < 0 {
		return fmt.Errorf("delay must be >= 0")
	}
	if rl := f.RateLimit; rl != nil && (rl.RequestsPerMinute < 0 || rl.RequestsPerHour < 0) {
		return fmt.Errorf("rate_limit values must be >= 0 (0 = off)")
	}
	if f.ErrorShape != nil {
		if _, err := parseErrorShape(*f.ErrorShape); err != nil {
			return err
		}
	}
	return nil
}
