package roster

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// u parses a user object written in a test.
func u(t testing.TB, raw string) User {
	t.Helper()
	user, err := ParseUser([]byte(raw))
	require.NoError(t, err, raw)
	return user
}

// rosterOf builds a stored roster at pass; ids in pending are marked so.
func rosterOf(t testing.TB, pass uint64, users []User, pending ...string) Roster {
	t.Helper()
	r := Roster{Users: map[string]Entry{}, Pass: pass}
	for _, x := range users {
		r.Users[x.ID] = Entry{Raw: x.Raw, State: x.State}
	}
	for _, id := range pending {
		e, ok := r.Users[id]
		require.True(t, ok, id)
		e.Pending = true
		r.Users[id] = e
	}
	return r
}
