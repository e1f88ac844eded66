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

const introspectStream = "introspect"

// bootstrap runs once, off the Start path: it asks introspect which
// features the token has and which account it belongs to, starts the
// streams the token may read, and keeps retrying introspect in the
// background when it failed for a passing reason.
func (r *onepasswordReceiver) bootstrap(ctx context.Context) {
	in, err := r.introspect(ctx)
	if ctx.Err() != nil {
		return
	}
	switch {
	case err == nil:
		r.learnAccount(in)
		r.startStreams(ctx, in.HasFeature, "introspect")
		return
	case apierror.Classify(err) == apierror.Unauthorized:
		// The streams will meet the same 401 and report it; they keep
		// retrying, so data flows again by itself once the token works.
		r.logger.Error("The Events API refused the token on introspect: it is invalid, expired or revoked. Create a new token in 1Password (Integrations > Events Reporting) and update the receiver's token.",
			zap.Error(err))
	default:
		r.logger.Warn("Introspect failed; choosing streams from the token's own feature claim until it succeeds", zap.Error(err))
	}
	if r.claims.Features != nil {
		r.startStreams(ctx, r.claims.HasFeature, "token claim")
	} else {
		r.startStreams(ctx, nil, "")
	}
	if apierror.Classify(err) == apierror.Unauthorized {
		return
	}
	for failures := 1; ; failures++ {
		if ratelimit.Sleep(ctx, r.backoff.delay(failures)) != nil {
			return
		}
		if in, err = r.introspect(ctx); err == nil {
			r.learnAccount(in)
			r.startStreams(ctx, in.HasFeature, "introspect")
			return
		}
		if ctx.Err() != nil || apierror.Classify(err) == apierror.Unauthorized {
			return
		}
	}
}

func (r *onepasswordReceiver) introspect(ctx context.Context) (eventsapi.Introspection, error) {
	attrs := streamAttrs(r.set.ID.String(), introspectStream)
	if waited, err := r.limiter.Wait(ctx); err != nil {
		return eventsapi.Introspection{}, err
	} else if waited {
		r.telemetry.ReceiverOnepasswordRateLimitWaits.Add(ctx, 1, attrs.set)
	}
	in, err := r.client.Introspect(ctx)
	if ctx.Err() == nil {
		r.telemetry.ReceiverOnepasswordRequests.Add(ctx, 1, attrs.withStatus(statusClassOf(err)))
	}
	var apiErr *apierror.Error
	if errors.As(err, &apiErr) && apiErr.Status == 429 && apiErr.HasRetryAfter {
		r.limiter.Pause(time.Now().Add(apiErr.RetryAfter))
	}
	return in, err
}

func (r *onepasswordReceiver) learnAccount(in eventsapi.Introspection) {
	if in.AccountUUID != "" {
		id := in.AccountUUID
		r.accountID.Store(&id)
	}
}

// startStreams launches every enabled stream not yet running whose feature
// has(feature) grants; a nil has grants all. Streams the token lacks are
// skipped with a warning.
func (r *onepasswordReceiver) startStreams(ctx context.Context, has func(string) bool, source string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, spec := range r.cfg.enabledStreams() {
		if _, running := r.streams[spec.name]; running {
			continue
		}
		if has != nil && !has(spec.feature) {
			r.logger.Warn("Skipping stream: the token lacks its feature. Create a token with this feature, or disable the stream to silence this warning.",
				zap.String("stream", spec.name), zap.String("feature", spec.feature), zap.String("source", source))
			continue
		}
		s := newStream(r, spec)
		r.streams[spec.name] = s
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			s.run(ctx)
		}()
	}
}
