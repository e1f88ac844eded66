//go:build e2e

package e2e

import (
	"testing"

	"github.com/onepassword-otel/onepasswordreceiver/internal/convert"
	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
)

// attrAccountID is the resource attribute naming the account.
const attrAccountID = "onepassword.account.id"

// attrRecordUID carries the event's uuid on every record (the contract's
// de-duplication key).
const attrRecordUID = convert.AttrRecordUID

// The OTLP sink is shared with the benchmarks (bench/ soaks against it).
type (
	otlpSink = e2ekit.Sink
	record   = e2ekit.Record
)

// newSink starts a sink on 127.0.0.1; see e2ekit.NewSink.
func newSink(t testing.TB, keepBodies bool) *otlpSink { return e2ekit.NewSink(t, keepBodies) }
