package eventsapi

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/onepassword-otel/onepasswordreceiver/internal/apierror"
)

// IntrospectPath is the current (v2) introspection endpoint.
const IntrospectPath = "/api/v2/auth/introspect"

// Introspection is the v2 introspect answer.
type Introspection struct {
	UUID        string   `json:"uuid"`
	IssuedAt    string   `json:"issued_at"`
	Features    []string `json:"features"`
	AccountUUID string   `json:"account_uuid"`
}

// Introspect asks the API which features the token has and which account
// issued it.
func (c *Client) Introspect(ctx context.Context) (Introspection, error) {
	var buf bytes.Buffer
	if _, err := c.Get(ctx, IntrospectPath, &buf); err != nil {
		return Introspection{}, err
	}
	var in Introspection
	if err := json.Unmarshal(buf.Bytes(), &in); err != nil {
		return Introspection{}, &apierror.DecodeError{API: apiName, Err: err}
	}
	return in, nil
}

// HasFeature reports whether the introspected token grants feature.
func (in Introspection) HasFeature(feature string) bool {
	for _, f := range in.Features {
		if f == feature {
			return true
		}
	}
	return false
}
