package onepasswordreceiver

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/config/configretry"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/receiver/receiverhelper"
	"go.uber.org/zap"

	"github.com/onepassword-otel/onepasswordreceiver/internal/metadata"
)

// chunkedBatch is a batch of n chunks of one record each; it records which
// chunk was built for which attempt and whether it was committed.
type chunkedBatch struct {
	n         int
	built     [][2]int // {chunk, attempt}
	committed bool
}

func (b *chunkedBatch) chunks() int { return b.n }

func (b *chunkedBatch) chunk(i, attempt int) (plog.Logs, int, error) {
	b.built = append(b.built, [2]int{i, attempt})
	ld := plog.NewLogs()
	ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty().Body().SetInt(int64(i))
	return ld, 1, nil
}

func (b *chunkedBatch) commit(context.Context) { b.committed = true }

func TestDeliveryCommitsAfterEveryChunk(t *testing.T) {
	errFull := errors.New("downstream is full")
	tests := []struct {
		name          string
		chunks        int
		refuse        map[int64]error // by ConsumeLogs call, 1-based
		wantBuilt     [][2]int
		wantDelivered []int64 // record bodies the sink took, in order
	}{
		{name: "one chunk accepted", chunks: 1,
			wantBuilt: [][2]int{{0, 1}}, wantDelivered: []int64{0}},
		{name: "three chunks, then one commit", chunks: 3,
			wantBuilt: [][2]int{{0, 1}, {1, 1}, {2, 1}}, wantDelivered: []int64{0, 1, 2}},
		{name: "a retryable refusal rebuilds that chunk only", chunks: 3, refuse: map[int64]error{2: errFull, 3: errFull},
			wantBuilt: [][2]int{{0, 1}, {1, 1}, {1, 2}, {1, 3}, {2, 1}}, wantDelivered: []int64{0, 1, 2}},
		{name: "a permanent refusal drops the chunk and goes on", chunks: 2, refuse: map[int64]error{1: consumererror.NewPermanent(errFull)},
			wantBuilt: [][2]int{{0, 1}, {1, 1}}, wantDelivered: []int64{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := &flakyConsumer{fail: func(n int64) error { return tt.refuse[n] }}
			d := newTestDelivery(t, sink)
			b := &chunkedBatch{n: tt.chunks}
			require.NoError(t, d.deliver(context.Background(), b))
			assert.True(t, b.committed)
			assert.Equal(t, tt.wantBuilt, b.built)
			var got []int64
			for _, ld := range sink.AllLogs() {
				got = append(got, ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).Body().Int())
			}
			assert.Equal(t, tt.wantDelivered, got)
		})
	}
}

func TestDeliveryDoesNotCommitWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	sink := &flakyConsumer{fail: func(n int64) error {
		if n == 2 {
			cancel() // shutdown begins while the second chunk is refused
		}
		if n >= 2 {
			return errors.New("downstream is full")
		}
		return nil
	}}
	b := &chunkedBatch{n: 2}
	require.ErrorIs(t, newTestDelivery(t, sink).deliver(ctx, b), context.Canceled)
	assert.False(t, b.committed, "a batch whose chunks were not all accepted is not committed")
}

func newTestDelivery(t *testing.T, sink *flakyConsumer) *delivery {
	t.Helper()
	set := receiverSettings()
	obsrecv, err := receiverhelper.NewObsReport(receiverhelper.ObsReportSettings{ReceiverID: set.ID, Transport: "http", ReceiverCreateSettings: set})
	require.NoError(t, err)
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	require.NoError(t, err)
	t.Cleanup(tb.Shutdown)
	backoff := configretry.NewDefaultBackOffConfig()
	backoff.InitialInterval = minRetryDelay
	return &delivery{
		pipeline:  &downstream{next: sink, obsrecv: obsrecv},
		backoff:   backoffPolicy{cfg: backoff},
		telemetry: tb,
		attrs:     streamAttrs(component.NewID(metadata.Type).String(), "test"),
		logger:    zap.NewNop(),
	}
}
