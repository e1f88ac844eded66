package usersapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/apierror"
	"github.com/onepassword-otel/onepasswordreceiver/internal/apihttp"
)

// Page is one answered page of a walk.
type Page struct {
	// Users are the raw JSON objects under "results", in the order sent.
	// They point into the walk's buffer: valid until the next call of Next.
	Users [][]byte
	// Received is when the answer arrived.
	Received time.Time
	// Last is true when the page carried no next_page_token: the walk is complete.
	Last bool
}

// Walk is one pass over the user listing. Next returns the pages in order;
// after an error that leaves the walk usable (see Classify: Transient,
// RateLimited, Unauthorized, ...) the same page is asked for again by the
// next call, so a source can back off and continue within the same walk.
// A Walk is not safe for concurrent use.
type Walk struct {
	c      *Client
	query  string // "?max_page_size=N"
	token  string // page token of the next request; "" for the first page
	seen   map[string]struct{}
	pages  int
	done   bool
	broken error
	buf    bytes.Buffer
	users  [][]byte
}

// NewWalk starts a walk with max_page_size pageSize (1..1000).
func (c *Client) NewWalk(pageSize int) *Walk {
	return &Walk{c: c, query: "?max_page_size=" + strconv.Itoa(pageSize), seen: map[string]struct{}{}}
}

// Done reports that the last page has been returned.
func (w *Walk) Done() bool { return w.done }

// Pages counts the pages answered so far.
func (w *Walk) Pages() int { return w.pages }

// Continuing reports that the next request carries a page token.
func (w *Walk) Continuing() bool { return w.token != "" }

// Next fetches the next page. It returns ErrWalkDone after the last page,
// and ErrRepeatedPageToken or ErrPageCap (for good) when the walk broke.
func (w *Walk) Next(ctx context.Context) (Page, error) {
	switch {
	case w.broken != nil:
		return Page{}, w.broken
	case w.done:
		return Page{}, ErrWalkDone
	}
	target := w.c.usersURL + w.query
	if w.token != "" {
		target += "&page_token=" + url.QueryEscape(w.token)
	}
	received, err := w.c.get(ctx, target, &w.buf)
	if err != nil {
		var apiErr *apierror.Error
		if w.token != "" && errors.As(err, &apiErr) && apiErr.Status == http.StatusBadRequest {
			return Page{}, &PageTokenError{Err: apiErr}
		}
		return Page{}, err
	}
	users, next, err := splitPage(w.buf.Bytes(), w.users)
	w.users = users
	if err != nil {
		return Page{}, &apierror.DecodeError{API: APIName, Err: fmt.Errorf("page %d: %w", w.pages+1, err)}
	}
	w.pages++
	page := Page{Users: users, Received: received}
	switch {
	case next == "":
		w.done, page.Last = true, true
	case hasKey(w.seen, next):
		w.broken = ErrRepeatedPageToken
		return Page{}, w.broken
	case w.pages >= w.c.maxPages:
		w.broken = fmt.Errorf("%w (%d pages)", ErrPageCap, w.c.maxPages)
		return Page{}, w.broken
	default:
		w.seen[next] = struct{}{}
		w.token = next
	}
	return page, nil
}

func hasKey(m map[string]struct{}, k string) bool {
	_, ok := m[k]
	return ok
}

// get sends a users request. A 401 is answered once with a new token and
// one more try.
func (c *Client) get(ctx context.Context, target string, buf *bytes.Buffer) (time.Time, error) {
	stale := ""
	for attempt := 0; ; attempt++ {
		auth, err := c.authorization(ctx, stale)
		if err != nil {
			return time.Time{}, err
		}
		received, err := c.getOnce(ctx, target, auth, buf)
		var apiErr *apierror.Error
		if attempt == 0 && errors.As(err, &apiErr) && apiErr.Status == http.StatusUnauthorized {
			stale = auth
			continue
		}
		return received, err
	}
}

func (c *Client) getOnce(ctx context.Context, target, auth string, buf *bytes.Buffer) (time.Time, error) {
	x := c.exchange()
	req, err := x.NewRequest(ctx, http.MethodGet, target, http.NoBody)
	if err != nil {
		return time.Time{}, err
	}
	return x.Do(c.http, req, auth, buf)
}

// exchange is this API's side of the shared HTTP exchange.
func (c *Client) exchange() apihttp.Exchange {
	return apihttp.Exchange{API: APIName, MaxBody: MaxBodyBytes, UserAgent: c.userAgent, Message: errorMessage, Now: c.now}
}
