package simulator

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator/usersim"
)

// Server is the simulated Events API. It implements http.Handler; tests
// usually wrap it with httptest.NewServer. It is safe for concurrent use.
type Server struct {
	cfg     Config
	now     func() time.Time
	started time.Time
	mux     *http.ServeMux
	cursors cursorCodec
	faults  faultState
	rec     *statsRecorder

	mu             sync.RWMutex // guards accounts and tokens
	accounts       []*account
	accountsByUUID map[string]*account
	tokens         map[string]*tokenInfo

	done      chan struct{} // closed by Close: stops the generator, ends delays
	closeOnce sync.Once
	wg        sync.WaitGroup

	bufPool  sync.Pool
	inFlight atomic.Int64

	users atomic.Pointer[usersim.Sim] // mounted by MountUsers; nil = none
}

// account is one 1Password account: its own logs, population and limiter.
type account struct {
	uuid    string
	seed    uint64
	pop     *population
	streams map[string]*eventStream
	tokens  []string
	limiter slidingWindow
}

// New builds a Server from cfg. It starts a background goroutine only when
// cfg.Continuous.EventsPerSecond > 0; Close stops it.
func New(cfg Config) *Server {
	c := cfg.withDefaults()
	s := &Server{
		cfg:            c,
		now:            c.Now,
		rec:            newStatsRecorder(c.RequestLogSize),
		accountsByUUID: map[string]*account{},
		tokens:         map[string]*tokenInfo{},
		done:           make(chan struct{}),
	}
	s.started = s.now()
	key := c.CursorKey
	if len(key) == 0 {
		key = make([]byte, 32)
		_, _ = rand.Read(key)
	}
	s.cursors = cursorCodec{key: slices.Clone(key)}
	s.faults.state = FaultState{RateLimit: *c.RateLimit, ErrorShape: errorShapeName(c.ErrorShape)}
	s.bufPool.New = func() any { b := make([]byte, 0, 64<<10); return &b }

	for i, ac := range c.Accounts {
		seed := mix(c.Seed, uint64(i)+1)
		id := ac.UUID
		if id == "" {
			r := newRNG(seed)
			id = makeUUIDString(&r, upperB32)
		}
		// Misconfiguration here is a bug in the calling test, like a bad
		// regexp in MustCompile, so it panics rather than half-works.
		if len(id) > 255 {
			panic(fmt.Sprintf("simulator: account UUID %q is longer than 255 bytes", id))
		}
		if s.accountsByUUID[id] != nil {
			panic(fmt.Sprintf("simulator: account UUID %q configured twice", id))
		}
		acct := &account{uuid: id, seed: mixString(c.Seed, id), streams: newEventStreams()}
		acct.pop = newPopulation(id, acct.seed)
		s.accounts = append(s.accounts, acct)
		s.accountsByUUID[id] = acct
		if len(ac.Tokens) == 0 {
			feats := ac.TokenFeatures
			if len(feats) == 0 {
				feats = Streams
			}
			s.registerTokenLocked(acct, MakeToken(TokenClaims{
				Audience:    c.Audience,
				AccountUUID: id,
				Features:    slices.Clone(feats),
				IssuedAt:    s.started,
				ExpiresAt:   ac.TokenExpiresAt,
				Subject:     makeUUIDString(&rng{s: seed ^ 0x5EED}, upperB32),
			}))
		}
		for _, t := range ac.Tokens {
			if s.tokens[t] != nil {
				panic(fmt.Sprintf("simulator: a token of account %s is configured twice", id))
			}
			s.registerTokenLocked(acct, t)
		}
	}

	s.routes()
	if c.Continuous.EventsPerSecond > 0 {
		s.wg.Add(1)
		go s.runGenerator()
	}
	return s
}

// Close stops the background generator and releases delayed requests. The
// handler keeps answering afterwards (without delays).
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
	s.wg.Wait()
}

func (s *Server) closed() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// Accounts returns the account UUIDs in configuration order.
func (s *Server) Accounts() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, len(s.accounts))
	for i, a := range s.accounts {
		out[i] = a.uuid
	}
	return out
}

// Config returns the effective configuration (defaults filled in).
func (s *Server) Config() Config {
	c := s.cfg
	rl := *c.RateLimit
	c.RateLimit = &rl
	c.Accounts = slices.Clone(c.Accounts)
	c.CursorKey = slices.Clone(c.CursorKey)
	return c
}

