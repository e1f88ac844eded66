package usersim

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAdminApply(t *testing.T) {
	tests := []struct {
		name       string
		ops        []Op
		wantStatus int
		want       []User // ID, DisplayName, State checked
	}{
		{"add", []Op{{Op: OpAdd, User: &User{ID: "A", DisplayName: "Ann"}}}, http.StatusNoContent, []User{{ID: "A", DisplayName: "Ann", State: StateActive}}},
		{"insert first", []Op{{Op: OpAdd, User: &User{ID: "A"}}, {Op: OpInsert, Index: 0, User: &User{ID: "B"}}}, http.StatusNoContent, []User{{ID: "B", State: StateActive}, {ID: "A", State: StateActive}}},
		{"remove", []Op{{Op: OpAdd, User: &User{ID: "A"}}, {Op: OpAdd, User: &User{ID: "B"}}, {Op: OpRemove, ID: "A"}}, http.StatusNoContent, []User{{ID: "B", State: StateActive}}},
		{"rename", []Op{{Op: OpAdd, User: &User{ID: "A"}}, {Op: OpRename, ID: "A", DisplayName: "Zed"}}, http.StatusNoContent, []User{{ID: "A", DisplayName: "Zed", State: StateActive}}},
		{"suspend", []Op{{Op: OpAdd, User: &User{ID: "A"}}, {Op: OpSuspend, ID: "A"}}, http.StatusNoContent, []User{{ID: "A", State: StateSuspended}}},
		{"reactivate", []Op{{Op: OpAdd, User: &User{ID: "A", State: StateSuspended}}, {Op: OpReactivate, ID: "A"}}, http.StatusNoContent, []User{{ID: "A", State: StateActive}}},
		{"unknown state", []Op{{Op: OpAdd, User: &User{ID: "A"}}, {Op: OpSetState, ID: "A", State: "TRANSFER_PENDING"}}, http.StatusNoContent, []User{{ID: "A", State: "TRANSFER_PENDING"}}},
		{"unknown user", []Op{{Op: OpSuspend, ID: "NOPE"}}, http.StatusNotFound, []User{}},
		{"unknown op", []Op{{Op: "delete", ID: "A"}}, http.StatusBadRequest, []User{}},
		{"add without user", []Op{{Op: OpAdd}}, http.StatusBadRequest, []User{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Config{})
			var last int
			for _, op := range tt.ops {
				last = e.admin(t, http.MethodPost, "apply", op).status
			}
			assert.Equal(t, tt.wantStatus, last)
			var got []User
			e.admin(t, http.MethodGet, "users", nil).json(t, &got)
			require.Len(t, got, len(tt.want))
			for i := range got {
				assert.Equal(t, tt.want[i].ID, got[i].ID)
				assert.Equal(t, tt.want[i].DisplayName, got[i].DisplayName)
				assert.Equal(t, tt.want[i].State, got[i].State)
			}
		})
	}
}

func TestAdminRoutes(t *testing.T) {
	e := newEnv(t, Config{})
	var gen struct {
		IDs []string `json:"ids"`
	}
	a := e.admin(t, http.MethodPost, "generate", map[string]int{"count": 12})
	require.Equal(t, http.StatusOK, a.status)
	a.json(t, &gen)
	require.Len(t, gen.IDs, 12)
	assert.Equal(t, http.StatusBadRequest, e.admin(t, http.MethodPost, "generate", map[string]int{"count": -1}).status)
	assert.Equal(t, http.StatusBadRequest, e.admin(t, http.MethodPost, "fault", "not an object").status)

	tok := e.token(t)
	require.Equal(t, http.StatusNoContent, e.admin(t, http.MethodPost, "fault", Fault{Endpoint: EndpointList, Status: 503, RetryAfter: "2"}).status)
	assert.Equal(t, http.StatusServiceUnavailable, e.get(t, tok, e.usersPath("v1")).status)
	require.Equal(t, http.StatusNoContent, e.admin(t, http.MethodDelete, "fault", nil).status)

	require.Equal(t, http.StatusNoContent, e.admin(t, http.MethodPost, "before_next_page", Op{Op: OpRemove, ID: gen.IDs[0]}).status)
	ids, _ := e.walk(t, "v1", tok, "max_page_size=6")
	assert.Len(t, ids, 11, "the removal before page 2 skipped one user")
	assert.NotContains(t, ids, gen.IDs[6])

	var st Stats
	e.admin(t, http.MethodGet, "stats", nil).json(t, &st)
	assert.Equal(t, 3, st.ListRequests)
	assert.Equal(t, 1, st.TokensIssued)
	assert.Equal(t, 6, st.LastPageSize)
}

func TestAdminLoopbackOnly(t *testing.T) {
	assert.True(t, loopback("127.0.0.1:5000"))
	assert.True(t, loopback("[::1]:5000"))
	assert.False(t, loopback("192.0.2.1:5000"))
	assert.False(t, loopback("garbage"))

	sim := New(Config{})
	req, _ := http.NewRequest(http.MethodGet, AdminPrefix+"stats", http.NoBody)
	req.RemoteAddr = "192.0.2.1:5000"
	rec := httptest.NewRecorder()
	sim.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusForbidden, rec.Code)
}
