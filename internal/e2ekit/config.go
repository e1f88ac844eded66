//go:build e2e

package e2ekit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// RenderConfig renders a collector configuration. JSON is valid YAML, and
// encoding/json quotes every value correctly, so no template can produce a
// broken file.
func RenderConfig(cfg map[string]any) ([]byte, error) {
	return json.MarshalIndent(cfg, "", "  ")
}

// WriteConfig writes body as collector.yaml into dir and returns its path.
func WriteConfig(t testing.TB, dir string, body []byte) string {
	t.Helper()
	p := filepath.Join(dir, "collector.yaml")
	if err := os.WriteFile(p, body, 0o600); err != nil {
		t.Fatalf("writing the collector config: %v", err)
	}
	return p
}

// MetricsTelemetry is the service::telemetry section that serves the
// collector's own metrics for Scrape on 127.0.0.1:port: always an own port,
// since the default 8888 would collide with other collectors on the
// machine. exporter holds extra settings of the Prometheus exporter.
func MetricsTelemetry(level string, port int, exporter map[string]any) map[string]any {
	prom := map[string]any{"host": "127.0.0.1", "port": port}
	for k, v := range exporter {
		prom[k] = v
	}
	metrics := map[string]any{
		"readers": []any{map[string]any{
			"pull": map[string]any{"exporter": map[string]any{"prometheus": prom}},
		}},
	}
	if level != "" {
		metrics["level"] = level
	}
	return map[string]any{"metrics": metrics}
}
