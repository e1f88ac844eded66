package simulator

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMountServesBesideTheStreams checks that an endpoint mounted beside
// the Events API answers on the same server, is recorded in the request log,
// and leaves the streams and the unknown-path 404 as they were.
func TestMountServesBesideTheStreams(t *testing.T) {
	h := newHarness(t, Config{})
	h.sim.Mount("GET /v1/accounts/{account}/users", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"account":"`+r.PathValue("account")+`"}`)
	}))
	tests := []struct {
		name, method, path, token, body string
		wantStatus                      int
		wantBody                        string
	}{
		{name: "mounted endpoint", method: http.MethodGet, path: "/v1/accounts/ACME/users", wantStatus: 200, wantBody: `{"account":"ACME"}`},
		{name: "a stream still pages", method: http.MethodPost, path: "/api/v2/auditevents", token: h.token, body: `{"limit":1}`, wantStatus: 200},
		{name: "other paths stay unknown", method: http.MethodGet, path: "/v1/accounts/ACME/groups", wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := h.do(tt.method, tt.path, tt.token, tt.body)
			require.Equal(t, tt.wantStatus, resp.status, string(resp.body))
			if tt.wantBody != "" {
				assert.JSONEq(t, tt.wantBody, string(resp.body))
			}
		})
	}
	var logged []string
	for _, rec := range h.sim.RequestLog() {
		logged = append(logged, rec.Method+" "+rec.Path)
	}
	assert.Contains(t, logged, "GET /v1/accounts/ACME/users")
}
