//go:build e2e

package e2e

import (
	"crypto/rand"
	"encoding/hex"
	"sort"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator/usersim"
)

// The users source's record names and attributes (contract §6.3).
const (
	eventUser       = "onepassword.user"
	eventUserChange = "onepassword.user_change"
	attrUserChange  = "onepassword.user.change"
	attrUserID      = "user.id"

	// usersSecretEnv carries the client secret into the collector.
	usersSecretEnv = "OP_USERS_CLIENT_SECRET"
)

// usersEnv is the simulator serving both APIs of one account: the Events
// API and, mounted beside it, the Users API with a client secret of its
// own for this test.
type usersEnv struct {
	*simEnv
	users  *usersim.Sim
	secret string
}

func startUsersEnv(t testing.TB, users int, cfg usersim.Config) *usersEnv {
	t.Helper()
	env := startSim(t, simulator.Config{Seed: 13})
	var b [16]byte
	_, _ = rand.Read(b[:])
	cfg.AccountID = env.account
	if cfg.ClientSecret == "" {
		cfg.ClientSecret = "e2eUsersSecret" + hex.EncodeToString(b[:])
	}
	sim := usersim.New(cfg)
	sim.Generate(users)
	env.sim.MountUsers(sim)
	return &usersEnv{simEnv: env, users: sim, secret: cfg.ClientSecret}
}

// usersSection is the receiver's users section for the simulator: small
// pages, so that every pass has several, and a pass a second.
func (e *usersEnv) usersSection(pageSize int, more map[string]any) map[string]any {
	u := map[string]any{
		"enabled":            true,
		"client_id":          e.users.ClientID(),
		"client_secret":      "${env:" + usersSecretEnv + "}",
		"endpoint":           e.url,
		"poll_interval":      "1s",
		"page_size":          pageSize,
		"inventory_interval": "24h",
	}
	for k, v := range more {
		u[k] = v
	}
	return u
}

// usersOnly is a receiver with every Events stream off and no token.
func (e *usersEnv) usersOnly(pageSize int, more map[string]any) map[string]any {
	more = withDefault(more, "account_id", e.account)
	return map[string]any{
		"token": nil, "endpoint": nil,
		"audit_events":    map[string]any{"enabled": false},
		"item_usages":     map[string]any{"enabled": false},
		"signin_attempts": map[string]any{"enabled": false},
		"users":           e.usersSection(pageSize, more),
	}
}

func withDefault(m map[string]any, k string, v any) map[string]any {
	out := map[string]any{k: v}
	for key, val := range m {
		out[key] = val
	}
	return out
}

// newUsersCollector is newCollector with the client secret in the env.
func newUsersCollector(t testing.TB, e *usersEnv, cfg collectorConfig, secret string) *collector {
	c := newCollector(t, cfg, e.token)
	c.env = append(c.env, usersSecretEnv+"="+secret)
	return c
}

// changeKinds returns the onepassword.user.change of every change record
// the sink kept, sorted.
func changeKinds(s *otlpSink) []string {
	var kinds []string
	for _, r := range s.AllRecords() {
		if r.EventName == eventUserChange {
			k, _ := r.Attrs[attrUserChange].(string)
			kinds = append(kinds, k)
		}
	}
	sort.Strings(kinds)
	return kinds
}

// usersMetric sums a users metric with the given labels from a scrape.
func usersMetric(samples []e2ekit.Sample, name string, match map[string]string) float64 {
	return e2ekit.Sum(e2ekit.Metric(samples, metricPrefix+name, match))
}

// waitPasses waits until the receiver itself has counted n more complete
// passes than now: once it has, every record of the passes before was
// handed to the pipeline.
func waitPasses(t *testing.T, c *collector, n int, timeout time.Duration) []e2ekit.Sample {
	t.Helper()
	complete := func(s []e2ekit.Sample) float64 {
		return usersMetric(s, "users_passes", map[string]string{"outcome": "complete"})
	}
	base := complete(scrapeUntil(t, c, timeout, func([]e2ekit.Sample) bool { return true }).Samples)
	return scrapeUntil(t, c, timeout, func(s []e2ekit.Sample) bool { return complete(s) >= base+float64(n) }).Samples
}
