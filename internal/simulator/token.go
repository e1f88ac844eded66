package simulator

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// Token claim names used by 1Password's JWT-SA tokens (events-api.md §2.2).
const (
	claimAccountUUID = "1password.com/auuid"
	claimFeatures    = "1password.com/fts"
	tokenIssuer      = "com.1password.b5"
)

// TokenClaims are the claims the simulator puts into (and reads back from)
// an Events API token.
type TokenClaims struct {
	// Audience is the events host, e.g. "events.1password.com".
	Audience string
	// AccountUUID is the issuing account (claim 1password.com/auuid).
	AccountUUID string
	// Features are any of auditevents, itemusages, signinattempts.
	Features []string
	// IssuedAt is the iat claim (seconds precision on the wire).
	IssuedAt time.Time
	// ExpiresAt is the exp claim; zero means the token never expires.
	ExpiresAt time.Time
	// Subject is the integration's UUID (sub); introspect returns it as uuid.
	Subject string
}

type jwtPayload struct {
	Aud      []string `json:"aud"`
	Sub      string   `json:"sub"`
	Iss      string   `json:"iss"`
	Iat      int64    `json:"iat"`
	Exp      int64    `json:"exp,omitempty"`
	Account  string   `json:"1password.com/auuid"`
	Features []string `json:"1password.com/fts"`
}

var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"ES256","kid":"sim","typ":"JWT"}`))

// MakeToken returns a JWT-shaped token carrying c. The signature is 64
// random bytes (an ES256 signature's size): clients cannot verify it anyway,
// and the simulator authenticates by exact match against its configured
// tokens, so the random part also makes every minted token unique.
func MakeToken(c TokenClaims) string {
	p := jwtPayload{
		Sub:      c.Subject,
		Iss:      tokenIssuer,
		Iat:      c.IssuedAt.Unix(),
		Account:  c.AccountUUID,
		Features: c.Features,
	}
	if c.Audience != "" {
		p.Aud = []string{c.Audience}
	}
	if p.Aud == nil {
		p.Aud = []string{}
	}
	if p.Features == nil {
		p.Features = []string{}
	}
	if !c.ExpiresAt.IsZero() {
		p.Exp = c.ExpiresAt.Unix()
	}
	body, _ := json.Marshal(p) // cannot fail: only strings and ints
	var sig [64]byte
	_, _ = rand.Read(sig[:])
	enc := base64.RawURLEncoding
	return jwtHeader + "." + enc.EncodeToString(body) + "." + enc.EncodeToString(sig[:])
}

// ParseToken decodes the claims of a JWT-shaped token without verifying its
// signature (the simulator, like every client, has no public key).
func ParseToken(token string) (TokenClaims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return TokenClaims{}, errors.New("simulator: token is not a JWT")
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return TokenClaims{}, errors.New("simulator: token payload is not base64url")
	}
	var p jwtPayload
	if err := json.Unmarshal(raw, &p); err != nil {
		return TokenClaims{}, errors.New("simulator: token payload is not JSON")
	}
	c := TokenClaims{
		AccountUUID: p.Account,
		Features:    p.Features,
		Subject:     p.Sub,
	}
	if len(p.Aud) > 0 {
		c.Audience = p.Aud[0]
	}
	if p.Iat != 0 {
		c.IssuedAt = time.Unix(p.Iat, 0).UTC()
	}
	if p.Exp != 0 {
		c.ExpiresAt = time.Unix(p.Exp, 0).UTC()
	}
	return c, nil
}
