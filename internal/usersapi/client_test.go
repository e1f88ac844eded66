package usersapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onepassword-otel/onepasswordreceiver/internal/apierror"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator/usersim"
)

func TestWalkComplete(t *testing.T) {
	tests := []struct {
		name      string
		version   string
		users     int
		pageSize  int
		wantPages int
	}{
		{"v1, three pages", VersionV1, 2500, 1000, 3},
		{"v1beta1", VersionV1Beta1, 2500, 1000, 3},
		{"exact multiple", VersionV1, 20, 10, 2},
		{"empty account", VersionV1, 0, 1000, 1},
		{"page size 1", VersionV1, 3, 1, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, usersim.Config{})
			want := e.sim.Generate(tt.users)
			c := e.client(t, e.config(tt.version))
			w := c.NewWalk(tt.pageSize)
			var ids []string
			for !w.Done() {
				assert.Equal(t, w.Pages() > 0, w.Continuing())
				page, err := w.Next(t.Context())
				require.NoError(t, err)
				assert.Equal(t, w.Done(), page.Last)
				assert.Equal(t, e.clock.Now(), page.Received)
				ids = append(ids, userIDs(t, page)...)
			}
			assert.Equal(t, tt.wantPages, w.Pages())
			if tt.users > 0 {
				assert.Equal(t, want, ids)
			} else {
				assert.Empty(t, ids)
			}
			_, err := w.Next(t.Context())
			assert.ErrorIs(t, err, ErrWalkDone)

			assert.Equal(t, tt.pageSize, e.sim.Stats().LastPageSize)
			assert.Equal(t, 1, c.TokensObtained())
			assert.Equal(t, []string{testUserAgent}, e.uas.get("token"))
			for _, ua := range e.uas.get("users") {
				assert.Equal(t, testUserAgent, ua)
			}
		})
	}
}

func TestTokenReuse(t *testing.T) {
	tests := []struct {
		name       string
		lifetime   time.Duration
		reuseUntil time.Duration // a walk at this age still uses the first token
	}{
		{"15 minutes: 60 s margin", 900 * time.Second, 840 * time.Second},
		{"2 minutes: 60 s margin", 120 * time.Second, 60 * time.Second},
		{"under 2 minutes: half the lifetime", 100 * time.Second, 50 * time.Second},
		{"1 second", time.Second, 500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, usersim.Config{TokenLifetime: tt.lifetime})
			e.sim.Generate(3)
			c := e.client(t, e.config(VersionV1))
			_, err := walkAll(t, c, 2)
			require.NoError(t, err)
			e.clock.Advance(tt.reuseUntil - time.Millisecond)
			_, err = walkAll(t, c, 2)
			require.NoError(t, err)
			assert.Equal(t, 1, c.TokensObtained(), "reused until expires_in minus the margin")
			e.clock.Advance(time.Millisecond)
			_, err = walkAll(t, c, 2)
			require.NoError(t, err)
			assert.Equal(t, 2, c.TokensObtained(), "renewed at expires_in minus the margin")
			assert.Zero(t, e.sim.Stats().Unauthorized, "never sent an expired token")
		})
	}
}

func TestRenewMargin(t *testing.T) {
	for _, tt := range []struct{ lifetime, want time.Duration }{
		{900 * time.Second, time.Minute},
		{2 * time.Minute, time.Minute},
		{119 * time.Second, 59500 * time.Millisecond},
		{10 * time.Second, 5 * time.Second},
	} {
		assert.Equal(t, tt.want, renewMargin(tt.lifetime), tt.lifetime)
	}
}

func TestRenewalOn401(t *testing.T) {
	e := newEnv(t, usersim.Config{})
	want := e.sim.Generate(5)
	c := e.client(t, e.config(VersionV1))
	w := c.NewWalk(2)
	page, err := w.Next(t.Context())
	require.NoError(t, err)
	got := userIDs(t, page)
	e.sim.ExpireTokens() // revoked or expired early: the server decides
	for !w.Done() {
		page, err := w.Next(t.Context())
		require.NoError(t, err, "one new token and one retry, inside the walk")
		got = append(got, userIDs(t, page)...)
	}
	assert.Equal(t, want, got)
	assert.Equal(t, 2, c.TokensObtained())
	assert.Equal(t, 1, e.sim.Stats().Unauthorized)
}

