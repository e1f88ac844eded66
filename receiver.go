package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receiverhelper"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/onepassword-otel/onepasswordreceiver/internal/eventsapi"
	"github.com/onepassword-otel/onepasswordreceiver/internal/metadata"
)

// onepasswordReceiver is the lifecycle of one instance: Start builds the
// shared runtime (pipeline, storage, status, telemetry) and starts every
// source on it; Shutdown stops them, flushes them and releases storage.
type onepasswordReceiver struct {
	cfg        *Config
	set        receiver.Settings
	downstream *downstream
	claims     eventsapi.Claims
	baseURL    string

	// Set in Start.
	storage   storage.Client
	telemetry *metadata.TelemetryBuilder
	sources   []source
	cancel    context.CancelFunc
	wg        sync.WaitGroup

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
	var baseURL string
	if cfg.eventsEnabled() {
		if baseURL, err = cfg.baseURL(); err != nil {
			return nil, err
		}
	}
	// Claims are hints (the signature cannot be checked here); a token
	// that is not a JWT simply has none.
	claims, _ := eventsapi.ParseClaims(string(cfg.Token))
	// Every condition the receiver logs is an expected one (a refused
	// token, an outage, a rejected cursor), said in words with what to do;
	// a stack trace would only bury that.
	set.Logger = set.Logger.WithOptions(zap.AddStacktrace(zapcore.FatalLevel))
	return &onepasswordReceiver{
		cfg:        cfg,
		set:        set,
		downstream: &downstream{next: next, obsrecv: obsrecv},
		claims:     claims,
		baseURL:    baseURL,
	}, nil
}

// Start builds the client, opens storage and launches the sources in the
// background. It does no network I/O: a slow or failing API never delays
// the collector's start.
func (r *onepasswordReceiver) Start(ctx context.Context, host component.Host) error {
	httpClient, err := r.cfg.ClientConfig.ToClient(ctx, host.GetExtensions(), r.set.TelemetrySettings)
	if err != nil {
		return fmt.Errorf("building the HTTP client: %w", err)
	}
	if r.cfg.Token != "" { // a users-only receiver has no Events token to share
		if other, shared := instances.claimToken(r.set.ID.String(), string(r.cfg.Token)); shared {
			warnShared(r.set.Logger, "token", r.set.ID.String(), other)
		}
	}
	version := r.set.BuildInfo.Version
	client := eventsapi.NewClient(httpClient, r.baseURL, string(r.cfg.Token), userAgent(version))
	if r.storage, err = getStorageClient(ctx, host, r.cfg.StorageID, r.set.ID); err != nil {
		return err
	}
	if err := r.startSources(ctx, host, httpClient, client, version); err != nil {
		// Release what Start took: Shutdown of a receiver that never ran
		// closes nothing, and an open storage file stays locked.
		_ = r.storage.Close(ctx)
		r.storage = nil
		if r.telemetry != nil {
			r.telemetry.Shutdown()
			r.telemetry = nil
		}
		return err
	}
	return nil
}

// startSources builds the runtime and the sources on it and launches them.
func (r *onepasswordReceiver) startSources(_ context.Context, host component.Host, httpClient *http.Client, client *eventsapi.Client, version string) error {
	var err error
	if r.cfg.StorageID == nil {
		r.set.Logger.Warn("No storage extension configured: cursors are kept in memory only, so a restart begins again at start_time. Set storage: file_storage to resume where the receiver stopped.")
	}
	if r.telemetry, err = metadata.NewTelemetryBuilder(r.set.TelemetrySettings); err != nil {
		return err
	}
	rt := &sourceRuntime{
		receiverID: r.set.ID.String(),
		logger:     r.set.Logger,
		pipeline:   r.downstream,
		status:     newStatusReporter(host),
		storage:    r.storage,
		telemetry:  r.telemetry,
	}
	r.sources = nil
	var events *eventsSource
	if r.cfg.eventsEnabled() {
		events = newEventsSource(rt, r.cfg, client, r.claims, metadata.ScopeName, version)
		r.sources = append(r.sources, events)
	}
	if r.cfg.Users.Enabled {
		users, err := r.usersSource(rt, httpClient, events)
		if err != nil {
			return err
		}
		r.sources = append(r.sources, users)
	}
	if err := r.registerGauges(); err != nil {
		return err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	for _, src := range r.sources {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			src.run(runCtx)
		}()
	}
	return nil
}

// Shutdown stops every source, saves what is pending and releases storage
// and connections, within ctx's deadline.
func (r *onepasswordReceiver) Shutdown(ctx context.Context) error {
	var err error
	r.shutdownOnce.Do(func() { err = r.shutdown(ctx) })
	return err
}

func (r *onepasswordReceiver) shutdown(ctx context.Context) error {
	instances.release(r.set.ID.String())
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
	for _, src := range r.sources {
		errs = append(errs, src.flush(ctx))
	}
	if r.storage != nil {
		errs = append(errs, r.storage.Close(ctx))
	}
	if r.telemetry != nil {
		r.telemetry.Shutdown()
	}
	return errors.Join(errs...)
}

func userAgent(version string) string {
	if version == "" {
		version = "dev"
	}
	return "onepasswordreceiver/" + version + " (OpenTelemetry Collector)"
}
