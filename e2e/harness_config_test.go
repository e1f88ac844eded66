//go:build e2e

package e2e

import (
	"fmt"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
)

// tokenEnv carries the token into the collector the way production configs
// do (${env:...}), so the token never sits in the config file.
const tokenEnv = "OP_EVENTS_API_TOKEN"

// collectorConfig describes one collector: the receiver under test, reading
// the simulator, exporting with otlp_http to the sink.
type collectorConfig struct {
	SimURL  string
	SinkURL string
	// Receiver settings merged over the defaults below (nil deletes a key).
	Receiver map[string]any
	// Exporter settings merged over the otlp_http defaults below.
	Exporter map[string]any
}

// yaml renders the configuration.
func (c collectorConfig) yaml(storageDir string, healthPort, metricsPort int) ([]byte, error) {
	receiver := map[string]any{
		"token":         "${env:" + tokenEnv + "}",
		"endpoint":      c.SimURL,
		"poll_interval": "1s",
		"storage":       "file_storage",
		// Short back-offs keep fault tests quick; the contract's rules
		// (Retry-After obeyed, no retry sooner than 100 ms) still apply.
		"retry_on_failure": map[string]any{
			"enabled":          true,
			"initial_interval": "200ms",
			"max_interval":     "2s",
		},
	}
	for k, v := range c.Receiver {
		if v == nil {
			delete(receiver, k)
			continue
		}
		receiver[k] = v
	}
	exporter := e2ekit.SinkExporter(c.SinkURL, "1s", "120s")
	for k, v := range c.Exporter {
		exporter[k] = v
	}
	cfg := map[string]any{
		"extensions": map[string]any{
			"file_storage": map[string]any{"directory": storageDir},
			"healthcheckv2": map[string]any{
				"use_v2":           true,
				"component_health": map[string]any{"include_permanent_errors": true},
				"http": map[string]any{
					"endpoint": fmt.Sprintf("127.0.0.1:%d", healthPort),
					"status":   map[string]any{"enabled": true, "path": "/status"},
				},
			},
		},
		"receivers": map[string]any{"onepassword": receiver},
		"exporters": map[string]any{"otlp_http": exporter},
		"service": map[string]any{
			"extensions": []string{"file_storage", "healthcheckv2"},
			"pipelines": map[string]any{
				"logs": map[string]any{
					"receivers": []string{"onepassword"},
					"exporters": []string{"otlp_http"},
				},
			},
			"telemetry": e2ekit.MetricsTelemetry("detailed", metricsPort, nil),
		},
	}
	return e2ekit.RenderConfig(cfg)
}
