package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.uber.org/zap"

	"github.com/onepassword-otel/onepasswordreceiver/internal/metadata"
)

// source is one API the receiver reads, on the shared runtime. The receiver
// runs every source in a goroutine of its own, cancels them together on
// shutdown and flushes each once its run has returned. Sources never share
// state: each has its own failure trackers, status keys and storage
// namespace, so one API failing never stops or marks another.
type source interface {
	// name identifies the source, e.g. "events".
	name() string
	// run reads until ctx is cancelled and returns only when every
	// goroutine it started has ended.
	run(ctx context.Context)
	// flush saves, after run returned, what the source keeps in memory
	// between commits, and releases its connections.
	flush(ctx context.Context) error
	// eachProgress calls f for every unit of the source that the lag and
	// last_success gauges report on (an Events stream, for example).
	eachProgress(f func(*progress))
}

// sourceRuntime is what every source of one receiver instance shares: the
// hand-off to the pipeline, the component status, storage and telemetry.
type sourceRuntime struct {
	receiverID string // the component ID, a label of every metric
	logger     *zap.Logger
	pipeline   *downstream
	status     *statusReporter
	storage    storage.Client
	telemetry  *metadata.TelemetryBuilder
}

// progress is what the gauges read of one unit: written by the unit's loop,
// read by the metric reader, hence atomics.
type progress struct {
	attrs               *metricAttrs
	newestUnixNano      atomic.Int64 // newest delivered event; 0 = none yet
	lastSuccessUnixNano atomic.Int64 // last accepted batch; 0 = none yet
}

func (p *progress) setNewest(t time.Time) { p.newestUnixNano.Store(t.UnixNano()) }
func (p *progress) succeeded()            { p.lastSuccessUnixNano.Store(time.Now().UnixNano()) }
