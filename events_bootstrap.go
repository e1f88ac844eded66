package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"
	"errors"
	"time"

	"go.uber.org/zap"

	"github.com/onepassword-otel/onepasswordreceiver/internal/apierror"
	"github.com/onepassword-otel/onepasswordreceiver/internal/eventsapi"
	"github.com/onepassword-otel/onepasswordreceiver/internal/ratelimit"
)

const introspectOperation = "introspect"

// bootstrap runs once, off the Start path: it asks introspect which
// features the token has and which account it belongs to, starts the
// streams the token may read, and keeps retrying introspect in the
// background when it failed for a passing reason.
func (e *eventsSource) bootstrap(ctx context.Context) {
	in, err := e.introspect(ctx)
	if ctx.Err() != nil {
		return
	}
	switch {
	case err == nil:
		e.learnAccount(in)
		e.startStreams(ctx, in.HasFeature, "introspect")
		return
	case apierror.Classify(err) == apierror.Unauthorized:
		// The streams will meet the same 401; this is the one ERROR for it.
		// They keep retrying, so data flows again once the token works.
		if e.refusals.refuse(introspectOperation) {
			e.rt.logger.Error("The Events API refused the token (401) on introspect: it is invalid, expired or revoked. Create a new token in 1Password (Integrations > Events Reporting) and update the receiver's token; every stream keeps retrying meanwhile and says when the token is accepted again.",
				zap.Strings("streams", e.cfg.enabledStreamNames()), zap.Error(err))
		}
	default:
		e.rt.logger.Warn("Introspect failed; choosing streams from the token's own feature claim until it succeeds", zap.Error(err))
	}
	if e.claims.Features != nil {
		e.startStreams(ctx, e.claims.HasFeature, "token claim")
	} else {
		e.startStreams(ctx, nil, "")
	}
	if apierror.Classify(err) == apierror.Unauthorized {
		return
	}
	for failures := 1; ; failures++ {
		if ratelimit.Sleep(ctx, e.backoff.delay(failures)) != nil {
			return
		}
		if in, err = e.introspect(ctx); err == nil {
			e.learnAccount(in)
			e.startStreams(ctx, in.HasFeature, "introspect")
			return
		}
		if ctx.Err() != nil || apierror.Classify(err) == apierror.Unauthorized {
			return
		}
	}
}

func (e *eventsSource) introspect(ctx context.Context) (eventsapi.Introspection, error) {
	attrs := e.introspectAttrs
	if waited, err := e.limiter.Wait(ctx); err != nil {
		return eventsapi.Introspection{}, err
	} else if waited {
		e.rt.telemetry.ReceiverOnepasswordRateLimitWaits.Add(ctx, 1, attrs.op)
	}
	in, err := e.client.Introspect(ctx)
	if ctx.Err() == nil {
		e.rt.telemetry.ReceiverOnepasswordRequests.Add(ctx, 1, attrs.request(err))
	}
	var apiErr *apierror.Error
	if errors.As(err, &apiErr) && apiErr.Status == 429 && apiErr.HasRetryAfter {
		e.limiter.Pause(time.Now().Add(apiErr.RetryAfter))
	}
	return in, err
}

func (e *eventsSource) learnAccount(in eventsapi.Introspection) { e.setAccount(in.AccountUUID) }
