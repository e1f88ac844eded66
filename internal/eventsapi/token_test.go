package eventsapi

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func jwt(payload string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"ES256"}`)) + "." + enc.EncodeToString([]byte(payload)) + ".c2ln"
}

func TestParseClaims(t *testing.T) {
	tests := []struct {
		name    string
		token   string
		want    Claims
		wantErr string
	}{
		{name: "full", token: jwt(`{"aud":["events.1password.com"],"exp":1800000000,"1password.com/auuid":"ACCT","1password.com/fts":["auditevents","signinattempts"]}`),
			want: Claims{Audience: "events.1password.com", AccountUUID: "ACCT", Features: []string{"auditevents", "signinattempts"}, ExpiresAt: time.Unix(1800000000, 0).UTC()}},
		{name: "aud as string, no exp", token: jwt(`{"aud":"events.1password.ca"}`), want: Claims{Audience: "events.1password.ca"}},
		{name: "legacy aud", token: jwt(`{"aud":["com.1password.streamingservice"]}`), want: Claims{}},
		{name: "not a JWT", token: "opaque-token", wantErr: "not a JWT"},
		{name: "bad base64", token: "a.!!!.c", wantErr: "not base64url"},
		{name: "not JSON", token: "a." + base64.RawURLEncoding.EncodeToString([]byte("nope")) + ".c", wantErr: "not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseClaims(tt.token)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				assert.NotContains(t, err.Error(), tt.token)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	c, _ := ParseClaims(jwt(`{"1password.com/fts":["itemusages"]}`))
	assert.True(t, c.HasFeature("itemusages"))
	assert.False(t, c.HasFeature("auditevents"))
}
