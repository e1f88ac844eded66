package roster

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseUser(t *testing.T) {
	tests := []struct {
		name      string
		raw       string
		wantID    string
		wantState string
		wantErr   string
	}{
		{"documented", ` {"id":"IR7VJHJ36JHINBFAD7V2T5MP3E","state":"ACTIVE","path":"accounts/X/users/Y"} `, "IR7VJHJ36JHINBFAD7V2T5MP3E", "ACTIVE", ""},
		{"no state", `{"id":"A"}`, "A", "", ""},
		{"state not a string", `{"id":"A","state":3}`, "A", "", ""},
		{"escaped id", `{"id":"\u0041B"}`, "AB", "", ""},
		{"nested id is not the id", `{"x":{"id":"B"},"id":"A"}`, "A", "", ""},
		{"repeated id: last wins", `{"id":"A","id":"B"}`, "B", "", ""},
		{"no id", `{"email":"a@x"}`, "", "", "no id"},
		{"empty id", `{"id":""}`, "", "", "no id"},
		{"id not a string", `{"id":5}`, "", "", "no id"},
		{"array", `[]`, "", "", "not a JSON object"},
		{"invalid", `{"id":"A"`, "", "", "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseUser([]byte(tt.raw))
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantID, got.ID)
			assert.Equal(t, tt.wantState, got.State)
		})
	}
}

func TestParseUserCopies(t *testing.T) {
	page := []byte(`{"id":"A","state":"ACTIVE"}`)
	got := u(t, string(page))
	user, err := ParseUser(page)
	require.NoError(t, err)
	copy(page, "XXXXXXXXXXXXXXXXXXXX")
	assert.Equal(t, got.Raw, user.Raw, "the page buffer may be reused")
}

func TestParseUserEscapedKeys(t *testing.T) {
	got := u(t, `{"\u0069d":"A","st\u0061te":"ACTIVE"}`)
	assert.Equal(t, "A", got.ID)
	assert.Equal(t, StateActive, got.State)
	assert.Equal(t, map[string][]byte{"id": []byte(`"A"`), "state": []byte(`"ACTIVE"`)}, membersOf(got.Raw))
}

func TestParsePageUserMatchesParseUser(t *testing.T) {
	for _, raw := range []string{`{"id":"A","state":"ACTIVE","email":"a@x"}`, ` {"id":"B","state":"SUSPENDED"} `, `{"state":"ACTIVE"}`, `["not an object"]`} {
		want, wantErr := ParseUser([]byte(raw))
		got, err := ParsePageUser([]byte(raw))
		assert.Equal(t, wantErr, err, raw)
		assert.Equal(t, want, got, raw)
	}
}
