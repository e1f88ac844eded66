package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"go.opentelemetry.io/collector/config/configopaque"
	"go.opentelemetry.io/collector/confmap"
)

// durationKeys are the receiver's duration settings. A bare number there is
// read by the decoder as nanoseconds ("poll_interval: 10" is 10ns), which is
// never what a user meant, so a number other than 0 is refused with a hint.
var durationKeys = []string{
	"poll_interval",
	"cursor_reset_overlap",
	"token_expiry_warning",
	"timeout",
	"retry_on_failure::initial_interval",
	"retry_on_failure::max_interval",
	"retry_on_failure::max_elapsed_time",
	"users::poll_interval",
	"users::inventory_interval",
}

// Unmarshal reads the receiver's configuration. It adds to the collector's
// decoding what users otherwise trip over: the token's surrounding
// whitespace (a file or variable that ends in a line break) is dropped, a
// duration without a unit or a start_time without a zone is explained in
// words instead of Go's parser errors, and no decoding error ever carries
// the token, wherever it was put.
func (cfg *Config) Unmarshal(conf *confmap.Conf) error {
	secrets := secretsIn(conf)
	if err := precheck(conf); err != nil {
		return redactError(err, secrets)
	}
	if err := conf.Unmarshal(cfg); err != nil {
		return redactError(err, secrets)
	}
	cfg.Token = configopaque.String(strings.TrimSpace(string(cfg.Token)))
	cfg.Users.ClientSecret = configopaque.String(strings.TrimSpace(string(cfg.Users.ClientSecret)))
	cfg.Users.ClientID = strings.TrimSpace(cfg.Users.ClientID)
	return nil
}

// precheck refuses, with a message that says what is expected, the values
// whose decoding errors would be cryptic.
func precheck(conf *confmap.Conf) error {
	var errs []error
	for _, key := range durationKeys {
		if err := checkDuration(key, conf.Get(key)); err != nil {
			errs = append(errs, err)
		}
	}
	if s, ok := conf.Get("start_time").(string); ok && strings.TrimSpace(s) != "" {
		if _, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s)); err != nil {
			errs = append(errs, fmt.Errorf("start_time: %s is not an RFC 3339 time with a zone; write it like 2026-11-25T00:00:00Z (UTC) or 2026-11-25T00:00:00+01:00", quoteValue(s)))
		}
	}
	return errors.Join(errs...)
}

func checkDuration(key string, v any) error {
	switch v := v.(type) {
	case int, int64, uint64, float64:
		if fmt.Sprint(v) == "0" {
			return nil // 0 means the same with or without a unit
		}
		return fmt.Errorf("%s: %v has no unit; use a duration with a unit, such as 10s, 5m or 1h", key, v)
	case string:
		if _, err := time.ParseDuration(strings.TrimSpace(v)); err != nil {
			return fmt.Errorf("%s: %s is not a duration; use a number with a unit, such as 10s, 5m or 1h", key, quoteValue(v))
		}
	}
	return nil
}

// secretsIn returns the secret values of the configuration as given, so
// that errors about other keys can be scrubbed of them.
func secretsIn(conf *confmap.Conf) []string {
	var out []string
	for _, key := range []string{"token", "users::client_secret"} {
		if s, ok := conf.Get(key).(string); ok {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// jwtLike matches a JSON Web Token, the shape of every Events API token: a
// base64url JSON header (so "eyJ"), a payload and a signature.
var jwtLike = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)

const redacted = "[redacted: a token or secret]"

// looksSecret tells whether s is or holds a token or a configured secret.
func looksSecret(s string, secrets []string) bool {
	for _, secret := range secrets {
		if secret != "" && strings.Contains(s, secret) {
			return true
		}
	}
	return jwtLike.MatchString(s)
}

// quoteValue quotes a configured value for an error message, unless it is
// or holds something that looks like a token: then it says so instead.
func quoteValue(s string) string { return quoteValueHiding(s) }

// quoteValueHiding is quoteValue that also withholds a value holding one of
// the configured secrets (the users client secret is no JWT).
func quoteValueHiding(s string, secrets ...string) string {
	for _, secret := range secrets {
		if secret != "" && strings.Contains(s, secret) {
			return "(a value that holds a configured secret, not shown)"
		}
	}
	if looksSecret(s, nil) {
		return "(a value that looks like a token, not shown)"
	}
	return fmt.Sprintf("%q", s)
}

// redactError rewrites err's text without any secret or token-like value.
func redactError(err error, secrets []string) error {
	msg := err.Error()
	if !looksSecret(msg, secrets) {
		return err
	}
	for _, secret := range secrets {
		msg = strings.ReplaceAll(msg, secret, redacted)
	}
	return errors.New(jwtLike.ReplaceAllString(msg, redacted))
}
