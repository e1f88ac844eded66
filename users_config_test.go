package onepasswordreceiver

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/confmap"
)

const (
	testAccount  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	otherAccount = "ZZZZZZZZZZZZZZZZZZZZZZZZZZ"
	usersSecret  = "users-client-secret-value"
)

func validUsers() UsersConfig {
	u := defaultUsersConfig()
	u.Enabled = true
	u.ClientID = "client-id"
	u.ClientSecret = usersSecret
	return u
}

func TestUsersConfigDefaults(t *testing.T) {
	u := defaultUsersConfig()
	assert.False(t, u.Enabled)
	assert.Equal(t, "v1", u.APIVersion)
	assert.Equal(t, 5*time.Minute, u.PollInterval)
	assert.Equal(t, 1000, u.PageSize)
	assert.Equal(t, 24*time.Hour, u.InventoryInterval)
	assert.NoError(t, u.validate(eventsSide{}), "disabled: nothing to check")
}

func TestUsersConfigUnmarshal(t *testing.T) {
	conf := confmap.NewFromStringMap(map[string]any{
		"enabled":            true,
		"client_id":          "cid",
		"client_secret":      "s3cret",
		"account_id":         testAccount,
		"endpoint":           "https://api.1password.eu",
		"api_version":        "v1beta1",
		"poll_interval":      "90s",
		"page_size":          250,
		"inventory_interval": "0s",
	})
	u := defaultUsersConfig()
	require.NoError(t, conf.Unmarshal(&u))
	assert.Equal(t, UsersConfig{
		Enabled: true, ClientID: "cid", ClientSecret: "s3cret", AccountID: testAccount,
		Endpoint: "https://api.1password.eu", APIVersion: "v1beta1", PollInterval: 90 * time.Second,
		PageSize: 250, InventoryInterval: 0,
	}, u)
}

func TestUsersConfigValidate(t *testing.T) {
	withToken := eventsSide{StreamsEnabled: true, TokenAccount: testAccount, TokenAudience: "events.1password.com"}
	usersOnly := eventsSide{}
	tests := []struct {
		name    string
		mutate  func(*UsersConfig)
		ev      eventsSide
		wantErr string // substring; "" = valid
	}{
		{"valid with the token's account", func(*UsersConfig) {}, withToken, ""},
		{"v1beta1", func(u *UsersConfig) { u.APIVersion = "v1beta1" }, withToken, ""},
		{"inventory only at the baseline", func(u *UsersConfig) { u.InventoryInterval = 0 }, withToken, ""},
		{"same account given", func(u *UsersConfig) { u.AccountID = testAccount }, withToken, ""},
		{"users-only with account_id", func(u *UsersConfig) { u.AccountID = testAccount }, usersOnly, ""},
		{"streams off: another account is fine", func(u *UsersConfig) { u.AccountID = otherAccount }, eventsSide{TokenAccount: testAccount}, ""},
		{"loopback http", func(u *UsersConfig) { u.Endpoint = "http://127.0.0.1:8080" }, withToken, ""},
		{"no client_id", func(u *UsersConfig) { u.ClientID = " " }, withToken, "users::client_id: required when users is enabled"},
		{"no client_secret", func(u *UsersConfig) { u.ClientSecret = "" }, withToken, "users::client_secret: required when users is enabled"},
		{"api_version", func(u *UsersConfig) { u.APIVersion = "v2" }, withToken, `users::api_version: "v2" is not supported; use v1 or v1beta1`},
		{"poll_interval", func(u *UsersConfig) { u.PollInterval = 500 * time.Millisecond }, withToken, "users::poll_interval: 500ms is too short; use at least 1s"},
		{"page_size 0", func(u *UsersConfig) { u.PageSize = 0 }, withToken, "users::page_size: 0 is out of range; use 1 to 1000"},
		{"page_size 1001", func(u *UsersConfig) { u.PageSize = 1001 }, withToken, "users::page_size: 1001 is out of range; use 1 to 1000"},
		{"inventory_interval", func(u *UsersConfig) { u.InventoryInterval = -time.Second }, withToken, "users::inventory_interval: -1s is negative"},
		{"users-only without account_id", func(*UsersConfig) {}, usersOnly, "users::account_id: required, because no Events token names the account"},
		{"token without account claim", func(*UsersConfig) {}, eventsSide{StreamsEnabled: true}, "users::account_id: required"},
		{"malformed account_id", func(u *UsersConfig) { u.AccountID = "abc" }, withToken, `users::account_id: "abc" is not an account UUID`},
		{"lower-case account_id", func(u *UsersConfig) { u.AccountID = "abcdefghijklmnopqrstuvwxyz" }, withToken, "is not an account UUID"},
		{"another account than the token's", func(u *UsersConfig) { u.AccountID = otherAccount }, withToken, "users::account_id: " + otherAccount + " differs from the Events token's account " + testAccount},
		{"plain http remote", func(u *UsersConfig) { u.Endpoint = "http://api.1password.com" }, withToken, "users::endpoint: \"http://api.1password.com\" uses plain http to a host that is not loopback"},
		{"not a URL", func(u *UsersConfig) { u.Endpoint = "api.1password.com" }, withToken, "users::endpoint: \"api.1password.com\" is not a URL"},
		{"other scheme", func(u *UsersConfig) { u.Endpoint = "ftp://api.1password.com" }, withToken, `users::endpoint: scheme "ftp" is not supported`},
		{"query", func(u *UsersConfig) { u.Endpoint = "https://api.1password.com?x=1" }, withToken, "must not carry a query or fragment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := validUsers()
			tt.mutate(&u)
			err := u.validate(tt.ev)
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.NotContains(t, err.Error(), usersSecret)
		})
	}
}

