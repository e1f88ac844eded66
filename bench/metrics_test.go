//go:build e2e

package bench

import "github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"

// scrapeSum returns the sum over all series of a metric on the collector's
// Prometheus endpoint, e.g. otelcol_receiver_accepted_log_records: the
// benchmarks use it to check that the pipeline really took every event the
// simulator served.
func scrapeSum(metricsURL, name string) (float64, error) {
	text, err := e2ekit.Scrape(metricsURL)
	if err != nil {
		return 0, err
	}
	return e2ekit.Sum(e2ekit.Metric(e2ekit.ParseProm(text), name, nil)), nil
}
