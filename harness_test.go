package onepasswordreceiver

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/component/componentstatus"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/extension"
	"go.opentelemetry.io/collector/extension/extensiontest"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/receivertest"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/onepassword-otel/onepasswordreceiver/internal/metadata"
)

// apiRequest is one request the fake API saw.
type apiRequest struct {
	Method string
	Path   string
	Body   map[string]any
	At     time.Time
}

func (r apiRequest) cursor() string {
	c, _ := r.Body["cursor"].(string)
	return c
}

func (r apiRequest) isReset() bool { _, ok := r.Body["cursor"]; return !ok }

// apiReply is what the fake answers.
type apiReply struct {
	Status  int
	Header  map[string]string
	Body    string
	Delay   time.Duration // answers late, or never if the client goes away
	Aborted bool          // closes the connection without an answer
}

// fakeAPI is a scripted Events API: each test decides every answer, and
// every request is recorded for assertions.
type fakeAPI struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	requests []apiRequest
	// answer decides the reply for a POST to a stream; nil = caught up.
	answer func(req apiRequest) apiReply
	// introspect is the reply to GET /api/v2/auth/introspect.
	introspect apiReply
	notify     chan struct{}
	tokens     []string
}

// acceptToken makes the fake accept another bearer token.
func (f *fakeAPI) acceptToken(token string) { f.acceptTokens(token) }

// acceptTokens makes the fake accept each of tokens (tokens of one account).
func (f *fakeAPI) acceptTokens(tokens ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokens = tokens
}

// receiverSettings uses a fixed ID: stored state is keyed by it, and the
// nop settings would pick a random name each time.
func receiverSettings() receiver.Settings {
	set := receivertest.NewNopSettings(metadata.Type)
	set.ID = component.NewID(metadata.Type)
	return set
}

func newFakeAPI(t *testing.T, answer func(apiRequest) apiReply) *fakeAPI {
	f := &fakeAPI{
		t:          t,
		answer:     answer,
		introspect: apiReply{Status: 200, Body: `{"uuid":"INTEGRATION","issued_at":"2026-11-01T00:00:00Z","features":["auditevents","itemusages","signinattempts"],"account_uuid":"ACCOUNTUUID"}`},
		notify:     make(chan struct{}, 1),
		tokens:     []string{testToken},
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	req := apiRequest{Method: r.Method, Path: r.URL.Path, At: time.Now()}
	raw, _ := io.ReadAll(r.Body)
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &req.Body)
	}
	f.mu.Lock()
	accepted := slices.Contains(f.tokens, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	f.mu.Unlock()
	if !accepted {
		f.record(req)
		writeReply(w, r, apiReply{Status: 401, Body: `{"Error":{"Message":"Unauthorized"}}`})
		return
	}
	f.mu.Lock()
	answer, intro := f.answer, f.introspect
	f.mu.Unlock()
	f.record(req)
	if r.Method == http.MethodGet {
		writeReply(w, r, intro)
		return
	}
	writeReply(w, r, answer(req))
}

func (f *fakeAPI) record(req apiRequest) {
	f.mu.Lock()
	f.requests = append(f.requests, req)
	f.mu.Unlock()
	select {
	case f.notify <- struct{}{}:
	default:
	}
}

func writeReply(w http.ResponseWriter, r *http.Request, rep apiReply) {
	if rep.Delay > 0 {
		select {
		case <-time.After(rep.Delay):
		case <-r.Context().Done():
			return
		}
	}
	if rep.Aborted {
		panic(http.ErrAbortHandler)
	}
	for k, v := range rep.Header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if rep.Status == 0 {
		rep.Status = 200
	}
	w.WriteHeader(rep.Status)
	_, _ = io.WriteString(w, rep.Body)
}

// streamRequests returns the POSTs made to one stream path.
func (f *fakeAPI) streamRequests(path string) []apiRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []apiRequest
	for _, r := range f.requests {
		if r.Method == http.MethodPost && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

func (f *fakeAPI) allRequests() []apiRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]apiRequest(nil), f.requests...)
}

// waitFor blocks until cond holds; it fails the test after a generous
// deadline rather than asserting any timing.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

const testToken = "test-token-abcdef"

