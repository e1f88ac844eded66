// Package usersapi is the client of the 1Password Users API: OAuth 2.0
// client-credentials tokens (HTTP Basic client authentication) and the walk
// over the paged user listing. It never logs; its errors never contain the
// client secret or an access token.
package usersapi // import "github.com/onepassword-otel/onepasswordreceiver/internal/usersapi"

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/collector/config/configopaque"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// APIName names this API in errors (apierror.Error.API).
const APIName = "users API"

// API versions.
const (
	VersionV1      = "v1"      // GA
	VersionV1Beta1 = "v1beta1" // the preview
)

// DefaultMaxPages caps a walk when Config.MaxPages is 0: ten million users at
// the largest page size, far beyond any account, but a bound on a server that
// never stops handing out page tokens.
const DefaultMaxPages = 10_000

// MaxBodyBytes bounds a response body. A page of 1,000 users is about 250 KiB.
const MaxBodyBytes = 64 << 20

// Config says which account to read and how to authenticate.
type Config struct {
	Endpoint     string // scheme://host[:port], e.g. https://api.1password.com
	APIVersion   string // VersionV1 or VersionV1Beta1
	AccountID    string
	ClientID     string
	ClientSecret configopaque.String // masked when the Config is printed
	UserAgent    string              // e.g. otelcol-onepassword/1.2.3; sent on every request
	MaxPages     int                 // pages a walk may take; 0 = DefaultMaxPages
}

// TokenPath is the token endpoint of an API version.
func TokenPath(version string) (string, error) {
	switch version {
	case VersionV1:
		return "/v1/oauth/token", nil
	case VersionV1Beta1:
		return "/v1beta1/users/oauth2/token", nil
	}
	return "", fmt.Errorf("unknown users API version %q; use %s or %s", version, VersionV1, VersionV1Beta1)
}

// Client reads one account's users. It is safe for concurrent use.
type Client struct {
	http      *http.Client
	tokenHTTP *http.Client // http with the User-Agent added, for the oauth2 package
	oauth     clientcredentials.Config
	usersURL  string // <endpoint>/<version>/accounts/<account>/users
	userAgent string
	maxPages  int
	now       func() time.Time

	mu      sync.Mutex
	auth    string    // "Bearer <access token>"; "" = none yet
	renewAt time.Time // when auth is too close to expiry; zero = never
	tokens  int       // tokens obtained, for tests and metrics
}

// NewClient builds a client. httpClient carries the collector's confighttp
// settings (proxy, TLS, timeout).
func NewClient(httpClient *http.Client, cfg Config) (*Client, error) {
	tokenPath, err := TokenPath(cfg.APIVersion)
	if err != nil {
		return nil, err
	}
	if cfg.AccountID == "" || strings.ContainsAny(cfg.AccountID, "/?#%") {
		return nil, errors.New("users API account id must be set and hold no URL delimiters")
	}
	base := strings.TrimRight(cfg.Endpoint, "/")
	if u, err := url.Parse(base); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("users API endpoint %q is not an http(s) URL", cfg.Endpoint)
	}
	maxPages := cfg.MaxPages
	if maxPages <= 0 {
		maxPages = DefaultMaxPages
	}
	tokenHTTP := *httpClient
	tokenHTTP.Transport = &userAgentTransport{base: httpClient.Transport, userAgent: cfg.UserAgent}
	return &Client{
		http:      httpClient,
		tokenHTTP: &tokenHTTP,
		oauth: clientcredentials.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: string(cfg.ClientSecret),
			TokenURL:     base + tokenPath,
			AuthStyle:    oauth2.AuthStyleInHeader,
		},
		usersURL:  base + "/" + cfg.APIVersion + "/accounts/" + cfg.AccountID + "/users",
		userAgent: cfg.UserAgent,
		maxPages:  maxPages,
		now:       time.Now,
	}, nil
}

// TokensObtained counts the access tokens the client has obtained.
func (c *Client) TokensObtained() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tokens
}

// CloseIdleConnections releases keep-alive connections (on Shutdown).
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// userAgentTransport adds the User-Agent to the token requests, which the
// oauth2 package builds itself.
type userAgentTransport struct {
	base      http.RoundTripper
	userAgent string
}

// CloseIdleConnections passes the call on, so that Shutdown reaches the
// pooled connections under the wrapper.
func (t *userAgentTransport) CloseIdleConnections() { closeIdle(t.base) }

// closeIdle closes rt's idle connections if it keeps any.
func closeIdle(rt http.RoundTripper) {
	if c, ok := rt.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

func (t *userAgentTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	if t.userAgent != "" && req.Header.Get("User-Agent") == "" {
		req = req.Clone(req.Context())
		req.Header.Set("User-Agent", t.userAgent)
	}
	return base.RoundTrip(req)
}
