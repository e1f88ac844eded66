package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"
	"errors"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/onepassword-otel/onepasswordreceiver/internal/apierror"
	"github.com/onepassword-otel/onepasswordreceiver/internal/ratelimit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/roster"
	"github.com/onepassword-otel/onepasswordreceiver/internal/usersapi"
)

// pass makes one walk over the listing and, when it is complete, compares
// it with the committed roster and delivers its records; the roster moves
// on only once they were accepted (passBatch.commit).
//
// The account check runs before the walk and again before the delivery, so
// that an introspect answer that came during the walk is honoured.
func (s *usersSource) pass(ctx context.Context) {
	if s.otherAccount() {
		return
	}
	users, complete := s.walk(ctx)
	if !complete {
		s.rt.telemetry.ReceiverOnepasswordUsersPasses.Add(ctx, 1, s.attrs.incomplete)
		return
	}
	completed := time.Now()
	s.rt.telemetry.ReceiverOnepasswordUsersPasses.Add(ctx, 1, s.attrs.complete)
	if s.otherAccount() {
		return
	}
	changes, next := roster.Compare(s.roster, users)
	b := &passBatch{s: s, completed: completed, changes: changes, next: next}
	if s.roster.InventoryDue(completed, s.cfg.InventoryInterval) {
		b.inventory = next.InventoryIDs()
		b.next.LastInventory = completed
	}
	// deliver fails only on shutdown (a record that cannot be built is left
	// out by the batch): the roster is then not committed and the next pass
	// reports again.
	_ = s.delivery.deliver(ctx, b)
}

// walkStep is what the error policy decides after a failed request.
type walkStep int

const (
	retryPage walkStep = iota // ask for the same page again, in the same walk
	newWalk                   // abandon the walk and start again from the first page
	giveUp                    // the pass is incomplete; wait for the next one
)

// walk reads every page of one pass. It returns the users (the parsed
// objects own their bytes, the page buffer is reused) and whether the pass
// is complete. Failed requests are retried inside the same walk.
func (s *usersSource) walk(ctx context.Context) ([]roster.User, bool) {
	restarted := false // this pass already abandoned a walk for a rejected page token
	for ctx.Err() == nil {
		w := s.client.NewWalk(s.cfg.PageSize)
		users := make([]roster.User, 0, max(len(s.roster.Users), s.cfg.PageSize))
		unreadable := 0
		restart := false
		for !restart {
			page, err := w.Next(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return nil, false
				}
				switch s.onWalkError(ctx, err, restarted) {
				case retryPage:
					continue
				case newWalk:
					s.rt.telemetry.ReceiverOnepasswordUsersPasses.Add(ctx, 1, s.attrs.incomplete)
					restart, restarted = true, true
					continue
				default:
					if usersapi.Classify(err) == usersapi.PageTokenRejected {
						s.tokenRejected = true
					}
					return nil, false
				}
			}
			// While page tokens are being rejected, a good first page is no
			// recovery: only a complete walk ends the streak, so that its
			// status does not flip to OK and its WARN is said once.
			if page.Last || !(restarted || s.tokenRejected) {
				s.tokenRejected = false
				s.failures.succeeded()
			}
			for _, raw := range page.Users {
				u, err := roster.ParsePageUser(raw)
				if err != nil {
					unreadable++
					continue
				}
				users = append(users, u)
			}
			if page.Last {
				if unreadable != s.unreadable {
					// Said once, and again only when the number changes,
					// not every poll_interval.
					s.unreadable = unreadable
					if unreadable > 0 {
						s.logger.Warn("The Users API sent user objects without an id; they are left out of the pass", zap.Int("users", unreadable))
					}
				}
				return users, true
			}
		}
	}
	return nil, false
}

