package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/onepassword-otel/onepasswordreceiver/internal/metadata"
	"github.com/onepassword-otel/onepasswordreceiver/internal/roster"
)

// Values of the operation attribute for the Users API's requests.
const (
	usersTokenRequests = "users_token"
	usersListRequests  = "users_list"
)

// usersAttrs are the users source's precomputed metric attributes, so that
// recording a measurement allocates nothing.
type usersAttrs struct {
	receiver   attribute.KeyValue
	unit       *metricAttrs // stream=users (drops, last_success), operation=users_list (retries, waits)
	token      *metricAttrs // requests to the token endpoint
	complete   metric.MeasurementOption
	incomplete metric.MeasurementOption
	changes    map[roster.ChangeKind]metric.MeasurementOption
	onlyRcv    metric.MeasurementOption
}

func newUsersAttrs(receiver string) usersAttrs {
	rcv := attribute.String("receiver", receiver)
	outcome := func(v string) metric.MeasurementOption {
		return metric.WithAttributeSet(attribute.NewSet(rcv, attribute.String("outcome", v)))
	}
	unit := operationAttrs(receiver, usersListRequests)
	unit.set = metric.WithAttributeSet(attribute.NewSet(rcv, attribute.String("stream", usersUnit)))
	a := usersAttrs{
		receiver:   rcv,
		unit:       unit,
		token:      operationAttrs(receiver, usersTokenRequests),
		complete:   outcome("complete"),
		incomplete: outcome("incomplete"),
		changes:    map[roster.ChangeKind]metric.MeasurementOption{},
		onlyRcv:    metric.WithAttributeSet(attribute.NewSet(rcv)),
	}
	for _, k := range []roster.ChangeKind{roster.Added, roster.Removed, roster.Suspended, roster.Reactivated, roster.StateChanged, roster.Updated} {
		a.changes[k] = metric.WithAttributeSet(attribute.NewSet(rcv, attribute.String("change", string(k))))
	}
	return a
}

func (a usersAttrs) change(k roster.ChangeKind) metric.MeasurementOption {
	if opt, ok := a.changes[k]; ok {
		return opt
	}
	return metric.WithAttributeSet(attribute.NewSet(a.receiver, attribute.String("change", string(k))))
}

// requestCounter counts every Users API request by endpoint and outcome.
// The token requests are made by the oauth2 package, so the count sits on
// the transport, where both kinds pass.
type requestCounter struct {
	base      http.RoundTripper
	telemetry *metadata.TelemetryBuilder
	attrs     usersAttrs
}

// CloseIdleConnections passes the call on to the transport underneath, so
// that flush releases the pooled connections.
func (c *requestCounter) CloseIdleConnections() {
	if ci, ok := c.base.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

func (c *requestCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	base := c.base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if req.Context().Err() != nil {
		return resp, err // cut by shutdown: not an outcome of the API
	}
	attrs := c.attrs.unit // the unit's operation is users_list
	if strings.Contains(req.URL.Path, "/oauth") {
		attrs = c.attrs.token
	}
	status := "error" // no answer
	if err == nil {
		status = strconv.Itoa(resp.StatusCode)
	}
	c.telemetry.ReceiverOnepasswordRequests.Add(req.Context(), 1, attrs.withStatus(status))
	return resp, err
}

// registerGauges wires users.count and users.last_complete_pass.
func (s *usersSource) registerGauges(tb *metadata.TelemetryBuilder) error {
	err := tb.RegisterReceiverOnepasswordUsersCountCallback(func(_ context.Context, o metric.Int64Observer) error {
		counts := s.counts.Load()
		if counts == nil {
			return nil
		}
		for state, n := range *counts {
			o.Observe(int64(n), metric.WithAttributeSet(attribute.NewSet(s.attrs.receiver, attribute.String("state", state))))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tb.RegisterReceiverOnepasswordUsersLastCompletePassCallback(func(_ context.Context, o metric.Float64Observer) error {
		if t := s.lastComplete.Load(); t != 0 {
			o.Observe(float64(t)/1e9, s.attrs.onlyRcv)
		}
		return nil
	})
}
