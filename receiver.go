package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.uber.org/zap"

	"github.com/onepassword-otel/onepasswordreceiver/internal/eventsapi"
	"github.com/onepassword-otel/onepasswordreceiver/internal/metadata"
	"github.com/onepassword-otel/onepasswordreceiver/internal/ratelimit"
)

// onepasswordReceiver owns what the streams of one instance share: the HTTP
// client, the rate limiter (the API's budget is per account), storage,
// telemetry and the component status.
type onepasswordReceiver struct {
	cfg       *Config
	set       receiver.Settings
	logger    *zap.Logger
	next      consumer.Logs
	obsrecv   *receiverhelper.ObsReport
	backoff   backoffPolicy
	limiter   *ratelimit.Limiter
	claims    eventsapi.Claims
	baseURL   string
	startAt   time.Time // parsed start_time; zero = API default
	scope     string
	version   string
	telemetry *metadata.TelemetryBuilder

	// Set in Start.
	client  *eventsapi.Client
	storage storage.Client
	status  *statusReporter
	cancel  context.CancelFunc
	wg      sync.WaitGroup

	accountID atomic.Pointer[string] // for the resource; introspect wins over the token claim

	mu      sync.Mutex
	streams map[string]*stream // started streams by name

	shutdownOnce sync.Once
}

func newReceiver(set receiver.Settings, cfg *Config, next consumer.Logs) (*onepasswordReceiver, error) {
	obsrecv, err := receiverhelper.NewObsReport(receiverhelper.ObsReportSettings{
		ReceiverID:             set.ID,
		Transport:              "http",
		ReceiverCreateSettings: set,
	})
	if err != nil {
		return nil, err
	}
	baseURL, err := cfg.baseURL()
	if err != nil {
		return nil, err
	}
	// Claims are hints (the signature cannot be checked here); a token
	// that is not a JWT simply has none.
	claims, _ := eventsapi.ParseClaims(string(cfg.Token))
	r := &onepasswordReceiver{
		cfg:     cfg,
		set:     set,
		logger:  set.Logger,
		next:    next,
		obsrecv: obsrecv,
		backoff: backoffPolicy{cfg: cfg.BackOffConfig, disabledDelay: cfg.PollInterval},
		limiter: ratelimit.NewLimiter(
			ratelimit.Window{Length: time.Minute, Limit: cfg.RateLimit.RequestsPerMinute},
			ratelimit.Window{Length: time.Hour, Limit: cfg.RateLimit.RequestsPerHour},
		),
		claims:  claims,
		baseURL: baseURL,
		startAt: cfg.StartTime,
		scope:   metadata.ScopeName,
		version: set.BuildInfo.Version,
		streams: map[string]*stream{},
	}
	if claims.AccountUUID != "" {
		id := claims.AccountUUID
		r.accountID.Store(&id)
	}
	return r, nil
}

// Start builds the client, opens storage and launches the polling in the
// background. It does no network I/O: a slow or failing API never delays
// the collector's start.
func (r *onepasswordReceiver) Start(ctx context.Context, host component.Host) error {
	httpClient, err := r.cfg.ClientConfig.ToClient(ctx, host.GetExtensions(), r.set.TelemetrySettings)
	if err != nil {
		return fmt.Errorf("building the HTTP client: %w", err)
	}
	r.client = eventsapi.NewClient(httpClient, r.baseURL, string(r.cfg.Token), userAgent(r.version))
	if r.storage, err = getStorageClient(ctx, host, r.cfg.StorageID, r.set.ID); err != nil {
		return err
	}
	if r.cfg.StorageID == nil {
		r.logger.Warn("No storage extension configured: cursors are kept in memory only, so a restart begins again at start_time. Set storage: file_storage to resume where the receiver stopped.")
	}
	if r.telemetry, err = metadata.NewTelemetryBuilder(r.set.TelemetrySettings); err != nil {
		return err
	}
	if err := r.registerGauges(); err != nil {
		return err
	}
	r.status = newStatusReporter(host)
	runCtx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	r.wg.Add(2)
	go func() {
		defer r.wg.Done()
		r.bootstrap(runCtx)
	}()
	go func() {
		defer r.wg.Done()
		r.watchTokenExpiry(runCtx)
	}()
	return nil
}

// Shutdown stops every stream, saves what is pending and releases storage
// and connections, within ctx's deadline.
func (r *onepasswordReceiver) Shutdown(ctx context.Context) error {
	var err error
	r.shutdownOnce.Do(func() { err = r.shutdown(ctx) })
	return err
}

func (r *onepasswordReceiver) shutdown(ctx context.Context) error {
	if r.cancel == nil {
		return nil // never started
	}
	r.cancel()
	done := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return fmt.Errorf("onepassword receiver did not stop in time: %w", ctx.Err())
	}
	var errs []error
	r.mu.Lock()
	for _, s := range r.streams {
		errs = append(errs, s.saveRecent(ctx))
	}
	r.mu.Unlock()
	if r.storage != nil {
		errs = append(errs, r.storage.Close(ctx))
	}
	if r.telemetry != nil {
		r.telemetry.Shutdown()
	}
	r.client.CloseIdleConnections()
	return errors.Join(errs...)
}

func userAgent(version string) string {
	if version == "" {
		version = "dev"
	}
	return "onepasswordreceiver/" + version + " (OpenTelemetry Collector)"
}
