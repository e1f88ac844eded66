//go:build e2e

package bench

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
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
	rateLimit    *rateLimit // nil = the API's documented 600/min, 30,000/h
}

type rateLimit struct{ perMinute, perHour int }

// collectorConfig is a whole collector: receivers -> nop, cursors in
// file_storage, the collector's own metrics on a free loopback port (the
// default :8888 would clash with other collectors on a shared machine).
type collectorConfig struct {
	storageDir  string
	metricsPort int
	pprofPort   int // 0 = no pprof extension
	receivers   []receiverConfig
}

func (c collectorConfig) yaml() string {
	var y strings.Builder
	w := func(indent int, format string, args ...any) {
		y.WriteString(strings.Repeat("  ", indent))
		fmt.Fprintf(&y, format, args...)
		y.WriteByte('\n')
	}
	extensions := []string{"file_storage"}
	w(0, "extensions:")
	w(1, "file_storage:")
	w(2, "directory: %s", strconv.Quote(c.storageDir))
	if c.pprofPort != 0 {
		w(1, "pprof:")
		w(2, "endpoint: 127.0.0.1:%d", c.pprofPort)
		extensions = append(extensions, "pprof")
	}
	w(0, "receivers:")
	ids := make([]string, 0, len(c.receivers))
	for _, r := range c.receivers {
		ids = append(ids, r.id)
		w(1, "%s:", r.id)
		w(2, "token: %s", strconv.Quote(r.token))
		w(2, "endpoint: %s", strconv.Quote(r.endpoint))
		w(2, "storage: file_storage")
		if !r.startTime.IsZero() {
			w(2, "start_time: %s", r.startTime.UTC().Format(time.RFC3339))
		}
		if r.pageSize != 0 {
			w(2, "page_size: %d", r.pageSize)
		}
		if r.pollInterval != 0 {
			w(2, "poll_interval: %s", r.pollInterval)
		}
		if r.rateLimit != nil {
			w(2, "rate_limit: {requests_per_minute: %d, requests_per_hour: %d}", r.rateLimit.perMinute, r.rateLimit.perHour)
		}
		for _, line := range receiverYAML {
			w(2, "%s", line)
		}
	}
	w(0, "exporters:")
	w(1, "nop:")
	w(0, "service:")
	w(1, "extensions: [%s]", strings.Join(extensions, ", "))
	w(1, "pipelines:")
	w(2, "logs:")
	w(3, "receivers: [%s]", strings.Join(ids, ", "))
	w(3, "exporters: [nop]")
	w(1, "telemetry:")
	w(2, "metrics:")
	w(3, "readers:")
	w(4, "- pull:")
	w(6, "exporter:")
	w(7, "prometheus:")
	w(8, "host: 127.0.0.1")
	w(8, "port: %d", c.metricsPort)
	// the same names as the default reader: otelcol_receiver_accepted_log_records
	w(8, "without_scope_info: true")
	w(8, "without_units: true")
	w(8, "without_type_suffix: true")
	return y.String()
}

// freePort asks the kernel for a free loopback port. Another process may
// take it before the collector binds it; the collector then fails to start
// and the benchmark says so.
func freePort(b *testing.B) int {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func itoa(n int) string { return strconv.Itoa(n) }
