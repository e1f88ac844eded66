package onepasswordreceiver

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/extension/xextension/storage"
)

// TestNamespacesKeepSourcesApart writes the same name through two
// namespaces of one real file_storage client: each reads back its own, and
// the Events source's keys are the unprefixed ones existing installations
// have stored.
func TestNamespacesKeepSourcesApart(t *testing.T) {
	ctx := context.Background()
	ext := newFileStorage(t, t.TempDir())
	client, err := ext.(storage.Extension).GetClient(ctx, component.KindReceiver, component.NewID(component.MustNewType("onepassword")), "")
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, client.Close(ctx)) })

	events := namespace{client: client, prefix: eventsNamespace}
	users := namespace{client: client, prefix: "users/"}
	require.NoError(t, events.set(ctx, cursorKey("audit_events"), []byte(`{"cursor":"events"}`)))
	require.NoError(t, users.batch(ctx, users.setOp(cursorKey("audit_events"), []byte(`{"cursor":"users"}`))))

	tests := []struct {
		name string
		key  string // as stored
		want string
	}{
		{name: "events keys are unprefixed", key: "cursor/audit_events", want: "events"},
		{name: "another source's keys carry its prefix", key: "users/cursor/audit_events", want: "users"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var st streamState
			found, err := loadJSON(ctx, client, tt.key, &st)
			require.NoError(t, err)
			require.True(t, found)
			assert.Equal(t, tt.want, st.Cursor)
		})
	}
	var st streamState
	found, err := users.load(ctx, cursorKey("audit_events"), &st)
	require.NoError(t, err)
	assert.True(t, found)
	assert.Equal(t, "users", st.Cursor)
}
