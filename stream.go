package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"runtime"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/onepassword-otel/onepasswordreceiver/internal/apierror"
	"github.com/onepassword-otel/onepasswordreceiver/internal/convert"
	"github.com/onepassword-otel/onepasswordreceiver/internal/ratelimit"
)

// streamSpec describes one Events API stream.
type streamSpec struct {
	name    string // config key and metric attribute, e.g. audit_events
	path    string // endpoint name, e.g. auditevents
	feature string // token feature that grants it
	kind    convert.Kind
	enabled func(*Config) bool
}

var allStreams = []streamSpec{
	{name: "audit_events", path: "auditevents", feature: "auditevents", kind: convert.AuditEvent,
		enabled: func(c *Config) bool { return c.AuditEvents.Enabled }},
	{name: "item_usages", path: "itemusages", feature: "itemusages", kind: convert.ItemUsage,
		enabled: func(c *Config) bool { return c.ItemUsages.Enabled }},
	{name: "signin_attempts", path: "signinattempts", feature: "signinattempts", kind: convert.SigninAttempt,
		enabled: func(c *Config) bool { return c.SigninAttempts.Enabled }},
}

// retention is how far back the API serves events.
const retention = 120 * 24 * time.Hour

// stream is the state machine of one endpoint: reset once, then follow the
// cursor; drain while has_more, then poll every poll_interval; commit a
// cursor only after its page was accepted downstream.
type stream struct {
	r      *onepasswordReceiver
	spec   streamSpec
	path   string
	attrs  metricAttrs
	logger *zap.Logger

	state     streamState // as last committed
	resetFrom time.Time   // start_time of the next reset request; zero = configured start
	ring      *recentRing
	// suppress holds the uuids delivered before a cursor reset; repeats of
	// them are dropped until the stream has caught up again.
	suppress       map[string]struct{}
	recentDirty    bool
	lastRecentSave time.Time

	failures       int  // consecutive failed requests
	failing        bool // the current failure streak was logged
	unauthorized   bool
	storageFailing bool

	newestUnixNano      atomic.Int64
	lastSuccessUnixNano atomic.Int64

	bufs [2]bytes.Buffer
}

// page is one answer of the API, decoded.
type page struct {
	buf      int    // which of the stream's buffers holds the body
	sent     string // cursor sent; "" for a reset request
	received time.Time
	info     convert.PageInfo
	logs     plog.Logs
	err      error
}

// next is the cursor to continue with: the page's, or the one sent when
// the page carried none.
func (p *page) next() string {
	if p.info.HasCursor && p.info.Cursor != "" {
		return p.info.Cursor
	}
	return p.sent
}

func newStream(r *onepasswordReceiver, spec streamSpec) *stream {
	return &stream{
		r:      r,
		spec:   spec,
		path:   "/api/" + r.cfg.APIVersion + "/" + spec.path,
		attrs:  streamAttrs(r.set.ID.String(), spec.name),
		logger: r.logger.With(zap.String("stream", spec.name)),
		ring:   newRecentRing(r.cfg.DedupCapacity),
	}
}

func (s *stream) run(ctx context.Context) {
	s.load(ctx)
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
			p = s.fetch(ctx, s.state.Cursor, buf)
		}
		if p.err != nil {
			s.onFetchError(ctx, p)
			continue
		}
		s.onFetchSuccess()
		// Overlap the network with the pipeline: fetch the next page while
		// this one is consumed. Its cursor is committed only after this page
		// was accepted, and a page is never abandoned (deliver retries until
		// it is accepted or dropped), so the prefetched page stays valid.
		if p.info.HasMore {
			ahead = s.prefetch(ctx, p.next(), 1-p.buf)
		}
		if s.deliver(ctx, &p) != nil {
			return
		}
		buf = p.buf
		if !p.info.HasMore {
			s.releaseBuffers()
			if ratelimit.Sleep(ctx, time.Until(p.received.Add(s.r.cfg.PollInterval))) != nil {
				return
			}
		}
	}
}

