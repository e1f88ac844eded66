package onepasswordreceiver

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/collector/component/componentstatus"
)

func TestStatusReporterReportsOnlyChanges(t *testing.T) {
	errBoom := errors.New("boom")
	type step struct {
		stream string
		h      health
	}
	tests := []struct {
		name  string
		steps []step
		want  []componentstatus.Status
	}{
		{name: "repeated OK is reported once", steps: []step{{"a", healthOK}, {"a", healthOK}, {"b", healthOK}},
			want: []componentstatus.Status{componentstatus.StatusOK}},
		{name: "recoverable and back", steps: []step{{"a", healthOK}, {"a", healthRecoverable}, {"a", healthRecoverable}, {"a", healthOK}},
			want: []componentstatus.Status{componentstatus.StatusOK, componentstatus.StatusRecoverableError, componentstatus.StatusOK}},
		{name: "the worst stream wins", steps: []step{{"a", healthRecoverable}, {"b", healthOK}, {"a", healthOK}},
			want: []componentstatus.Status{componentstatus.StatusRecoverableError, componentstatus.StatusOK}},
		{name: "permanent is final", steps: []step{{"a", healthOK}, {"a", healthPermanent}, {"a", healthOK}, {"b", healthRecoverable}},
			want: []componentstatus.Status{componentstatus.StatusOK, componentstatus.StatusPermanentError}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host := &statusHost{}
			r := newStatusReporter(host)
			for _, s := range tt.steps {
				var err error
				if s.h != healthOK {
					err = errBoom
				}
				r.set(s.stream, s.h, err)
			}
			assert.Equal(t, tt.want, host.statuses())
		})
	}
}

func TestBackoffPolicy(t *testing.T) {
	p := backoffPolicy{cfg: createDefaultConfig().(*Config).BackOffConfig}
	p.cfg.RandomizationFactor = 0
	assert.Equal(t, p.cfg.InitialInterval, p.delay(1))
	assert.Equal(t, p.cfg.MaxInterval, p.delay(50), "grows to max_interval and stays there")
	assert.Equal(t, p.cfg.MaxInterval, p.maxDelay())
	p.cfg.InitialInterval = 0
	assert.Equal(t, minRetryDelay, p.delay(1), "never sooner than 100 ms")
	p.cfg.Enabled = false
	p.disabledDelay = 7e9
	assert.Equal(t, p.disabledDelay, p.delay(3))
	p = backoffPolicy{cfg: createDefaultConfig().(*Config).BackOffConfig}
	for range 100 {
		d := p.delay(1)
		assert.GreaterOrEqual(t, d, p.cfg.InitialInterval/2)
		assert.LessOrEqual(t, d, p.cfg.InitialInterval*3/2)
	}
}
