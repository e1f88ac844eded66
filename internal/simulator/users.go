package simulator

import (
	"net/http"
	"strings"

	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator/usersim"
)

// usersPatterns are the routes of the Users API (package usersim).
var usersPatterns = []string{
	"POST /v1/oauth/token",
	"POST /v1beta1/users/oauth2/token",
	"GET /{version}/accounts/{account}/users",
	"GET /{version}/accounts/{account}/users/{user}",
	"POST /{version}/accounts/{account}/users/{user}",
}

// MountUsers serves a simulated Users API beside the Events API on the same
// address, its admin routes under usersim.AdminPrefix beside /_sim/. Call it
// before serving.
func (s *Server) MountUsers(users *usersim.Sim) {
	for _, p := range usersPatterns {
		s.Mount(p, users)
	}
	s.users.Store(users)
}

// serveUsersAdmin hands /_sim/users/... to the mounted Users API simulator
// and reports whether there was one.
func (s *Server) serveUsersAdmin(w http.ResponseWriter, r *http.Request) bool {
	users := s.users.Load()
	if users == nil || !strings.HasPrefix(r.URL.Path, usersim.AdminPrefix) {
		return false
	}
	users.ServeHTTP(w, r)
	return true
}