func TestPersistent401IsRetriedOnce(t *testing.T) {
	e := newEnv(t, usersim.Config{})
	c := e.client(t, e.config(VersionV1))
	e.sim.SetFault(usersim.Fault{Endpoint: usersim.EndpointList, Status: http.StatusUnauthorized})
	_, err := walkAll(t, c, 10)
	require.Error(t, err)
	assert.Equal(t, Unauthorized, Classify(err))
	assert.Equal(t, 2, c.TokensObtained())
	assert.Equal(t, 2, e.sim.Stats().ListRequests)
}

func TestErrorClasses(t *testing.T) {
	tests := []struct {
		name           string
		fault          usersim.Fault
		want           Failure
		wantStatus     int
		wantRetryAfter time.Duration
		wantToken      bool // a TokenError
	}{
		{"403 on the listing", usersim.Fault{Endpoint: usersim.EndpointList, Status: 403}, Forbidden, 403, 0, false},
		{"404 on the listing", usersim.Fault{Endpoint: usersim.EndpointList, Status: 404}, NotFound, 404, 0, false},
		{"429 with Retry-After", usersim.Fault{Endpoint: usersim.EndpointList, Status: 429, RetryAfter: "7"}, RateLimited, 429, 7 * time.Second, false},
		{"500", usersim.Fault{Endpoint: usersim.EndpointList, Status: 500}, Transient, 500, 0, false},
		{"503 with Retry-After", usersim.Fault{Endpoint: usersim.EndpointList, Status: 503, RetryAfter: "2"}, Transient, 503, 2 * time.Second, false},
		{"400 on the first page", usersim.Fault{Endpoint: usersim.EndpointList, Status: 400}, BadRequest, 400, 0, false},
		{"409", usersim.Fault{Endpoint: usersim.EndpointList, Status: 409}, OtherClientError, 409, 0, false},
		{"401 from the token endpoint", usersim.Fault{Endpoint: usersim.EndpointToken, Status: 401}, BadCredentials, 401, 0, true},
		{"429 from the token endpoint", usersim.Fault{Endpoint: usersim.EndpointToken, Status: 429, RetryAfter: "3"}, RateLimited, 429, 3 * time.Second, true},
		{"502 from the token endpoint", usersim.Fault{Endpoint: usersim.EndpointToken, Status: 502}, Transient, 502, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, usersim.Config{})
			e.sim.Generate(3)
			c := e.client(t, e.config(VersionV1))
			e.sim.SetFault(tt.fault)
			_, err := walkAll(t, c, 10)
			require.Error(t, err)
			assert.Equal(t, tt.want, Classify(err), err.Error())
			var apiErr *apierror.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, APIName, apiErr.API)
			assert.Equal(t, tt.wantStatus, apiErr.Status)
			assert.Equal(t, tt.wantRetryAfter, apiErr.RetryAfter)
			assert.Equal(t, tt.wantRetryAfter != 0, apiErr.HasRetryAfter)
			var tokErr *TokenError
			assert.Equal(t, tt.wantToken, errors.As(err, &tokErr))
			assertNoSecret(t, e, err)
		})
	}
}

func TestWrongClientSecret(t *testing.T) {
	e := newEnv(t, usersim.Config{ClientSecret: "the-real-secret"})
	cfg := e.config(VersionV1)
	cfg.ClientSecret = "a-wrong-secret"
	c := e.client(t, cfg)
	_, err := walkAll(t, c, 10)
	require.Error(t, err)
	assert.Equal(t, BadCredentials, Classify(err))
	assert.Equal(t, apierror.Unauthorized, apierror.Classify(err))
	assert.Contains(t, err.Error(), "invalid_client")
	assert.NotContains(t, err.Error(), "a-wrong-secret")
	assert.NotContains(t, err.Error(), "the-real-secret")
	assert.Zero(t, e.sim.Stats().ListRequests)
}

func assertNoSecret(t *testing.T, e *env, err error) {
	t.Helper()
	assert.NotContains(t, err.Error(), e.sim.ClientSecret())
	assert.NotContains(t, err.Error(), "simtok_", "no access token in errors")
}

func TestRetryWithinWalk(t *testing.T) {
	e := newEnv(t, usersim.Config{})
	want := e.sim.Generate(5)
	c := e.client(t, e.config(VersionV1))
	e.sim.SetFault(usersim.Fault{Endpoint: usersim.EndpointList, Status: 502, Skip: 1, Count: 1})
	w := c.NewWalk(2)
	var got []string
	failures := 0
	for !w.Done() {
		page, err := w.Next(t.Context())
		if err != nil {
			require.Equal(t, Transient, Classify(err))
			failures++
			continue // a source backs off here, then asks for the same page
		}
		got = append(got, userIDs(t, page)...)
	}
	assert.Equal(t, 1, failures)
	assert.Equal(t, want, got)
	assert.Equal(t, 3, w.Pages())
}

func TestPageTokenRejected(t *testing.T) {
	e := newEnv(t, usersim.Config{})
	e.sim.Generate(5)
	c := e.client(t, e.config(VersionV1))
	e.sim.SetFault(usersim.Fault{Endpoint: usersim.EndpointList, Status: 400, Skip: 1, Count: 1})
	w := c.NewWalk(2)
	_, err := w.Next(t.Context())
	require.NoError(t, err)
	_, err = w.Next(t.Context())
	require.Error(t, err)
	assert.Equal(t, PageTokenRejected, Classify(err))
	assert.Equal(t, apierror.BadRequest, apierror.Classify(err))
	assert.Contains(t, err.Error(), "page token rejected")
}

func TestRepeatedPageToken(t *testing.T) {
	e := newEnv(t, usersim.Config{})
	// A broken server: every page hands out the same token.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			e.sim.ServeHTTP(w, r)
			return
		}
		_, _ = w.Write([]byte(`{"results":[{"id":"A"}],"next_page_token":"CAIQAg"}`))
	}))
	t.Cleanup(srv.Close)
	cfg := e.config(VersionV1)
	cfg.Endpoint = srv.URL
	c, err := NewClient(srv.Client(), cfg)
	require.NoError(t, err)
	w := c.NewWalk(1)
	_, err = w.Next(t.Context())
	require.NoError(t, err)
	_, err = w.Next(t.Context())
	require.ErrorIs(t, err, ErrRepeatedPageToken)
	assert.Equal(t, WalkBroken, Classify(err))
	_, err = w.Next(t.Context())
	assert.ErrorIs(t, err, ErrRepeatedPageToken, "a broken walk stays broken")
	assert.False(t, w.Done())
}

func TestPageCap(t *testing.T) {
	e := newEnv(t, usersim.Config{})
	e.sim.Generate(10)
	cfg := e.config(VersionV1)
	cfg.MaxPages = 3
	c := e.client(t, cfg)
	ids, err := walkAll(t, c, 2)
	require.ErrorIs(t, err, ErrPageCap)
	assert.Equal(t, WalkBroken, Classify(err))
	assert.Len(t, ids, 4, "pages 1 and 2 returned; page 3 announced a 4th")

	cfg.MaxPages = 5 // exactly enough
	c = e.client(t, cfg)
	ids, err = walkAll(t, c, 2)
	require.NoError(t, err)
	assert.Len(t, ids, 10)
}

