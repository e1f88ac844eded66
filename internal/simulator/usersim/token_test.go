package usersim

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTokenEndpoint(t *testing.T) {
	const secret = "s3cr:t/with+odd%chars"
	tests := []struct {
		name       string
		path       string
		id, secret string
		form       string
		wantStatus int
		wantError  string
	}{
		{"v1 path", "/v1/oauth/token", "cid", secret, "grant_type=client_credentials", http.StatusOK, ""},
		{"v1beta1 path", "/v1beta1/users/oauth2/token", "cid", secret, "grant_type=client_credentials", http.StatusOK, ""},
		{"scope openid", "/v1/oauth/token", "cid", secret, "grant_type=client_credentials&scope=openid", http.StatusOK, ""},
		{"wrong secret", "/v1/oauth/token", "cid", "nope", "grant_type=client_credentials", http.StatusUnauthorized, "invalid_client"},
		{"wrong client id", "/v1/oauth/token", "other", secret, "grant_type=client_credentials", http.StatusUnauthorized, "invalid_client"},
		{"no client auth", "/v1/oauth/token", "", "", "grant_type=client_credentials", http.StatusUnauthorized, "invalid_client"},
		{"wrong grant", "/v1/oauth/token", "cid", secret, "grant_type=password", http.StatusBadRequest, "unsupported_grant_type"},
		{"other scope", "/v1/oauth/token", "cid", secret, "grant_type=client_credentials&scope=users", http.StatusBadRequest, "invalid_scope"},
		{"GET not served", "", "", "", "", http.StatusMethodNotAllowed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Config{ClientID: "cid", ClientSecret: secret, TokenLifetime: 90 * time.Second})
			var a answer
			if tt.path == "" {
				a = e.get(t, "", "/v1/oauth/token")
			} else {
				a = e.tokenRequest(t, tt.path, tt.id, tt.secret, tt.form)
			}
			require.Equal(t, tt.wantStatus, a.status, string(a.body))
			if tt.wantStatus == http.StatusOK {
				var tok struct {
					AccessToken string `json:"access_token"`
					TokenType   string `json:"token_type"`
					ExpiresIn   int    `json:"expires_in"`
				}
				a.json(t, &tok)
				assert.NotEmpty(t, tok.AccessToken)
				assert.Equal(t, "Bearer", tok.TokenType)
				assert.Equal(t, 90, tok.ExpiresIn)
				assert.Equal(t, 1, e.sim.Stats().TokensIssued)
			}
			if tt.wantError != "" {
				var oe struct {
					Error string `json:"error"`
				}
				a.json(t, &oe)
				assert.Equal(t, tt.wantError, oe.Error)
				assert.NotContains(t, string(a.body), secret)
				assert.Zero(t, e.sim.Stats().TokensIssued)
			}
		})
	}
}

func TestTokenExpiry(t *testing.T) {
	tests := []struct {
		name       string
		invalidate func(e *env)
	}{
		{"lifetime passed", func(e *env) { e.clock.Advance(60 * time.Second) }},
		{"ExpireTokens", func(e *env) { e.sim.ExpireTokens() }},
		{"admin expire_tokens", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Config{TokenLifetime: 60 * time.Second})
			tok := e.token(t)
			e.clock.Advance(59 * time.Second)
			require.Equal(t, http.StatusOK, e.get(t, tok, e.usersPath("v1")).status)
			if tt.invalidate != nil {
				tt.invalidate(e)
			} else {
				require.Equal(t, http.StatusNoContent, e.admin(t, http.MethodPost, "expire_tokens", nil).status)
			}
			a := e.get(t, tok, e.usersPath("v1"))
			require.Equal(t, http.StatusUnauthorized, a.status)
			var eb errorBody
			a.json(t, &eb)
			assert.Equal(t, 16, eb.Code)
			assert.Equal(t, 1, e.sim.Stats().Unauthorized)
			assert.Equal(t, http.StatusOK, e.get(t, e.token(t), e.usersPath("v1")).status, "a new token works")
		})
	}
}

func TestBearerRequired(t *testing.T) {
	e := newEnv(t, Config{})
	for _, tok := range []string{"", "made-up"} {
		assert.Equal(t, http.StatusUnauthorized, e.get(t, tok, e.usersPath("v1")).status, "token %q", tok)
	}
}

func TestTokenLifetimeRounding(t *testing.T) {
	assert.Equal(t, time.Second, Config{TokenLifetime: 300 * time.Millisecond}.withDefaults().TokenLifetime)
	assert.Equal(t, 2*time.Second, Config{TokenLifetime: 2500 * time.Millisecond}.withDefaults().TokenLifetime)
	assert.Equal(t, DefaultTokenLifetime, Config{}.withDefaults().TokenLifetime)
}
