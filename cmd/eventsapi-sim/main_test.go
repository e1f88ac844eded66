package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// lockedBuffer collects output written by run's goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func call(t *testing.T, method, url, token, body string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

func TestRunServesUntilCancelled(t *testing.T) {
	defer http.DefaultClient.CloseIdleConnections()
	tokenFile := filepath.Join(t.TempDir(), "tokens")
	credFile := filepath.Join(t.TempDir(), "users")
	var stdout, stderr lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{
			"-addr", "127.0.0.1:0", "-accounts", "2", "-events", "40", "-rate", "0",
			"-features", "auditevents,signinattempts", "-token-ttl", "1h", "-rpm", "0",
			"-token-file", tokenFile, "-users", "7", "-users-credentials-file", credFile,
		}, &stdout, &stderr)
	}()

	var url string
	require.Eventually(t, func() bool {
		for _, line := range strings.Split(stdout.String(), "\n") {
			if rest, ok := strings.CutPrefix(line, "listening on "); ok {
				url = strings.Fields(rest)[0]
				return true
			}
		}
		return false
	}, 20*time.Second, 10*time.Millisecond, "stdout: %s stderr: %s", &stdout, &stderr)

	raw, err := os.ReadFile(tokenFile)
	require.NoError(t, err)
	info, err := os.Stat(tokenFile)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	tokens := strings.Fields(string(raw))
	require.Len(t, tokens, 2)

	out := stdout.String()
	assert.Contains(t, out, "receiver config (plain http: the simulator has no TLS):\n  receivers:\n    onepassword:\n      token: ${env:OP_EVENTS_API_TOKEN}   # the first line of "+tokenFile+"\n      endpoint: "+url+"\n",
		"a ready-to-paste receiver block with the plain-http endpoint")
	var uuids []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) > 2 && f[0] == "account" {
			uuids = append(uuids, strings.TrimPrefix(f[2], "uuid="))
		}
	}
	require.Len(t, uuids, 2, out)
	for _, tok := range tokens {
		assert.NotContains(t, out, tok, "tokens never go to stdout")
		assert.NotContains(t, stderr.String(), tok)
		for _, part := range strings.Split(tok, ".") {
			assert.NotContains(t, out, part)
		}
	}

	// the token carries the requested features, account, audience and expiry
	claims, err := simulator.ParseToken(tokens[1])
	require.NoError(t, err)
	assert.Equal(t, uuids[1], claims.AccountUUID)
	assert.Equal(t, []string{"auditevents", "signinattempts"}, claims.Features)
	assert.Equal(t, strings.TrimPrefix(url, "http://"), claims.Audience)
	assert.WithinDuration(t, time.Now().Add(time.Hour), claims.ExpiresAt, time.Minute)

	code, body := call(t, http.MethodGet, url+"/api/v2/auth/introspect", tokens[0], "")
	require.Equal(t, http.StatusOK, code)
	var intro struct {
		Features    []string `json:"features"`
		AccountUUID string   `json:"account_uuid"`
	}
	require.NoError(t, json.Unmarshal(body, &intro))
	assert.Equal(t, uuids[0], intro.AccountUUID)

	start := time.Now().Add(-8 * 24 * time.Hour).UTC().Format(time.RFC3339)
	code, body = call(t, http.MethodPost, url+"/api/v1/auditevents", tokens[0], `{"limit":1000,"start_time":"`+start+`"}`)
	require.Equal(t, http.StatusOK, code)
	var p struct {
		Items []json.RawMessage `json:"items"`
	}
	require.NoError(t, json.Unmarshal(body, &p))
	assert.Len(t, p.Items, 40, "pre-generated events spread over the last 7 days")

	code, _ = call(t, http.MethodPost, url+"/api/v2/itemusages", tokens[0], `{}`)
	assert.Equal(t, http.StatusUnauthorized, code, "the token lacks itemusages")

	code, body = call(t, http.MethodGet, url+"/_sim/stats", "", "")
	require.Equal(t, http.StatusOK, code)
	var st simulator.Stats
	require.NoError(t, json.Unmarshal(body, &st))
	assert.Equal(t, uuids, st.Accounts)

	// The Users API of the first account, its credentials in the file only.
	raw, err = os.ReadFile(credFile)
	require.NoError(t, err)
	creds := strings.Fields(string(raw))
	require.Len(t, creds, 2, "client id and client secret")
	assert.Contains(t, out, "users api: account="+uuids[0]+" client_id="+creds[0]+" users=7")
	assert.Contains(t, out, "endpoint: "+url+"\n      users:", "the users section follows the receiver block")
	assert.Contains(t, out, "        client_id: "+creds[0]+"\n        client_secret: ${env:OP_USERS_CLIENT_SECRET}   # the second line of "+credFile+"\n        endpoint: "+url+"\n")
	assert.NotContains(t, out, creds[1], "the client secret never goes to stdout")
	assert.NotContains(t, stderr.String(), creds[1])
	code, body = call(t, http.MethodGet, url+"/_sim/users/users", "", "")
	require.Equal(t, http.StatusOK, code)
	var users []map[string]any
	require.NoError(t, json.Unmarshal(body, &users))
	assert.Len(t, users, 7)

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancellation")
	}
}

func TestCheckLoopback(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:8900", true},
		{"127.1.2.3:0", true},
		{"localhost:8900", true},
		{"[::1]:8900", true},
		{":8900", false},
		{"0.0.0.0:8900", false},
		{"[::]:8900", false},
		{"192.0.2.10:8900", false},
		{"example.com:8900", false},
		{"127.0.0.1", false}, // no port
	}
	for _, tc := range tests {
		err := checkLoopback(tc.addr)
		if tc.ok {
			assert.NoError(t, err, tc.addr)
		} else {
			assert.Error(t, err, tc.addr)
		}
	}
}

func TestRunRefusesBadInvocations(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"non-loopback", []string{"-addr", "0.0.0.0:0"}, "-allow-non-loopback"},
		{"all interfaces", []string{"-addr", ":0"}, "not on loopback"},
		{"no accounts", []string{"-accounts", "0"}, "-accounts"},
		{"unknown feature", []string{"-features", "auditevents,users"}, `unknown feature "users"`},
		{"no feature", []string{"-features", ","}, "at least one feature"},
		{"negative rpm", []string{"-rpm", "-1"}, "-rpm"},
		{"late fraction", []string{"-late-fraction", "1.5"}, "-late-fraction"},
		{"error shape", []string{"-error-shape", "xml"}, "-error-shape"},
		{"stray argument", []string{"extra"}, "unexpected arguments"},
		{"unknown flag", []string{"-nope"}, "not defined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr lockedBuffer
			err := run(context.Background(), tc.args, &stdout, &stderr)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, stdout.String())
		})
	}
}

func TestUsageNamesTheAdminAPI(t *testing.T) {
	var stdout, stderr lockedBuffer
	err := run(context.Background(), []string{"-h"}, &stdout, &stderr)
	require.Error(t, err)
	for _, want := range []string{"/_sim/faults", "/_sim/stats", "/_sim/events", "/_sim/reset", `"unauthorized"`, "endpoint: http://127.0.0.1:8900", "-token-file"} {
		assert.Contains(t, stderr.String(), want)
	}
}
