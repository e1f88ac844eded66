package simulator

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testAccount = "HGIF4OEWXDTVWKEQDIWTKV26HU"

func TestAuthentication(t *testing.T) {
	h := newHarness(t, Config{Accounts: []AccountConfig{{UUID: testAccount}}})
	mint := func(c TokenClaims) string {
		tok, err := h.sim.MintToken(testAccount, c)
		require.NoError(t, err)
		return tok
	}
	auditOnly := mint(TokenClaims{Features: []string{"auditevents"}})
	expired := mint(TokenClaims{Features: Streams, ExpiresAt: testEpoch.Add(-time.Second)})
	expiresLater := mint(TokenClaims{Features: Streams, ExpiresAt: testEpoch.Add(time.Hour)})
	revoked := mint(TokenClaims{Features: Streams})
	h.sim.RevokeToken(revoked)
	// a well-formed token the server never issued: exact match is required
	unknown := MakeToken(TokenClaims{AccountUUID: testAccount, Features: Streams, Audience: DefaultAudience, IssuedAt: testEpoch})

	tests := []struct {
		name   string
		header string
		path   string
		want   int
	}{
		{"valid", "Bearer " + h.token, "/api/v2/auditevents", 200},
		{"scheme is case-insensitive", "bearer " + h.token, "/api/v2/auditevents", 200},
		{"no header", "", "/api/v2/auditevents", 401},
		{"basic scheme", "Basic " + h.token, "/api/v2/auditevents", 401},
		{"bearer without token", "Bearer ", "/api/v2/auditevents", 401},
		{"garbled token", "Bearer " + h.token[:len(h.token)-3], "/api/v2/auditevents", 401},
		{"unknown token", "Bearer " + unknown, "/api/v2/auditevents", 401},
		{"revoked token", "Bearer " + revoked, "/api/v2/auditevents", 401},
		{"expired token", "Bearer " + expired, "/api/v2/auditevents", 401},
		{"expired token on introspect", "Bearer " + expired, "/api/v2/auth/introspect", 401},
		{"not yet expired", "Bearer " + expiresLater, "/api/v1/signinattempts", 200},
		{"feature present", "Bearer " + auditOnly, "/api/v1/auditevents", 200},
		{"feature missing v1", "Bearer " + auditOnly, "/api/v1/itemusages", 401},
		{"feature missing v2", "Bearer " + auditOnly, "/api/v2/signinattempts", 401},
		{"introspect needs no feature", "Bearer " + auditOnly, "/api/v2/auth/introspect", 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			method := http.MethodPost
			if tc.path == "/api/v2/auth/introspect" {
				method = http.MethodGet
			}
			var body io.Reader
			if method == http.MethodPost {
				body = jsonBody(`{}`)
			}
			req, err := http.NewRequest(method, h.srv.URL+tc.path, body)
			require.NoError(t, err)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp, err := h.srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tc.want, resp.StatusCode)
			assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
			if tc.want == 401 {
				var b json.RawMessage
				require.NoError(t, json.NewDecoder(resp.Body).Decode(&b))
				assert.Equal(t, errUnauthorizedBody, string(b))
			}
		})
	}

	// the clock moves on: a token that was valid expires
	h.clock.Advance(2 * time.Hour)
	r := h.do(http.MethodPost, "/api/v1/signinattempts", expiresLater, `{}`)
	assert.Equal(t, http.StatusUnauthorized, r.status)
}

func TestMissingFeatureStatusConfigurable(t *testing.T) {
	h := newHarness(t, Config{MissingFeatureStatus: http.StatusForbidden})
	tok, err := h.sim.MintToken(h.acct, TokenClaims{Features: []string{StreamItemUsages}})
	require.NoError(t, err)
	r := h.do(http.MethodPost, "/api/v2/auditevents", tok, `{}`)
	assert.Equal(t, http.StatusForbidden, r.status)
	assert.JSONEq(t, `{"Error":{"Message":"Forbidden"}}`, string(r.body))
}

func TestNonJWTTokensAreAcceptedVerbatim(t *testing.T) {
	h := newHarness(t, Config{Accounts: []AccountConfig{{Tokens: []string{"secret-one", "secret-two"}}}})
	assert.Equal(t, []string{"secret-one", "secret-two"}, h.sim.Tokens(h.acct))
	for _, tok := range []string{"secret-one", "secret-two"} {
		assert.Equal(t, http.StatusOK, h.do(http.MethodPost, "/api/v2/itemusages", tok, `{}`).status)
	}
	assert.Equal(t, http.StatusUnauthorized, h.do(http.MethodPost, "/api/v2/itemusages", "secret-three", `{}`).status)
}

