package usersim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Defaults of Config.
const (
	DefaultAccountID     = "SIMACCOUNTAAAAAAAAAAAAAAAA"
	DefaultClientID      = "sim-client-id"
	DefaultClientSecret  = "sim-client-secret"
	DefaultTokenLifetime = 900 * time.Second // the documented 15 minutes
)

// Config configures a Sim. Zero values take the defaults above.
type Config struct {
	AccountID     string
	ClientID      string
	ClientSecret  string
	TokenLifetime time.Duration // rounded down to whole seconds, at least 1 s
	Now           func() time.Time
}

func (c Config) withDefaults() Config {
	if c.AccountID == "" {
		c.AccountID = DefaultAccountID
	}
	if c.ClientID == "" {
		c.ClientID = DefaultClientID
	}
	if c.ClientSecret == "" {
		c.ClientSecret = DefaultClientSecret
	}
	if c.TokenLifetime <= 0 {
		c.TokenLifetime = DefaultTokenLifetime
	}
	c.TokenLifetime = max(c.TokenLifetime.Truncate(time.Second), time.Second)
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// User states of the API.
const (
	StateActive      = "ACTIVE"
	StateSuspended   = "SUSPENDED"
	StateUnspecified = "STATE_UNSPECIFIED"
)

// User is one user of the simulated account. Extra holds further top-level
// keys (future fields), rendered after the documented ones in key order.
type User struct {
	ID          string         `json:"id"`
	Email       string         `json:"email,omitempty"`
	DisplayName string         `json:"display_name,omitempty"`
	State       string         `json:"state,omitempty"`
	CreateTime  time.Time      `json:"create_time"`
	Extra       map[string]any `json:"extra,omitempty"`
}

// entry is a stored user with its rendered JSON, rebuilt on every change so
// that serving a page of 1,000 users is a concatenation.
type entry struct {
	user User
	raw  []byte
}

// ErrUnknownUser is returned by the admin methods for an id not in the roster.
var ErrUnknownUser = errors.New("usersim: unknown user")

// Sim is the simulated Users API of one account. It is safe for concurrent use.
type Sim struct {
	cfg Config

	muxOnce sync.Once
	handler *http.ServeMux

	mu      sync.Mutex
	users   []*entry // listing order: creation order
	byID    map[string]*entry
	tokens  map[string]time.Time // access token -> expiry
	fault   Fault
	hooks   []func(*Sim) // run before the next page requested with a page token
	stats   Stats
	nextSeq int
}

// New returns a Sim with an empty roster.
func New(cfg Config) *Sim {
	return &Sim{
		cfg:    cfg.withDefaults(),
		byID:   map[string]*entry{},
		tokens: map[string]time.Time{},
	}
}

// AccountID is the account the Sim serves.
func (s *Sim) AccountID() string { return s.cfg.AccountID }

// ClientID and ClientSecret are the accepted client credentials.
func (s *Sim) ClientID() string     { return s.cfg.ClientID }
func (s *Sim) ClientSecret() string { return s.cfg.ClientSecret }

func render(u User) []byte {
	var b bytes.Buffer
	b.WriteString(`{"id":`)
	writeJSON(&b, u.ID)
	if u.Email != "" {
		b.WriteString(`,"email":`)
		writeJSON(&b, u.Email)
	}
	if u.DisplayName != "" {
		b.WriteString(`,"display_name":`)
		writeJSON(&b, u.DisplayName)
	}
	if u.State != "" {
		b.WriteString(`,"state":`)
		writeJSON(&b, u.State)
	}
	if !u.CreateTime.IsZero() {
		b.WriteString(`,"create_time":`)
		writeJSON(&b, u.CreateTime.UTC().Format(time.RFC3339Nano))
	}
	for _, k := range slices.Sorted(maps.Keys(u.Extra)) {
		b.WriteByte(',')
		writeJSON(&b, k)
		b.WriteByte(':')
		writeJSON(&b, u.Extra[k])
	}
	b.WriteByte('}')
	return b.Bytes()
}

func writeJSON(b *bytes.Buffer, v any) {
	enc, err := json.Marshal(v)
	if err != nil {
		enc = []byte("null")
	}
	b.Write(enc)
}

// AddUser appends u to the roster (a missing State is ACTIVE, a missing
// CreateTime is now), or replaces the user with the same id in place.
func (s *Sim) AddUser(u User) error {
	if u.ID == "" {
		return errors.New("usersim: a user needs an id")
	}
	if u.State == "" {
		u.State = StateActive
	}
	if u.CreateTime.IsZero() {
		u.CreateTime = s.cfg.Now().UTC().Truncate(time.Second)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.putLocked(u)
	return nil
}

func (s *Sim) putLocked(u User) {
	if e, ok := s.byID[u.ID]; ok {
		e.user, e.raw = u, render(u)
		return
	}
	e := &entry{user: u, raw: render(u)}
	s.users = append(s.users, e)
	s.byID[u.ID] = e
}

// InsertUser puts u at position index of the listing order (0 = first),
// which shifts every later user by one page position.
func (s *Sim) InsertUser(index int, u User) error {
	if err := s.AddUser(u); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.byID[u.ID]
	i := slices.Index(s.users, e)
	s.users = slices.Delete(s.users, i, i+1)
	index = min(max(index, 0), len(s.users))
	s.users = slices.Insert(s.users, index, e)
	return nil
}

// RemoveUser deletes a user from the roster.
func (s *Sim) RemoveUser(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.byID[id]
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownUser, id)
	}
	delete(s.byID, id)
	s.users = slices.DeleteFunc(s.users, func(x *entry) bool { return x == e })
	return nil
}

