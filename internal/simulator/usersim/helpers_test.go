package usersim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fakeClock is a settable clock for token expiry.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type env struct {
	sim   *Sim
	srv   *httptest.Server
	clock *fakeClock
}

func newEnv(t *testing.T, cfg Config) *env {
	t.Helper()
	clock := &fakeClock{now: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	if cfg.Now == nil {
		cfg.Now = clock.Now
	}
	sim := New(cfg)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return &env{sim: sim, srv: srv, clock: clock}
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(a.body, v), string(a.body))
}

func (e *env) do(t *testing.T, req *http.Request) answer {
	t.Helper()
	resp, err := e.srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return answer{status: resp.StatusCode, header: resp.Header, body: body}
}

// tokenRequest is the request the OAuth client sends: Basic auth with
// form-encoded parts, grant_type in a form body.
func (e *env) tokenRequest(t *testing.T, path, id, secret, form string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if id != "" || secret != "" {
		req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	}
	return e.do(t, req)
}

// token returns a fresh access token for the Sim's credentials.
func (e *env) token(t *testing.T) string {
	t.Helper()
	a := e.tokenRequest(t, "/v1/oauth/token", e.sim.ClientID(), e.sim.ClientSecret(), "grant_type=client_credentials")
	require.Equal(t, http.StatusOK, a.status, string(a.body))
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	a.json(t, &tok)
	return tok.AccessToken
}

func (e *env) get(t *testing.T, token, pathAndQuery string) answer {
	t.Helper()
	return e.call(t, http.MethodGet, token, pathAndQuery)
}

func (e *env) call(t *testing.T, method, token, pathAndQuery string) answer {
	t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+pathAndQuery, http.NoBody)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("User-Agent", "usersim-test/1")
	return e.do(t, req)
}

func (e *env) admin(t *testing.T, method, route string, body any) answer {
	t.Helper()
	var rd io.Reader = http.NoBody
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd = strings.NewReader(string(b))
	}
	req, err := http.NewRequest(method, e.srv.URL+AdminPrefix+route, rd)
	require.NoError(t, err)
	return e.do(t, req)
}

type listPage struct {
	Results       []map[string]any `json:"results"`
	NextPageToken string           `json:"next_page_token"`
}

func (e *env) usersPath(version string) string {
	return "/" + version + "/accounts/" + e.sim.AccountID() + "/users"
}

// walk lists every page and returns the ids in order and the page sizes.
func (e *env) walk(t *testing.T, version, token, query string) (ids []string, sizes []int) {
	t.Helper()
	pageToken := ""
	for range 10000 {
		q := query
		if pageToken != "" {
			q += "&page_token=" + url.QueryEscape(pageToken)
		}
		a := e.get(t, token, e.usersPath(version)+"?"+q)
		require.Equal(t, http.StatusOK, a.status, string(a.body))
		var p listPage
		a.json(t, &p)
		for _, u := range p.Results {
			ids = append(ids, u["id"].(string))
		}
		sizes = append(sizes, len(p.Results))
		if p.NextPageToken == "" {
			return ids, sizes
		}
		pageToken = p.NextPageToken
	}
	t.Fatal("walk did not end")
	return nil, nil
}

type errorBody struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Details []any  `json:"details"`
}
