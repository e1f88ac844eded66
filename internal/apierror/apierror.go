// Package apierror holds what both API clients (Events API, Users API) say
// about a failed request: the HTTP answer, the Retry-After it carried, and
// the class that decides how a source reacts to it.
package apierror

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Error is a non-2xx answer from an API.
type Error struct {
	// API names the API for messages, e.g. "events API".
	API    string
	Status int
	// Message is the API's error message, from one of its documented error
	// shapes, or a short excerpt of the body.
	Message string
	// RetryAfter is the wait the server asked for (429/503), zero if none.
	RetryAfter time.Duration
	// HasRetryAfter tells a zero Retry-After apart from an absent one.
	HasRetryAfter bool
}

func (e *Error) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("%s answered %d %s", e.API, e.Status, http.StatusText(e.Status))
	}
	return fmt.Sprintf("%s answered %d %s: %s", e.API, e.Status, http.StatusText(e.Status), e.Message)
}

// DecodeError wraps a 2xx body that could not be decoded.
type DecodeError struct {
	API string
	Err error
}

func (e *DecodeError) Error() string { return "malformed " + e.API + " response: " + e.Err.Error() }
func (e *DecodeError) Unwrap() error { return e.Err }

// RequestError is a request that could not be built or sent as configured,
// for example a credential holding a character no HTTP header can carry.
// Sending it again cannot succeed, so it is not retried as an outage is: a
// person must fix the configuration.
type RequestError struct {
	API string
	Err error
}

func (e *RequestError) Error() string {
	return "cannot send the " + e.API + " request: " + e.Err.Error()
}
func (e *RequestError) Unwrap() error { return e.Err }

// StatusClass returns "2xx", "4xx", "5xx" ... for metrics, "error" when no
// answer arrived.
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

// Class is how a source reacts to an error.
type Class int

const (
	// Transient errors (network, timeouts, 5xx, malformed bodies) are
	// retried with exponential backoff.
	Transient Class = iota
	// RateLimited (429) pauses the source until Retry-After.
	RateLimited
	// Unauthorized (401/403) means the credentials are invalid, expired,
	// revoked or lack a permission: a person must act.
	Unauthorized
	// BadRequest (400) means the request was refused as malformed; on a
	// continuing request that is a rejected cursor or page token.
	BadRequest
	// OtherClientError is any other 4xx (404 and the rest): most often a
	// wrong endpoint or account, so a person must check the configuration.
	OtherClientError
	// Unsendable is a request that could not be built (RequestError): the
	// configuration must change before any request can succeed.
	Unsendable
)

// Classify maps an error from a client to its Class.
func Classify(err error) Class {
	var reqErr *RequestError
	if errors.As(err, &reqErr) {
		return Unsendable
	}
	var apiErr *Error
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
		return OtherClientError
	}
}
