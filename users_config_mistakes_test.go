package onepasswordreceiver

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A users client secret as an OAuth application shows it: no JWT, so only
// the configured value itself can tell it apart.
const mistakeSecret = "ops_9e1c4b7d2f0a-client-secret"

// users builds a users section with the credentials set, plus more.
func users(more map[string]any) map[string]any {
	u := map[string]any{"enabled": true, "client_id": "cid", "client_secret": mistakeSecret}
	for k, v := range more {
		u[k] = v
	}
	return u
}

var streamsOff = map[string]any{
	"audit_events": map[string]any{"enabled": false}, "item_usages": map[string]any{"enabled": false},
	"signin_attempts": map[string]any{"enabled": false},
}

func withStreamsOff(raw map[string]any) map[string]any {
	for k, v := range streamsOff {
		raw[k] = v
	}
	return raw
}

// Mistakes in the users section: each works as meant or is refused naming
// the key and the accepted values, and no message carries the client
// secret, wherever it was put.
func TestUsersConfigMistakes(t *testing.T) {
	accountToken := testJWT(`{"aud":["events.1password.eu"],"1password.com/auuid":"` + testAccount + `"}`)
	tests := []struct {
		name    string
		raw     map[string]any
		wantErr []string
		check   func(t *testing.T, cfg *Config)
	}{
		{
			name: "users-only receiver: no token, account_id given",
			raw:  withStreamsOff(map[string]any{"users": users(map[string]any{"account_id": testAccount})}),
			check: func(t *testing.T, cfg *Config) {
				assert.Empty(t, cfg.Token)
				assert.Equal(t, testAccount, cfg.Users.accountID(""))
			},
		},
		{
			name:    "users-only receiver without account_id",
			raw:     withStreamsOff(map[string]any{"users": users(nil)}),
			wantErr: []string{"users::account_id: required, because no Events token names the account"},
		},
		{
			name:    "every source off",
			raw:     withStreamsOff(map[string]any{}),
			wantErr: []string{"every stream is disabled; enable at least one, or enable users"},
		},
		{
			name:    "streams on, no token",
			raw:     map[string]any{"users": users(map[string]any{"account_id": testAccount})},
			wantErr: []string{"token: required while any Events stream is enabled"},
		},
		{
			name: "account and region from the Events token",
			raw:  map[string]any{"token": accountToken, "users": users(nil)},
			check: func(t *testing.T, cfg *Config) {
				side := eventsSideOf(cfg.Token, true)
				assert.Equal(t, testAccount, cfg.Users.accountID(side.TokenAccount))
				base, err := cfg.Users.baseURL(side.TokenAudience)
				require.NoError(t, err)
				assert.Equal(t, "https://api.1password.eu", base)
			},
		},
		{
			name:    "account_id of another account than the token's",
			raw:     map[string]any{"token": accountToken, "users": users(map[string]any{"account_id": otherAccount})},
			wantErr: []string{"users::account_id: " + otherAccount + " differs from the Events token's account"},
		},
		{
			name: "client secret with a trailing newline",
			raw:  withStreamsOff(map[string]any{"users": users(map[string]any{"account_id": testAccount, "client_secret": mistakeSecret + "\n"})}),
			check: func(t *testing.T, cfg *Config) {
				assert.Equal(t, mistakeSecret, string(cfg.Users.ClientSecret))
			},
		},
		{
			name:    "secret under users::endpoint",
			raw:     withStreamsOff(map[string]any{"users": users(map[string]any{"account_id": testAccount, "endpoint": "https://" + mistakeSecret + "?x"})}),
			wantErr: []string{"users::endpoint: (a value that holds a configured secret, not shown)"},
		},
		{
			name:    "secret under users::api_version",
			raw:     withStreamsOff(map[string]any{"users": users(map[string]any{"account_id": testAccount, "api_version": mistakeSecret})}),
			wantErr: []string{"users::api_version: (a value that holds a configured secret, not shown) is not supported; use v1 or v1beta1"},
		},
		{
			name:    "secret under users::account_id",
			raw:     withStreamsOff(map[string]any{"users": users(map[string]any{"account_id": mistakeSecret})}),
			wantErr: []string{"users::account_id: (a value that holds a configured secret, not shown) is not an account UUID"},
		},
		{
			name:    "secret under users::poll_interval",
			raw:     withStreamsOff(map[string]any{"users": users(map[string]any{"account_id": testAccount, "poll_interval": mistakeSecret})}),
			wantErr: []string{"users::poll_interval:"},
		},
		{
			name:    "secret under users::page_size (a decoding error)",
			raw:     withStreamsOff(map[string]any{"users": users(map[string]any{"account_id": testAccount, "page_size": mistakeSecret})}),
			wantErr: []string{"page_size"},
		},
		{
			name:    "secret under proxy_url",
			raw:     withStreamsOff(map[string]any{"proxy_url": "http://" + mistakeSecret, "users": users(map[string]any{"account_id": testAccount})}),
			wantErr: []string{"proxy_url: holds the users client secret"},
		},
		{
			name:    "users::poll_interval without a unit",
			raw:     withStreamsOff(map[string]any{"users": users(map[string]any{"account_id": testAccount, "poll_interval": 300})}),
			wantErr: []string{"users::poll_interval: 300 has no unit"},
		},
		{
			name:    "users::inventory_interval not a duration",
			raw:     withStreamsOff(map[string]any{"users": users(map[string]any{"account_id": testAccount, "inventory_interval": "daily"})}),
			wantErr: []string{`users::inventory_interval: "daily" is not a duration`},
		},
		{
			name:    "plain http to a remote users endpoint",
			raw:     withStreamsOff(map[string]any{"users": users(map[string]any{"account_id": testAccount, "endpoint": "http://api.1password.com"})}),
			wantErr: []string{`users::endpoint: "http://api.1password.com" uses plain http to a host that is not loopback`},
		},
		{
			name:    "enabled without credentials",
			raw:     withStreamsOff(map[string]any{"users": map[string]any{"enabled": true, "account_id": testAccount}}),
			wantErr: []string{"users::client_id: required when users is enabled", "users::client_secret: required when users is enabled"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMistake(t, tt.raw, tt.wantErr, tt.check, mistakeSecret)
		})
	}
}
