package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/apierror"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// metricAttrs are one unit's precomputed metric attributes, so that
// recording a measurement allocates nothing: set for what the unit reads
// (stream), op for what its requests do (operation), and one set per
// answer's status for the request counter.
type metricAttrs struct {
	set metric.MeasurementOption
	op  metric.MeasurementOption

	receiver, operation attribute.KeyValue
	mu                  sync.Mutex
	byStatus            map[string]metric.MeasurementOption
}

// streamAttrs carries the receiver's component ID besides the stream: the
// collector does not label a component's own metrics with it, and several
// instances (one per account) would otherwise report on top of each other.
func streamAttrs(receiver, stream string) *metricAttrs {
	a := operationAttrs(receiver, stream)
	a.set = metric.WithAttributeSet(attribute.NewSet(a.receiver, attribute.String("stream", stream)))
	return a
}

// operationAttrs are the attributes of an API call that is no stream
// (introspect, the Users API's calls).
func operationAttrs(receiver, operation string) *metricAttrs {
	rcv, op := attribute.String("receiver", receiver), attribute.String("operation", operation)
	return &metricAttrs{
		op:        metric.WithAttributeSet(attribute.NewSet(rcv, op)),
		receiver:  rcv,
		operation: op,
		byStatus:  map[string]metric.MeasurementOption{},
	}
}

// request returns the request counter's attributes for an answer. The set
// for each status is built once: HTTP codes are few.
func (a *metricAttrs) request(err error) metric.MeasurementOption { return a.withStatus(statusOf(err)) }

// withStatus is request for an answer's status attribute as such.
func (a *metricAttrs) withStatus(status string) metric.MeasurementOption {
	a.mu.Lock()
	defer a.mu.Unlock()
	opt, ok := a.byStatus[status]
	if !ok {
		opt = metric.WithAttributeSet(attribute.NewSet(a.receiver, a.operation,
			attribute.String("status_class", statusClassOf(status)), attribute.String("status", status)))
		a.byStatus[status] = opt
	}
	return opt
}

// statusOf maps a request's outcome to the status attribute: the HTTP code,
// or "error" when no answer arrived.
func statusOf(err error) string {
	if err == nil {
		return "200"
	}
	var apiErr *apierror.Error
	if errors.As(err, &apiErr) {
		return strconv.Itoa(apiErr.Status)
	}
	var decodeErr *apierror.DecodeError
	if errors.As(err, &decodeErr) {
		return "200" // the server answered 200 with a body we could not read
	}
	return "error"
}

// statusClassOf maps a status attribute to its class: 2xx, 4xx, 5xx, or error.
func statusClassOf(status string) string {
	code, err := strconv.Atoi(status)
	if err != nil {
		return "error"
	}
	return apierror.StatusClass(code)
}

// registerGauges wires the observable gauges: lag and last success of every
// unit each source reports on, and the token's remaining lifetime.
func (r *onepasswordReceiver) registerGauges() error {
	observe := func(value func(*progress) (float64, bool)) metric.Float64Callback {
		return func(_ context.Context, o metric.Float64Observer) error {
			for _, src := range r.sources {
				src.eachProgress(func(p *progress) {
					if v, ok := value(p); ok {
						o.Observe(v, p.attrs.set)
					}
				})
			}
			return nil
		}
	}
	err := r.telemetry.RegisterReceiverOnepasswordLagCallback(observe(func(p *progress) (float64, bool) {
		newest := p.newestUnixNano.Load()
		if newest == 0 {
			return 0, false
		}
		return max(0, time.Since(time.Unix(0, newest)).Seconds()), true
	}))
	if err != nil {
		return err
	}
	err = r.telemetry.RegisterReceiverOnepasswordLastSuccessCallback(observe(func(p *progress) (float64, bool) {
		last := p.lastSuccessUnixNano.Load()
		if last == 0 {
			return 0, false
		}
		return float64(last) / 1e9, true
	}))
	if err != nil {
		return err
	}
	if exp := r.claims.ExpiresAt; !exp.IsZero() {
		return r.telemetry.RegisterReceiverOnepasswordTokenExpiryCallback(func(_ context.Context, o metric.Float64Observer) error {
			o.Observe(time.Until(exp).Seconds(), metric.WithAttributeSet(attribute.NewSet(attribute.String("receiver", r.set.ID.String()))))
			return nil
		})
	}
	return nil
}
