package usersim

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Page size rules of the list endpoint.
const (
	DefaultPageSize = 25
	MaxPageSize     = 1000
)

// The two filters the API accepts.
const (
	FilterActive    = "user.isActive()"
	FilterSuspended = "user.isSuspended()"
)

// ServeHTTP serves the Users API and the admin routes.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux().ServeHTTP(w, r)
}

func (s *Sim) mux() *http.ServeMux {
	s.muxOnce.Do(func() {
		m := http.NewServeMux()
		m.HandleFunc("POST /v1/oauth/token", s.handleToken)
		m.HandleFunc("POST /v1beta1/users/oauth2/token", s.handleToken)
		m.HandleFunc("GET /{version}/accounts/{account}/users", s.handleList)
		m.HandleFunc("GET /{version}/accounts/{account}/users/{user}", s.handleGet)
		m.HandleFunc("POST /{version}/accounts/{account}/users/{user}", s.handleAction)
		s.adminRoutes(m)
		s.handler = m
	})
	return s.handler
}

func validVersion(v string) bool { return v == "v1" || v == "v1beta1" }

func (s *Sim) handleToken(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.stats.TokenRequests++
	s.stats.LastUserAgent = r.UserAgent()
	f, faulty := s.takeFaultLocked(EndpointToken, false)
	s.mu.Unlock()
	if faulty {
		writeFault(w, f, true)
		return
	}
	if !s.clientAuthenticated(r) {
		w.Header().Set("WWW-Authenticate", `Basic realm="users api"`)
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "malformed form body")
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be client_credentials")
		return
	}
	if sc := r.PostForm.Get("scope"); sc != "" && sc != "openid" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_scope", "scope may only be openid")
		return
	}
	var b [24]byte
	_, _ = rand.Read(b[:])
	token := "simtok_" + hex.EncodeToString(b[:])
	s.mu.Lock()
	now := s.cfg.Now()
	for t, exp := range s.tokens {
		if !now.Before(exp) {
			delete(s.tokens, t)
		}
	}
	s.tokens[token] = now.Add(s.cfg.TokenLifetime)
	s.stats.TokensIssued++
	s.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSONResponse(w, http.StatusOK, map[string]any{
		"access_token": token,
		"token_type":   "Bearer",
		"expires_in":   int64(s.cfg.TokenLifetime.Seconds()),
	})
}

// clientAuthenticated checks HTTP Basic client authentication. RFC 6749
// §2.3.1 form-encodes both parts before they are joined, so they are
// decoded first.
func (s *Sim) clientAuthenticated(r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return false
	}
	id, err1 := url.QueryUnescape(user)
	secret, err2 := url.QueryUnescape(pass)
	if err1 != nil || err2 != nil {
		return false
	}
	idOK := subtle.ConstantTimeCompare([]byte(id), []byte(s.cfg.ClientID)) == 1
	secretOK := subtle.ConstantTimeCompare([]byte(secret), []byte(s.cfg.ClientSecret)) == 1
	return idOK && secretOK
}

// beginUsersRequest counts a users request and checks, in order, the fault,
// the version, the bearer token and the account. It answers the request
// and returns false when one of them fails.
func (s *Sim) beginUsersRequest(w http.ResponseWriter, r *http.Request, endpoint string, counter *int) bool {
	s.mu.Lock()
	*counter++
	s.stats.LastUserAgent = r.UserAgent()
	f, faulty := s.takeFaultLocked(endpoint, r.URL.Query().Has("page_token"))
	authorized := false
	if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		exp, known := s.tokens[token]
		authorized = known && s.cfg.Now().Before(exp)
	}
	if !faulty && !authorized && validVersion(r.PathValue("version")) {
		s.stats.Unauthorized++
	}
	s.mu.Unlock()
	switch {
	case faulty:
		writeFault(w, f, false)
	case !validVersion(r.PathValue("version")):
		writeStatus(w, http.StatusNotFound, "unknown API version")
	case !authorized:
		w.Header().Set("WWW-Authenticate", "Bearer")
		writeStatus(w, http.StatusUnauthorized, "unauthenticated")
	case r.PathValue("account") != s.cfg.AccountID:
		writeStatus(w, http.StatusNotFound, "account not found")
	default:
		return true
	}
	return false
}