// testConfig is a config for the fake: fast polling, quick backoff.
func testConfig(endpoint string) *Config {
	cfg := createDefaultConfig().(*Config)
	cfg.Token = configToken(testToken)
	cfg.ClientConfig.Endpoint = endpoint
	cfg.PollInterval = 20 * time.Millisecond
	cfg.BackOffConfig.InitialInterval = 10 * time.Millisecond
	cfg.BackOffConfig.MaxInterval = 50 * time.Millisecond
	cfg.BackOffConfig.RandomizationFactor = 0
	cfg.RateLimit = RateLimitConfig{}
	return cfg
}

// only enables one stream.
func only(cfg *Config, streams ...string) *Config {
	cfg.AuditEvents.Enabled = slices.Contains(streams, "audit_events")
	cfg.ItemUsages.Enabled = slices.Contains(streams, "item_usages")
	cfg.SigninAttempts.Enabled = slices.Contains(streams, "signin_attempts")
	return cfg
}

// statusHost is a host with optional extensions that records component
// status events.
type statusHost struct {
	mu     sync.Mutex
	exts   map[component.ID]component.Component
	events []*componentstatus.Event
}

func (h *statusHost) GetExtensions() map[component.ID]component.Component { return h.exts }

func (h *statusHost) Report(ev *componentstatus.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, ev)
}

func (h *statusHost) statuses() []componentstatus.Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []componentstatus.Status
	for _, e := range h.events {
		out = append(out, e.Status())
	}
	return out
}

var fileStorageID = component.MustNewID("file_storage")

// newFileStorage starts the real file_storage extension on dir.
func newFileStorage(t *testing.T, dir string) extension.Extension {
	t.Helper()
	return newFileStorageWithTimeout(t, dir, 0)
}

// newFileStorageWithTimeout is a file_storage that waits at most timeout
// for its database's lock (0 = the extension's default).
func newFileStorageWithTimeout(t *testing.T, dir string, timeout time.Duration) extension.Extension {
	t.Helper()
	f := filestorage.NewFactory()
	cfg := f.CreateDefaultConfig().(*filestorage.Config)
	cfg.Directory = dir
	if timeout > 0 {
		cfg.Timeout = timeout
	}
	ext, err := f.Create(context.Background(), extensiontest.NewNopSettings(f.Type()), cfg)
	require.NoError(t, err)
	require.NoError(t, ext.Start(context.Background(), &statusHost{}))
	t.Cleanup(func() { require.NoError(t, ext.Shutdown(context.Background())) })
	return ext
}

// startReceiver creates and starts a receiver; it is shut down at cleanup.
// The returned logs observer sees every log line.
func startReceiver(t *testing.T, cfg *Config, next consumer.Logs, host *statusHost) (*onepasswordReceiver, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zap.DebugLevel)
	set := receiverSettings()
	set.Logger = zap.New(core)
	r, err := newReceiver(set, cfg, next)
	require.NoError(t, err)
	require.NoError(t, r.Start(context.Background(), host))
	t.Cleanup(func() { _ = r.Shutdown(context.Background()) })
	return r, logs
}

// pageJSON renders a response page with items of the given uuids; each
// item's timestamp is derived from its position so tests can reason about
// "newest".
func pageJSON(cursor string, hasMore bool, uuids ...string) string {
	items := make([]string, len(uuids))
	for i, u := range uuids {
		items[i] = itemJSON(u, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC).Add(time.Duration(uuidIndex(u))*time.Minute))
	}
	cur := ""
	if cursor != "" {
		cur = fmt.Sprintf(`"cursor":%q,`, cursor)
	}
	return fmt.Sprintf(`{%s"has_more":%t,"items":[%s]}`, cur, hasMore, strings.Join(items, ","))
}

func itemJSON(uuid string, ts time.Time) string {
	return fmt.Sprintf(`{"uuid":%q,"timestamp":%q,"actor_uuid":"ACTOR","action":"join","object_type":"gm","session":{"ip":"192.0.2.1"}}`,
		uuid, ts.Format(time.RFC3339Nano))
}

// uuidIndex reads the number at the end of a test uuid such as "E12".
func uuidIndex(u string) int {
	n := 0
	for _, c := range u {
		if c >= '0' && c <= '9' {
			n = n*10 + int(c-'0')
		}
	}
	return n
}