func TestIntrospect(t *testing.T) {
	h := newHarness(t, Config{Accounts: []AccountConfig{{UUID: testAccount}}})
	issued := testEpoch.Add(-48 * time.Hour)
	tok, err := h.sim.MintToken(testAccount, TokenClaims{
		Features: []string{"itemusages", "signinattempts"},
		IssuedAt: issued,
		Subject:  "UED4KFZ5BH37IQWTJ7LG4VPWK7",
	})
	require.NoError(t, err)

	r := h.do(http.MethodGet, "/api/v2/auth/introspect", tok, "")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "application/json; charset=utf-8", r.header.Get("Content-Type"))
	assert.JSONEq(t, `{
		"uuid": "UED4KFZ5BH37IQWTJ7LG4VPWK7",
		"issued_at": "2026-11-18T12:00:00Z",
		"features": ["itemusages", "signinattempts"],
		"account_uuid": "HGIF4OEWXDTVWKEQDIWTKV26HU"
	}`, string(r.body))

	r = h.do(http.MethodGet, "/api/auth/introspect", tok, "")
	require.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{
		"UUID": "UED4KFZ5BH37IQWTJ7LG4VPWK7",
		"IssuedAt": "2026-11-18T12:00:00Z",
		"Features": ["itemusages", "signinattempts"]
	}`, string(r.body))

	// the default token carries every feature
	var v2 introspectV2
	require.NoError(t, json.Unmarshal(h.do(http.MethodGet, "/api/v2/auth/introspect", h.token, "").body, &v2))
	assert.ElementsMatch(t, Streams, v2.Features)
	assert.Equal(t, testAccount, v2.AccountUUID)
	assert.True(t, isUUID(v2.UUID))

	assert.Equal(t, http.StatusUnauthorized, h.do(http.MethodGet, "/api/v2/auth/introspect", "", "").status)
}

func TestUnknownPathsAndMethods(t *testing.T) {
	h := newHarness(t, Config{})
	tests := []struct {
		method, path string
		want         int
		wantBody     string
		wantCT       string
	}{
		{"GET", "/api/v3/auditevents", 404, "404 page not found\n", "text/plain; charset=utf-8"},
		{"POST", "/api/v3/auditevents", 404, "404 page not found\n", "text/plain; charset=utf-8"},
		{"POST", "/api/v2/nothing", 404, "404 page not found\n", "text/plain; charset=utf-8"},
		{"GET", "/", 404, "404 page not found\n", "text/plain; charset=utf-8"},
		{"POST", "/api/v2/auditevents/", 404, "404 page not found\n", "text/plain; charset=utf-8"},
		{"GET", "/api/v2/auditevents", 405, "", ""},
		{"POST", "/api/v2/auth/introspect", 405, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := h.do(tc.method, tc.path, h.token, "")
			assert.Equal(t, tc.want, r.status)
			if tc.wantBody != "" {
				assert.Equal(t, tc.wantBody, string(r.body))
				assert.Equal(t, tc.wantCT, r.header.Get("Content-Type"))
			}
		})
	}
}

func TestMakeAndParseToken(t *testing.T) {
	c := TokenClaims{
		Audience:    "events.1password.eu",
		AccountUUID: testAccount,
		Features:    []string{"auditevents", "signinattempts"},
		IssuedAt:    time.Unix(1700000000, 0).UTC(),
		ExpiresAt:   time.Unix(1800000000, 0).UTC(),
		Subject:     "OJQGU46KAPROEJLCK674RHSAY5",
	}
	tok := MakeToken(c)
	parts := splitToken(t, tok)
	assert.JSONEq(t, `{"alg":"ES256","kid":"sim","typ":"JWT"}`, string(parts[0]))
	assert.JSONEq(t, `{
		"aud": ["events.1password.eu"],
		"sub": "OJQGU46KAPROEJLCK674RHSAY5",
		"iss": "com.1password.b5",
		"iat": 1700000000,
		"exp": 1800000000,
		"1password.com/auuid": "HGIF4OEWXDTVWKEQDIWTKV26HU",
		"1password.com/fts": ["auditevents", "signinattempts"]
	}`, string(parts[1]))
	assert.Len(t, parts[2], 64, "an ES256 signature is 64 bytes")

	got, err := ParseToken(tok)
	require.NoError(t, err)
	assert.Equal(t, c, got)

	// no exp claim when ExpiresAt is zero; every token is unique
	c.ExpiresAt = time.Time{}
	tok2 := MakeToken(c)
	assert.NotContains(t, string(splitToken(t, tok2)[1]), `"exp"`)
	assert.NotEqual(t, tok2, MakeToken(c))

	for _, bad := range []string{"", "a.b", "a.b.c.d", "x.!!!.y", "x." + b64(`not json`) + ".y"} {
		_, err := ParseToken(bad)
		assert.Error(t, err, bad)
	}
}

func TestConfigurationMistakes(t *testing.T) {
	assert.PanicsWithValue(t, `simulator: account UUID "A" configured twice`, func() {
		New(Config{Accounts: []AccountConfig{{UUID: "A"}, {UUID: "A"}}})
	})
	assert.Panics(t, func() {
		New(Config{Accounts: []AccountConfig{{Tokens: []string{"t"}}, {Tokens: []string{"t"}}}})
	})
	sim := New(Config{})
	defer sim.Close()
	assert.Error(t, sim.AddToken(sim.Accounts()[0], sim.Tokens(sim.Accounts()[0])[0]), "token already registered")
	assert.ErrorIs(t, sim.AddToken("NOPE", "x"), errUnknownAccount)
	_, err := sim.MintToken("NOPE", TokenClaims{})
	assert.Error(t, err)
	assert.Error(t, sim.AddEvents("", "users", 1, GenOptions{}))
	assert.Error(t, sim.AddEvents("", StreamAuditEvents, -1, GenOptions{}))
	assert.Error(t, sim.AddEvents("", StreamAuditEvents, 1, GenOptions{Start: testEpoch, End: testEpoch}))
	assert.Error(t, sim.AddLate("", StreamAuditEvents, 1, 0))
	assert.Zero(t, sim.Served("NOPE", StreamAuditEvents))
	assert.Zero(t, sim.Stored("", "users"))
	assert.Nil(t, sim.Tokens("NOPE"))
}
