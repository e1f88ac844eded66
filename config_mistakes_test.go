package onepasswordreceiver

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/confmap"
)

// A token as 1Password issues them: a JWT whose aud names the events host.
var mistakeToken = testJWT(`{"aud":["events.1password.com"],"sub":"mistakes"}`)

// loadRaw decodes a receiver configuration the way the collector does:
// Unmarshal into the defaults, then Validate.
func loadRaw(raw map[string]any) (*Config, error) {
	cfg := createDefaultConfig().(*Config)
	if err := confmap.NewFromStringMap(raw).Unmarshal(cfg); err != nil {
		return nil, err
	}
	return cfg, confmap.Validate(cfg)
}

// Common mistakes: each either works as the user meant or is refused with a
// message that names the key and says what is expected, never echoing the
// token.
func TestConfigMistakes(t *testing.T) {
	future := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	tests := []struct {
		name    string
		raw     map[string]any
		wantErr []string // substrings; none = valid
		check   func(t *testing.T, cfg *Config)
	}{
		{
			name:    "token under endpoint (two variables swapped)",
			raw:     map[string]any{"token": "https://events.1password.com", "endpoint": mistakeToken},
			wantErr: []string{"endpoint: holds what looks like the Events API token"},
		},
		{
			name:    "token under endpoint, no token",
			raw:     map[string]any{"endpoint": mistakeToken},
			wantErr: []string{"token: required", "endpoint: holds what looks like the Events API token"},
		},
		{
			name:    "token under api_version",
			raw:     map[string]any{"token": mistakeToken, "api_version": mistakeToken},
			wantErr: []string{"api_version: (a value that looks like a token, not shown) is not supported"},
		},
		{
			name:    "token under poll_interval",
			raw:     map[string]any{"token": mistakeToken, "poll_interval": mistakeToken},
			wantErr: []string{"poll_interval: (a value that looks like a token, not shown) is not a duration"},
		},
		{
			name:    "token under start_time",
			raw:     map[string]any{"token": mistakeToken, "start_time": mistakeToken},
			wantErr: []string{"start_time: (a value that looks like a token, not shown) is not an RFC 3339 time"},
		},
		{
			name:    "token under page_size",
			raw:     map[string]any{"token": mistakeToken, "page_size": mistakeToken},
			wantErr: []string{"'page_size' expected type 'int'"},
		},
		{
			name:    "token under storage",
			raw:     map[string]any{"token": mistakeToken, "storage": mistakeToken},
			wantErr: []string{`'storage' in "[redacted: a token or secret]" id: invalid character(s)`},
		},
		{
			name: "client secret under api_version",
			raw: map[string]any{"token": mistakeToken, "api_version": "opaque-client-secret-42",
				"users": map[string]any{"enabled": true, "client_id": "id", "client_secret": "opaque-client-secret-42", "account_id": "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}},
			wantErr: []string{`api_version: "[redacted: a token or secret]" is not supported; use v1 or v2`},
		},
		{
			name:    "token under proxy_url",
			raw:     map[string]any{"token": mistakeToken, "proxy_url": mistakeToken},
			wantErr: []string{"proxy_url: holds what looks like the Events API token"},
		},
		{
			name:    "token under a stream switch",
			raw:     map[string]any{"token": mistakeToken, "audit_events": map[string]any{"enabled": mistakeToken}},
			wantErr: []string{"'audit_events.enabled' expected type 'bool'"},
		},
		{
			name: "token with a trailing newline (a file written by echo)",
			raw:  map[string]any{"token": mistakeToken + "\n"},
			check: func(t *testing.T, cfg *Config) {
				assert.Equal(t, mistakeToken, string(cfg.Token), "surrounding whitespace is trimmed")
				u, err := cfg.baseURL()
				require.NoError(t, err)
				assert.Equal(t, "https://events.1password.com", u)
			},
		},
		{
			name:  "token with CRLF and spaces",
			raw:   map[string]any{"token": "  " + mistakeToken + " \r\n"},
			check: func(t *testing.T, cfg *Config) { assert.Equal(t, mistakeToken, string(cfg.Token)) },
		},
		{
			name:    "token with a line break inside",
			raw:     map[string]any{"token": mistakeToken[:20] + "\n" + mistakeToken[20:]},
			wantErr: []string{"token: contains a line break or another control character"},
		},
		{
			name:    "start_time in the future",
			raw:     map[string]any{"token": mistakeToken, "start_time": future},
			wantErr: []string{"start_time: " + future + " is in the future"},
		},
		{
			name:    "start_time without a zone",
			raw:     map[string]any{"token": mistakeToken, "start_time": "2026-11-25T00:00:00"},
			wantErr: []string{`start_time: "2026-11-25T00:00:00" is not an RFC 3339 time with a zone; write it like 2026-11-25T00:00:00Z`},
		},
		{
			name:    "poll_interval without a unit",
			raw:     map[string]any{"token": mistakeToken, "poll_interval": 10},
			wantErr: []string{"poll_interval: 10 has no unit; use a duration with a unit, such as 10s"},
		},
		{
			name:    "quoted duration without a unit",
			raw:     map[string]any{"token": mistakeToken, "cursor_reset_overlap": "90"},
			wantErr: []string{`cursor_reset_overlap: "90" is not a duration`},
		},
		{
			name:    "retry interval without a unit",
			raw:     map[string]any{"token": mistakeToken, "retry_on_failure": map[string]any{"max_interval": 30}},
			wantErr: []string{"retry_on_failure::max_interval: 30 has no unit"},
		},
		{
			name:  "a zero duration needs no unit",
			raw:   map[string]any{"token": mistakeToken, "token_expiry_warning": 0},
			check: func(t *testing.T, cfg *Config) { assert.Zero(t, cfg.TokenExpiryWarning) },
		},
		{
			name:    "max_elapsed_time is refused",
			raw:     map[string]any{"token": mistakeToken, "retry_on_failure": map[string]any{"max_elapsed_time": "5m"}},
			wantErr: []string{"retry_on_failure::max_elapsed_time: 5m0s is not used"},
		},
		{
			name:    "timeout 0s means no timeout",
			raw:     map[string]any{"token": mistakeToken, "timeout": "0s"},
			wantErr: []string{"timeout: 0s would let a hung request stall its stream forever"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMistake(t, tt.raw, tt.wantErr, tt.check, mistakeToken, strings.Split(mistakeToken, ".")[1], "opaque-client-secret-42")
		})
	}
}

// checkMistake loads raw as the collector would. With no wantErr it must be
// valid (and pass check); else the error must say each of wantErr and hold
// none of secrets.
func checkMistake(t *testing.T, raw map[string]any, wantErr []string, check func(*testing.T, *Config), secrets ...string) {
	t.Helper()
	cfg, err := loadRaw(raw)
	if len(wantErr) == 0 {
		require.NoError(t, err)
		if check != nil {
			check(t, cfg)
		}
		return
	}
	require.Error(t, err)
	for _, want := range wantErr {
		assert.Contains(t, err.Error(), want)
	}
	for _, secret := range secrets {
		assert.NotContains(t, err.Error(), secret, "an error must never carry a secret")
	}
}

func TestRedactErrorScrubsConfiguredSecrets(t *testing.T) {
	// A secret that is no JWT is still scrubbed when it was configured.
	err := redactError(assert.AnError, nil)
	assert.Equal(t, assert.AnError, err, "an error without secrets is kept as it is")
	got := redactError(errString(`'storage' invalid "opaque-client-secret-1"`), []string{"opaque-client-secret-1"})
	assert.NotContains(t, got.Error(), "opaque-client-secret-1")
	assert.Contains(t, got.Error(), redacted)
}

type errString string

func (e errString) Error() string { return string(e) }

func TestConfigWarnings(t *testing.T) {
	tests := []struct {
		name string
		rpm  int
		rph  int
		want []string
	}{
		{name: "the API's limits", rpm: 600, rph: 30000},
		{name: "lower limits", rpm: 100, rph: 0},
		{name: "per minute above the API's", rpm: 601, rph: 30000, want: []string{"rate_limit::requests_per_minute: 601 is above the Events API's limit of 600"}},
		{name: "per hour above the API's", rpm: 600, rph: 40000, want: []string{"rate_limit::requests_per_hour: 40000 is above the Events API's limit of 30000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := createDefaultConfig().(*Config)
			cfg.RateLimit.RequestsPerMinute, cfg.RateLimit.RequestsPerHour = tt.rpm, tt.rph
			got := cfg.warnings()
			require.Len(t, got, len(tt.want))
			for i, w := range tt.want {
				assert.Contains(t, got[i], w)
			}
		})
	}
}
