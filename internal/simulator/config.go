package simulator

import (
	"time"
)

// Stream names, as they appear in the endpoint paths and as token features.
const (
	StreamAuditEvents    = "auditevents"
	StreamItemUsages     = "itemusages"
	StreamSignInAttempts = "signinattempts"
)

// Streams lists every stream in the order the simulator reports them.
var Streams = []string{StreamAuditEvents, StreamItemUsages, StreamSignInAttempts}

// Defaults that mirror the real API (events-api.md §3.2, §6.3, §7.1).
const (
	DefaultAudience          = "events.1password.com"
	DefaultRetention         = 120 * 24 * time.Hour
	DefaultRequestsPerMinute = 600
	DefaultRequestsPerHour   = 30000
	DefaultLimit             = 100
	MaxLimit                 = 1000
	defaultStartWindow       = time.Hour
	defaultRequestLogSize    = 100000
)

// ErrorShape selects which of the two documented error bodies is sent.
type ErrorShape int

const (
	// ErrorShapeObserved is what the live API sends: {"Error":{"Message":"..."}}.
	ErrorShapeObserved ErrorShape = iota
	// ErrorShapeDocumented is the 1.4.1 reference's {"status":400,"message":"..."}.
	ErrorShapeDocumented
)

// Config configures a Server. The zero value is usable: one account with one
// all-features token, real time, default rate limits and retention.
type Config struct {
	// Accounts to serve. Empty means one account with derived UUID and token.
	Accounts []AccountConfig
	// Now is the clock for event times, token expiry, start_time defaults,
	// retention and the rate-limit windows. Default time.Now. Delays of the
	// slow-answer fault always use real time.
	Now func() time.Time
	// Audience is the host put in the aud claim of the tokens the simulator
	// mints itself. Default DefaultAudience.
	Audience string
	// Retention bounds how far back a reset may start. Default 120 days.
	Retention time.Duration
	// RateLimit is the per-account sliding window. nil means the API's
	// documented 600/min and 30,000/h; a zero field disables that window.
	RateLimit *RateLimitConfig
	// ErrorShape selects the error body shape (default: the observed one).
	ErrorShape ErrorShape
	// MissingFeatureStatus is the status for a valid token that lacks the
	// endpoint's feature: 401 (default, as documented) or 403.
	MissingFeatureStatus int
	// Seed makes account UUIDs, populations and events reproducible.
	Seed uint64
	// CursorKey is the HMAC key that authenticates cursors. Default: random
	// per Server, so a restarted simulator rejects the cursors of the
	// previous one (its event log is different) with 400.
	CursorKey []byte
	// Continuous, when EventsPerSecond > 0, appends new events to every
	// stream of every account in the background until Close.
	Continuous ContinuousConfig
	// RequestLogSize bounds the in-memory request log (default 100,000).
	RequestLogSize int
	// AllowRemoteAdmin lets non-loopback clients use the /_sim/ admin API,
	// which needs no token (for a simulator deliberately exposed, e.g. in a
	// container).
	AllowRemoteAdmin bool
}

// AccountConfig describes one 1Password account.
type AccountConfig struct {
	// UUID is the account UUID (26-char upper-case base32). Default: derived
	// from Config.Seed and the account's index.
	UUID string
	// Tokens accepted for this account, matched exactly. When empty, one
	// token is minted (see Server.Tokens) with TokenFeatures and
	// TokenExpiresAt.
	Tokens []string
	// TokenFeatures of the minted token; default all three.
	TokenFeatures []string
	// TokenExpiresAt of the minted token; zero means no exp claim.
	TokenExpiresAt time.Time
}

// RateLimitConfig is a per-account sliding-window request limit. Zero
// disables a window.
type RateLimitConfig struct {
	RequestsPerMinute int `json:"requests_per_minute"`
	RequestsPerHour   int `json:"requests_per_hour"`
}

// ContinuousConfig drives the background generator used by the demo.
type ContinuousConfig struct {
	// EventsPerSecond per stream per account; 0 disables the generator.
	EventsPerSecond float64
	// LateFraction (0..1) of new events get a timestamp in the past.
	LateFraction float64
	// LateMaxAge is how old a late event may be (default 30 minutes; the
	// minimum age is a minute, so late events land behind served ones).
	LateMaxAge time.Duration
	// Interval between generator ticks (default 1s).
	Interval time.Duration
}

func (c *Config) withDefaults() Config {
	out := *c
	if out.Now == nil {
		out.Now = time.Now
	}
	if out.Audience == "" {
		out.Audience = DefaultAudience
	}
	if out.Retention <= 0 {
		out.Retention = DefaultRetention
	}
	if out.RateLimit == nil {
		out.RateLimit = &RateLimitConfig{
			RequestsPerMinute: DefaultRequestsPerMinute,
			RequestsPerHour:   DefaultRequestsPerHour,
		}
	} else {
		rl := *out.RateLimit
		out.RateLimit = &rl
	}
	if out.MissingFeatureStatus == 0 {
		out.MissingFeatureStatus = 401
	}
	if out.RequestLogSize <= 0 {
		out.RequestLogSize = defaultRequestLogSize
	}
	if out.Continuous.LateMaxAge <= 0 {
		out.Continuous.LateMaxAge = 30 * time.Minute
	}
	if out.Continuous.Interval <= 0 {
		out.Continuous.Interval = time.Second
	}
	if len(out.Accounts) == 0 {
		out.Accounts = []AccountConfig{{}}
	}
	return out
}