// UpdateUser applies change to the stored user.
func (s *Sim) UpdateUser(id string, change func(*User)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.updateLocked(id, change)
	return err
}

func (s *Sim) updateLocked(id string, change func(*User)) (*entry, error) {
	e, ok := s.byID[id]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownUser, id)
	}
	u := e.user
	u.Extra = cloneExtra(u.Extra)
	change(&u)
	u.ID = id
	e.user, e.raw = u, render(u)
	return e, nil
}

func cloneExtra(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	return maps.Clone(m)
}

// Rename sets a user's display name.
func (s *Sim) Rename(id, displayName string) error {
	return s.UpdateUser(id, func(u *User) { u.DisplayName = displayName })
}

// SetState sets a user's state (any string: unknown states are served as they are).
func (s *Sim) SetState(id, state string) error {
	return s.UpdateUser(id, func(u *User) { u.State = state })
}

// Suspend and Reactivate set the state as the API's actions do.
func (s *Sim) Suspend(id string) error    { return s.SetState(id, StateSuspended) }
func (s *Sim) Reactivate(id string) error { return s.SetState(id, StateActive) }

// Generate appends n users with deterministic ids, e-mails and names
// (every tenth one SUSPENDED) and returns their ids.
func (s *Sim) Generate(n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	created := time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC)
	ids := make([]string, 0, n)
	for range n {
		seq := s.nextSeq
		s.nextSeq++
		id := GeneratedID(seq)
		for s.byID[id] != nil { // an id taken by AddUser
			seq = s.nextSeq
			s.nextSeq++
			id = GeneratedID(seq)
		}
		state := StateActive
		if seq%10 == 9 {
			state = StateSuspended
		}
		s.putLocked(User{
			ID:          id,
			Email:       fmt.Sprintf("user%d@example.com", seq),
			DisplayName: fmt.Sprintf("User %d", seq),
			State:       state,
			CreateTime:  created.Add(time.Duration(seq) * time.Minute),
		})
		ids = append(ids, id)
	}
	return ids
}

// GeneratedID is the id Generate gives its seq-th user: "U" and 25
// characters of the base-32 alphabet the API's ids use.
func GeneratedID(seq int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	var id [26]byte
	id[0] = 'U'
	for i := len(id) - 1; i >= 1; i-- {
		id[i] = alphabet[seq&31]
		seq >>= 5
	}
	return string(id[:])
}

// Users returns a copy of the roster in listing order.
func (s *Sim) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, len(s.users))
	for i, e := range s.users {
		out[i] = e.user
	}
	return out
}

// User returns one user.
func (s *Sim) User(id string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.byID[id]
	if !ok {
		return User{}, false
	}
	return e.user, true
}

// BeforeNextPage registers fn to run once, just before the next list page
// requested with a page token is served: the way to change the roster in the
// middle of a walk. fn may call the Sim's methods.
func (s *Sim) BeforeNextPage(fn func(*Sim)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks = append(s.hooks, fn)
}

// ExpireTokens invalidates every access token issued so far (the next
// users request with one of them gets 401).
func (s *Sim) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
}

// Stats counts what the Sim served.
type Stats struct {
	TokenRequests  int    `json:"token_requests"`
	TokensIssued   int    `json:"tokens_issued"`
	ListRequests   int    `json:"list_requests"`
	GetRequests    int    `json:"get_requests"`
	ActionRequests int    `json:"action_requests"`
	Unauthorized   int    `json:"unauthorized"` // 401 answers of users requests
	LastUserAgent  string `json:"last_user_agent"`
	LastPageSize   int    `json:"last_page_size"` // the page size the last list page was served with
}

// Stats returns the counters.
func (s *Sim) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}
