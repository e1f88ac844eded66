package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"
	"errors"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/apierror"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// metricAttrs are a stream's precomputed metric attributes, so that
// recording a measurement allocates nothing.
type metricAttrs struct {
	set    metric.MeasurementOption
	status map[string]metric.MeasurementOption
}

var statusClasses = []string{"2xx", "3xx", "4xx", "5xx", "error"}

// streamAttrs carries the receiver's component ID besides the stream: the
// collector does not label a component's own metrics with it, and several
// instances (one per account) would otherwise report on top of each other.
func streamAttrs(receiver, stream string) metricAttrs {
	rcv, str := attribute.String("receiver", receiver), attribute.String("stream", stream)
	a := metricAttrs{
		set:    metric.WithAttributeSet(attribute.NewSet(rcv, str)),
		status: make(map[string]metric.MeasurementOption, len(statusClasses)),
	}
	for _, c := range statusClasses {
		a.status[c] = metric.WithAttributeSet(attribute.NewSet(rcv, str, attribute.String("status_class", c)))
	}
	return a
}

func (a metricAttrs) withStatus(class string) metric.MeasurementOption { return a.status[class] }

// statusClassOf maps a request's outcome to the status_class attribute.
func statusClassOf(err error) string {
	if err == nil {
		return "2xx"
	}
	var apiErr *apierror.Error
	if errors.As(err, &apiErr) {
		return apierror.StatusClass(apiErr.Status)
	}
	var decodeErr *apierror.DecodeError
	if errors.As(err, &decodeErr) {
		return "2xx" // the server answered 200 with a body we could not read
	}
	return "error"
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
