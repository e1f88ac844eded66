package onepasswordreceiver

import (
	"encoding/base64"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/confmap/confmaptest"

	"github.com/onepassword-otel/onepasswordreceiver/internal/metadata"
)

func loadConfig(t *testing.T, name string) *Config {
	t.Helper()
	cm, err := confmaptest.LoadConf(filepath.Join("testdata", "config.yaml"))
	require.NoError(t, err)
	sub, err := cm.Sub(component.NewIDWithName(metadata.Type, name).String())
	require.NoError(t, err)
	cfg := createDefaultConfig().(*Config)
	require.NoError(t, sub.Unmarshal(cfg))
	return cfg
}

func TestLoadConfig(t *testing.T) {
	defaults := loadConfig(t, "defaults")
	require.NoError(t, confmap.Validate(defaults))
	want := createDefaultConfig().(*Config)
	want.Token = "test-token"
	want.ClientConfig.Endpoint = "https://events.1password.com"
	assert.Equal(t, want, defaults)

	all := loadConfig(t, "all_settings")
	require.NoError(t, confmap.Validate(all))
	assert.Equal(t, "v1", all.APIVersion)
	assert.Equal(t, 30*time.Second, all.PollInterval)
	assert.Equal(t, 500, all.PageSize)
	assert.Equal(t, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), all.StartTime.UTC())
	require.NotNil(t, all.StorageID)
	assert.Equal(t, "file_storage", all.StorageID.String())
	assert.True(t, all.AuditEvents.Enabled)
	assert.False(t, all.ItemUsages.Enabled)
	assert.True(t, all.SigninAttempts.Enabled)
	assert.Equal(t, 300, all.RateLimit.RequestsPerMinute)
	assert.Equal(t, 10000, all.RateLimit.RequestsPerHour)
	assert.Equal(t, 2*time.Hour, all.CursorResetOverlap)
	assert.Equal(t, 5000, all.DedupCapacity)
	assert.Equal(t, 72*time.Hour, all.TokenExpiryWarning)
	assert.Equal(t, 45*time.Second, all.ClientConfig.Timeout)
	assert.Equal(t, "http://proxy.internal:3128", all.ClientConfig.ProxyURL)
	assert.Equal(t, 2*time.Second, all.BackOffConfig.InitialInterval)
	assert.Equal(t, time.Minute, all.BackOffConfig.MaxInterval)
	assert.Equal(t, []string{"audit_events", "signin_attempts"}, streamNames(all.enabledStreams()))
}

func streamNames(specs []streamSpec) []string {
	var out []string
	for _, s := range specs {
		out = append(out, s.name)
	}
	return out
}

