package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/onepassword-otel/onepasswordreceiver/internal/metadata"
)

// failureTracker follows one unit's streak of failed requests (an Events
// stream, say): it counts the retries, logs the first failure of a streak
// and the recovery, and reports the unit's health under its own key of the
// component status. What a failure means and how long to wait after it is
// the source's error policy; the tracker only keeps the books.
type failureTracker struct {
	key       string // status key, e.g. the stream's name
	api       string // the API's name in messages, e.g. "Events API"
	logger    *zap.Logger
	status    *statusReporter
	telemetry *metadata.TelemetryBuilder
	attrs     *metricAttrs
	refusals  *refusals // the source's book of refused credentials; nil = none kept

	failures     int  // consecutive failed requests
	failing      bool // the current failure streak was logged
	unauthorized bool // the current streak is a refused credential
}

// failed counts one more failed request and returns the streak's length.
// Every failure after the first is a retry.
func (f *failureTracker) failed(ctx context.Context) int {
	f.failures++
	if f.failures > 1 {
		f.telemetry.ReceiverOnepasswordRetries.Add(ctx, 1, f.attrs.op)
	}
	return f.failures
}

// succeeded ends a failure streak, saying so if one was logged.
func (f *failureTracker) succeeded() {
	if f.unauthorized && f.refusals != nil {
		f.refusals.accept(f.key)
	}
	if f.unauthorized {
		f.logger.Info("The " + f.api + " accepts the token again")
	} else if f.failing {
		f.logger.Info("The "+f.api+" answers again", zap.Int("failed_requests", f.failures))
	}
	f.failures, f.failing, f.unauthorized = 0, false, false
	f.report(healthOK, nil)
}

// refusedCredential marks the streak as a refused credential and reports
// whether the caller should log its advice: when the streak just became
// one, and no other unit of the source already told of the same refusal.
func (f *failureTracker) refusedCredential() bool {
	first := !f.unauthorized
	f.unauthorized = true
	if first && f.refusals != nil {
		return f.refusals.refuse(f.key)
	}
	return first
}

// report sets the unit's health in the component status.
func (f *failureTracker) report(h health, err error) { f.status.set(f.key, h, err) }

// logOnce logs the first failure of a streak at level, the rest at debug,
// so that an outage does not flood the log.
func (f *failureTracker) logOnce(level zapcore.Level, msg string, err error) {
	if f.failing {
		level = zapcore.DebugLevel
	}
	f.failing = true
	f.logger.Log(level, msg, zap.Int("failed_requests", f.failures), zap.Error(err))
}
