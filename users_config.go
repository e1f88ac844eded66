package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"go.opentelemetry.io/collector/config/configopaque"

	"github.com/onepassword-otel/onepasswordreceiver/internal/eventsapi"
	"github.com/onepassword-otel/onepasswordreceiver/internal/usersapi"
)

// Defaults of the users source (contract §6.1).
const (
	defaultUsersPollInterval      = 5 * time.Minute
	defaultUsersInventoryInterval = 24 * time.Hour
	defaultUsersEndpoint          = "https://api.1password.com"
)

// UsersConfig is the `users` section: the Users API source, which reads the
// account's user roster and reports its changes. It is off by default.
type UsersConfig struct {
	Enabled bool `mapstructure:"enabled"`

	// ClientID and ClientSecret are the OAuth application's credentials
	// (scope "list users" only). The secret is never logged.
	ClientID     string              `mapstructure:"client_id"`
	ClientSecret configopaque.String `mapstructure:"client_secret"`

	// AccountID is the 26-character account UUID; default: the Events
	// token's account (its 1password.com/auuid claim).
	AccountID string `mapstructure:"account_id"`

	// Endpoint is the Users API base URL; default: the Users API host of the
	// Events token's region.
	Endpoint string `mapstructure:"endpoint"`

	// APIVersion is v1 (GA) or v1beta1 (the preview).
	APIVersion string `mapstructure:"api_version"`

	// PollInterval is the pause between passes, from the end of the last.
	PollInterval time.Duration `mapstructure:"poll_interval"`

	// PageSize is the max_page_size of the listing (1..1000) and the
	// largest batch of records handed to the pipeline.
	PageSize int `mapstructure:"page_size"`

	// InventoryInterval is how often every user is emitted; 0 = only the
	// baseline's inventory, then changes only.
	InventoryInterval time.Duration `mapstructure:"inventory_interval"`

	// prevent unkeyed literal initialization
	_ struct{}
}

func defaultUsersConfig() UsersConfig {
	return UsersConfig{
		APIVersion:        usersapi.VersionV1,
		PollInterval:      defaultUsersPollInterval,
		PageSize:          maxPageSize,
		InventoryInterval: defaultUsersInventoryInterval,
	}
}

// eventsSide is what the users section's validation needs to know about the
// rest of the receiver's configuration.
type eventsSide struct {
	// StreamsEnabled: at least one Events stream is on, so the Events token
	// is in use and both sources must read the same account.
	StreamsEnabled bool
	// TokenAccount is the Events token's 1password.com/auuid claim, "" when
	// there is no token or it names no account.
	TokenAccount string
	// TokenAudience is the Events token's aud host, "" when unknown.
	TokenAudience string
}

// eventsSideOf reads the claims of the Events token (no network, no
// signature check; the claims are hints). Errors are left to the Events
// side's own validation.
func eventsSideOf(token configopaque.String, streamsEnabled bool) eventsSide {
	side := eventsSide{StreamsEnabled: streamsEnabled}
	if token == "" {
		return side
	}
	if claims, err := eventsapi.ParseClaims(string(token)); err == nil {
		side.TokenAccount, side.TokenAudience = claims.AccountUUID, claims.Audience
	}
	return side
}