func (s *stream) prefetch(ctx context.Context, cursor string, buf int) chan page {
	ch := make(chan page, 1)
	go func() { ch <- s.fetch(ctx, cursor, buf) }()
	return ch
}

// fetch sends one request (a continuation when cursor is set, else a reset)
// and decodes the answer into a fresh plog.Logs.
func (s *stream) fetch(ctx context.Context, cursor string, buf int) page {
	p := page{buf: buf, sent: cursor}
	waited, err := s.r.limiter.Wait(ctx)
	if err != nil {
		p.err = err
		return p
	}
	if waited {
		s.r.telemetry.ReceiverOnepasswordRateLimitWaits.Add(ctx, 1, s.attrs.set)
	}
	body := s.requestBody(cursor)
	p.received, p.err = s.r.client.Post(ctx, s.path, body, &s.bufs[buf])
	if ctx.Err() != nil {
		p.err = ctx.Err()
		return p
	}
	s.r.telemetry.ReceiverOnepasswordRequests.Add(ctx, 1, s.attrs.withStatus(statusClassOf(p.err)))
	if p.err != nil {
		s.pauseOn429(p)
		return p
	}
	if p.logs, p.info, p.err = s.decode(s.bufs[buf].Bytes(), p.received); p.err != nil {
		p.err = &apierror.DecodeError{API: "events API", Err: p.err}
		return p
	}
	s.r.telemetry.ReceiverOnepasswordPages.Add(ctx, 1, s.attrs.set)
	if p.info.Items > 0 {
		s.r.telemetry.ReceiverOnepasswordEvents.Add(ctx, int64(p.info.Items), s.attrs.set)
	}
	if incomplete := p.info.MissingTimestamp + p.info.MissingUUID; incomplete > 0 {
		s.r.telemetry.ReceiverOnepasswordIncompleteEvents.Add(ctx, int64(incomplete), s.attrs.set)
		s.logger.Warn("Page holds events without a readable timestamp or uuid; they are delivered as they are",
			zap.Int("missing_timestamp", p.info.MissingTimestamp), zap.Int("missing_uuid", p.info.MissingUUID))
	}
	return p
}

// idleBufferCap is the largest response buffer a caught-up stream keeps.
// A drain grows the two buffers to a full page (about 1 MiB each); holding
// them while idle would cost 100 instances hundreds of MiB.
const idleBufferCap = 64 << 10

// releaseBuffers drops grown response buffers once the stream is caught up.
func (s *stream) releaseBuffers() {
	for i := range s.bufs {
		if s.bufs[i].Cap() > idleBufferCap {
			s.bufs[i] = bytes.Buffer{}
		}
	}
}

// decodeSlots bounds how many pages the whole process decodes at once.
// Decoding is CPU-bound, so more parallel decodes than cores add memory
// (a decoded page is a few MiB), not speed; this matters when many receiver
// instances drain together.
var decodeSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// decode turns a response body into one ResourceLogs/ScopeLogs.
func (s *stream) decode(body []byte, received time.Time) (plog.Logs, convert.PageInfo, error) {
	decodeSlots <- struct{}{}
	defer func() { <-decodeSlots }()
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.SetSchemaUrl(convert.SchemaURL)
	if acct := s.r.accountID.Load(); acct != nil {
		rl.Resource().Attributes().PutStr(attrAccountID, *acct)
	}
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName(s.r.scope)
	sl.Scope().SetVersion(s.r.version)
	info, err := convert.DecodePage(body, s.spec.kind, pcommon.NewTimestampFromTime(received), sl.LogRecords())
	return ld, info, err
}

