package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"math"
	"math/rand/v2"
	"time"

	"go.opentelemetry.io/collector/config/configretry"
)

// minRetryDelay is the floor of every retry: nothing is repeated sooner
// than this after a failure, whatever retry_on_failure says.
const minRetryDelay = 100 * time.Millisecond

// backoffPolicy turns retry_on_failure into delays: exponential growth from
// initial_interval by multiplier up to max_interval, with jitter of
// ±randomization_factor. The receiver never gives up on the API, so
// max_elapsed_time is not used: after it a poller would only stop polling.
type backoffPolicy struct {
	cfg configretry.BackOffConfig
	// disabledDelay is the fixed delay when retry_on_failure is disabled.
	disabledDelay time.Duration
}

// delay returns the wait after the n-th consecutive failure (n >= 1).
func (p backoffPolicy) delay(n int) time.Duration {
	if !p.cfg.Enabled {
		return max(p.disabledDelay, minRetryDelay)
	}
	d := float64(p.cfg.InitialInterval)
	mult := p.cfg.Multiplier
	if mult < 1 {
		mult = 1
	}
	if n > 1 {
		d *= math.Pow(mult, float64(n-1))
	}
	if p.cfg.MaxInterval > 0 && d > float64(p.cfg.MaxInterval) {
		d = float64(p.cfg.MaxInterval)
	}
	return p.jitter(d)
}

// maxDelay is the wait used for failures that need a person (401, a
// rejected reset): the longest interval, still with jitter so that many
// instances do not retry in step.
func (p backoffPolicy) maxDelay() time.Duration {
	if !p.cfg.Enabled {
		return max(p.disabledDelay, minRetryDelay)
	}
	d := p.cfg.MaxInterval
	if d <= 0 {
		d = p.cfg.InitialInterval
	}
	return p.jitter(float64(d))
}

func (p backoffPolicy) jitter(d float64) time.Duration {
	if f := p.cfg.RandomizationFactor; f > 0 {
		d += d * f * (2*rand.Float64() - 1)
	}
	if d > float64(math.MaxInt64) {
		d = float64(math.MaxInt64)
	}
	return max(time.Duration(d), minRetryDelay)
}