// validate checks the users section. Every message names the key and what
// it accepts; none contains the client secret.
func (u *UsersConfig) validate(ev eventsSide) error {
	if !u.Enabled {
		return nil
	}
	var errs []error
	if strings.TrimSpace(u.ClientID) == "" {
		errs = append(errs, errors.New("users::client_id: required when users is enabled; set it to the OAuth application's client ID, e.g. ${env:OP_USERS_CLIENT_ID}"))
	}
	if u.ClientSecret == "" {
		errs = append(errs, errors.New("users::client_secret: required when users is enabled; set it to the OAuth application's client secret, e.g. ${env:OP_USERS_CLIENT_SECRET}"))
	}
	if _, err := usersapi.TokenPath(u.APIVersion); err != nil {
		errs = append(errs, fmt.Errorf("users::api_version: %s is not supported; use %s or %s", u.quote(u.APIVersion), usersapi.VersionV1, usersapi.VersionV1Beta1))
	}
	if u.PollInterval < minPollInterval {
		errs = append(errs, fmt.Errorf("users::poll_interval: %s is too short; use at least %s", u.PollInterval, minPollInterval))
	}
	if u.PageSize < 1 || u.PageSize > maxPageSize {
		errs = append(errs, fmt.Errorf("users::page_size: %d is out of range; use 1 to %d", u.PageSize, maxPageSize))
	}
	if u.InventoryInterval < 0 {
		errs = append(errs, fmt.Errorf("users::inventory_interval: %s is negative; use 0 (only the first inventory) or more", u.InventoryInterval))
	}
	if err := u.validateAccount(ev); err != nil {
		errs = append(errs, err)
	}
	if _, err := u.baseURL(ev.TokenAudience); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (u *UsersConfig) validateAccount(ev eventsSide) error {
	if u.AccountID == "" {
		if ev.TokenAccount == "" {
			return errors.New("users::account_id: required, because no Events token names the account (1password.com/auuid claim); set it to the 26-character account UUID")
		}
		return nil
	}
	if !isAccountUUID(u.AccountID) {
		return fmt.Errorf("users::account_id: %s is not an account UUID; use the 26 upper-case letters and digits shown in the web app's URL", u.quote(u.AccountID))
	}
	if ev.StreamsEnabled && ev.TokenAccount != "" && ev.TokenAccount != u.AccountID {
		return fmt.Errorf("users::account_id: %s differs from the Events token's account %s; one receiver instance reads one account, so leave account_id unset or use a receiver instance per account", u.AccountID, ev.TokenAccount)
	}
	return nil
}

// quote quotes a value for an error message, withholding it when it holds
// the client secret or looks like a token.
func (u *UsersConfig) quote(s string) string { return quoteValueHiding(s, string(u.ClientSecret)) }

// isAccountUUID accepts 26 upper-case ASCII letters and digits.
func isAccountUUID(s string) bool {
	if len(s) != 26 {
		return false
	}
	for i := range len(s) {
		if c := s[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// accountID is the account the users source reads: account_id, or the
// Events token's account.
func (u *UsersConfig) accountID(tokenAccount string) string {
	if u.AccountID != "" {
		return u.AccountID
	}
	return tokenAccount
}

// usersEndpointForRegion maps the Events host of a token to the Users API
// host of the same region: events.1password.ca -> api.1password.ca, .eu ->
// .eu, anything else (including .com, ent.1password.com and no host) ->
// api.1password.com.
func usersEndpointForRegion(eventsHost string) string {
	host := strings.ToLower(strings.TrimSuffix(eventsHost, "."))
	switch {
	case host == "1password.ca" || strings.HasSuffix(host, ".1password.ca"):
		return "https://api.1password.ca"
	case host == "1password.eu" || strings.HasSuffix(host, ".1password.eu"):
		return "https://api.1password.eu"
	}
	return defaultUsersEndpoint
}

// baseURL returns the Users API base URL: endpoint, or the host of the
// Events token's region. Plain http is refused unless the host is
// loopback, so the client secret never crosses a network in clear text.
func (u *UsersConfig) baseURL(tokenAudience string) (string, error) {
	endpoint := u.Endpoint
	if endpoint == "" {
		return usersEndpointForRegion(tokenAudience), nil
	}
	parsed, err := url.Parse(endpoint)
	if err != nil || parsed.Host == "" {
		return "", fmt.Errorf("users::endpoint: %s is not a URL; use https://api.1password.com, https://api.1password.ca or https://api.1password.eu", u.quote(endpoint))
	}
	switch parsed.Scheme {
	case "https":
	case "http":
		if !isLoopback(parsed.Hostname()) {
			return "", fmt.Errorf("users::endpoint: %s uses plain http to a host that is not loopback; use https (http is accepted only for localhost, 127.0.0.0/8 and [::1])", u.quote(endpoint))
		}
	default:
		return "", fmt.Errorf("users::endpoint: scheme %s is not supported; use https", u.quote(parsed.Scheme))
	}
	if parsed.RawQuery != "" || parsed.Fragment != "" {
		return "", fmt.Errorf("users::endpoint: %s must not carry a query or fragment", u.quote(endpoint))
	}
	return strings.TrimRight(parsed.Scheme+"://"+parsed.Host+parsed.EscapedPath(), "/"), nil
}
