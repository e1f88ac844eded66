package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configretry"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/receiver"

	"github.com/onepassword-otel/onepasswordreceiver/internal/metadata"
)

const (
	defaultPollInterval       = 10 * time.Second
	defaultTimeout            = 30 * time.Second
	defaultRequestsPerMinute  = apiRequestsPerMinute
	defaultRequestsPerHour    = apiRequestsPerHour
	defaultCursorResetOverlap = time.Hour
	defaultDedupCapacity      = 10000
	defaultTokenExpiryWarning = 14 * 24 * time.Hour
	idleConnsPerHost          = 8
)

// NewFactory creates the factory of the onepassword receiver.
func NewFactory() receiver.Factory {
	return receiver.NewFactory(
		metadata.Type,
		createDefaultConfig,
		receiver.WithLogs(createLogsReceiver, metadata.LogsStability),
	)
}

func createDefaultConfig() component.Config {
	client := confighttp.NewDefaultClientConfig()
	client.Timeout = defaultTimeout
	// Three streams, each with a request ahead while its page is consumed,
	// plus introspect: with net/http's default of 2 idle connections per
	// host, a drain keeps opening (TLS) connections. Keep enough idle.
	keepalive := confighttp.NewDefaultKeepaliveClientConfig()
	keepalive.MaxIdleConnsPerHost = idleConnsPerHost
	client.Keepalive = configoptional.Some(keepalive)
	backoff := configretry.NewDefaultBackOffConfig()
	// A poller never gives up on the API: it keeps retrying at max_interval.
	backoff.MaxElapsedTime = 0
	return &Config{
		ClientConfig:       client,
		APIVersion:         apiV2,
		PollInterval:       defaultPollInterval,
		PageSize:           maxPageSize,
		AuditEvents:        StreamConfig{Enabled: true},
		ItemUsages:         StreamConfig{Enabled: true},
		SigninAttempts:     StreamConfig{Enabled: true},
		RateLimit:          RateLimitConfig{RequestsPerMinute: defaultRequestsPerMinute, RequestsPerHour: defaultRequestsPerHour},
		CursorResetOverlap: defaultCursorResetOverlap,
		DedupCapacity:      defaultDedupCapacity,
		TokenExpiryWarning: defaultTokenExpiryWarning,
		BackOffConfig:      backoff,
		Users:              defaultUsersConfig(),
	}
}

// createLogsReceiver only builds the receiver; Start does no network I/O
// either, so a 1Password outage never keeps the collector from starting.
func createLogsReceiver(_ context.Context, set receiver.Settings, cfg component.Config, next consumer.Logs) (receiver.Logs, error) {
	rCfg := cfg.(*Config)
	rCfg.logWarnings(set.Logger)
	return newReceiver(set, rCfg, next)
}
