package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"

	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/onepassword-otel/onepasswordreceiver/internal/metadata"
	"github.com/onepassword-otel/onepasswordreceiver/internal/ratelimit"
)

// downstream is the next consumer and the obsreport around every hand-off,
// shared by all sources of an instance.
type downstream struct {
	next    consumer.Logs
	obsrecv *receiverhelper.ObsReport
}

// batch is what a source hands over in one delivery: chunks that
// ConsumeLogs takes one after the other, and the commit that follows once
// every chunk was accepted or refused for good. An Events page is a batch of
// one chunk whose commit writes the cursor; a pass of a roster can be many
// chunks whose commit writes the whole roster.
type batch interface {
	chunks() int
	// chunk returns chunk i, ready for ConsumeLogs, and how many records it
	// holds, for the given attempt (1 first). A later attempt must return a
	// fresh copy: the pipeline may have kept or changed the first one.
	chunk(i, attempt int) (plog.Logs, int, error)
	// commit records that the batch was delivered. It runs even while
	// shutdown has begun, since the records are already downstream.
	commit(ctx context.Context)
}

// delivery hands one unit's batches to the pipeline: a retryable refusal is
// retried with back-off until accepted, a permanent one drops the chunk
// (counted and logged), and only then is the batch committed. At least
// once: nothing is committed that the pipeline has not taken.
type delivery struct {
	pipeline  *downstream
	backoff   backoffPolicy
	telemetry *metadata.TelemetryBuilder
	attrs     *metricAttrs
	logger    *zap.Logger
}

// deliver delivers every chunk of b in order, then commits b. It returns
// only ctx's error, or a chunk's when it cannot be built; b is then not
// committed.
func (d *delivery) deliver(ctx context.Context, b batch) error {
	for i := range b.chunks() {
		if err := d.deliverChunk(ctx, b, i); err != nil {
			return err
		}
	}
	b.commit(ctx)
	return nil
}

func (d *delivery) deliverChunk(ctx context.Context, b batch, i int) error {
	for attempt := 1; ; attempt++ {
		logs, n, err := b.chunk(i, attempt)
		if err != nil {
			return err
		}
		if n > 0 {
			obsCtx := d.pipeline.obsrecv.StartLogsOp(ctx)
			err = d.pipeline.next.ConsumeLogs(obsCtx, logs)
			d.pipeline.obsrecv.EndLogsOp(obsCtx, "json", n, err)
		}
		if err == nil {
			return nil
		}
		if consumererror.IsPermanent(err) {
			d.telemetry.ReceiverOnepasswordDroppedEvents.Add(ctx, int64(n), d.attrs.set)
			d.logger.Error("The pipeline refused a page for good; its events are dropped and the stream moves on",
				zap.Int("events", n), zap.Error(err))
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		d.telemetry.ReceiverOnepasswordRetries.Add(ctx, 1, d.attrs.op)
		level := zapcore.DebugLevel
		if attempt == 1 {
			level = zapcore.WarnLevel
		}
		d.logger.Log(level, "The pipeline refused a page; it will be delivered again", zap.Int("attempt", attempt), zap.Error(err))
		if ratelimit.Sleep(ctx, d.backoff.delay(attempt)) != nil {
			return ctx.Err()
		}
	}
}
