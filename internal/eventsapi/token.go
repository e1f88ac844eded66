package eventsapi // import "github.com/onepassword-otel/onepasswordreceiver/internal/eventsapi"

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// legacyAudience is the aud value of old tokens that names no events host.
const legacyAudience = "com.1password.streamingservice"

// Claims are the parts of an Events API token (a JWT signed by 1Password)
// that the receiver reads. The signature cannot be checked by clients (no
// public key is published), so these claims are hints: the server decides.
type Claims struct {
	// Audience is the events host, e.g. "events.1password.com"; empty for
	// legacy tokens.
	Audience string
	// AccountUUID is the account that issued the token.
	AccountUUID string
	// Features lists the streams the token may read: auditevents,
	// itemusages, signinattempts. Nil when the claim is absent.
	Features []string
	// ExpiresAt is zero when the token never expires.
	ExpiresAt time.Time
}

type rawClaims struct {
	Aud      json.RawMessage `json:"aud"`
	Exp      json.Number     `json:"exp"`
	Account  string          `json:"1password.com/auuid"`
	Features []string        `json:"1password.com/fts"`
}

// ParseClaims reads the claims of a JWT without verifying it. Errors never
// contain the token.
func ParseClaims(token string) (Claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Claims{}, errors.New("token is not a JWT (expected three dot-separated parts)")
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return Claims{}, errors.New("token payload is not base64url")
	}
	var raw rawClaims
	dec := json.NewDecoder(strings.NewReader(string(payload)))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return Claims{}, errors.New("token payload is not a JSON object")
	}
	c := Claims{AccountUUID: raw.Account, Features: raw.Features}
	c.Audience = firstAudience(raw.Aud)
	if c.Audience == legacyAudience {
		c.Audience = ""
	}
	if raw.Exp != "" {
		if f, err := raw.Exp.Float64(); err == nil && f > 0 {
			c.ExpiresAt = time.Unix(int64(f), 0).UTC()
		}
	}
	return c, nil
}

// firstAudience accepts aud as a string or an array of strings (RFC 7519
// allows both); 1Password sends an array.
func firstAudience(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		if len(list) > 0 {
			return list[0]
		}
		return ""
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return one
	}
	return ""
}

// HasFeature reports whether the claims grant feature. Claims without a
// feature list grant nothing here; callers treat that as unknown.
func (c Claims) HasFeature(feature string) bool {
	for _, f := range c.Features {
		if f == feature {
			return true
		}
	}
	return false
}