func TestMalformedPage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"access_token":"tok","token_type":"Bearer","expires_in":900}`))
			return
		}
		_, _ = w.Write([]byte(`{"results":[{"id":"A"},`))
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(srv.Client(), Config{Endpoint: srv.URL, APIVersion: VersionV1, AccountID: "ACC", ClientID: "id", ClientSecret: "secret"})
	require.NoError(t, err)
	_, err = walkAll(t, c, 10)
	var decErr *apierror.DecodeError
	require.ErrorAs(t, err, &decErr)
	assert.Equal(t, Transient, Classify(err))
	assert.Contains(t, err.Error(), "page 1")
}

func TestCancelledWalk(t *testing.T) {
	e := newEnv(t, usersim.Config{})
	e.sim.Generate(3)
	c := e.client(t, e.config(VersionV1))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.NewWalk(10).Next(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, Transient, Classify(err))
}

func TestNewClientRefuses(t *testing.T) {
	good := Config{Endpoint: "https://api.1password.com", APIVersion: VersionV1, AccountID: "ABC"}
	tests := []struct {
		name    string
		change  func(*Config)
		wantErr string
	}{
		{"version", func(c *Config) { c.APIVersion = "v2" }, `unknown users API version "v2"`},
		{"endpoint", func(c *Config) { c.Endpoint = "api.1password.com" }, "not an http(s) URL"},
		{"scheme", func(c *Config) { c.Endpoint = "ftp://api.1password.com" }, "not an http(s) URL"},
		{"no account", func(c *Config) { c.AccountID = "" }, "account id"},
		{"account with a slash", func(c *Config) { c.AccountID = "A/B" }, "account id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.change(&cfg)
			_, err := NewClient(http.DefaultClient, cfg)
			require.ErrorContains(t, err, tt.wantErr)
		})
	}
	_, err := NewClient(http.DefaultClient, good)
	require.NoError(t, err)
}

func TestTokenPath(t *testing.T) {
	p, err := TokenPath(VersionV1)
	require.NoError(t, err)
	assert.Equal(t, "/v1/oauth/token", p)
	p, err = TokenPath(VersionV1Beta1)
	require.NoError(t, err)
	assert.Equal(t, "/v1beta1/users/oauth2/token", p)
	_, err = TokenPath("v3")
	assert.Error(t, err)
}

func TestClassifyOther(t *testing.T) {
	tests := []struct {
		err  error
		want Failure
	}{
		{errors.New("dial tcp: connection refused"), Transient},
		{&TokenError{Err: &apierror.Error{API: APIName, Status: 400, Message: "invalid_client: bad"}}, BadCredentials},
		{&TokenError{Err: &apierror.Error{API: APIName, Status: 400, Message: "unauthorized_client"}}, BadCredentials},
		{&TokenError{Err: &apierror.Error{API: APIName, Status: 400, Message: "invalid_scope"}}, BadRequest},
		{&TokenError{Err: &apierror.Error{API: APIName, Status: 403}}, Forbidden},
		{&TokenError{Err: errors.New("timeout")}, Transient},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Classify(tt.err), tt.err.Error())
	}
	assert.Equal(t, "bad_credentials", BadCredentials.String())
	assert.Equal(t, "unknown", Failure(99).String())
	assert.True(t, strings.HasPrefix((&TokenError{Err: errors.New("x")}).Error(), "requesting a users API access token"))
}

func TestConfigMasksSecret(t *testing.T) {
	cfg := Config{ClientID: "id", ClientSecret: "do-not-print"}
	assert.NotContains(t, fmt.Sprintf("%v %+v %s", cfg, cfg, cfg.ClientSecret), "do-not-print")
}

type idleCounter struct {
	http.RoundTripper
	closed int
}

func (c *idleCounter) CloseIdleConnections() { c.closed++ }

func TestUserAgentTransportPassesCloseIdleConnectionsOn(t *testing.T) {
	base := &idleCounter{RoundTripper: http.DefaultTransport}
	client := &http.Client{Transport: &userAgentTransport{base: base, userAgent: "x"}}
	client.CloseIdleConnections()
	assert.Equal(t, 1, base.closed)
}
