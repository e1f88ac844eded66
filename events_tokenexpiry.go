package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/ratelimit"
	"go.uber.org/zap"
)

const (
	tokenCheckInterval = time.Hour
	tokenWarnEvery     = 24 * time.Hour
)

// watchTokenExpiry warns, at most once a day, when the token's exp claim
// falls within token_expiry_warning, so that an operator can rotate it before
// the streams stop with a 401.
func (e *eventsSource) watchTokenExpiry(ctx context.Context) {
	exp := e.claims.ExpiresAt
	if exp.IsZero() || e.cfg.TokenExpiryWarning == 0 {
		return
	}
	var lastWarn time.Time
	for {
		now := time.Now()
		left := exp.Sub(now)
		if left <= e.cfg.TokenExpiryWarning && (lastWarn.IsZero() || now.Sub(lastWarn) >= tokenWarnEvery) {
			lastWarn = now
			if left <= 0 {
				e.rt.logger.Error("The Events API token has expired; create a new one in 1Password (Integrations > Events Reporting) and update the receiver's token.",
					zap.Time("expired_at", exp))
			} else {
				e.rt.logger.Warn("The Events API token expires soon; create a new one in 1Password (Integrations > Events Reporting) and update the receiver's token before then.",
					zap.Time("expires_at", exp), zap.Stringer("expires_in", left.Round(time.Minute)))
			}
		}
		if ratelimit.Sleep(ctx, tokenCheckInterval) != nil {
			return
		}
	}
}
