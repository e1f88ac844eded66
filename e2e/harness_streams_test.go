//go:build e2e

package e2e

import "github.com/onepassword-otel/onepasswordreceiver/internal/simulator"

// The contract's EventName of each simulator stream. The test keeps its own
// copy instead of importing the receiver's: a renamed event is a breaking
// change that this suite must notice.
var eventNameOf = map[string]string{
	simulator.StreamAuditEvents:    "onepassword.audit_event",
	simulator.StreamItemUsages:     "onepassword.item_usage",
	simulator.StreamSignInAttempts: "onepassword.signin_attempt",
}

// metricStreamOf is the receiver's `stream` metric attribute of each
// simulator stream (the receiver's config keys).
var metricStreamOf = map[string]string{
	simulator.StreamAuditEvents:    "audit_events",
	simulator.StreamItemUsages:     "item_usages",
	simulator.StreamSignInAttempts: "signin_attempts",
}
