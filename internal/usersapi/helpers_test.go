package usersapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/config/configopaque"

	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator/usersim"
)

const testUserAgent = "otelcol-onepassword/test"

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

// userAgents records the User-Agent of every request by path kind.
type userAgents struct {
	mu   sync.Mutex
	seen map[string][]string // "token" or "users" -> user agents
}

func (u *userAgents) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind := "users"
		if r.Method == http.MethodPost {
			kind = "token"
		}
		u.mu.Lock()
		u.seen[kind] = append(u.seen[kind], r.UserAgent())
		u.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

func (u *userAgents) get(kind string) []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]string(nil), u.seen[kind]...)
}

type env struct {
	sim   *usersim.Sim
	srv   *httptest.Server
	clock *fakeClock
	uas   *userAgents
}

func newEnv(t *testing.T, cfg usersim.Config) *env {
	t.Helper()
	clock := &fakeClock{now: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	cfg.Now = clock.Now
	sim := usersim.New(cfg)
	uas := &userAgents{seen: map[string][]string{}}
	srv := httptest.NewServer(uas.wrap(sim))
	t.Cleanup(srv.Close)
	return &env{sim: sim, srv: srv, clock: clock, uas: uas}
}

func (e *env) config(version string) Config {
	return Config{
		Endpoint:     e.srv.URL,
		APIVersion:   version,
		AccountID:    e.sim.AccountID(),
		ClientID:     e.sim.ClientID(),
		ClientSecret: configopaque.String(e.sim.ClientSecret()),
		UserAgent:    testUserAgent,
	}
}

func (e *env) client(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := NewClient(e.srv.Client(), cfg)
	require.NoError(t, err)
	c.now = e.clock.Now
	return c
}

// walkAll runs a walk to its end without retries and returns the user ids.
func walkAll(t *testing.T, c *Client, pageSize int) ([]string, error) {
	t.Helper()
	w := c.NewWalk(pageSize)
	var ids []string
	for !w.Done() {
		page, err := w.Next(t.Context())
		if err != nil {
			return ids, err
		}
		ids = append(ids, userIDs(t, page)...)
	}
	return ids, nil
}

func userIDs(t *testing.T, page Page) []string {
	t.Helper()
	ids := make([]string, 0, len(page.Users))
	for _, raw := range page.Users {
		var u struct {
			ID string `json:"id"`
		}
		require.NoError(t, json.Unmarshal(raw, &u), string(raw))
		ids = append(ids, u.ID)
	}
	return ids
}

func newBenchServer(b *testing.B, sim *usersim.Sim) *httptest.Server {
	srv := httptest.NewServer(sim)
	b.Cleanup(srv.Close)
	return srv
}
