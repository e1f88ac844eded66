// Package apihttp is the exchange both API clients share: send a prepared
// request with the common headers, read at most a bounded answer, and turn
// what came back into the apierror classes (a non-2xx status with its
// Retry-After, a body over the bound, a request that could not be built).
package apihttp

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/apierror"
	"github.com/onepassword-otel/onepasswordreceiver/internal/ratelimit"
)

// Exchange is one API's way of talking HTTP.
type Exchange struct {
	API       string // for messages, e.g. "events API"
	MaxBody   int    // answers longer than this are refused
	UserAgent string
	// Message reads the API's error body into one line.
	Message func(body []byte) string
	Now     func() time.Time
}

// NewRequest builds a request; one that cannot be built is an
// *apierror.RequestError, never an outage to retry.
func (x Exchange) NewRequest(ctx context.Context, method, url string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return nil, &apierror.RequestError{API: x.API, Err: err}
	}
	return req, nil
}

// Do sends req with auth as its Authorization and reads the answer into
// buf, which is reset first. It returns when the answer arrived.
func (x Exchange) Do(client *http.Client, req *http.Request, auth string, buf *bytes.Buffer) (time.Time, error) {
	req.Header.Set("Authorization", auth)
	req.Header.Set("Accept", "application/json")
	if x.UserAgent != "" {
		req.Header.Set("User-Agent", x.UserAgent)
	}
	resp, err := client.Do(req)
	if err != nil {
		return time.Time{}, err
	}
	defer resp.Body.Close()
	buf.Reset()
	_, err = buf.ReadFrom(io.LimitReader(resp.Body, int64(x.MaxBody)+1))
	received := x.Now()
	if err != nil {
		return received, fmt.Errorf("reading %s response: %w", x.API, err)
	}
	if buf.Len() > x.MaxBody {
		return received, &apierror.DecodeError{API: x.API, Err: fmt.Errorf("response body larger than %d bytes", x.MaxBody)}
	}
	if resp.StatusCode/100 != 2 {
		apiErr := &apierror.Error{API: x.API, Status: resp.StatusCode, Message: x.Message(buf.Bytes())}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			apiErr.RetryAfter, apiErr.HasRetryAfter = ratelimit.ParseRetryAfter(resp.Header.Get("Retry-After"), received)
		}
		return received, apiErr
	}
	return received, nil
}

// Excerpt is the fallback message of a body in no known error shape: its
// first 200 bytes on one line.
func Excerpt(body []byte) string {
	const maxExcerpt = 200
	s := strings.TrimSpace(string(body))
	if len(s) > maxExcerpt {
		s = s[:maxExcerpt] + "…"
	}
	return strings.Join(strings.Fields(s), " ")
}

// ValidHeaderValue reports whether v can be an HTTP header's value (RFC
// 9110 field-value: no control characters but tab).
func ValidHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
