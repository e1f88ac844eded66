package apierror

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want Class
	}{
		{name: "no answer", err: errors.New("connection refused"), want: Transient},
		{name: "malformed body", err: &DecodeError{API: "events API", Err: errors.New("bad")}, want: Transient},
		{name: "500", err: &Error{Status: 500}, want: Transient},
		{name: "503", err: &Error{Status: 503}, want: Transient},
		{name: "429", err: &Error{Status: 429}, want: RateLimited},
		{name: "401", err: &Error{Status: 401}, want: Unauthorized},
		{name: "403", err: &Error{Status: 403}, want: Unauthorized},
		{name: "400", err: &Error{Status: 400}, want: BadRequest},
		{name: "404", err: &Error{Status: 404}, want: OtherClientError},
		{name: "409", err: &Error{Status: 409}, want: OtherClientError},
		{name: "a request that cannot be built", err: &RequestError{API: "events API", Err: errors.New("bad header")}, want: Unsendable},
		{name: "wrapped", err: fmt.Errorf("fetch: %w", &Error{Status: 429}), want: RateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Classify(tt.err))
		})
	}
}

func TestStatusClass(t *testing.T) {
	for status, want := range map[int]string{0: "error", 200: "2xx", 204: "2xx", 302: "3xx", 401: "4xx", 429: "4xx", 500: "5xx", 503: "5xx"} {
		assert.Equal(t, want, StatusClass(status), "status %d", status)
	}
}

func TestMessages(t *testing.T) {
	assert.Equal(t, "users API answered 404 Not Found", (&Error{API: "users API", Status: 404}).Error())
	assert.Equal(t, "events API answered 429 Too Many Requests: slow down", (&Error{API: "events API", Status: 429, Message: "slow down"}).Error())
	assert.Equal(t, "malformed events API response: eof", (&DecodeError{API: "events API", Err: errors.New("eof")}).Error())
	assert.Equal(t, "cannot send the events API request: bad", (&RequestError{API: "events API", Err: errors.New("bad")}).Error())
}