func (s *Sim) handleList(w http.ResponseWriter, r *http.Request) {
	if !s.beginUsersRequest(w, r, EndpointList, &s.stats.ListRequests) {
		return
	}
	q := r.URL.Query()
	size := DefaultPageSize
	if v := q.Get("max_page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeStatus(w, http.StatusBadRequest, "InvalidArgument: max_page_size must be a non-negative integer")
			return
		}
		if n > 0 {
			size = min(n, MaxPageSize)
		}
	}
	filter := q.Get("filter")
	fcode, ok := filterCode(filter)
	if !ok {
		writeStatus(w, http.StatusBadRequest, "InvalidArgument: unsupported filter")
		return
	}
	offset := 0
	if pt := q.Get("page_token"); pt != "" {
		pos, ok := decodePageToken(pt)
		if !ok || pos.filter != fcode {
			writeStatus(w, http.StatusBadRequest, "InvalidArgument: invalid page token")
			return
		}
		offset = pos.offset
		s.runHooks()
	}

	s.mu.Lock()
	var body []byte
	body = append(body, `{"results":[`...)
	seen, served := 0, 0
	more := false
	for _, e := range s.users {
		if !matches(fcode, e.user.State) {
			continue
		}
		if seen >= offset {
			if served == size {
				more = true
				break
			}
			if served > 0 {
				body = append(body, ',')
			}
			body = append(body, e.raw...)
			served++
		}
		seen++
	}
	s.stats.LastPageSize = size
	s.mu.Unlock()
	body = append(body, ']')
	if more {
		body = append(body, `,"next_page_token":"`...)
		body = append(body, encodePageToken(pagePos{offset: offset + size, size: size, filter: fcode})...)
		body = append(body, '"')
	}
	body = append(body, '}')
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

func (s *Sim) runHooks() {
	s.mu.Lock()
	hooks := s.hooks
	s.hooks = nil
	s.mu.Unlock()
	for _, fn := range hooks {
		fn(s)
	}
}

func filterCode(filter string) (int, bool) {
	switch filter {
	case "":
		return 0, true
	case FilterActive:
		return 1, true
	case FilterSuspended:
		return 2, true
	}
	return 0, false
}

func matches(fcode int, state string) bool {
	switch fcode {
	case 1:
		return state == StateActive
	case 2:
		return state == StateSuspended
	}
	return true
}

func (s *Sim) handleGet(w http.ResponseWriter, r *http.Request) {
	if !s.beginUsersRequest(w, r, EndpointGet, &s.stats.GetRequests) {
		return
	}
	s.mu.Lock()
	e, ok := s.byID[r.PathValue("user")]
	var raw []byte
	if ok {
		raw = e.raw
	}
	s.mu.Unlock()
	if !ok {
		writeStatus(w, http.StatusNotFound, "user not found")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(raw)
}

// handleAction serves the custom methods users/{id}:suspend and :reactivate.
func (s *Sim) handleAction(w http.ResponseWriter, r *http.Request) {
	if !s.beginUsersRequest(w, r, EndpointAction, &s.stats.ActionRequests) {
		return
	}
	id, action, _ := strings.Cut(r.PathValue("user"), ":")
	var state string
	switch action {
	case "suspend":
		state = StateSuspended
	case "reactivate":
		state = StateActive
	default:
		writeStatus(w, http.StatusNotFound, "unknown method")
		return
	}
	s.mu.Lock()
	e, err := s.updateLocked(id, func(u *User) { u.State = state })
	var raw []byte
	if err == nil {
		raw = e.raw
	}
	s.mu.Unlock()
	if err != nil {
		writeStatus(w, http.StatusNotFound, "user not found")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(raw)
}

// grpcCode is the google.rpc.Code the API's error bodies carry for status.
func grpcCode(status int) int {
	switch status {
	case http.StatusBadRequest:
		return 3 // INVALID_ARGUMENT
	case http.StatusUnauthorized:
		return 16 // UNAUTHENTICATED
	case http.StatusForbidden:
		return 7 // PERMISSION_DENIED
	case http.StatusNotFound:
		return 5 // NOT_FOUND
	case http.StatusTooManyRequests:
		return 8 // RESOURCE_EXHAUSTED
	case http.StatusServiceUnavailable:
		return 14 // UNAVAILABLE
	}
	return 13 // INTERNAL
}

// writeStatus writes the API's Google-RPC-status error body.
func writeStatus(w http.ResponseWriter, status int, message string) {
	writeJSONResponse(w, status, map[string]any{"code": grpcCode(status), "message": message, "details": []any{}})
}

// writeOAuthError writes an RFC 6749 §5.2 error body.
func writeOAuthError(w http.ResponseWriter, status int, code, description string) {
	writeJSONResponse(w, status, map[string]string{"error": code, "error_description": description})
}

func writeFault(w http.ResponseWriter, f Fault, tokenEndpoint bool) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	if tokenEndpoint && f.Status == http.StatusUnauthorized {
		writeOAuthError(w, f.Status, "invalid_client", "client authentication failed")
		return
	}
	writeStatus(w, f.Status, "simulated fault: "+strings.ToLower(http.StatusText(f.Status)))
}

func writeJSONResponse(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
