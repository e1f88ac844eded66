package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"crypto/sha256"
	"sync"

	"go.uber.org/zap"
)

// instances remembers which receiver instances of this process read which
// token and which account. Two instances on one account deliver every event
// twice and share one rate budget, which is never what a user meant; the
// receiver warns, naming both.
var instances = newInstanceRegistry()

type instanceRegistry struct {
	mu        sync.Mutex
	byToken   map[[sha256.Size]byte]string
	byAccount map[string]string
	// tokenShared holds the pairs (second, first) told to share a token.
	tokenShared map[[2]string]bool
}

func newInstanceRegistry() *instanceRegistry {
	return &instanceRegistry{
		byToken:     map[[sha256.Size]byte]string{},
		byAccount:   map[string]string{},
		tokenShared: map[[2]string]bool{},
	}
}

// claimToken records that id reads token (kept only as a hash) and returns
// the instance that already reads it, if any.
func (r *instanceRegistry) claimToken(id string, token string) (string, bool) {
	other, shared := claim(&r.mu, r.byToken, sha256.Sum256([]byte(token)), id)
	if shared {
		r.mu.Lock()
		r.tokenShared[[2]string{id, other}] = true
		r.mu.Unlock()
	}
	return other, shared
}

// claimAccount records that id reads account and returns the instance that
// already reads it, if any. Two instances on one token read one account:
// claimToken has told of them already, so they are not told again.
func (r *instanceRegistry) claimAccount(id string, account string) (string, bool) {
	if account == "" {
		return "", false
	}
	other, shared := claim(&r.mu, r.byAccount, account, id)
	if shared && r.sameToken(id, other) {
		return "", false
	}
	return other, shared
}

func (r *instanceRegistry) sameToken(a, b string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tokenShared[[2]string{a, b}] || r.tokenShared[[2]string{b, a}]
}

// release forgets id, at its shutdown, so that a restart of the pipeline
// (a config reload) does not warn about the instance itself.
func (r *instanceRegistry) release(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, v := range r.byToken {
		if v == id {
			delete(r.byToken, k)
		}
	}
	for k, v := range r.byAccount {
		if v == id {
			delete(r.byAccount, k)
		}
	}
	for pair := range r.tokenShared {
		if pair[0] == id || pair[1] == id {
			delete(r.tokenShared, pair)
		}
	}
}

func claim[K comparable](mu *sync.Mutex, m map[K]string, key K, id string) (string, bool) {
	mu.Lock()
	defer mu.Unlock()
	if other, ok := m[key]; ok && other != id {
		return other, true
	}
	m[key] = id
	return "", false
}

// warnShared logs, once per pair, that two instances read one account.
func warnShared(logger *zap.Logger, what, id, other string) {
	logger.Warn("Two receiver instances in this collector read the same Events API "+what+": every event is delivered twice and both draw on the account's one rate limit. Keep one of them, or give each instance the token of its own account.",
		zap.String("instance", id), zap.String("other_instance", other))
}
