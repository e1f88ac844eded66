package onepasswordreceiver

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"

	"github.com/onepassword-otel/onepasswordreceiver/internal/metadata"
	"github.com/onepassword-otel/onepasswordreceiver/internal/metadatatest"
)

func TestTelemetryAfterADrainWithA429(t *testing.T) {
	var calls atomic.Int64
	api := newFakeAPI(t, nil)
	api.answer = func(req apiRequest) apiReply {
		if calls.Add(1) == 2 {
			return apiReply{Status: 429, Header: map[string]string{"Retry-After": "0.05"}}
		}
		return byCursor(map[string]string{
			"":   pageJSON("c1", true, "E1", "E2"),
			"c1": pageJSON("c2", false, "E3"),
		})(req)
	}
	expires := time.Now().Add(10 * 24 * time.Hour).Truncate(time.Second)
	cfg := only(testConfig(api.srv.URL), "audit_events")
	cfg.Token = configToken(testJWT(`{"aud":["events.1password.com"],"exp":` + itoa(expires.Unix()) + `}`))
	api.acceptToken(string(cfg.Token))

	tel := componenttest.NewTelemetry()
	t.Cleanup(func() { require.NoError(t, tel.Shutdown(context.Background())) })
	set := metadatatest.NewSettings(tel)
	set.ID = component.NewID(metadata.Type)
	sink := &consumertest.LogsSink{}
	r, err := newReceiver(set, cfg, sink)
	require.NoError(t, err)
	require.NoError(t, r.Start(context.Background(), &statusHost{}))
	t.Cleanup(func() { require.NoError(t, r.Shutdown(context.Background())) })
	waitFor(t, "drain", func() bool { return sink.LogRecordCount() == 3 })
	// Wait for the receiver's own counter, not for the fake server's count:
	// the server sees a request before the receiver has counted its answer.
	waitFor(t, "introspect, reset, c1 and an idle poll counted", func() bool {
		return requestsByClass(t, tel)["2xx"] >= 4
	})

	stream := attribute.NewSet(attribute.String("receiver", "onepassword"), attribute.String("stream", "audit_events"))
	ignore := []metricdatatest.Option{metricdatatest.IgnoreTimestamp()}
	metadatatest.AssertEqualReceiverOnepasswordEvents(t, tel, []metricdata.DataPoint[int64]{{Attributes: stream, Value: 3}}, ignore...)
	operation := attribute.NewSet(attribute.String("receiver", "onepassword"), attribute.String("operation", "audit_events"))
	metadatatest.AssertEqualReceiverOnepasswordRateLimitWaits(t, tel, []metricdata.DataPoint[int64]{{Attributes: operation, Value: 1}}, ignore...)

	// One reading of the counter for every view of it: idle polls go on.
	requests := requestPoints(t, tel)
	byClass := sumBy(requests, "status_class")
	assert.Equal(t, int64(1), byClass["4xx"], "the 429")
	byStatus := sumBy(requests, "status")
	assert.Equal(t, int64(1), byStatus["429"], "the status attribute tells the 429 apart from a 401")
	assert.Zero(t, byStatus["401"])
	assert.Equal(t, byClass["2xx"], byStatus["200"])
	byOperation := sumBy(requests, "operation")
	assert.Equal(t, int64(1), byOperation["introspect"], "introspect is an operation, not a stream")
	assert.Equal(t, byClass["2xx"]+byClass["4xx"]-1, byOperation["audit_events"])
	assert.GreaterOrEqual(t, byClass["2xx"], int64(4), "introspect, reset, c1, idle polls")

	lag, err := tel.GetMetric("otelcol_receiver.onepassword.lag")
	require.NoError(t, err)
	dps := lag.Data.(metricdata.Gauge[float64]).DataPoints
	require.Len(t, dps, 1)
	// The newest fake event is from 2026-11-20 10:03.
	assert.InDelta(t, time.Since(time.Date(2026, 11, 20, 10, 3, 0, 0, time.UTC)).Seconds(), dps[0].Value, 60)

	expiry, err := tel.GetMetric("otelcol_receiver.onepassword.token.expiry")
	require.NoError(t, err)
	left := expiry.Data.(metricdata.Gauge[float64]).DataPoints[0].Value
	assert.InDelta(t, time.Until(expires).Seconds(), left, 60)

	last, err := tel.GetMetric("otelcol_receiver.onepassword.last_success")
	require.NoError(t, err)
	assert.InDelta(t, float64(time.Now().Unix()), last.Data.(metricdata.Gauge[float64]).DataPoints[0].Value, 60)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// requestsByClass sums the receiver's request counter by status class; an
// empty map until the first request was counted.
func requestsByClass(t *testing.T, tel *componenttest.Telemetry) map[string]int64 {
	t.Helper()
	return sumBy(requestPoints(t, tel), "status_class")
}

// requestPoints reads the receiver's request counter once; none until the
// first request was counted.
func requestPoints(t *testing.T, tel *componenttest.Telemetry) []metricdata.DataPoint[int64] {
	t.Helper()
	requests, err := tel.GetMetric("otelcol_receiver.onepassword.requests")
	if err != nil {
		return nil
	}
	return requests.Data.(metricdata.Sum[int64]).DataPoints
}

// sumBy sums data points by the value of one attribute.
func sumBy(dps []metricdata.DataPoint[int64], key attribute.Key) map[string]int64 {
	out := map[string]int64{}
	for _, dp := range dps {
		v, _ := dp.Attributes.Value(key)
		out[v.AsString()] += dp.Value
	}
	return out
}
