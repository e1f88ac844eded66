package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/extension/xextension/storage"
)

// stateSchema versions the stored records; a later receiver can read old
// ones and migrate them.
const stateSchema = 1

// streamState is what a stream persists after every accepted page. It is
// small on purpose: it is written once per page.
type streamState struct {
	Schema     int    `json:"schema"`
	APIVersion string `json:"api_version"`
	Cursor     string `json:"cursor,omitempty"`
	// Newest is the timestamp of the newest event delivered so far; a
	// rejected cursor restarts the stream from Newest minus the overlap.
	Newest time.Time `json:"newest,omitzero"`
}

// recentState is the bounded list of recently delivered uuids, oldest
// first. It changes with every page but only matters after a cursor reset,
// so it is written at most every recentSaveInterval and on shutdown.
type recentState struct {
	Schema int      `json:"schema"`
	UUIDs  []string `json:"uuids"`
}

const recentSaveInterval = 30 * time.Second

func cursorKey(stream string) string { return "cursor/" + stream }
func recentKey(stream string) string { return "recent/" + stream }

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
	return storageExt.GetClient(ctx, component.KindReceiver, normalized, "")
}

// recentRing keeps the uuids of the last cap delivered events. Adding is a
// slice store: the set used for suppression is built only when a cursor reset
// needs it, so the hot path pays no map insert per event.
type recentRing struct {
	uuids []string
	next  int
	cap   int
}

func newRecentRing(capacity int) *recentRing { return &recentRing{cap: capacity} }

func (r *recentRing) add(uuid string) {
	if r.cap == 0 || uuid == "" {
		return
	}
	if len(r.uuids) < r.cap {
		r.uuids = append(r.uuids, uuid)
		return
	}
	r.uuids[r.next] = uuid
	r.next = (r.next + 1) % r.cap
}

// ordered returns the uuids oldest first.
func (r *recentRing) ordered() []string {
	out := make([]string, 0, len(r.uuids))
	if len(r.uuids) < r.cap {
		return append(out, r.uuids...)
	}
	out = append(out, r.uuids[r.next:]...)
	return append(out, r.uuids[:r.next]...)
}

// load replaces the ring's content with uuids (oldest first).
func (r *recentRing) load(uuids []string) {
	r.uuids, r.next = r.uuids[:0], 0
	for _, u := range uuids {
		r.add(u)
	}
}

func (r *recentRing) set() map[string]struct{} {
	m := make(map[string]struct{}, len(r.uuids))
	for _, u := range r.uuids {
		m[u] = struct{}{}
	}
	return m
}
