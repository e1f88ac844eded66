package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/extension/xextension/storage"
)

// eventsNamespace is the key prefix of the Events API source: none, so that
// it keeps the keys it has always written (cursor/<stream>, recent/<stream>)
// and stored cursors of existing installations stay valid. Every later
// source gets a prefix of its own ("users/" for the Users API).
const eventsNamespace = ""

// namespace is one source's share of the storage: every key under prefix,
// so that sources never read or overwrite each other's state.
type namespace struct {
	client storage.Client
	prefix string
}

func (n namespace) key(name string) string { return n.prefix + name }

// load reads name into into; false when nothing is stored under it.
func (n namespace) load(ctx context.Context, name string, into any) (bool, error) {
	return loadJSON(ctx, n.client, n.key(name), into)
}

func (n namespace) set(ctx context.Context, name string, value []byte) error {
	return n.client.Set(ctx, n.key(name), value)
}

func (n namespace) setOp(name string, value []byte) *storage.Operation {
	return storage.SetOperation(n.key(name), value)
}

// batch applies ops atomically (where the extension can).
func (n namespace) batch(ctx context.Context, ops ...*storage.Operation) error {
	return n.client.Batch(ctx, ops...)
}

// errCorruptState marks stored bytes that cannot be read; the caller
// reports it and starts over rather than crash-looping on it.
var errCorruptState = errors.New("stored state is unreadable")

func loadJSON(ctx context.Context, client storage.Client, key string, into any) (bool, error) {
	raw, err := client.Get(ctx, key)
	if err != nil {
		return false, fmt.Errorf("reading %q from storage: %w", key, err)
	}
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, into); err != nil {
		return false, fmt.Errorf("%w: key %q: %w", errCorruptState, key, err)
	}
	return true, nil
}

// getStorageClient resolves the storage extension named in the config. With
// no storage configured, state lives in memory (a no-op client).
func getStorageClient(ctx context.Context, host component.Host, storageID *component.ID, id component.ID) (storage.Client, error) {
	if storageID == nil {
		return storage.NewNopClient(), nil
	}
	ext, ok := host.GetExtensions()[*storageID]
	if !ok {
		return nil, fmt.Errorf("storage: extension %q not found; add it under extensions and service::extensions", storageID.String())
	}
	storageExt, ok := ext.(storage.Extension)
	if !ok {
		return nil, fmt.Errorf("storage: extension %q is not a storage extension", storageID.String())
	}
	// The storage key contains the component type. Normalising it the way
	// contrib does (collector issue #14988) keeps stored cursors valid if the
	// type is ever renamed with underscores.
	normalized := component.MustNewID(strings.ReplaceAll(id.Type().String(), "_", ""))
	if id.Name() != "" {
		normalized = component.MustNewIDWithName(normalized.Type().String(), id.Name())
	}
	client, err := storageExt.GetClient(ctx, component.KindReceiver, normalized, "")
	if err != nil {
		return nil, explainStorageError(err, *storageID)
	}
	return client, nil
}
