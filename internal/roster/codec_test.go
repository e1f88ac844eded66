package roster

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMarshalRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		r    Roster
	}{
		{"empty, never inventoried", Roster{Users: map[string]Entry{}}},
		{"users and a pending one", func() Roster {
			r := rosterOf(t, 7, []User{u(t, ann), u(t, bob), u(t, `{"id":"\u00e9","n":[1,2.5,null]}`)}, "B")
			r.LastInventory = time.Date(2026, 11, 26, 12, 0, 0, 123, time.UTC)
			return r
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Marshal(tt.r)
			got, err := Unmarshal(b)
			require.NoError(t, err)
			assert.Equal(t, tt.r.Pass, got.Pass)
			assert.True(t, tt.r.LastInventory.Equal(got.LastInventory))
			require.Len(t, got.Users, len(tt.r.Users))
			for id, e := range tt.r.Users {
				assert.Equal(t, e, got.Users[id], id)
			}
			assert.Equal(t, b, Marshal(got), "deterministic")
		})
	}
}

func TestUnmarshalRejects(t *testing.T) {
	good := Marshal(rosterOf(t, 2, []User{u(t, ann)}))
	tests := []struct {
		name    string
		b       []byte
		wantErr string
	}{
		{"empty", nil, "unknown format"},
		{"other format", []byte("{}"), "unknown format"},
		{"newer version", append([]byte("OPR\x02"), good[4:]...), "unknown format"},
		{"truncated header", good[:5], "truncated"},
		{"truncated user", good[:len(good)-3], "user 0: truncated"},
		{"trailing bytes", append(append([]byte{}, good...), 0), "trailing bytes"},
		{"huge count", []byte("OPR\x01\x02\x00\xff\xff\xff\xff\x0f"), "larger than the data"},
		{"a user that is not JSON", []byte("OPR\x01\x02\x00\x01\x00\x03abc"), "user 0: user object is not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Unmarshal(tt.b)
			require.ErrorContains(t, err, tt.wantErr)
			assert.NotContains(t, err.Error(), "ann@example.com")
		})
	}
}

// TestStoredSizeIsProportional checks that 100,000 users store in about the
// size of their objects.
func TestStoredSizeIsProportional(t *testing.T) {
	const n = 100_000
	r := Roster{Users: make(map[string]Entry, n), Pass: 1}
	objects := 0
	for i := range n {
		x, err := ParseUser(fmt.Appendf(nil, `{"id":"U%025d","email":"user%d@example.com","display_name":"User %d","state":"ACTIVE","create_time":"2024-01-15T10:30:00Z","path":"accounts/SIMACCOUNTAAAAAAAAAAAAAAAA/users/U%025d"}`, i, i, i, i))
		if err != nil {
			t.Fatal(err)
		}
		r.Users[x.ID] = Entry{Raw: x.Raw, State: x.State}
		objects += len(x.Raw)
	}
	b := Marshal(r)
	assert.Less(t, len(b), objects+4*n, "at most 4 bytes per user besides its object")
	t.Logf("100,000 users: objects %d bytes, stored %d bytes", objects, len(b))
	got, err := Unmarshal(b)
	require.NoError(t, err)
	assert.Len(t, got.Users, n)
}
