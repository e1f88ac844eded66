//go:build e2e

package e2ekit

// SinkExporter is the otlp_http exporter of the README's production
// settings, pointed at a test sink: no sending queue, so ConsumeLogs returns
// only once the sink accepted the page and the receiver's commit-after-
// consume rule holds end to end; retries with short back-offs up to
// maxInterval, for at most maxElapsed.
func SinkExporter(url, maxInterval, maxElapsed string) map[string]any {
	return map[string]any{
		"endpoint":      url,
		"encoding":      "proto",
		"compression":   "none", // saves CPU on a shared 2-core machine
		"timeout":       "30s",
		"sending_queue": map[string]any{"enabled": false},
		"retry_on_failure": map[string]any{
			"enabled":          true,
			"initial_interval": "100ms",
			"max_interval":     maxInterval,
			"max_elapsed_time": maxElapsed,
		},
	}
}
