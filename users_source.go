package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/onepassword-otel/onepasswordreceiver/internal/convert"
	"github.com/onepassword-otel/onepasswordreceiver/internal/metadata"
	"github.com/onepassword-otel/onepasswordreceiver/internal/ratelimit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/roster"
	"github.com/onepassword-otel/onepasswordreceiver/internal/usersapi"
)

// usersNamespace is the users source's share of the storage; its one key
// holds the roster, the pass number and the time of the last inventory, so
// that the three are always committed together.
const (
	usersNamespace = "users/"
	usersRosterKey = "roster"
	usersUnit      = "users" // status key and stream attribute of the source

	// accountCheckInterval is how often the source looks again for
	// introspect's answer before its first pass: a 5m poll_interval should
	// not delay the first pass that long.
	accountCheckInterval = time.Second
)

// usersSource reads the Users API: a pass over the listing every
// poll_interval, compared with the stored roster (roster.Compare), its
// change and inventory records delivered in chunks of page_size, and the
// new roster committed only after every chunk was accepted. It has its own
// client, back-off, 429 pause and status key: nothing it meets slows or
// marks the Events streams, and the other way round.
type usersSource struct {
	rt        *sourceRuntime
	cfg       UsersConfig
	client    *usersapi.Client
	accountID string
	endpoint  string
	builder   roster.Builder
	store     namespace
	backoff   backoffPolicy
	logger    *zap.Logger
	delivery  *delivery
	failures  *failureTracker
	progress  *progress
	attrs     usersAttrs

	// eventsAccount is the account introspect told the Events source; ""
	// while unknown. nil when there is nothing to check it against.
	eventsAccount func() string

	roster     roster.Roster // the committed roster; owned by run
	stopped    bool          // the account check failed: no more passes
	unreadable int           // user objects without an id in the last complete pass
	// tokenRejected: the last pass ended on a second rejected page token;
	// until a walk completes, good pages do not end the failure streak.
	tokenRejected bool
	// awaitingAccount: passes are skipped until introspect tells the
	// Events token's account.
	awaitingAccount bool

	// Read by the gauges.
	counts       atomic.Pointer[map[string]int] // users by state, last complete pass
	lastComplete atomic.Int64                   // Unix nanoseconds; 0 = none yet
}

// usersUserAgent is the User-Agent of every Users API request.
func usersUserAgent(version string) string {
	if version == "" {
		version = "dev"
	}
	return "otelcol-onepassword/" + version
}

// newUsersSource builds the source; it does no network I/O. httpClient
// carries the receiver's confighttp settings.
func newUsersSource(rt *sourceRuntime, cfg *Config, httpClient *http.Client, tokenAccount, tokenAudience, scope, version string, eventsAccount func() string) (*usersSource, error) {
	u := cfg.Users
	endpoint, err := u.baseURL(tokenAudience)
	if err != nil {
		return nil, err
	}
	accountID := u.accountID(tokenAccount)
	attrs := newUsersAttrs(rt.receiverID)
	counted := *httpClient
	counted.Transport = &requestCounter{base: httpClient.Transport, telemetry: rt.telemetry, attrs: attrs}
	client, err := usersapi.NewClient(&counted, usersapi.Config{
		Endpoint:     endpoint,
		APIVersion:   u.APIVersion,
		AccountID:    accountID,
		ClientID:     u.ClientID,
		ClientSecret: u.ClientSecret,
		UserAgent:    usersUserAgent(version),
	})
	if err != nil {
		return nil, err
	}
	backoff := backoffPolicy{cfg: cfg.BackOffConfig, disabledDelay: u.PollInterval}
	logger := rt.logger.With(zap.String("source", usersUnit))
	s := &usersSource{
		rt: rt, cfg: u, client: client, accountID: accountID, endpoint: endpoint,
		builder: roster.Builder{
			AccountID: accountID, ScopeName: scope, ScopeVersion: version,
			SchemaURL: convert.SchemaURL, ChunkSize: u.PageSize,
		},
		store:   namespace{client: rt.storage, prefix: usersNamespace},
		backoff: backoff,
		logger:  logger,
		delivery: &delivery{
			pipeline: rt.pipeline, backoff: backoff, telemetry: rt.telemetry,
			attrs: attrs.unit, logger: logger,
		},
		failures: &failureTracker{
			key: usersUnit, api: "Users API", logger: logger,
			status: rt.status, telemetry: rt.telemetry, attrs: attrs.unit,
		},
		progress:      &progress{attrs: attrs.unit},
		attrs:         attrs,
		eventsAccount: eventsAccount,
	}
	return s, nil
}

