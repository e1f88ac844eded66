package simulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// fakeClock is an injectable Config.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock(t time.Time) *fakeClock { return &fakeClock{t: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var testEpoch = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// harness is a simulator behind a loopback httptest server.
type harness struct {
	t     *testing.T
	sim   *Server
	srv   *httptest.Server
	token string
	acct  string
	clock *fakeClock
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	h := &harness{t: t}
	if cfg.Now == nil {
		h.clock = newFakeClock(testEpoch)
		cfg.Now = h.clock.Now
	}
	if cfg.RateLimit == nil {
		// most tests page freely; rate-limit tests set their own
		cfg.RateLimit = &RateLimitConfig{}
	}
	h.sim = New(cfg)
	h.srv = httptest.NewServer(h.sim)
	t.Cleanup(func() {
		h.srv.Close()
		h.sim.Close()
	})
	h.acct = h.sim.Accounts()[0]
	h.token = h.sim.Tokens(h.acct)[0]
	return h
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (h *harness) do(method, path, token, body string) response {
	h.t.Helper()
	var rd io.Reader
	if body != "" || method == http.MethodPost {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, rd)
	require.NoError(h.t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := h.srv.Client().Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

func (h *harness) post(path, body string) response {
	h.t.Helper()
	return h.do(http.MethodPost, path, h.token, body)
}

// page is a decoded events response.
type page struct {
	Cursor  *string           `json:"cursor"`
	HasMore bool              `json:"has_more"`
	Items   []json.RawMessage `json:"items"`
}

func (p page) cursor() string {
	if p.Cursor == nil {
		return ""
	}
	return *p.Cursor
}

func (p page) uuids(t *testing.T) []string {
	t.Helper()
	out := make([]string, len(p.Items))
	for i, it := range p.Items {
		var v struct {
			UUID string `json:"uuid"`
		}
		require.NoError(t, json.Unmarshal(it, &v))
		out[i] = v.UUID
	}
	return out
}

func (p page) timestamps(t *testing.T) []time.Time {
	t.Helper()
	out := make([]time.Time, len(p.Items))
	for i, it := range p.Items {
		var v struct {
			Timestamp string `json:"timestamp"`
		}
		require.NoError(t, json.Unmarshal(it, &v))
		ts, err := time.Parse(time.RFC3339Nano, v.Timestamp)
		require.NoError(t, err)
		out[i] = ts
	}
	return out
}

// fetch posts body to path and requires a 200 page.
func (h *harness) fetch(path, body string) page {
	h.t.Helper()
	r := h.post(path, body)
	require.Equal(h.t, http.StatusOK, r.status, "body: %s", r.body)
	require.Equal(h.t, "application/json; charset=utf-8", r.header.Get("Content-Type"))
	var p page
	dec := json.NewDecoder(bytes.NewReader(r.body))
	require.NoError(h.t, dec.Decode(&p), "body: %s", r.body)
	require.NotNil(h.t, p.Items, "items must be [] rather than absent")
	return p
}

func cursorBody(c string) string {
	b, _ := json.Marshal(map[string]string{"cursor": c})
	return string(b)
}

// drain follows the cursor from a reset until has_more is false and
// returns every item uuid, the final cursor and the number of pages.
func (h *harness) drain(path, reset string) ([]string, string, int) {
	h.t.Helper()
	p := h.fetch(path, reset)
	uuids := p.uuids(h.t)
	pages := 1
	for p.HasMore {
		p = h.fetch(path, cursorBody(p.cursor()))
		uuids = append(uuids, p.uuids(h.t)...)
		pages++
		require.Less(h.t, pages, 10000, "paging does not terminate")
	}
	return uuids, p.cursor(), pages
}

const (
	errBadRequestBody   = `{"Error":{"Message":"Bad Request"}}`
	errUnauthorizedBody = `{"Error":{"Message":"Unauthorized"}}`
)

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func jsonBody(s string) io.Reader { return strings.NewReader(s) }

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// splitToken decodes the three base64url parts of a JWT-shaped token,
// requiring no padding.
func splitToken(t *testing.T, tok string) [3][]byte {
	t.Helper()
	parts := strings.Split(tok, ".")
	require.Len(t, parts, 3)
	var out [3][]byte
	for i, p := range parts {
		require.NotContains(t, p, "=")
		b, err := base64.RawURLEncoding.DecodeString(p)
		require.NoError(t, err)
		out[i] = b
	}
	return out
}

const errTooManyBody = `{"Error":{"Message":"Too Many Requests"}}`
