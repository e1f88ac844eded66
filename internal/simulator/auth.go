package simulator

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// tokenInfo is what the server knows about one accepted token.
type tokenInfo struct {
	account  *account
	claims   TokenClaims
	features map[string]bool
	revoked  bool
}

var errUnknownAccount = errors.New("simulator: unknown account")

// registerTokenLocked adds token to acct. A token that is not JWT-shaped (a test
// may use "secret") is accepted with every feature and no expiry. Caller
// holds s.mu for writing.
func (s *Server) registerTokenLocked(acct *account, token string) {
	claims, err := ParseToken(token)
	if err != nil {
		claims = TokenClaims{AccountUUID: acct.uuid, Features: slices.Clone(Streams)}
	}
	if claims.Subject == "" {
		claims.Subject = acct.uuid
	}
	if claims.IssuedAt.IsZero() {
		claims.IssuedAt = s.started
	}
	feats := make(map[string]bool, len(claims.Features))
	for _, f := range claims.Features {
		feats[f] = true
	}
	s.tokens[token] = &tokenInfo{account: acct, claims: claims, features: feats}
	acct.tokens = append(acct.tokens, token)
}

// AddToken makes the server accept token for account (e.g. a token made
// with MakeToken that lacks a feature, or that expires).
func (s *Server) AddToken(accountUUID, token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	acct := s.accountsByUUID[accountUUID]
	if acct == nil {
		return fmt.Errorf("%w %q", errUnknownAccount, accountUUID)
	}
	if s.tokens[token] != nil {
		return errors.New("simulator: token already registered")
	}
	s.registerTokenLocked(acct, token)
	return nil
}

// MintToken makes a token for account with claims c (AccountUUID, Audience
// and IssuedAt default to the account, Config.Audience and now), registers
// it and returns it.
func (s *Server) MintToken(accountUUID string, c TokenClaims) (string, error) {
	if c.AccountUUID == "" {
		c.AccountUUID = accountUUID
	}
	if c.Audience == "" {
		c.Audience = s.cfg.Audience
	}
	if c.IssuedAt.IsZero() {
		c.IssuedAt = s.now()
	}
	if c.Subject == "" {
		c.Subject = randomUUID()
	}
	tok := MakeToken(c)
	if err := s.AddToken(accountUUID, tok); err != nil {
		return "", err
	}
	return tok, nil
}

// RevokeToken makes the server reject token from now on with 401.
func (s *Server) RevokeToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ti := s.tokens[token]; ti != nil {
		ti.revoked = true
	}
}

// Tokens returns the tokens accepted for account, in configuration order.
func (s *Server) Tokens(accountUUID string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if acct := s.accountsByUUID[accountUUID]; acct != nil {
		return slices.Clone(acct.tokens)
	}
	return nil
}

// authenticate returns the token's info, or nil when the request must get
// 401: no Bearer header, unknown, revoked or expired token.
func (s *Server) authenticate(r *http.Request, now time.Time) *tokenInfo {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return nil
	}
	token := strings.TrimSpace(h[len(prefix):])
	s.mu.RLock()
	ti := s.tokens[token]
	revoked := ti != nil && ti.revoked
	s.mu.RUnlock()
	if ti == nil || revoked {
		return nil
	}
	if !ti.claims.ExpiresAt.IsZero() && !now.Before(ti.claims.ExpiresAt) {
		return nil
	}
	return ti
}
