package eventsapi

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// APIError is a non-2xx answer from the Events API.
type APIError struct {
	Status int
	// Message is the API's error message, from either documented error
	// shape, or a short excerpt of the body.
	Message string
	// RetryAfter is the wait the server asked for (429/503), zero if none.
	RetryAfter time.Duration
	// HasRetryAfter tells a zero Retry-After apart from an absent one.
	HasRetryAfter bool
}

func (e *APIError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("events API answered %d %s", e.Status, http.StatusText(e.Status))
	}
	return fmt.Sprintf("events API answered %d %s: %s", e.Status, http.StatusText(e.Status), e.Message)
}

// StatusClass returns "2xx", "4xx", "5xx" ... for metrics.
func StatusClass(status int) string {
	switch {
	case status >= 500:
		return "5xx"
	case status >= 400:
		return "4xx"
	case status >= 300:
		return "3xx"
	case status >= 200:
		return "2xx"
	default:
		return "error"
	}
}

// Class is how the receiver reacts to an error.
type Class int

const (
	// Transient errors (network, timeouts, 5xx, malformed bodies) are
	// retried with exponential backoff.
	Transient Class = iota
	// RateLimited (429) pauses the whole instance until Retry-After.
	RateLimited
	// Unauthorized (401/403) means the token is invalid, expired, revoked
	// or lacks the stream's feature: a person must act.
	Unauthorized
	// BadRequest (400) means the request was refused as malformed; on a
	// continuing request that is a rejected cursor.
	BadRequest
	// NotFound (404 and other 4xx) points at a wrong endpoint.
	NotFound
)

// Classify maps an error from the client to its Class.
func Classify(err error) Class {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return Transient
	}
	switch {
	case apiErr.Status == http.StatusTooManyRequests:
		return RateLimited
	case apiErr.Status == http.StatusUnauthorized || apiErr.Status == http.StatusForbidden:
		return Unauthorized
	case apiErr.Status == http.StatusBadRequest:
		return BadRequest
	case apiErr.Status >= 500:
		return Transient
	default:
		return NotFound
	}
}

// DecodeError wraps a 2xx body that could not be decoded.
type DecodeError struct{ Err error }

func (e *DecodeError) Error() string { return "malformed events API response: " + e.Err.Error() }
func (e *DecodeError) Unwrap() error { return e.Err }
