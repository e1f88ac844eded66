package convert // import "github.com/onepassword-otel/onepasswordreceiver/internal/convert"

// Kind is the Events API stream a page came from. The event name is always
// taken from the stream, never guessed from the fields of an item.
type Kind uint8

const (
	AuditEvent    Kind = iota // EventName "onepassword.audit_event"
	ItemUsage                 // "onepassword.item_usage"
	SigninAttempt             // "onepassword.signin_attempt"
)

// EventName is the LogRecord EventName of the stream's records.
func (k Kind) EventName() string {
	switch k {
	case AuditEvent:
		return "onepassword.audit_event"
	case ItemUsage:
		return "onepassword.item_usage"
	case SigninAttempt:
		return "onepassword.signin_attempt"
	}
	return "onepassword.unknown"
}

// String is the stream's name as used in configuration and in the README.
func (k Kind) String() string {
	switch k {
	case AuditEvent:
		return "audit_events"
	case ItemUsage:
		return "item_usages"
	case SigninAttempt:
		return "signin_attempts"
	}
	return "unknown"
}

// itemCtx is the decoding context of a top-level item of the stream: it
// decides which fields become attributes.
func (k Kind) itemCtx() ctx {
	switch k {
	case AuditEvent:
		return ctxAudit
	case ItemUsage:
		return ctxUsage
	case SigninAttempt:
		return ctxSignin
	}
	return ctxOther
}

// SchemaURL is the semantic-conventions schema the attribute names follow
// (semconv 1.43.0); the receiver sets it on the ResourceLogs it emits.
const SchemaURL = "https://opentelemetry.io/schemas/1.43.0"
