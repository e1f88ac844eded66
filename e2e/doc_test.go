//go:build e2e

// Package e2e drives the ocb-built otelcol-onepassword binary as a separate
// process against the bundled Events API simulator (in this test process) and
// an OTLP/HTTP logs receiver (also in this test process), so that what is
// asserted is what a user of the distribution gets: the real file_storage
// extension, the real otlp_http exporter, signals, restarts and crashes.
//
// Run with:
//
//	go test -tags=e2e -race -count=1 -timeout=40m ./e2e/... -args -otelcol=_build/otelcol-onepassword
//
// The harness shared with bench/ is internal/e2ekit; what only these tests
// need is in the harness_*_test.go files, the tests in the others.
package e2e
