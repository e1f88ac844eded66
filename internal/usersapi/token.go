package usersapi

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/onepassword-otel/onepasswordreceiver/internal/apierror"
)

// renewMargin is how long before its expiry a token is replaced: 60 s, or
// half the lifetime of a token that lives under two minutes, so that a
// request never leaves with a token that expires on the way.
func renewMargin(lifetime time.Duration) time.Duration {
	if lifetime < 2*time.Minute {
		return lifetime / 2
	}
	return time.Minute
}

// authorization returns the Authorization header value, obtaining a token
// when there is none, when it is close to expiry, or when stale is the
// value that a server just refused.
func (c *Client) authorization(ctx context.Context, stale string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if c.auth != "" && c.auth != stale && (c.renewAt.IsZero() || now.Before(c.renewAt)) {
		return c.auth, nil
	}
	c.auth = ""
	tok, err := c.oauth.Token(context.WithValue(ctx, oauth2.HTTPClient, c.tokenHTTP))
	if err != nil {
		return "", tokenError(err)
	}
	c.tokens++
	c.auth = "Bearer " + tok.AccessToken
	c.renewAt = time.Time{}
	if lifetime, ok := tokenLifetime(tok); ok {
		c.renewAt = now.Add(lifetime - renewMargin(lifetime))
	}
	return c.auth, nil
}

// tokenLifetime reads expires_in as the server sent it (the oauth2 package
// turns it into an Expiry of the wall clock; the server's own number does
// not depend on a clock).
func tokenLifetime(tok *oauth2.Token) (time.Duration, bool) {
	var secs float64
	switch v := tok.Extra("expires_in").(type) {
	case float64:
		secs = v
	case string:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, false
		}
		secs = f
	default:
		if tok.Expiry.IsZero() {
			return 0, false
		}
		return time.Until(tok.Expiry), true
	}
	if secs <= 0 {
		return 0, false
	}
	return time.Duration(secs * float64(time.Second)), true
}

// TokenError is a failure of the token endpoint. It wraps an
// *apierror.Error when the endpoint answered, else the transport error.
type TokenError struct{ Err error }

func (e *TokenError) Error() string {
	return "requesting a " + APIName + " access token: " + e.Err.Error()
}
func (e *TokenError) Unwrap() error { return e.Err }

// tokenError turns an error of the oauth2 package into a TokenError. The
// oauth2 error text quotes the whole response body; only the RFC 6749 error
// code and description are kept.
func tokenError(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return &TokenError{Err: err}
	}
	msg := re.ErrorCode
	if re.ErrorDescription != "" {
		if msg != "" {
			msg += ": "
		}
		msg += re.ErrorDescription
	}
	if msg == "" {
		msg = errorMessage(re.Body)
	}
	status := re.Response.StatusCode
	if status/100 == 2 { // an error code in a 200 answer
		status = 400
	}
	apiErr := &apierror.Error{API: APIName, Status: status, Message: strings.TrimSpace(msg)}
	setRetryAfter(apiErr, re.Response.Header, time.Now())
	return &TokenError{Err: apiErr}
}
