//go:build e2e

package e2e

import (
	"strings"
	"testing"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// TestValidateNeverPrintsAMisplacedToken runs the binary's `validate` on
// configs where the token sits under the wrong key, the way a user gets
// there by swapping two variables. Each must be refused, and the token
// must appear nowhere in what the command prints.
func TestValidateNeverPrintsAMisplacedToken(t *testing.T) {
	e2ekit.BinaryPath(t) // fails at once without the binary
	token := startSim(t, simulator.Config{}).token
	payload := strings.Split(token, ".")[1]
	tests := []struct {
		name     string
		receiver string // the receiver's settings; $T is the token
		want     string // what the refusal says instead
	}{
		{name: "endpoint", receiver: "token: https://events.1password.com\n    endpoint: ${env:T}", want: "endpoint: holds what looks like the Events API token"},
		{name: "endpoint, no token", receiver: "endpoint: ${env:T}", want: "token: required"},
		{name: "api_version", receiver: "token: ${env:T}\n    api_version: ${env:T}", want: "api_version: (a value that looks like a token, not shown)"},
		{name: "poll_interval", receiver: "token: ${env:T}\n    poll_interval: ${env:T}", want: "poll_interval: (a value that looks like a token, not shown) is not a duration"},
		{name: "start_time", receiver: "token: ${env:T}\n    start_time: ${env:T}", want: "start_time: (a value that looks like a token, not shown) is not an RFC 3339 time"},
		{name: "page_size", receiver: "token: ${env:T}\n    page_size: ${env:T}", want: "'page_size' expected type 'int'"},
		{name: "storage", receiver: "token: ${env:T}\n    storage: ${env:T}", want: "'storage' in \"[redacted: a token or secret]\" id"},
		{name: "proxy_url", receiver: "token: ${env:T}\n    proxy_url: ${env:T}", want: "proxy_url: holds what looks like the Events API token"},
		{name: "an unknown key", receiver: "token: ${env:T}\n    tokne: ${env:T}", want: "has invalid keys: tokne"},
		{name: "a stream switch", receiver: "token: ${env:T}\n    audit_events:\n      enabled: ${env:T}", want: "'audit_events.enabled' expected type 'bool'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			config := "receivers:\n  onepassword:\n    " + tt.receiver + `
exporters:
  nop:
service:
  pipelines:
    logs:
      receivers: [onepassword]
      exporters: [nop]
`
			out, err := runValidate(t, config, "T="+token)
			if err == nil {
				t.Fatalf("validate accepted a token under %s:\n%s", tt.name, out)
			}
			if strings.Contains(string(out), token) || strings.Contains(string(out), payload) {
				t.Errorf("validate printed the token:\n%s", out)
			}
			if !strings.Contains(string(out), tt.want) {
				t.Errorf("validate's refusal does not say %q:\n%s", tt.want, out)
			}
		})
	}
}
