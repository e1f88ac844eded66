//go:build e2e

package e2ekit

import "github.com/onepassword-otel/onepasswordreceiver/internal/simulator"

// EventNameOf is the contract's EventName of each simulator stream. The
// harness keeps its own copy instead of importing the receiver's: a renamed
// event is a breaking change that the tests must notice.
var EventNameOf = map[string]string{
	simulator.StreamAuditEvents:    "onepassword.audit_event",
	simulator.StreamItemUsages:     "onepassword.item_usage",
	simulator.StreamSignInAttempts: "onepassword.signin_attempt",
}