// requestBody is {"cursor": c} to continue, or the reset body.
func (s *stream) requestBody(cursor string) []byte {
	if cursor != "" {
		b, _ := json.Marshal(struct {
			Cursor string `json:"cursor"`
		}{cursor})
		return b
	}
	reset := struct {
		Limit     int    `json:"limit"`
		StartTime string `json:"start_time,omitempty"`
	}{Limit: s.r.cfg.PageSize}
	start := s.resetFrom
	if start.IsZero() {
		start = s.r.startAt
	}
	if !start.IsZero() {
		// The API serves 120 days; the clamp is taken at the moment of the
		// request, with a minute's margin for clock skew.
		if oldest := time.Now().Add(-retention + time.Minute); start.Before(oldest) {
			s.logger.Warn("start_time is older than the API's 120-day retention; starting at the oldest available event instead",
				zap.Time("start_time", start), zap.Time("clamped_to", oldest))
			start = oldest
		}
		reset.StartTime = start.UTC().Format(time.RFC3339Nano)
	}
	b, _ := json.Marshal(reset)
	return b
}

// deliver hands the page to the pipeline until it is accepted or refused
// for good, then commits its cursor. It returns only ctx's error.
func (s *stream) deliver(ctx context.Context, p *page) error {
	for attempt := 1; ; attempt++ {
		logs := p.logs
		if attempt > 1 {
			// The consumer may have kept or changed the first copy; decode
			// the retained body again rather than reuse it.
			var err error
			if logs, _, err = s.decode(s.bufs[p.buf].Bytes(), p.received); err != nil {
				return err // cannot happen: the same bytes decoded before
			}
		}
		n := s.suppressRepeats(logs)
		// Read what commit needs before the hand-off: after ConsumeLogs the
		// pipeline owns the records and may have changed or dropped them.
		uids := s.recordUIDs(logs)
		var err error
		if n > 0 {
			obsCtx := s.r.obsrecv.StartLogsOp(ctx)
			err = s.r.next.ConsumeLogs(obsCtx, logs)
			s.r.obsrecv.EndLogsOp(obsCtx, "json", n, err)
		}
		if err == nil || consumererror.IsPermanent(err) {
			if err != nil {
				s.r.telemetry.ReceiverOnepasswordDroppedEvents.Add(ctx, int64(n), s.attrs.set)
				s.logger.Error("The pipeline refused a page for good; its events are dropped and the stream moves on",
					zap.Int("events", n), zap.Error(err))
			}
			s.commit(ctx, p, uids)
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		s.r.telemetry.ReceiverOnepasswordRetries.Add(ctx, 1, s.attrs.set)
		level := zapcore.DebugLevel
		if attempt == 1 {
			level = zapcore.WarnLevel
		}
		s.logger.Log(level, "The pipeline refused a page; it will be delivered again", zap.Int("attempt", attempt), zap.Error(err))
		if ratelimit.Sleep(ctx, s.r.backoff.delay(attempt)) != nil {
			return ctx.Err()
		}
	}
}

// suppressRepeats drops, after a cursor reset, the events delivered before
// it, and returns how many records remain.
func (s *stream) suppressRepeats(logs plog.Logs) int {
	if s.suppress == nil {
		return logs.LogRecordCount()
	}
	records := logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	records.RemoveIf(func(lr plog.LogRecord) bool {
		uid, ok := lr.Attributes().Get(convert.AttrRecordUID)
		if !ok {
			return false
		}
		_, seen := s.suppress[uid.Str()]
		return seen
	})
	return records.Len()
}

// recordUIDs lists the page's event uuids for the recent-uuid ring; nil
// when repeat suppression is off.
func (s *stream) recordUIDs(logs plog.Logs) []string {
	if s.ring.cap == 0 {
		return nil
	}
	records := logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	uids := make([]string, 0, records.Len())
	for i := 0; i < records.Len(); i++ {
		if uid, ok := records.At(i).Attributes().Get(convert.AttrRecordUID); ok {
			uids = append(uids, uid.Str())
		}
	}
	return uids
}

// commit advances the stream past an accepted page and persists it.
func (s *stream) commit(ctx context.Context, p *page, uids []string) {
	next := s.state
	next.Schema, next.APIVersion = stateSchema, s.r.cfg.APIVersion
	if p.info.HasCursor && p.info.Cursor != "" {
		next.Cursor = p.info.Cursor
	}
	if p.info.Newest != 0 {
		if newest := p.info.Newest.AsTime(); newest.After(next.Newest) {
			next.Newest = newest
			s.newestUnixNano.Store(newest.UnixNano())
		}
	}
	for _, uid := range uids {
		s.ring.add(uid)
	}
	s.recentDirty = s.recentDirty || len(uids) > 0
	changed := next != s.state
	s.state = next
	saveRecent := s.recentDirty && time.Since(s.lastRecentSave) >= recentSaveInterval
	if changed || saveRecent {
		s.persist(ctx, saveRecent)
	}
	if s.suppress != nil && !p.info.HasMore {
		s.suppress = nil
		s.logger.Info("Caught up after the cursor reset; repeat suppression ends")
	}
	s.lastSuccessUnixNano.Store(time.Now().UnixNano())
}

// persist writes the cursor (and, when due, the recent uuids). A write that
// fails is logged once per failure streak: the stream goes on in memory and
// at worst repeats pages after a restart.
func (s *stream) persist(ctx context.Context, withRecent bool) {
	// Once a page is accepted its cursor must be written even if shutdown
	// has begun, or the page is delivered twice.
	ctx = context.WithoutCancel(ctx)
	state, _ := json.Marshal(s.state)
	ops := []*storage.Operation{storage.SetOperation(cursorKey(s.spec.name), state)}
	if withRecent {
		recent, _ := json.Marshal(recentState{Schema: stateSchema, UUIDs: s.ring.ordered()})
		ops = append(ops, storage.SetOperation(recentKey(s.spec.name), recent))
	}
	if err := s.r.storage.Batch(ctx, ops...); err != nil {
		if !s.storageFailing {
			s.logger.Error("Could not write the stream's cursor to storage; a restart may deliver pages again", zap.Error(err))
		}
		s.storageFailing = true
		return
	}
	s.storageFailing = false
	if withRecent {
		s.recentDirty, s.lastRecentSave = false, time.Now()
	}
}

// saveRecent writes the recent uuids on shutdown.
func (s *stream) saveRecent(ctx context.Context) error {
	if !s.recentDirty {
		return nil
	}
	recent, _ := json.Marshal(recentState{Schema: stateSchema, UUIDs: s.ring.ordered()})
	return s.r.storage.Set(ctx, recentKey(s.spec.name), recent)
}

// load reads the stream's stored state. Unreadable state is reported and
// replaced by the next commit, never a reason to stop.
func (s *stream) load(ctx context.Context) {
	var recent recentState
	if _, err := loadJSON(ctx, s.r.storage, recentKey(s.spec.name), &recent); err != nil {
		s.logger.Error("Ignoring the stored recent-uuid list", zap.Error(err))
	}
	s.ring.load(recent.UUIDs)
	var st streamState
	found, err := loadJSON(ctx, s.r.storage, cursorKey(s.spec.name), &st)
	if err != nil {
		s.logger.Error("Ignoring the stored cursor; the stream starts at start_time and the stored state is replaced after the first page",
			zap.Error(err))
		return
	}
	if !found {
		return
	}
	if !st.Newest.IsZero() {
		s.newestUnixNano.Store(st.Newest.UnixNano())
	}
	if st.APIVersion != s.r.cfg.APIVersion {
		s.logger.Warn("The stored cursor belongs to another api_version; restarting the stream from the newest delivered event minus cursor_reset_overlap, with repeats suppressed",
			zap.String("stored_api_version", st.APIVersion), zap.String("api_version", s.r.cfg.APIVersion))
		s.state = st
		s.startOver()
		return
	}
	s.state = st
}

// startOver drops the cursor: the next request is a reset from the newest
// delivered event minus cursor_reset_overlap, and repeats of what was
// already delivered are suppressed.
func (s *stream) startOver() {
	s.state.Cursor = ""
	if !s.state.Newest.IsZero() {
		s.resetFrom = s.state.Newest.Add(-s.r.cfg.CursorResetOverlap)
	}
	s.suppress = s.ring.set()
}

func (s *stream) onFetchSuccess() {
	if s.unauthorized {
		s.logger.Info("The Events API accepts the token again")
	} else if s.failing {
		s.logger.Info("The Events API answers again", zap.Int("failed_requests", s.failures))
	}
	s.failures, s.failing, s.unauthorized = 0, false, false
	s.r.status.set(s.spec.name, healthOK, nil)
}

// onFetchError decides how long to wait after a failed request, and what to
// tell the operator.
func (s *stream) onFetchError(ctx context.Context, p page) {
	if ctx.Err() != nil {
		return
	}
	s.failures++
	if s.failures > 1 {
		s.r.telemetry.ReceiverOnepasswordRetries.Add(ctx, 1, s.attrs.set)
	}
	err := p.err
	wait := s.r.backoff.delay(s.failures)
	switch apierror.Classify(err) {
	case apierror.RateLimited:
		// fetch paused the instance as soon as the 429 arrived; without
		// Retry-After the pause grows with the failure streak.
		var apiErr *apierror.Error
		if errors.As(err, &apiErr) && !apiErr.HasRetryAfter {
			s.r.limiter.Pause(p.received.Add(wait))
		}
		wait = 0
		s.logOnce(zapcore.WarnLevel, "The Events API is rate limiting the receiver; every stream of this instance pauses", err)
		s.r.status.set(s.spec.name, healthRecoverable, err)
	case apierror.Unauthorized:
		if !s.unauthorized {
			s.logger.Error("The Events API refused the token (401): it is invalid, expired or revoked, or it lacks this stream's feature. Create a token with the feature in 1Password (Integrations > Events Reporting) and update the receiver's token; the stream keeps retrying meanwhile.",
				zap.String("feature", s.spec.feature), zap.Error(err))
			s.unauthorized = true
		}
		s.r.status.set(s.spec.name, healthPermanent, err)
		wait = s.r.backoff.maxDelay()
	case apierror.BadRequest:
		if p.sent != "" {
			s.logger.Warn("The Events API rejected the stream's cursor; restarting from the newest delivered event minus cursor_reset_overlap, with repeats suppressed",
				zap.Duration("cursor_reset_overlap", s.r.cfg.CursorResetOverlap), zap.Error(err))
			s.startOver()
			wait = minRetryDelay
		} else {
			s.logger.Error("The Events API rejected the reset request; check start_time and page_size", zap.Error(err))
			wait = s.r.backoff.maxDelay()
		}
		s.r.status.set(s.spec.name, healthRecoverable, err)
	case apierror.OtherClientError:
		s.logOnce(zapcore.ErrorLevel, "The Events API endpoint answered with an unexpected client error; check endpoint and api_version", err)
		s.r.status.set(s.spec.name, healthRecoverable, err)
		wait = s.r.backoff.maxDelay()
	default:
		s.logOnce(zapcore.WarnLevel, "Events API request failed; retrying with backoff", err)
		s.r.status.set(s.spec.name, healthRecoverable, err)
	}
	_ = ratelimit.Sleep(ctx, wait)
}

// pauseOn429 pauses every stream of the instance the moment a 429 arrives,
// even when it answered a prefetch whose result is read only after the
// current page is consumed: the budget is the account's, and the other
// streams must not keep sending meanwhile.
func (s *stream) pauseOn429(p page) {
	var apiErr *apierror.Error
	if !errors.As(p.err, &apiErr) || apiErr.Status != http.StatusTooManyRequests {
		return
	}
	wait := s.r.backoff.delay(1)
	if apiErr.HasRetryAfter {
		wait = max(apiErr.RetryAfter, minRetryDelay)
	}
	s.r.limiter.Pause(p.received.Add(wait))
}

// logOnce logs the first failure of a streak at level, the rest at debug,
// so that an outage does not flood the log.
func (s *stream) logOnce(level zapcore.Level, msg string, err error) {
	if s.failing {
		level = zapcore.DebugLevel
	}
	s.failing = true
	s.logger.Log(level, msg, zap.Int("failed_requests", s.failures), zap.Error(err))
}