// onWalkError is the Users API's error policy (contract §6.4): what to tell
// the operator, which health to report and how long to wait.
//
// restarted tells that the pass already started a new walk after a
// rejected page token: a second rejection ends the pass (incomplete), so a
// server that keeps rejecting page tokens is asked once per poll_interval,
// not in a tight loop.
func (s *usersSource) onWalkError(ctx context.Context, err error, restarted bool) walkStep {
	f := s.failures
	failures := f.failed(ctx)
	wait := s.backoff.delay(failures)
	step := retryPage
	switch usersapi.Classify(err) {
	case usersapi.RateLimited:
		// The users source's own pause: the Events limiter is not touched.
		var apiErr *apierror.Error
		if errors.As(err, &apiErr) && apiErr.HasRetryAfter {
			wait = max(apiErr.RetryAfter, minRetryDelay)
		}
		s.rt.telemetry.ReceiverOnepasswordRateLimitWaits.Add(ctx, 1, s.attrs.unit.op)
		f.logOnce(zapcore.WarnLevel, "The Users API is rate limiting the users source; it pauses (the Events streams are not affected)", err)
		f.report(healthRecoverable, err)
	case usersapi.BadCredentials:
		s.refused(err, "The Users API refused the client credentials (401 from its token endpoint). Check users::client_id and users::client_secret against the OAuth application in 1Password (Integrations > Directory > OAuth Application; a secret is shown only when generated); the source keeps retrying meanwhile.")
		wait = s.backoff.maxDelay()
	case usersapi.Unauthorized:
		s.refused(err, "The Users API refused a freshly issued access token (401). Check that the OAuth application is still active and that users::api_version and users::endpoint match it; the source keeps retrying meanwhile.")
		wait = s.backoff.maxDelay()
	case usersapi.Forbidden:
		s.refused(err, "The Users API refused the listing (403): the OAuth application lacks the \"list users\" scope, or the account provisions users automatically (SCIM), which the Users API does not serve. Grant the scope in 1Password; the source keeps retrying meanwhile.")
		wait = s.backoff.maxDelay()
	case usersapi.NotFound:
		s.refused(err, "The Users API does not know the account (404). Check users::account_id (the account's 26-character UUID) and users::endpoint (the Users API host of the account's region); the source keeps retrying meanwhile.",
			zap.String("account_id", s.accountID), zap.String("endpoint", s.endpoint))
		wait = s.backoff.maxDelay()
	case usersapi.PageTokenRejected:
		f.report(healthRecoverable, err)
		if restarted {
			f.logOnce(zapcore.WarnLevel, "The Users API rejected a page token again in a new walk; the pass is incomplete and the next one starts after poll_interval", err)
			return giveUp
		}
		f.logOnce(zapcore.WarnLevel, "The Users API rejected a page token; the walk starts again from the first page", err)
		wait, step = minRetryDelay, newWalk
	case usersapi.WalkBroken:
		s.logger.Warn("The Users API walk broke off (a repeated page token or the page cap); the pass is incomplete and the next one starts after poll_interval", zap.Error(err))
		f.report(healthRecoverable, err)
		return giveUp
	case usersapi.BadRequest, usersapi.OtherClientError:
		f.logOnce(zapcore.ErrorLevel, "The Users API answered with an unexpected client error; check users::endpoint, users::api_version and users::page_size", err)
		f.report(healthRecoverable, err)
		wait = s.backoff.maxDelay()
	default:
		f.logOnce(zapcore.WarnLevel, "Users API request failed; retrying with backoff", err)
		f.report(healthRecoverable, err)
	}
	if ratelimit.Sleep(ctx, wait) != nil {
		return giveUp
	}
	return step
}

// refused reports a failure that needs a person: logged at ERROR once per
// streak, a permanent error status, retried at the back-off's maximum.
func (s *usersSource) refused(err error, advice string, fields ...zap.Field) {
	if s.failures.refusedCredential() {
		s.logger.Error(advice, append(fields, zap.Error(err))...)
	}
	s.failures.report(healthPermanent, err)
}
