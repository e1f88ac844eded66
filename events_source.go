package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/onepassword-otel/onepasswordreceiver/internal/eventsapi"
	"github.com/onepassword-otel/onepasswordreceiver/internal/ratelimit"
)

// eventsSource reads the Events API: it asks introspect which streams the
// token may read (events_bootstrap.go), then runs one stream state machine
// per endpoint. The streams share the client and the rate limiter, since
// the API's budget is the account's.
type eventsSource struct {
	rt      *sourceRuntime
	cfg     *Config
	client  *eventsapi.Client
	limiter *ratelimit.Limiter
	claims  eventsapi.Claims
	backoff backoffPolicy
	store   namespace
	scope   string
	version string

	accountID atomic.Pointer[string] // for the resource; introspect wins over the token claim

	introspectAttrs *metricAttrs
	refusals        refusals // one ERROR for a refused token, not one per stream

	wg      sync.WaitGroup
	mu      sync.Mutex
	streams map[string]*stream // started streams by name
}

func newEventsSource(rt *sourceRuntime, cfg *Config, client *eventsapi.Client, claims eventsapi.Claims, scope, version string) *eventsSource {
	e := &eventsSource{
		rt:     rt,
		cfg:    cfg,
		client: client,
		limiter: ratelimit.NewLimiter(
			ratelimit.Window{Length: time.Minute, Limit: cfg.RateLimit.RequestsPerMinute},
			ratelimit.Window{Length: time.Hour, Limit: cfg.RateLimit.RequestsPerHour},
		),
		claims:  claims,
		backoff: backoffPolicy{cfg: cfg.BackOffConfig, disabledDelay: cfg.PollInterval},
		store:   namespace{client: rt.storage, prefix: eventsNamespace},
		scope:   scope,
		version: version,
		streams: map[string]*stream{},

		introspectAttrs: operationAttrs(rt.receiverID, introspectOperation),
	}
	e.setAccount(claims.AccountUUID)
	return e
}

func (e *eventsSource) name() string { return "events" }

// setAccount records the account the token reads (introspect's answer wins
// over the token's claim) and warns when another instance of this
// collector reads the same account.
func (e *eventsSource) setAccount(id string) {
	if id == "" {
		return
	}
	e.accountID.Store(&id)
	if other, shared := instances.claimAccount(e.rt.receiverID, id); shared {
		warnShared(e.rt.logger, "account", e.rt.receiverID, other)
	}
}

// account is the account's id, or "" while it is unknown.
func (e *eventsSource) account() string {
	if id := e.accountID.Load(); id != nil {
		return *id
	}
	return ""
}

func (e *eventsSource) run(ctx context.Context) {
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		e.watchTokenExpiry(ctx)
	}()
	e.bootstrap(ctx)
	e.wg.Wait()
}

// flush writes every stream's recent uuids and closes idle connections.
func (e *eventsSource) flush(ctx context.Context) error {
	var errs []error
	e.mu.Lock()
	for _, s := range e.streams {
		errs = append(errs, s.cursor.saveRecent(ctx))
	}
	e.mu.Unlock()
	e.client.CloseIdleConnections()
	return errors.Join(errs...)
}

func (e *eventsSource) eachProgress(f func(*progress)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, s := range e.streams {
		f(s.progress)
	}
}

// startStreams launches every enabled stream not yet running whose feature
// has(feature) grants; a nil has grants all. Streams the token lacks are
// skipped with a warning.
func (e *eventsSource) startStreams(ctx context.Context, has func(string) bool, source string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	starts := map[string]string{}
	for _, spec := range e.cfg.enabledStreams() {
		if _, running := e.streams[spec.name]; running {
			continue
		}
		if has != nil && !has(spec.feature) {
			e.rt.logger.Warn("Skipping stream: the token lacks its feature. Create a token with this feature, or disable the stream to silence this warning.",
				zap.String("stream", spec.name), zap.String("feature", spec.feature), zap.String("source", source))
			continue
		}
		s := e.newStream(spec)
		starts[spec.name] = s.begin(ctx)
		e.streams[spec.name] = s
		e.wg.Add(1)
		go func() {
			defer e.wg.Done()
			s.run(ctx)
		}()
	}
	e.logStart(starts, source)
}

// logStart says once, at INFO, what the instance reads and where each
// stream begins: a healthy receiver is otherwise silent. A stored cursor
// wins over start_time, which the line says, since a start_time changed
// later has no effect until the storage is cleared.
func (e *eventsSource) logStart(starts map[string]string, source string) {
	if len(starts) == 0 {
		return
	}
	account := e.account()
	if account == "" {
		account = "unknown"
	}
	fields := []zap.Field{
		zap.String("endpoint", e.client.BaseURL()),
		zap.String("account", account),
		zap.Any("streams", starts),
	}
	if source != "" {
		fields = append(fields, zap.String("streams_from", source))
	}
	if !e.cfg.StartTime.IsZero() {
		fields = append(fields, zap.Time("start_time", e.cfg.StartTime))
		for _, from := range starts {
			if from == "cursor" {
				fields = append(fields, zap.String("note", "a stored cursor wins over start_time; clear the receiver's storage to start over at start_time"))
				break
			}
		}
	}
	e.rt.logger.Info("Reading the Events API", fields...)
}

// newStream assembles one stream and its collaborators.
func (e *eventsSource) newStream(spec streamSpec) *stream {
	rt := e.rt
	attrs := streamAttrs(rt.receiverID, spec.name)
	logger := rt.logger.With(zap.String("stream", spec.name))
	prog := &progress{attrs: attrs}
	s := &stream{
		spec:         spec,
		logger:       logger,
		pollInterval: e.cfg.PollInterval,
		overlap:      e.cfg.CursorResetOverlap,
		backoff:      e.backoff,
		limiter:      e.limiter,
		progress:     prog,
		fetcher: &pageFetcher{
			client: e.client, limiter: e.limiter, backoff: e.backoff,
			telemetry: rt.telemetry, attrs: attrs, logger: logger,
			path: "/api/" + e.cfg.APIVersion + "/" + spec.path, kind: spec.kind,
			pageSize: e.cfg.PageSize, startAt: e.cfg.StartTime,
			scope: e.scope, version: e.version, accountID: &e.accountID,
		},
		delivery: &delivery{pipeline: rt.pipeline, backoff: e.backoff, telemetry: rt.telemetry, attrs: attrs, logger: logger},
		cursor: &cursorStore{
			ns: e.store, stream: spec.name, apiVersion: e.cfg.APIVersion, logger: logger, progress: prog,
			ring: newRecentRing(e.cfg.DedupCapacity),
		},
		siblings: e.cfg.enabledStreamNames(),
		failures: &failureTracker{
			key: spec.name, api: "Events API", logger: logger,
			status: rt.status, telemetry: rt.telemetry, attrs: attrs, refusals: &e.refusals,
		},
	}
	s.batch.s = s
	return s
}
