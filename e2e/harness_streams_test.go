//go:build e2e

package e2e

import (
	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// eventNameOf is the contract's EventName of each simulator stream.
var eventNameOf = e2ekit.EventNameOf

// metricStreamOf is the receiver's `stream` metric attribute of each
// simulator stream (the receiver's config keys).
var metricStreamOf = map[string]string{
	simulator.StreamAuditEvents:    "audit_events",
	simulator.StreamItemUsages:     "item_usages",
	simulator.StreamSignInAttempts: "signin_attempts",
}
