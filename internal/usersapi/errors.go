package usersapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/apierror"
	"github.com/onepassword-otel/onepasswordreceiver/internal/apihttp"
	"github.com/onepassword-otel/onepasswordreceiver/internal/ratelimit"
)

// Errors that end a walk as incomplete; the next walk starts from the first page.
var (
	// ErrRepeatedPageToken: the server handed out a page token a second
	// time in one walk, which would loop forever.
	ErrRepeatedPageToken = errors.New(APIName + " repeated a page token within one walk")
	// ErrPageCap: the walk reached Config.MaxPages with more pages announced.
	ErrPageCap = errors.New(APIName + " walk reached its page cap with more pages announced")
	// ErrWalkDone: Next was called after the last page.
	ErrWalkDone = errors.New(APIName + " walk already complete")
)

// PageTokenError is a 400 answer to a request that carried a page token:
// the server rejected the token, so the walk must start over.
type PageTokenError struct{ Err *apierror.Error }

func (e *PageTokenError) Error() string { return "page token rejected: " + e.Err.Error() }
func (e *PageTokenError) Unwrap() error { return e.Err }

// Failure is what a users source must do about an error of this package.
type Failure int

const (
	// Transient: network errors, timeouts, 5xx, malformed answers. Back off
	// and ask for the same page again.
	Transient Failure = iota
	// RateLimited: 429. Wait for the error's Retry-After (when it has one),
	// else back off, and ask again.
	RateLimited
	// BadCredentials: the token endpoint refused the client id or secret
	// (401, or RFC 6749's invalid_client / unauthorized_client).
	BadCredentials
	// Unauthorized: a users request refused a freshly obtained token (401).
	Unauthorized
	// Forbidden: 403 on a users request: the OAuth application lacks the
	// "list users" scope, or the account uses automated provisioning.
	Forbidden
	// NotFound: 404: a wrong account_id or endpoint.
	NotFound
	// PageTokenRejected: 400 on a continuing request; start a new walk.
	PageTokenRejected
	// BadRequest: any other 400.
	BadRequest
	// WalkBroken: ErrRepeatedPageToken or ErrPageCap; the walk is incomplete.
	WalkBroken
	// OtherClientError: any other 4xx.
	OtherClientError
)

var failureNames = [...]string{"transient", "rate_limited", "bad_credentials", "unauthorized", "forbidden", "not_found", "page_token_rejected", "bad_request", "walk_broken", "other_client_error"}

// String is a short name, e.g. for a metric attribute.
func (f Failure) String() string {
	if int(f) < len(failureNames) {
		return failureNames[f]
	}
	return "unknown"
}

// Classify says what err means for a users source.
func Classify(err error) Failure {
	if errors.Is(err, ErrRepeatedPageToken) || errors.Is(err, ErrPageCap) {
		return WalkBroken
	}
	var ptErr *PageTokenError
	if errors.As(err, &ptErr) {
		return PageTokenRejected
	}
	var apiErr *apierror.Error
	if !errors.As(err, &apiErr) {
		return Transient
	}
	var tokErr *TokenError
	fromToken := errors.As(err, &tokErr)
	switch s := apiErr.Status; {
	case s == http.StatusTooManyRequests:
		return RateLimited
	case s >= 500:
		return Transient
	case fromToken && (s == http.StatusUnauthorized || isInvalidClient(apiErr.Message)):
		return BadCredentials
	case s == http.StatusUnauthorized:
		return Unauthorized
	case s == http.StatusForbidden:
		return Forbidden
	case s == http.StatusNotFound:
		return NotFound
	case s == http.StatusBadRequest:
		return BadRequest
	}
	return OtherClientError
}

// isInvalidClient reports the RFC 6749 §5.2 error codes of refused client
// credentials, which some servers send with 400 instead of 401.
func isInvalidClient(msg string) bool {
	code, _, _ := strings.Cut(msg, ":")
	return code == "invalid_client" || code == "unauthorized_client"
}

// errorMessage reads the API's error body (google.rpc.Status:
// {"code":..,"message":..,"details":[..]}) or an OAuth error body, falling
// back to a short, single-line excerpt of the body.
func errorMessage(body []byte) string {
	var shapes struct {
		Message     string `json:"message"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(body, &shapes) == nil {
		switch {
		case shapes.Message != "":
			return shapes.Message
		case shapes.Error != "" && shapes.Description != "":
			return shapes.Error + ": " + shapes.Description
		case shapes.Error != "":
			return shapes.Error
		}
	}
	return apihttp.Excerpt(body)
}

// setRetryAfter records the Retry-After of a 429 or 503 answer.
func setRetryAfter(e *apierror.Error, h http.Header, now time.Time) {
	if e.Status == http.StatusTooManyRequests || e.Status == http.StatusServiceUnavailable {
		e.RetryAfter, e.HasRetryAfter = ratelimit.ParseRetryAfter(h.Get("Retry-After"), now)
	}
}
