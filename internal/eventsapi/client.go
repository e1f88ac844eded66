package eventsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/apierror"
	"github.com/onepassword-otel/onepasswordreceiver/internal/apihttp"
)

// MaxBodyBytes bounds a response body. A full page of 1,000 events is about
// 1 MiB; anything far larger is a broken or hostile answer, not a page.
const MaxBodyBytes = 64 << 20

// Client talks to one Events API account. It is safe for concurrent use.
type Client struct {
	http      *http.Client
	base      string
	auth      string // "Bearer <token>", built once; never logged
	userAgent string
	now       func() time.Time
	// unsendable is set when the token cannot go into a header; every
	// request then fails with it instead of reaching the transport.
	unsendable error
}

// NewClient builds a client for base (scheme://host, no trailing slash).
func NewClient(httpClient *http.Client, base, token, userAgent string) *Client {
	c := &Client{
		http:      httpClient,
		base:      strings.TrimRight(base, "/"),
		auth:      "Bearer " + token,
		userAgent: userAgent,
		now:       time.Now,
	}
	if !apihttp.ValidHeaderValue(c.auth) {
		c.unsendable = &apierror.RequestError{API: apiName, Err: errors.New("the token holds a line break or another character that no HTTP header can carry")}
	}
	return c
}

// Post sends body to path (e.g. /api/v2/auditevents) and reads the answer
// into buf, which is reset first and returned grown. The second result is
// when the response arrived.
func (c *Client) Post(ctx context.Context, path string, body []byte, buf *bytes.Buffer) (time.Time, error) {
	req, err := c.exchange().NewRequest(ctx, http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		return time.Time{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	return c.do(req, buf)
}

// Get is Post's counterpart for the introspect endpoints.
func (c *Client) Get(ctx context.Context, path string, buf *bytes.Buffer) (time.Time, error) {
	req, err := c.exchange().NewRequest(ctx, http.MethodGet, c.base+path, http.NoBody)
	if err != nil {
		return time.Time{}, err
	}
	return c.do(req, buf)
}

func (c *Client) do(req *http.Request, buf *bytes.Buffer) (time.Time, error) {
	if c.unsendable != nil {
		return time.Time{}, c.unsendable
	}
	return c.exchange().Do(c.http, req, c.auth, buf)
}

// exchange is this API's side of the shared HTTP exchange.
func (c *Client) exchange() apihttp.Exchange {
	return apihttp.Exchange{API: apiName, MaxBody: MaxBodyBytes, UserAgent: c.userAgent, Message: errorMessage, Now: c.now}
}

// errorMessage reads either documented error shape, falling back to a
// short, single-line excerpt of the body.
func errorMessage(body []byte) string {
	var shapes struct {
		Error   *struct{ Message string } `json:"Error"`
		Message string                    `json:"message"`
	}
	if json.Unmarshal(body, &shapes) == nil {
		if shapes.Error != nil && shapes.Error.Message != "" {
			return shapes.Error.Message
		}
		if shapes.Message != "" {
			return shapes.Message
		}
	}
	return apihttp.Excerpt(body)
}

// CloseIdleConnections releases keep-alive connections (on Shutdown).
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// BaseURL is the API base the client sends to, for messages.
func (c *Client) BaseURL() string { return c.base }
