package simulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator/usersim"
)

// TestMountUsersServesTheUsersAPI checks that the Users API simulator
// answers beside the Events API on one address, admin routes included, and
// that the streams and the Events admin API stay as they were.
func TestMountUsersServesTheUsersAPI(t *testing.T) {
	h := newHarness(t, Config{})
	users := usersim.New(usersim.Config{AccountID: h.acct})
	users.Generate(3)
	h.sim.MountUsers(users)

	// A token by client credentials, then the listing with it.
	form := url.Values{"grant_type": {"client_credentials"}}
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+"/v1/oauth/token", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(users.ClientID(), users.ClientSecret())
	resp, err := h.srv.Client().Do(req)
	require.NoError(t, err)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NotEmpty(t, tok.AccessToken)

	tests := []struct {
		name, method, path, token, body string
		wantStatus                      int
		wantIn                          string
	}{
		{name: "list users", method: http.MethodGet, path: "/v1/accounts/" + h.acct + "/users", token: tok.AccessToken, wantStatus: 200, wantIn: usersim.GeneratedID(2)},
		{name: "list without a token", method: http.MethodGet, path: "/v1/accounts/" + h.acct + "/users", wantStatus: 401},
		{name: "users admin", method: http.MethodGet, path: usersim.AdminPrefix + "stats", wantStatus: 200, wantIn: `"tokens_issued":1`},
		{name: "events admin", method: http.MethodGet, path: "/_sim/stats", wantStatus: 200},
		{name: "a stream still pages", method: http.MethodPost, path: "/api/v2/auditevents", token: h.token, body: `{"limit":1}`, wantStatus: 200},
		{name: "unknown admin route", method: http.MethodGet, path: "/_sim/nothing", wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.do(tt.method, tt.path, tt.token, tt.body)
			require.Equal(t, tt.wantStatus, got.status, string(got.body))
			assert.Contains(t, string(got.body), tt.wantIn)
		})
	}
}
