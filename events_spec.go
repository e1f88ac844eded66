package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/convert"
)

// streamSpec describes one Events API stream.
type streamSpec struct {
	name    string // config key and metric attribute, e.g. audit_events
	path    string // endpoint name, e.g. auditevents
	feature string // token feature that grants it
	kind    convert.Kind
	enabled func(*Config) bool
}

var allStreams = []streamSpec{
	{name: "audit_events", path: "auditevents", feature: "auditevents", kind: convert.AuditEvent,
		enabled: func(c *Config) bool { return c.AuditEvents.Enabled }},
	{name: "item_usages", path: "itemusages", feature: "itemusages", kind: convert.ItemUsage,
		enabled: func(c *Config) bool { return c.ItemUsages.Enabled }},
	{name: "signin_attempts", path: "signinattempts", feature: "signinattempts", kind: convert.SigninAttempt,
		enabled: func(c *Config) bool { return c.SigninAttempts.Enabled }},
}

// retention is how far back the API serves events.
const retention = 120 * 24 * time.Hour