func (s *usersSource) name() string { return usersUnit }

func (s *usersSource) eachProgress(f func(*progress)) { f(s.progress) }

// flush has nothing to save: every commit is written at once.
func (s *usersSource) flush(context.Context) error {
	s.client.CloseIdleConnections()
	return nil
}

// run makes a pass, then waits poll_interval from its end (its last page and
// the delivery of its records), until ctx is cancelled.
func (s *usersSource) run(ctx context.Context) {
	s.load(ctx)
	for ctx.Err() == nil {
		if s.pass(ctx); s.stopped {
			return
		}
		wait := s.cfg.PollInterval
		if s.awaitingAccount {
			wait = min(wait, accountCheckInterval)
		}
		if ratelimit.Sleep(ctx, wait) != nil {
			return
		}
	}
}

// load reads the committed roster. A failed read is retried with back-off
// until ctx ends: a storage hiccup must not start a new baseline, which
// would announce the whole roster again and lose the changes since the last
// pass. Only a roster that cannot be decoded is dropped, at ERROR: the next
// complete pass is a new baseline (an inventory, no changes) rather than a
// crash loop.
func (s *usersSource) load(ctx context.Context) {
	var raw []byte
	for attempt := 1; ; attempt++ {
		var err error
		if raw, err = s.store.client.Get(ctx, s.store.key(usersRosterKey)); err == nil {
			if attempt > 1 {
				s.logger.Info("The stored roster was read", zap.Int("attempts", attempt))
				s.failures.report(healthOK, nil)
			}
			break
		}
		if ctx.Err() != nil {
			return
		}
		level := zapcore.DebugLevel
		if attempt == 1 {
			level = zapcore.WarnLevel
		}
		s.logger.Log(level, "Reading the stored roster failed; no pass until it is read, retrying with backoff", zap.Int("attempt", attempt), zap.Error(err))
		s.failures.report(healthRecoverable, err)
		if ratelimit.Sleep(ctx, s.backoff.delay(attempt)) != nil {
			return
		}
	}
	if raw == nil {
		return
	}
	r, err := roster.Unmarshal(raw)
	if err != nil {
		s.logger.Error("The stored roster is unreadable; the next complete pass starts a new baseline (an inventory, no change records)", zap.Error(err))
		return
	}
	s.roster = r
	s.publishCounts(r)
}

// otherAccount checks, when only introspect can tell the Events token's
// account, that it is the one users::account_id names, and reports whether
// the pass must be skipped: while introspect has not answered, or for good
// on a mismatch, since one receiver instance reads one account.
func (s *usersSource) otherAccount() bool {
	if s.stopped {
		return true
	}
	if s.eventsAccount == nil {
		return false
	}
	events := s.eventsAccount()
	if events == "" {
		// Introspect has not answered yet: no pass, lest another account's
		// roster be delivered. The source asks again shortly.
		if !s.awaitingAccount {
			s.awaitingAccount = true
			s.logger.Info("The users source waits for the Events API's introspect to tell the token's account before its first pass")
		}
		return true
	}
	s.awaitingAccount = false
	if events == s.accountID {
		return false
	}
	s.stopped = true
	err := errors.New("users::account_id differs from the Events token's account")
	s.logger.Error("users::account_id names another account than the Events token (as introspect tells it); one receiver instance reads one account, so the users source stays stopped. Leave users::account_id unset, or use a receiver instance per account.",
		zap.String("account_id", s.accountID), zap.String("events_account", events))
	s.failures.report(healthPermanent, err)
	return true
}

// publishCounts updates what the users.count gauge reports.
func (s *usersSource) publishCounts(r roster.Roster) {
	counts := r.CountByState()
	s.counts.Store(&counts)
}

// completedAt records a complete pass for the last_complete_pass gauge.
func (s *usersSource) completedAt(t time.Time) { s.lastComplete.Store(t.UnixNano()) }

// usersSource builds the receiver's users source beside events (nil when
// every Events stream is off) and registers its gauges.
func (r *onepasswordReceiver) usersSource(rt *sourceRuntime, httpClient *http.Client, events *eventsSource) (*usersSource, error) {
	var eventsAccount func() string
	if events != nil && r.cfg.Users.AccountID != "" && r.claims.AccountUUID == "" {
		// Validation compared account_id with the token's claim; without a
		// claim only introspect can tell, later.
		eventsAccount = events.account
	}
	s, err := newUsersSource(rt, r.cfg, httpClient, r.claims.AccountUUID, r.claims.Audience, metadata.ScopeName, r.set.BuildInfo.Version, eventsAccount)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return s, s.registerGauges(rt.telemetry)
}
