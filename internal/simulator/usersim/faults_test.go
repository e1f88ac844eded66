package usersim

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaults(t *testing.T) {
	tests := []struct {
		name           string
		fault          Fault
		wantGRPC       int
		wantRetryAfter string
	}{
		{"401", Fault{Endpoint: EndpointList, Status: http.StatusUnauthorized}, 16, ""},
		{"403", Fault{Endpoint: EndpointList, Status: http.StatusForbidden}, 7, ""},
		{"404", Fault{Endpoint: EndpointList, Status: http.StatusNotFound}, 5, ""},
		{"429 with Retry-After", Fault{Endpoint: EndpointList, Status: http.StatusTooManyRequests, RetryAfter: "7"}, 8, "7"},
		{"500", Fault{Status: http.StatusInternalServerError}, 13, ""},
		{"503 with Retry-After date", Fault{Status: http.StatusServiceUnavailable, RetryAfter: "Wed, 21 Oct 2026 07:28:00 GMT"}, 14, "Wed, 21 Oct 2026 07:28:00 GMT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Config{})
			e.sim.Generate(3)
			tok := e.token(t)
			e.sim.SetFault(tt.fault)
			for range 2 { // Count 0: until cleared
				a := e.get(t, tok, e.usersPath("v1"))
				require.Equal(t, tt.fault.Status, a.status)
				assert.Equal(t, tt.wantRetryAfter, a.header.Get("Retry-After"))
				var eb errorBody
				a.json(t, &eb)
				assert.Equal(t, tt.wantGRPC, eb.Code)
			}
			e.sim.ClearFault()
			assert.Equal(t, http.StatusOK, e.get(t, tok, e.usersPath("v1")).status)
		})
	}
}

func TestFaultSkipAndCount(t *testing.T) {
	e := newEnv(t, Config{})
	e.sim.Generate(3)
	tok := e.token(t)
	e.sim.SetFault(Fault{Endpoint: EndpointList, Status: http.StatusBadGateway, Skip: 2, Count: 2})
	var got []int
	for range 6 {
		got = append(got, e.get(t, tok, e.usersPath("v1")).status)
	}
	assert.Equal(t, []int{200, 200, 502, 502, 200, 200}, got)
}

func TestFaultTargetsOneEndpoint(t *testing.T) {
	e := newEnv(t, Config{})
	require.NoError(t, e.sim.AddUser(User{ID: "A"}))
	e.sim.SetFault(Fault{Endpoint: EndpointToken, Status: http.StatusUnauthorized, Count: 1})
	a := e.tokenRequest(t, "/v1/oauth/token", e.sim.ClientID(), e.sim.ClientSecret(), "grant_type=client_credentials")
	require.Equal(t, http.StatusUnauthorized, a.status)
	var oe struct {
		Error string `json:"error"`
	}
	a.json(t, &oe)
	assert.Equal(t, "invalid_client", oe.Error, "the token endpoint answers in OAuth's error shape")

	tok := e.token(t) // Count 1: over
	e.sim.SetFault(Fault{Endpoint: EndpointGet, Status: http.StatusInternalServerError})
	assert.Equal(t, http.StatusOK, e.get(t, tok, e.usersPath("v1")).status, "list not affected")
	assert.Equal(t, http.StatusInternalServerError, e.get(t, tok, e.usersPath("v1")+"/A").status)
}

// PageTokenOnly lets first pages through, however many, and fails the
// next page of a walk, whenever the fault was set.
func TestFaultPageTokenOnly(t *testing.T) {
	e := newEnv(t, Config{})
	e.sim.Generate(3)
	tok := e.token(t)
	e.sim.SetFault(Fault{Endpoint: EndpointList, Status: http.StatusBadRequest, PageTokenOnly: true, Count: 1})
	first := e.usersPath("v1") + "?max_page_size=2"
	var page struct {
		NextPageToken string `json:"next_page_token"`
	}
	for range 3 {
		a := e.get(t, tok, first)
		require.Equal(t, http.StatusOK, a.status, "a first page is never faulted")
		a.json(t, &page)
	}
	require.NotEmpty(t, page.NextPageToken)
	next := first + "&page_token=" + url.QueryEscape(page.NextPageToken)
	assert.Equal(t, http.StatusBadRequest, e.get(t, tok, next).status)
	assert.Equal(t, http.StatusOK, e.get(t, tok, next).status, "Count 1: over")
}
