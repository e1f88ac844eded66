//go:build e2e

// Package e2ekit is the harness that the end-to-end tests (e2e/) and the
// benchmarks (bench/) share: the -otelcol flag naming the binary under
// test, free loopback ports, a runner for the collector process (its own
// process group, killed with the test process), collector configuration
// rendering, Prometheus scrape parsing and an in-process simulator server
// on 127.0.0.1. The build tag keeps it out of the product and of
// `go test ./...`.
package e2ekit
