package eventsapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/apierror"
	"github.com/onepassword-otel/onepasswordreceiver/internal/apihttp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestClientErrors(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		header    map[string]string
		body      string
		wantClass apierror.Class
		wantMsg   string
		wantRA    time.Duration
	}{
		{name: "401 observed shape", status: 401, body: `{"Error":{"Message":"Unauthorized"}}`, wantClass: apierror.Unauthorized, wantMsg: "401 Unauthorized: Unauthorized"},
		{name: "400 documented shape", status: 400, body: `{"status":400,"message":"Bad Request"}`, wantClass: apierror.BadRequest, wantMsg: "Bad Request"},
		{name: "429 with Retry-After", status: 429, header: map[string]string{"Retry-After": "3"}, body: `{}`, wantClass: apierror.RateLimited, wantRA: 3 * time.Second},
		{name: "500 plain text", status: 500, body: "upstream\nexploded", wantClass: apierror.Transient, wantMsg: "upstream exploded"},
		{name: "404 text", status: 404, body: "404 page not found", wantClass: apierror.OtherClientError, wantMsg: "404 page not found"},
		{name: "403", status: 403, body: "", wantClass: apierror.Unauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			c := NewClient(srv.Client(), srv.URL, "tok", "ua")
			defer c.CloseIdleConnections()
			var buf bytes.Buffer
			_, err := c.Post(context.Background(), "/api/v2/auditevents", []byte(`{}`), &buf)
			require.Error(t, err)
			assert.Equal(t, tt.wantClass, apierror.Classify(err))
			assert.Contains(t, err.Error(), tt.wantMsg)
			assert.NotContains(t, err.Error(), "tok")
			var apiErr *apierror.Error
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.wantRA, apiErr.RetryAfter)
		})
	}
}

func TestClientSendsBearerAndBody(t *testing.T) {
	var gotAuth, gotBody, gotUA string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth, gotUA = r.Header.Get("Authorization"), r.Header.Get("User-Agent")
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		_, _ = io.WriteString(w, `{"cursor":"c","has_more":false,"items":[]}`)
	}))
	defer srv.Close()
	c := NewClient(srv.Client(), srv.URL+"/", "tok", "onepasswordreceiver/test")
	defer c.CloseIdleConnections()
	var buf bytes.Buffer
	_, err := c.Post(context.Background(), "/api/v2/itemusages", []byte(`{"cursor":"x"}`), &buf)
	require.NoError(t, err)
	assert.Equal(t, "Bearer tok", gotAuth)
	assert.Equal(t, "onepasswordreceiver/test", gotUA)
	assert.JSONEq(t, `{"cursor":"x"}`, gotBody)
	assert.Contains(t, buf.String(), `"cursor":"c"`)
}

func TestClientRefusesHugeBodies(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("x"), 1<<20)
		for range MaxBodyBytes>>20 + 1 {
			_, _ = w.Write(chunk)
		}
	}))
	defer srv.Close()
	c := NewClient(srv.Client(), srv.URL, "tok", "")
	defer c.CloseIdleConnections()
	var buf bytes.Buffer
	_, err := c.Post(context.Background(), "/api/v2/itemusages", nil, &buf)
	var decodeErr *apierror.DecodeError
	require.ErrorAs(t, err, &decodeErr)
}

// A token no header can carry is refused before the transport, as a
// request that cannot be sent, never as a network error to retry.
func TestClientRefusesAnUnsendableToken(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { served.Add(1) }))
	defer srv.Close()
	for _, token := range []string{"tok\n", "to\r\nk", "tok\x00", "tok\x7f"} {
		c := NewClient(srv.Client(), srv.URL, token, "")
		var buf bytes.Buffer
		_, err := c.Post(context.Background(), "/api/v2/itemusages", []byte(`{}`), &buf)
		require.Error(t, err)
		assert.Equal(t, apierror.Unsendable, apierror.Classify(err), "%q", token)
		assert.NotContains(t, err.Error(), token)
		_, err = c.Introspect(context.Background())
		assert.Equal(t, apierror.Unsendable, apierror.Classify(err))
		c.CloseIdleConnections()
	}
	assert.Zero(t, served.Load(), "nothing reached the server")
	assert.True(t, apihttp.ValidHeaderValue("Bearer eyJ.abc\tdef"))
}
