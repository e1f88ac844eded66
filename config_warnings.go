package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"fmt"

	"go.uber.org/zap"
)

// apiRequestsPerMinute and apiRequestsPerHour are the Events API's
// documented limits per account.
const (
	apiRequestsPerMinute = 600
	apiRequestsPerHour   = 30000
)

// warnings lists what is valid but likely a mistake: settings the API
// itself will answer with 429s.
func (cfg *Config) warnings() []string {
	var out []string
	if cfg.RateLimit.RequestsPerMinute > apiRequestsPerMinute {
		out = append(out, fmt.Sprintf("rate_limit::requests_per_minute: %d is above the Events API's limit of %d per account; the API will answer 429 and every stream of the account will pause", cfg.RateLimit.RequestsPerMinute, apiRequestsPerMinute))
	}
	if cfg.RateLimit.RequestsPerHour > apiRequestsPerHour {
		out = append(out, fmt.Sprintf("rate_limit::requests_per_hour: %d is above the Events API's limit of %d per account; the API will answer 429 and every stream of the account will pause", cfg.RateLimit.RequestsPerHour, apiRequestsPerHour))
	}
	return out
}

// logWarnings writes each warning once, when the receiver is created.
func (cfg *Config) logWarnings(logger *zap.Logger) {
	for _, w := range cfg.warnings() {
		logger.Warn(w)
	}
}
