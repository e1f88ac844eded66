package onepasswordreceiver

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	bolterrors "go.etcd.io/bbolt/errors"
	"go.opentelemetry.io/collector/component"
)

func TestInstanceRegistry(t *testing.T) {
	acme := "onepassword/acme"
	acme2 := "onepassword/acme2"
	globex := "onepassword/globex"
	type step struct {
		claim     string // "token" or "account"
		id        string
		value     string
		wantOther string // "" = no conflict
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{name: "different tokens and accounts", steps: []step{
			{"token", acme, "t1", ""},
			{"token", globex, "t2", ""},
			{"account", acme, "A", ""},
			{"account", globex, "G", ""},
		}},
		{name: "one token, two instances", steps: []step{
			{"token", acme, "t1", ""},
			{"token", acme2, "t1", acme},
		}},
		{name: "one token, two instances: the account is not told again", steps: []step{
			{"token", acme, "t1", ""},
			{"token", acme2, "t1", acme},
			{"account", acme, "A", ""},
			{"account", acme2, "A", ""},
		}},
		{name: "two tokens of one account", steps: []step{
			{"token", acme, "t1", ""},
			{"token", acme2, "t2", ""},
			{"account", acme, "A", ""},
			{"account", acme2, "A", acme},
		}},
		{name: "the same instance again (restart of a pipeline)", steps: []step{
			{"token", acme, "t1", ""},
			{"token", acme, "t1", ""},
			{"account", acme, "A", ""},
			{"account", acme, "A", ""},
		}},
		{name: "an unknown account is no conflict", steps: []step{
			{"account", acme, "", ""},
			{"account", acme2, "", ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newInstanceRegistry()
			for i, s := range tt.steps {
				var other string
				var dup bool
				if s.claim == "token" {
					other, dup = r.claimToken(s.id, s.value)
				} else {
					other, dup = r.claimAccount(s.id, s.value)
				}
				assert.Equal(t, s.wantOther != "", dup, "step %d", i)
				assert.Equal(t, s.wantOther, other, "step %d", i)
			}
		})
	}
}

func TestInstanceRegistryRelease(t *testing.T) {
	r := newInstanceRegistry()
	acme := "onepassword/acme"
	acme2 := "onepassword/acme2"
	r.claimToken(acme, "t1")
	r.claimAccount(acme, "A")
	r.release(acme)
	_, dup := r.claimToken(acme2, "t1")
	assert.False(t, dup, "a released instance no longer holds its token")
	_, dup = r.claimAccount(acme2, "A")
	assert.False(t, dup, "nor its account")
}

func TestExplainStorageError(t *testing.T) {
	id := component.MustNewID("file_storage")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{name: "locked by another process", err: bolterrors.ErrTimeout, want: `storage "file_storage": the receiver's database in that extension's directory is locked by another process`},
		{name: "anything else", err: errors.New("permission denied"), want: `storage "file_storage": wrapped: permission denied`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := explainStorageError(fmt.Errorf("wrapped: %w", tt.err), id)
			assert.Contains(t, got.Error(), tt.want)
			assert.ErrorIs(t, got, tt.err)
		})
	}
}
