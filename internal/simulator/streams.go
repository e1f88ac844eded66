package simulator

import "sync/atomic"

// streamDef is one Events API stream the simulator serves.
type streamDef struct {
	name string // endpoint path and token feature, e.g. auditevents
	// code is the stream's stable number: cursors carry it and event seeds
	// mix it in, so it must never change for a stream, or the same seed
	// would generate other events and old cursors would mean another stream.
	code int
	// precision weighs the timestamp's fraction digits (9, 3, 0): audit
	// events carry nanoseconds, item usages mostly milliseconds, sign-ins
	// mostly seconds (events-api.md §7.6 and the fixtures).
	precision weighted
}

// Stream codes, also the event kind the generator and renderer switch on.
const (
	streamAudit = iota
	streamItem
	streamSignIn
)

// streamDefs holds every stream by name. Other endpoints (another API's)
// are not streams: they are mounted beside them with Server.Mount.
var streamDefs = map[string]*streamDef{
	StreamAuditEvents:    {name: StreamAuditEvents, code: streamAudit, precision: newWeighted(850, 100, 50)},
	StreamItemUsages:     {name: StreamItemUsages, code: streamItem, precision: newWeighted(300, 600, 100)},
	StreamSignInAttempts: {name: StreamSignInAttempts, code: streamSignIn, precision: newWeighted(200, 300, 500)},
}

// knownStream reports whether a cursor's stream code names a stream.
func knownStream(code int) bool { return streamName(code) != "" }

// streamName is the name of the stream with code, "" when there is none.
func streamName(code int) string {
	for name, d := range streamDefs {
		if d.code == code {
			return name
		}
	}
	return ""
}

// eventStream is one stream of one account: its events and how many of
// them complete 200 pages delivered.
type eventStream struct {
	def    *streamDef
	log    eventLog
	served atomic.Int64
}

// newEventStreams gives an account every stream, keyed by name.
func newEventStreams() map[string]*eventStream {
	m := make(map[string]*eventStream, len(streamDefs))
	for name, def := range streamDefs {
		m[name] = &eventStream{def: def}
	}
	return m
}