// lookup resolves an account UUID ("" = the first account) and a stream.
func (s *Server) lookup(accountUUID, stream string) (*account, *eventStream, error) {
	if streamDefs[stream] == nil {
		return nil, nil, fmt.Errorf("simulator: unknown stream %q (want one of %s)", stream, strings.Join(Streams, ", "))
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	a := s.accounts[0]
	if accountUUID != "" {
		if a = s.accountsByUUID[accountUUID]; a == nil {
			return nil, nil, fmt.Errorf("%w %q", errUnknownAccount, accountUUID)
		}
	}
	return a, a.streams[stream], nil
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /api/v2/auth/introspect", s.handleIntrospectV2)
	s.mux.HandleFunc("GET /api/auth/introspect", s.handleIntrospectV1)
	for _, v := range []int{1, 2} {
		for _, name := range Streams {
			def := streamDefs[name]
			s.mux.HandleFunc(fmt.Sprintf("POST /api/v%d/%s", v, name), func(w http.ResponseWriter, r *http.Request) {
				s.handlePage(w, r, v, def)
			})
		}
	}
	// Everything else, /api/v3/auditevents included, gets the mux's plain
	// "404 page not found", as the real (Go) server answers unknown paths.
}

// Mount serves h at pattern (an http.ServeMux pattern such as
// "GET /v1/accounts/{account}/users") beside the Events API, so that
// another API's simulator answers on the same address. Its requests go into
// the request log and the stats like the Events API's; their handling (its
// own authentication, for one) is h's. Mount may be called while serving.
func (s *Server) Mount(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// ServeHTTP routes admin requests to /_sim/ and everything else to the
// simulated API, recording each API request for Stats.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sim/") {
		s.serveAdmin(w, r)
		return
	}
	// Read the body before anything else: net/http only notices a client
	// that hangs up once the body has been consumed, and a slow answer
	// must end when its client goes away.
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	r.Body = io.NopCloser(bytes.NewReader(body))
	rw := &recordingWriter{ResponseWriter: w}
	arrived := s.now()
	s.inFlight.Add(1)
	defer func() {
		s.inFlight.Add(-1)
		status := rw.status
		if status == 0 {
			status = http.StatusOK
			if !rw.wrote && r.Context().Err() != nil {
				status = 499
			}
		}
		s.rec.record(RequestRecord{Time: arrived, Account: rw.account, Method: r.Method, Path: r.URL.Path, Status: status})
	}()
	s.mux.ServeHTTP(rw, r)
}

// recordingWriter remembers the status and the authenticated account.
type recordingWriter struct {
	http.ResponseWriter
	status  int
	wrote   bool
	account string
}

func (w *recordingWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	w.wrote = true
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush on the real writer.
func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func setAccount(w http.ResponseWriter, uuid string) {
	if rw, ok := w.(*recordingWriter); ok {
		rw.account = uuid
	}
}

// sleep waits d. It ends early, without an answer, when the client goes
// away, and with a 503 when the server is closed: an empty 200 would look
// like a valid (if broken) page.
func (s *Server) sleep(w http.ResponseWriter, r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.done:
		s.writeError(w, http.StatusServiceUnavailable)
		return false
	}
}

// prelude runs the checks shared by every API endpoint, in the order a
// gateway in front of the service would: injected slowness and failures,
// authentication, the account's rate limit, then the token's scope.
// stream is "" for introspection, which any valid token may call.
func (s *Server) prelude(w http.ResponseWriter, r *http.Request, stream string) (*tokenInfo, bool) {
	if d := s.faults.delay(); d > 0 && !s.closed() {
		if !s.sleep(w, r, d) {
			return nil, false
		}
	}
	path := r.URL.Path
	now := s.now()
	if f, ok := s.faults.take429(path, stream); ok {
		s.writeTooMany(w, now, f)
		return nil, false
	}
	if status, ok := s.faults.take5xx(path, stream); ok {
		s.writeError(w, status)
		return nil, false
	}
	if s.faults.take(pickUnauthorized, path, stream) {
		s.writeError(w, http.StatusUnauthorized)
		return nil, false
	}
	ti := s.authenticate(r, now)
	if ti == nil {
		s.writeError(w, http.StatusUnauthorized)
		return nil, false
	}
	setAccount(w, ti.account.uuid)
	if ok, wait := ti.account.limiter.allow(now, s.faults.rateLimit()); !ok {
		w.Header().Set("Retry-After", fmt.Sprint(retryAfterSeconds(wait)))
		s.writeError(w, http.StatusTooManyRequests)
		return nil, false
	}
	if stream != "" && !ti.features[stream] {
		s.writeError(w, s.cfg.MissingFeatureStatus)
		return nil, false
	}
	return ti, true
}
