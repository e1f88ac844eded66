package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/config/configretry"

	"github.com/onepassword-otel/onepasswordreceiver/internal/apihttp"
	"github.com/onepassword-otel/onepasswordreceiver/internal/eventsapi"
)

const (
	apiV1 = "v1"
	apiV2 = "v2"

	minPollInterval = time.Second
	maxPageSize     = 1000
)

// Config is the configuration of the onepassword receiver. The README's
// configuration reference documents every key.
type Config struct {
	// ClientConfig holds endpoint, timeout, tls, proxy_url, headers, ...
	// Endpoint defaults to https:// + the token's aud host.
	ClientConfig confighttp.ClientConfig `mapstructure:",squash"`

	// Token is the Events API bearer token. It is never logged.
	Token configopaque.String `mapstructure:"token"`

	// APIVersion selects the v1 or v2 endpoints.
	APIVersion string `mapstructure:"api_version"`

	// PollInterval is the pause after a caught-up answer, measured from the
	// end of that answer.
	PollInterval time.Duration `mapstructure:"poll_interval"`

	// PageSize is the reset request's limit (1..1000).
	PageSize int `mapstructure:"page_size"`

	// StartTime (RFC 3339) is where a stream begins when no state is
	// stored. Empty means the API's default: one hour before the request.
	StartTime time.Time `mapstructure:"start_time"`

	// StorageID names the storage extension that keeps the cursors.
	StorageID *component.ID `mapstructure:"storage"`

	AuditEvents    StreamConfig `mapstructure:"audit_events"`
	ItemUsages     StreamConfig `mapstructure:"item_usages"`
	SigninAttempts StreamConfig `mapstructure:"signin_attempts"`

	RateLimit RateLimitConfig `mapstructure:"rate_limit"`

	// CursorResetOverlap is how far before the newest delivered event a
	// stream restarts after its cursor was rejected.
	CursorResetOverlap time.Duration `mapstructure:"cursor_reset_overlap"`

	// DedupCapacity bounds the set of recently delivered event uuids kept
	// per stream to suppress repeats after a cursor reset.
	DedupCapacity int `mapstructure:"dedup_capacity"`

	// TokenExpiryWarning is how long before the token's expiry the
	// receiver starts warning (at most once a day).
	TokenExpiryWarning time.Duration `mapstructure:"token_expiry_warning"`

	// BackOffConfig shapes the retries after failures.
	BackOffConfig configretry.BackOffConfig `mapstructure:"retry_on_failure"`

	// Users is the Users API source (users_config.go); off by default.
	Users UsersConfig `mapstructure:"users"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// StreamConfig switches one Events API stream on or off.
type StreamConfig struct {
	Enabled bool `mapstructure:"enabled"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// RateLimitConfig is the request budget of one receiver instance, shared by
// its streams and its introspect calls. Zero disables a window.
type RateLimitConfig struct {
	RequestsPerMinute int `mapstructure:"requests_per_minute"`
	RequestsPerHour   int `mapstructure:"requests_per_hour"`

	// prevent unkeyed literal initialization
	_ struct{}
}

var errNoToken = errors.New("token: required while any Events stream is enabled; set it to the Events API token, e.g. ${env:OP_EVENTS_API_TOKEN}, or disable audit_events, item_usages and signin_attempts for a receiver that reads the Users API only")

// Validate checks the configuration. Every message names the key and what it
// accepts; none contains the token.
func (cfg *Config) Validate() error {
	var errs []error
	streamsOn := cfg.eventsEnabled()
	if cfg.Token == "" {
		if streamsOn {
			errs = append(errs, errNoToken)
		}
	} else if err := checkHeaderValue("token", string(cfg.Token)); err != nil {
		errs = append(errs, err)
	}
	if cfg.APIVersion != apiV1 && cfg.APIVersion != apiV2 {
		errs = append(errs, fmt.Errorf("api_version: %s is not supported; use v1 or v2", quoteValue(cfg.APIVersion)))
	}
	if !cfg.StartTime.IsZero() && cfg.StartTime.After(time.Now()) {
		errs = append(errs, fmt.Errorf("start_time: %s is in the future, so no event would be read until then; use a time in the past, or leave it unset to begin an hour before the first request", cfg.StartTime.Format(time.RFC3339)))
	}
	if cfg.PollInterval < minPollInterval {
		errs = append(errs, fmt.Errorf("poll_interval: %s is too short; use at least %s", cfg.PollInterval, minPollInterval))
	}
	if cfg.PageSize < 1 || cfg.PageSize > maxPageSize {
		errs = append(errs, fmt.Errorf("page_size: %d is out of range; use 1 to %d", cfg.PageSize, maxPageSize))
	}
	if !streamsOn && !cfg.Users.Enabled {
		errs = append(errs, errors.New("audit_events, item_usages, signin_attempts, users: every stream is disabled; enable at least one, or enable users"))
	}
	if cfg.RateLimit.RequestsPerMinute < 0 {
		errs = append(errs, fmt.Errorf("rate_limit::requests_per_minute: %d is negative; use 0 (off) or more", cfg.RateLimit.RequestsPerMinute))
	}
	if cfg.RateLimit.RequestsPerHour < 0 {
		errs = append(errs, fmt.Errorf("rate_limit::requests_per_hour: %d is negative; use 0 (off) or more", cfg.RateLimit.RequestsPerHour))
	}
	if cfg.CursorResetOverlap < 0 {
		errs = append(errs, fmt.Errorf("cursor_reset_overlap: %s is negative; use 0 or more", cfg.CursorResetOverlap))
	}
	if cfg.DedupCapacity < 0 {
		errs = append(errs, fmt.Errorf("dedup_capacity: %d is negative; use 0 (off) or more", cfg.DedupCapacity))
	}
	if cfg.TokenExpiryWarning < 0 {
		errs = append(errs, fmt.Errorf("token_expiry_warning: %s is negative; use 0 (off) or more", cfg.TokenExpiryWarning))
	}
	switch {
	case cfg.ClientConfig.Timeout < 0:
		errs = append(errs, fmt.Errorf("timeout: %s is negative; use a positive duration such as 30s", cfg.ClientConfig.Timeout))
	case cfg.ClientConfig.Timeout == 0:
		errs = append(errs, errors.New("timeout: 0s would let a hung request stall its stream forever; use a positive duration such as 30s"))
	}
	if cfg.BackOffConfig.MaxElapsedTime != 0 {
		errs = append(errs, fmt.Errorf("retry_on_failure::max_elapsed_time: %s is not used: the receiver never gives up on the API and keeps retrying at max_interval; remove the key or set it to 0", cfg.BackOffConfig.MaxElapsedTime))
	}
	if looksSecret(cfg.ClientConfig.ProxyURL, []string{string(cfg.Token)}) {
		errs = append(errs, errors.New("proxy_url: holds what looks like the Events API token, not a proxy URL; put the token under token"))
	} else if cfg.Users.ClientSecret != "" && looksSecret(cfg.ClientConfig.ProxyURL, []string{string(cfg.Users.ClientSecret)}) {
		errs = append(errs, errors.New("proxy_url: holds the users client secret, not a proxy URL; put it under users::client_secret"))
	}
	if streamsOn && (cfg.Token != "" || cfg.ClientConfig.Endpoint != "") {
		if _, err := cfg.baseURL(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := cfg.Users.validate(eventsSideOf(cfg.Token, streamsOn)); err != nil {
		errs = append(errs, err)
	}
	// A secret put under another key must not come back in a message about
	// that key: whatever a check above quoted, the configured secrets are
	// scrubbed from the whole.
	if err := errors.Join(errs...); err != nil {
		return redactError(err, cfg.secrets())
	}
	return nil
}

// secrets are the configured secret values, trimmed, for scrubbing.
func (cfg *Config) secrets() []string {
	var out []string
	for _, s := range []string{string(cfg.Token), string(cfg.Users.ClientSecret)} {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// baseURL returns the Events API base URL: endpoint, or https:// + the
// token's aud host. Plain http is refused unless the host is loopback, so the
// token never crosses a network in clear text.
func (cfg *Config) baseURL() (string, error) {
	endpoint := cfg.ClientConfig.Endpoint
	if looksSecret(endpoint, []string{string(cfg.Token)}) {
		return "", errors.New("endpoint: holds what looks like the Events API token, not a URL; put the token under token and the events host (e.g. https://events.1password.com) under endpoint")
	}
	if endpoint == "" {
		claims, err := eventsapi.ParseClaims(string(cfg.Token))
		if err != nil || claims.Audience == "" {
			return "", errors.New("endpoint: required, because the token names no events host in its aud claim; set it to https://events.1password.com, https://events.ent.1password.com, https://events.1password.ca or https://events.1password.eu")
		}
		endpoint = "https://" + claims.Audience
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("endpoint: %s is not a URL; use https://events.1password.com or the events host of your account", quoteValue(endpoint))
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", fmt.Errorf("endpoint: %s uses plain http to a host that is not loopback; use https (http is accepted only for localhost, 127.0.0.0/8 and [::1])", quoteValue(endpoint))
		}
	default:
		return "", fmt.Errorf("endpoint: scheme %s is not supported; use https", quoteValue(u.Scheme))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("endpoint: %s must not carry a query or fragment", quoteValue(endpoint))
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), nil
}

// checkHeaderValue refuses a secret that cannot be sent in an HTTP header:
// a line break or another control character left inside it after the
// surrounding whitespace was trimmed. The value itself is never shown.
func checkHeaderValue(key, v string) error {
	if !apihttp.ValidHeaderValue(v) {
		return fmt.Errorf("%s: contains a line break or another control character, which no HTTP header can carry; check that the file or variable holds the value alone", key)
	}
	return nil
}

// isLoopback accepts localhost, 127.0.0.0/8 and ::1.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// eventsEnabled reports that at least one Events API stream is on.
func (cfg *Config) eventsEnabled() bool {
	return cfg.AuditEvents.Enabled || cfg.ItemUsages.Enabled || cfg.SigninAttempts.Enabled
}

// enabledStreams lists the configured streams in a fixed order.
func (cfg *Config) enabledStreams() []streamSpec {
	var out []streamSpec
	for _, s := range allStreams {
		if s.enabled(cfg) {
			out = append(out, s)
		}
	}
	return out
}

// enabledStreamNames lists the names of the configured streams.
func (cfg *Config) enabledStreamNames() []string {
	var out []string
	for _, s := range cfg.enabledStreams() {
		out = append(out, s.name)
	}
	return out
}
