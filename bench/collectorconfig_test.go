//go:build e2e

package bench

import (
	"fmt"
	"strconv"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
)

// receiverConfig is one `onepassword` receiver instance. Zero fields keep
// the receiver's defaults, so each benchmark states only what it changes.
type receiverConfig struct {
	id           string // "onepassword" or "onepassword/a000"
	token        string
	endpoint     string
	startTime    time.Time
	pageSize     int
	pollInterval time.Duration
	rateLimit    *rateLimit     // nil = the API's documented 600/min, 30,000/h
	extra        map[string]any // further settings, e.g. retry_on_failure
}

type rateLimit struct{ perMinute, perHour int }

// collectorConfig is a whole collector: receivers -> nop (or an OTLP/HTTP
// sink), cursors in file_storage, the collector's own metrics on a free
// loopback port.
type collectorConfig struct {
	storageDir  string
	metricsPort int
	pprofPort   int    // 0 = no pprof extension
	sinkURL     string // "" = exporter nop; else otlp_http to this endpoint
	receivers   []receiverConfig
}

func (c collectorConfig) render() ([]byte, error) {
	extensions := map[string]any{"file_storage": map[string]any{"directory": c.storageDir}}
	extensionIDs := []string{"file_storage"}
	if c.pprofPort != 0 {
		extensions["pprof"] = map[string]any{"endpoint": fmt.Sprintf("127.0.0.1:%d", c.pprofPort)}
		extensionIDs = append(extensionIDs, "pprof")
	}
	receivers := map[string]any{}
	ids := make([]string, 0, len(c.receivers))
	for _, r := range c.receivers {
		ids = append(ids, r.id)
		receivers[r.id] = r.settings()
	}
	exporterID, exporters := "nop", map[string]any{"nop": nil}
	if c.sinkURL != "" {
		exporterID, exporters = "otlp_http", map[string]any{"otlp_http": e2ekit.SinkExporter(c.sinkURL, "2s", "300s")}
	}
	return e2ekit.RenderConfig(map[string]any{
		"extensions": extensions,
		"receivers":  receivers,
		"exporters":  exporters,
		"service": map[string]any{
			"extensions": extensionIDs,
			"pipelines": map[string]any{
				"logs": map[string]any{"receivers": ids, "exporters": []string{exporterID}},
			},
			// the same names as the default reader: otelcol_receiver_accepted_log_records
			"telemetry": e2ekit.MetricsTelemetry("", c.metricsPort, map[string]any{
				"without_scope_info":  true,
				"without_units":       true,
				"without_type_suffix": true,
			}),
		},
	})
}

func (r receiverConfig) settings() map[string]any {
	s := map[string]any{"token": r.token, "endpoint": r.endpoint, "storage": "file_storage"}
	if !r.startTime.IsZero() {
		s["start_time"] = r.startTime.UTC().Format(time.RFC3339)
	}
	if r.pageSize != 0 {
		s["page_size"] = r.pageSize
	}
	if r.pollInterval != 0 {
		s["poll_interval"] = r.pollInterval.String()
	}
	if r.rateLimit != nil {
		s["rate_limit"] = map[string]any{"requests_per_minute": r.rateLimit.perMinute, "requests_per_hour": r.rateLimit.perHour}
	}
	for k, v := range r.extra {
		s[k] = v
	}
	for k, v := range receiverSettings {
		s[k] = v
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }
