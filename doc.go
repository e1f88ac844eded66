// Package onepasswordreceiver polls the 1Password Events API (audit events,
// item usages and sign-in attempts) and turns every event into an
// OpenTelemetry log record, keeping its place in a storage extension so that
// nothing is lost across restarts.
//
//go:generate make generate
package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"