func TestUsersConfigAllErrorsAtOnce(t *testing.T) {
	u := UsersConfig{Enabled: true, APIVersion: "x", ClientSecret: usersSecret}
	err := u.validate(eventsSide{})
	require.Error(t, err)
	for _, key := range []string{"client_id", "api_version", "poll_interval", "page_size", "account_id"} {
		assert.Contains(t, err.Error(), "users::"+key+":")
	}
	assert.NotContains(t, err.Error(), usersSecret)
	assert.NotContains(t, fmt.Sprintf("%+v", u), usersSecret, "configopaque masks the secret")
}

func TestUsersAccountFromToken(t *testing.T) {
	token := configopaque.String(testJWT(`{"aud":["events.1password.ca"],"1password.com/auuid":"` + testAccount + `"}`))
	ev := eventsSideOf(token, true)
	assert.Equal(t, eventsSide{StreamsEnabled: true, TokenAccount: testAccount, TokenAudience: "events.1password.ca"}, ev)

	u := validUsers()
	require.NoError(t, u.validate(ev))
	assert.Equal(t, testAccount, u.accountID(ev.TokenAccount))
	base, err := u.baseURL(ev.TokenAudience)
	require.NoError(t, err)
	assert.Equal(t, "https://api.1password.ca", base)

	u.AccountID = testAccount
	assert.Equal(t, testAccount, u.accountID(""))

	assert.Equal(t, eventsSide{}, eventsSideOf("", false))
	assert.Equal(t, eventsSide{StreamsEnabled: true}, eventsSideOf("not-a-jwt", true))
}

func TestUsersEndpointForRegion(t *testing.T) {
	tests := []struct{ events, want string }{
		{"events.1password.com", "https://api.1password.com"},
		{"events.ent.1password.com", "https://api.1password.com"},
		{"events.1password.ca", "https://api.1password.ca"},
		{"EVENTS.1PASSWORD.CA.", "https://api.1password.ca"},
		{"events.1password.eu", "https://api.1password.eu"},
		{"", "https://api.1password.com"},
		{"events.not1password.ca.example.com", "https://api.1password.com"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, usersEndpointForRegion(tt.events), tt.events)
	}
	u := validUsers()
	u.Endpoint = "https://api.1password.eu/"
	base, err := u.baseURL("events.1password.ca")
	require.NoError(t, err)
	assert.Equal(t, "https://api.1password.eu", base, "endpoint wins over the region")
	u.Endpoint = "http://[::1]:9000"
	base, err = u.baseURL("")
	require.NoError(t, err)
	assert.Equal(t, "http://[::1]:9000", base)
}

func TestIsAccountUUID(t *testing.T) {
	assert.True(t, isAccountUUID(testAccount))
	assert.True(t, isAccountUUID("0123456789ABCDEFGHIJKLMNOP"))
	assert.False(t, isAccountUUID(testAccount[:25]))
	assert.False(t, isAccountUUID(testAccount+"A"))
	assert.False(t, isAccountUUID("ABCDEFGHIJKLMNOPQRSTUVWXY-"))
}
