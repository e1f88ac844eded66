package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"
	"errors"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/onepassword-otel/onepasswordreceiver/internal/apierror"
	"github.com/onepassword-otel/onepasswordreceiver/internal/ratelimit"
)

// stream is the state machine of one Events API endpoint: reset once, then
// follow the cursor; drain while has_more, then poll every poll_interval;
// commit a cursor only after its page was accepted downstream. What it does
// at each step is its collaborators' work: the fetcher talks HTTP and
// decodes, the delivery hands pages to the pipeline, the cursor store keeps
// the committed state, the failure tracker the books of a failure streak.
type stream struct {
	spec         streamSpec
	logger       *zap.Logger
	pollInterval time.Duration
	overlap      time.Duration // cursor_reset_overlap
	backoff      backoffPolicy
	limiter      *ratelimit.Limiter // the instance's, paused on a 429
	progress     *progress

	fetcher  *pageFetcher
	delivery *delivery
	cursor   *cursorStore
	failures *failureTracker
	repeats  repeatFilter
	batch    pageBatch

	resetFrom time.Time // start of the next reset request; zero = start_time
	siblings  []string  // the instance's enabled streams, for messages
}

// run follows the stream until ctx ends. Its stored state was loaded by
// begin, before the instance said where each stream starts.
func (s *stream) run(ctx context.Context) {
	var ahead chan page
	defer func() {
		if ahead != nil {
			<-ahead // the prefetch ends promptly once ctx is cancelled
		}
	}()
	buf := 0
	for ctx.Err() == nil {
		var p page
		if ahead != nil {
			p, ahead = <-ahead, nil
		} else {
			p = s.fetcher.fetch(ctx, s.cursor.state.Cursor, s.resetFrom, buf)
		}
		if p.err != nil {
			s.onFetchError(ctx, p)
			continue
		}
		s.failures.succeeded()
		// Overlap the network with the pipeline: fetch the next page while
		// this one is consumed. Its cursor is committed only after this page
		// was accepted, and a page is never abandoned (deliver retries until
		// it is accepted or dropped), so the prefetched page stays valid.
		if p.info.HasMore {
			ahead = s.fetcher.prefetch(ctx, p.next(), s.resetFrom, 1-p.buf)
		}
		s.batch.p = &p
		err := s.delivery.deliver(ctx, &s.batch)
		// Let go of the page: holding its records until the next one would
		// keep a decoded page per stream alive while fetching and idling.
		s.batch.p, s.batch.uids = nil, nil
		if err != nil {
			return
		}
		buf = p.buf
		if !p.info.HasMore {
			s.fetcher.releaseBuffers()
			if ratelimit.Sleep(ctx, time.Until(p.received.Add(s.pollInterval))) != nil {
				return
			}
		}
	}
}

// begin loads the stream's stored state and says where the stream starts:
// "cursor" (resumes from the stored cursor), "start_time", "api_default"
// (an hour before the first request), or "restart" (a stored state of
// another api_version, from its newest event minus the overlap).
func (s *stream) begin(ctx context.Context) string {
	if s.cursor.load(ctx) {
		s.startOver()
		return "restart"
	}
	switch {
	case s.cursor.state.Cursor != "":
		return "cursor"
	case !s.fetcher.startAt.IsZero():
		return "start_time"
	default:
		return "api_default"
	}
}

// committed runs once a page was accepted (or dropped for good): the cursor
// moves past it, and a reset's repeat suppression ends once caught up.
func (s *stream) committed(ctx context.Context, p *page, uids []string) {
	s.cursor.commit(ctx, p.info, uids)
	if s.repeats.active() && !p.info.HasMore {
		s.repeats.stop()
		s.logger.Info("Caught up after the cursor reset; repeat suppression ends")
	}
	s.progress.succeeded()
}

// startOver drops the cursor: the next request is a reset from the newest
// delivered event minus cursor_reset_overlap, and repeats of what was
// already delivered are suppressed.
func (s *stream) startOver() {
	s.cursor.dropCursor()
	if newest := s.cursor.state.Newest; !newest.IsZero() {
		s.resetFrom = newest.Add(-s.overlap)
	}
	s.repeats.start(s.cursor.ring.set())
}

// onFetchError is the Events API's error policy: how long to wait after a
// failed request, what to tell the operator and which health to report.
func (s *stream) onFetchError(ctx context.Context, p page) {
	if ctx.Err() != nil {
		return
	}
	f := s.failures
	failures := f.failed(ctx)
	err := p.err
	wait := s.backoff.delay(failures)
	switch apierror.Classify(err) {
	case apierror.RateLimited:
		// fetch paused the instance as soon as the 429 arrived; without
		// Retry-After the pause grows with the failure streak.
		var apiErr *apierror.Error
		if errors.As(err, &apiErr) && !apiErr.HasRetryAfter {
			s.limiter.Pause(p.received.Add(wait))
		}
		wait = 0
		f.logOnce(zapcore.WarnLevel, "The Events API is rate limiting the receiver; every stream of this instance pauses", err)
		f.report(healthRecoverable, err)
	case apierror.Unauthorized:
		if f.refusedCredential() {
			s.logger.Error("The Events API refused the token (401): it is invalid, expired or revoked, or it lacks a stream's feature. Create a token with the streams' features in 1Password (Integrations > Events Reporting) and update the receiver's token; every stream keeps retrying meanwhile and says when the token is accepted again.",
				zap.Strings("streams", s.siblings), zap.String("feature", s.spec.feature), zap.Error(err))
		}
		f.report(healthPermanent, err)
		wait = s.backoff.maxDelay()
	case apierror.BadRequest:
		if p.sent != "" {
			s.logger.Warn("The Events API rejected the stream's cursor; restarting from the newest delivered event minus cursor_reset_overlap, with repeats suppressed",
				zap.Stringer("cursor_reset_overlap", s.overlap), zap.Error(err))
			s.startOver()
			wait = minRetryDelay
		} else {
			s.logger.Error("The Events API rejected the reset request; check start_time and page_size", zap.Error(err))
			wait = s.backoff.maxDelay()
		}
		f.report(healthRecoverable, err)
	case apierror.Unsendable:
		f.logOnce(zapcore.ErrorLevel, "The receiver cannot send its Events API requests as configured; fix the configuration (the token, endpoint or headers) and restart the collector", err)
		f.report(healthPermanent, err)
		wait = s.backoff.maxDelay()
	case apierror.OtherClientError:
		f.logOnce(zapcore.ErrorLevel, "The Events API endpoint answered with an unexpected client error; check endpoint and api_version", err)
		f.report(healthRecoverable, err)
		wait = s.backoff.maxDelay()
	default:
		f.logOnce(zapcore.WarnLevel, "Events API request failed; retrying with backoff", err)
		f.report(healthRecoverable, err)
	}
	_ = ratelimit.Sleep(ctx, wait)
}
