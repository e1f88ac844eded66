// Package onepasswordreceiver polls the 1Password Events API (audit events,
// item usages and sign-in attempts) and turns every event into an
// OpenTelemetry log record, keeping its place in a storage extension so that
// nothing is lost across restarts. Its second source reads the Users API:
// the account's roster, and every change to it as a log record.
//
// # How it works
//
// A receiver instance is a runtime shared by its sources. The runtime hands
// batches to the pipeline and commits them once accepted (delivery.go),
// keeps the books of failure streaks and the component status per unit
// (failure.go, status.go), and gives each source a storage namespace of its
// own (storage.go) and the recent-uuid ring (recent.go). A source (the
// source interface in source.go) has a name, a run loop, a flush for
// shutdown and the progress its gauges read.
//
// The Events API source (events_*.go) runs one state machine per stream
// (events_stream.go). One page travels: the fetcher waits for the rate
// limiter and POSTs the cursor (events_fetch.go), internal/convert decodes
// the answer into one plog.Logs, the delivery calls ConsumeLogs (retrying a
// retryable refusal with a fresh decode, dropping a permanent one), and only
// then the cursor store writes the next cursor (events_cursor.go).
//
// The Users API source (users_*.go) makes a pass over the paged listing
// every poll_interval (users_pass.go), compares a complete pass with the
// stored roster (internal/roster), and hands its change and inventory
// records to the delivery as one batch of page_size chunks, built one at a
// time (users_batch.go); the batch's commit writes the roster, its pass
// number and the time of the last inventory under users/roster.
//
//go:generate make generate
package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"
