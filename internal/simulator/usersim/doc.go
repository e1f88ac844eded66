// Package usersim is an in-process stand-in for the 1Password Users API:
// the OAuth 2.0 client-credentials token endpoint of both API versions
// (v1 /v1/oauth/token, v1beta1 /v1beta1/users/oauth2/token) with HTTP Basic
// client authentication and expiring opaque access tokens, and the list, get,
// suspend and reactivate user endpoints.
//
// Listing pages with offset-style page tokens (base64 of a tiny protobuf
// message holding the offset, as the vendor's example token CAIQAg does), so a
// roster that changes during a walk shifts the pages exactly as the real API
// is suspected to. max_page_size defaults to 25 and is capped at 1000; the
// filters user.isActive() and user.isSuspended() are served and any other
// filter is an InvalidArgument error (HTTP 400).
//
// Tests drive it through Go methods (AddUser, RemoveUser, Generate,
// SetFault, BeforeNextPage, ...) or, for a simulator in another process,
// through the admin routes under AdminPrefix. Sim is an http.Handler: the
// main simulator server mounts it beside the Events API.
package usersim
