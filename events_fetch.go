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

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.uber.org/zap"

	"github.com/onepassword-otel/onepasswordreceiver/internal/apierror"
	"github.com/onepassword-otel/onepasswordreceiver/internal/convert"
	"github.com/onepassword-otel/onepasswordreceiver/internal/eventsapi"
	"github.com/onepassword-otel/onepasswordreceiver/internal/metadata"
	"github.com/onepassword-otel/onepasswordreceiver/internal/ratelimit"
)

// page is one answer of the API, decoded.
type page struct {
	buf      int    // which of the fetcher's buffers holds the body
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

// pageFetcher sends one stream's requests and decodes the answers. It owns
// two response buffers, so that the next page can be read while the
// current one, whose body a redelivery decodes again, is still in use.
type pageFetcher struct {
	client    *eventsapi.Client
	limiter   *ratelimit.Limiter
	backoff   backoffPolicy
	telemetry *metadata.TelemetryBuilder
	attrs     *metricAttrs
	logger    *zap.Logger
	path      string // e.g. /api/v2/auditevents
	kind      convert.Kind
	pageSize  int
	startAt   time.Time // start_time; zero = the API's default
	scope     string
	version   string
	accountID *atomic.Pointer[string] // for the resource; nil value = unknown

	bufs        [2]bytes.Buffer
	clampWarned bool // the 120-day clamp was logged
}

// prefetch fetches in the background; the page arrives on the channel.
func (f *pageFetcher) prefetch(ctx context.Context, cursor string, resetFrom time.Time, buf int) chan page {
	ch := make(chan page, 1)
	go func() { ch <- f.fetch(ctx, cursor, resetFrom, buf) }()
	return ch
}

// fetch sends one request (a continuation when cursor is set, else a reset
// from resetFrom, or start_time when that is zero) into buffer buf and
// decodes the answer into a fresh plog.Logs.
func (f *pageFetcher) fetch(ctx context.Context, cursor string, resetFrom time.Time, buf int) page {
	p := page{buf: buf, sent: cursor}
	waited, err := f.limiter.Wait(ctx)
	if err != nil {
		p.err = err
		return p
	}
	if waited {
		f.telemetry.ReceiverOnepasswordRateLimitWaits.Add(ctx, 1, f.attrs.op)
	}
	body := f.requestBody(cursor, resetFrom)
	p.received, p.err = f.client.Post(ctx, f.path, body, &f.bufs[buf])
	if ctx.Err() != nil {
		p.err = ctx.Err()
		return p
	}
	f.telemetry.ReceiverOnepasswordRequests.Add(ctx, 1, f.attrs.request(p.err))
	if p.err != nil {
		f.pauseOn429(p)
		return p
	}
	if p.logs, p.info, p.err = f.decode(buf, p.received); p.err != nil {
		p.err = &apierror.DecodeError{API: "events API", Err: p.err}
		return p
	}
	f.telemetry.ReceiverOnepasswordPages.Add(ctx, 1, f.attrs.set)
	if p.info.Items > 0 {
		f.telemetry.ReceiverOnepasswordEvents.Add(ctx, int64(p.info.Items), f.attrs.set)
	}
	if incomplete := p.info.MissingTimestamp + p.info.MissingUUID; incomplete > 0 {
		f.telemetry.ReceiverOnepasswordIncompleteEvents.Add(ctx, int64(incomplete), f.attrs.set)
		f.logger.Warn("Page holds events without a readable timestamp or uuid; they are delivered as they are",
			zap.Int("missing_timestamp", p.info.MissingTimestamp), zap.Int("missing_uuid", p.info.MissingUUID))
	}
	return p
}

// idleBufferCap is the largest response buffer a caught-up stream keeps.
// A drain grows the two buffers to a full page (about 1 MiB each); holding
// them while idle would cost 100 instances hundreds of MiB.
const idleBufferCap = 64 << 10

// releaseBuffers drops grown response buffers once the stream is caught up.
func (f *pageFetcher) releaseBuffers() {
	for i := range f.bufs {
		if f.bufs[i].Cap() > idleBufferCap {
			f.bufs[i] = bytes.Buffer{}
		}
	}
}

// decodeSlots bounds how many pages the whole process decodes at once.
// Decoding is CPU-bound, so more parallel decodes than cores add memory
// (a decoded page is a few MiB), not speed; this matters when many receiver
// instances drain together.
var decodeSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// decode turns the body in buffer buf into one ResourceLogs/ScopeLogs. A
// redelivery calls it again on the same bytes for a fresh copy.
func (f *pageFetcher) decode(buf int, received time.Time) (plog.Logs, convert.PageInfo, error) {
	decodeSlots <- struct{}{}
	defer func() { <-decodeSlots }()
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.SetSchemaUrl(convert.SchemaURL)
	if acct := f.accountID.Load(); acct != nil {
		rl.Resource().Attributes().PutStr(attrAccountID, *acct)
	}
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName(f.scope)
	sl.Scope().SetVersion(f.version)
	info, err := convert.DecodePage(f.bufs[buf].Bytes(), f.kind, pcommon.NewTimestampFromTime(received), sl.LogRecords())
	return ld, info, err
}

// requestBody is {"cursor": c} to continue, or the reset body.
func (f *pageFetcher) requestBody(cursor string, resetFrom time.Time) []byte {
	if cursor != "" {
		b, _ := json.Marshal(struct {
			Cursor string `json:"cursor"`
		}{cursor})
		return b
	}
	reset := struct {
		Limit     int    `json:"limit"`
		StartTime string `json:"start_time,omitempty"`
	}{Limit: f.pageSize}
	start := resetFrom
	if start.IsZero() {
		start = f.startAt
	}
	if !start.IsZero() {
		// The API serves 120 days; the clamp is taken at the moment of the
		// request, with a minute's margin for clock skew.
		if oldest := time.Now().Add(-retention + time.Minute); start.Before(oldest) {
			if !f.clampWarned {
				// Once per stream: a reset that keeps failing repeats it.
				f.clampWarned = true
				f.logger.Warn("start_time is older than the API's 120-day retention; starting at the oldest available event instead",
					zap.Time("start_time", start), zap.Time("clamped_to", oldest))
			}
			start = oldest
		}
		reset.StartTime = start.UTC().Format(time.RFC3339Nano)
	}
	b, _ := json.Marshal(reset)
	return b
}

// pauseOn429 pauses every stream of the instance the moment a 429 arrives,
// even when it answered a prefetch whose result is read only after the
// current page is consumed: the budget is the account's, and the other
// streams must not keep sending meanwhile.
func (f *pageFetcher) pauseOn429(p page) {
	var apiErr *apierror.Error
	if !errors.As(p.err, &apiErr) || apiErr.Status != http.StatusTooManyRequests {
		return
	}
	wait := f.backoff.delay(1)
	if apiErr.HasRetryAfter {
		wait = max(apiErr.RetryAfter, minRetryDelay)
	}
	f.limiter.Pause(p.received.Add(wait))
}