// testJWT builds an unsigned JWT-shaped token with the given payload.
func testJWT(payload string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"ES256","typ":"JWT"}`)) + "." +
		enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString([]byte("sig"))
}

func TestConfigValidate(t *testing.T) {
	valid := func() *Config {
		cfg := createDefaultConfig().(*Config)
		cfg.Token = "secret-token-value"
		cfg.ClientConfig.Endpoint = "https://events.1password.com"
		return cfg
	}
	tests := []struct {
		name    string
		mutate  func(*Config)
		wantErr string // substring; "" = valid
	}{
		{name: "defaults are valid", mutate: func(*Config) {}},
		{name: "missing token", mutate: func(c *Config) { c.Token = "" }, wantErr: "token: required"},
		{name: "api_version", mutate: func(c *Config) { c.APIVersion = "v3" }, wantErr: `api_version: "v3" is not supported; use v1 or v2`},
		{name: "poll_interval too short", mutate: func(c *Config) { c.PollInterval = 500 * time.Millisecond }, wantErr: "poll_interval: 500ms is too short; use at least 1s"},
		{name: "page_size zero", mutate: func(c *Config) { c.PageSize = 0 }, wantErr: "page_size: 0 is out of range; use 1 to 1000"},
		{name: "page_size too big", mutate: func(c *Config) { c.PageSize = 1001 }, wantErr: "page_size: 1001 is out of range; use 1 to 1000"},
		{name: "every stream disabled", mutate: func(c *Config) {
			c.AuditEvents.Enabled, c.ItemUsages.Enabled, c.SigninAttempts.Enabled = false, false, false
		}, wantErr: "every stream is disabled; enable at least one"},
		{name: "negative rpm", mutate: func(c *Config) { c.RateLimit.RequestsPerMinute = -1 }, wantErr: "rate_limit::requests_per_minute: -1 is negative"},
		{name: "negative rph", mutate: func(c *Config) { c.RateLimit.RequestsPerHour = -1 }, wantErr: "rate_limit::requests_per_hour: -1 is negative"},
		{name: "rate limit off", mutate: func(c *Config) { c.RateLimit.RequestsPerMinute, c.RateLimit.RequestsPerHour = 0, 0 }},
		{name: "negative overlap", mutate: func(c *Config) { c.CursorResetOverlap = -time.Second }, wantErr: "cursor_reset_overlap: -1s is negative"},
		{name: "negative dedup", mutate: func(c *Config) { c.DedupCapacity = -1 }, wantErr: "dedup_capacity: -1 is negative"},
		{name: "negative expiry warning", mutate: func(c *Config) { c.TokenExpiryWarning = -time.Hour }, wantErr: "token_expiry_warning: -1h0m0s is negative"},
		{name: "negative timeout", mutate: func(c *Config) { c.ClientConfig.Timeout = -time.Second }, wantErr: "timeout: -1s is negative"},
		{name: "plain http to a remote host", mutate: func(c *Config) { c.ClientConfig.Endpoint = "http://events.1password.com" }, wantErr: "uses plain http to a host that is not loopback"},
		{name: "plain http to 10.0.0.1", mutate: func(c *Config) { c.ClientConfig.Endpoint = "http://10.0.0.1:8080" }, wantErr: "not loopback"},
		{name: "plain http to localhost", mutate: func(c *Config) { c.ClientConfig.Endpoint = "http://localhost:8900" }},
		{name: "plain http to 127.0.0.5", mutate: func(c *Config) { c.ClientConfig.Endpoint = "http://127.0.0.5:8900" }},
		{name: "plain http to ::1", mutate: func(c *Config) { c.ClientConfig.Endpoint = "http://[::1]:8900" }},
		{name: "unsupported scheme", mutate: func(c *Config) { c.ClientConfig.Endpoint = "ftp://events.1password.com" }, wantErr: `endpoint: scheme "ftp" is not supported`},
		{name: "not a URL", mutate: func(c *Config) { c.ClientConfig.Endpoint = "events.1password.com" }, wantErr: "is not a URL"},
		{name: "query", mutate: func(c *Config) { c.ClientConfig.Endpoint = "https://events.1password.com/?x=1" }, wantErr: "must not carry a query"},
		{name: "endpoint from the token's aud", mutate: func(c *Config) {
			c.ClientConfig.Endpoint = ""
			c.Token = configToken(testJWT(`{"aud":["events.1password.eu"]}`))
		}},
		{name: "no endpoint and an opaque token", mutate: func(c *Config) { c.ClientConfig.Endpoint = "" }, wantErr: "endpoint: required, because the token names no events host"},
		{name: "no endpoint and a legacy aud", mutate: func(c *Config) {
			c.ClientConfig.Endpoint = ""
			c.Token = configToken(testJWT(`{"aud":["com.1password.streamingservice"]}`))
		}, wantErr: "endpoint: required"},
		{name: "retry_on_failure is validated too", mutate: func(c *Config) { c.BackOffConfig.RandomizationFactor = 2 }, wantErr: "randomization_factor value must be less than or equal to 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := valid()
			tt.mutate(cfg)
			err := confmap.Validate(cfg)
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tt.wantErr)
			assert.NotContains(t, err.Error(), "secret-token-value", "errors must never carry the token")
		})
	}
}

func TestBaseURLFromToken(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cfg.Token = configToken(testJWT(`{"aud":["events.ent.1password.com"],"1password.com/fts":["auditevents"]}`))
	u, err := cfg.baseURL()
	require.NoError(t, err)
	assert.Equal(t, "https://events.ent.1password.com", u)

	cfg.ClientConfig.Endpoint = "http://127.0.0.1:8900/prefix/"
	u, err = cfg.baseURL()
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:8900/prefix", u)
}

func TestConfigNeverPrintsToken(t *testing.T) {
	cfg := createDefaultConfig().(*Config)
	cfg.Token = "super-secret-token"
	conf := confmap.New()
	require.NoError(t, conf.Marshal(cfg))
	assert.False(t, strings.Contains(strings.Join(flatten(conf.ToStringMap()), " "), "super-secret-token"))
}

func flatten(m map[string]any) []string {
	var out []string
	for k, v := range m {
		switch vv := v.(type) {
		case map[string]any:
			out = append(out, flatten(vv)...)
		default:
			out = append(out, k+"="+toString(v))
		}
	}
	return out
}

func configToken(s string) configopaque.String { return configopaque.String(s) }

func toString(v any) string { return fmt.Sprint(v) }

func TestUnmarshalStartTime(t *testing.T) {
	tests := []struct {
		name    string
		value   any
		want    time.Time
		wantErr string
	}{
		{name: "quoted RFC 3339 with offset", value: "2026-11-01T00:00:00.5-03:00", want: time.Date(2026, 11, 1, 3, 0, 0, 500000000, time.UTC)},
		{name: "YAML timestamp", value: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), want: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
		{name: "not a time", value: "yesterday", wantErr: "start_time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := createDefaultConfig().(*Config)
			err := confmap.NewFromStringMap(map[string]any{"start_time": tt.value}).Unmarshal(cfg)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.True(t, tt.want.Equal(cfg.StartTime), "got %s", cfg.StartTime)
		})
	}
}
