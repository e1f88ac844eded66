package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"sync"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
)

// health is one stream's view of its own state.
type health int

const (
	healthOK health = iota
	healthRecoverable
	healthPermanent
)

// statusReporter aggregates the streams' health into the component status
// and reports only changes: the collector emits an event for every report,
// and a poller that reported OK after every page would flood the watchers.
// A permanent error is final until the process restarts (the collector's
// rules), so nothing is reported after it.
type statusReporter struct {
	mu        sync.Mutex
	host      component.Host
	streams   map[string]health
	errs      map[string]error
	reported  health
	hasReport bool
}

func newStatusReporter(host component.Host) *statusReporter {
	return &statusReporter{host: host, streams: map[string]health{}, errs: map[string]error{}}
}

func (r *statusReporter) set(stream string, h health, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.streams[stream], r.errs[stream] = h, err
	if r.hasReport && r.reported == healthPermanent {
		return
	}
	worst, worstErr := healthOK, error(nil)
	for name, sh := range r.streams {
		if sh > worst {
			worst, worstErr = sh, r.errs[name]
		}
	}
	if r.hasReport && worst == r.reported {
		return
	}
	r.reported, r.hasReport = worst, true
	var ev *componentstatus.Event
	switch worst {
	case healthOK:
		ev = componentstatus.NewEvent(componentstatus.StatusOK)
	case healthRecoverable:
		ev = componentstatus.NewRecoverableErrorEvent(worstErr)
	default:
		ev = componentstatus.NewPermanentErrorEvent(worstErr)
	}
	componentstatus.ReportStatus(r.host, ev)
}
