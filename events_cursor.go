package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"
	"encoding/json"
	"time"

	"go.opentelemetry.io/collector/extension/xextension/storage"
	"go.uber.org/zap"

	"github.com/onepassword-otel/onepasswordreceiver/internal/convert"
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

// The keys of a stream inside the Events source's namespace.
func cursorKey(stream string) string { return "cursor/" + stream }
func recentKey(stream string) string { return "recent/" + stream }

// cursorStore is one stream's committed state: the cursor and newest
// timestamp, written after every accepted page, and the ring of recently
// delivered uuids, written at most every recentSaveInterval and on flush.
type cursorStore struct {
	ns         namespace
	stream     string
	apiVersion string
	logger     *zap.Logger
	progress   *progress

	state          streamState // as last committed
	ring           *recentRing
	recentDirty    bool
	lastRecentSave time.Time
	storageFailing bool
}

// load reads the stored state. Unreadable state is reported and replaced by
// the next commit, never a reason to stop. It reports whether the stream
// must start over: the stored cursor belongs to another api_version.
func (c *cursorStore) load(ctx context.Context) (startOver bool) {
	var recent recentState
	if _, err := c.ns.load(ctx, recentKey(c.stream), &recent); err != nil {
		c.logger.Error("Ignoring the stored recent-uuid list", zap.Error(err))
	}
	c.ring.load(recent.UUIDs)
	var st streamState
	found, err := c.ns.load(ctx, cursorKey(c.stream), &st)
	if err != nil {
		c.logger.Error("Ignoring the stored cursor; the stream starts at start_time and the stored state is replaced after the first page",
			zap.Error(err))
		return false
	}
	if !found {
		return false
	}
	if !st.Newest.IsZero() {
		c.progress.setNewest(st.Newest)
	}
	c.state = st
	if st.APIVersion != c.apiVersion {
		c.logger.Warn("The stored cursor belongs to another api_version; restarting the stream from the newest delivered event minus cursor_reset_overlap, with repeats suppressed",
			zap.String("stored_api_version", st.APIVersion), zap.String("api_version", c.apiVersion))
		return true
	}
	return false
}

// commit advances the state past an accepted page and persists it.
func (c *cursorStore) commit(ctx context.Context, info convert.PageInfo, uids []string) {
	next := c.state
	next.Schema, next.APIVersion = stateSchema, c.apiVersion
	if info.HasCursor && info.Cursor != "" {
		next.Cursor = info.Cursor
	}
	if info.Newest != 0 {
		if newest := info.Newest.AsTime(); newest.After(next.Newest) {
			next.Newest = newest
			c.progress.setNewest(newest)
		}
	}
	for _, uid := range uids {
		c.ring.add(uid)
	}
	c.recentDirty = c.recentDirty || len(uids) > 0
	changed := next != c.state
	c.state = next
	saveRecent := c.recentDirty && time.Since(c.lastRecentSave) >= recentSaveInterval
	if changed || saveRecent {
		c.persist(ctx, saveRecent)
	}
}

// dropCursor forgets the cursor in memory: the next request is a reset.
func (c *cursorStore) dropCursor() { c.state.Cursor = "" }

// persist writes the cursor (and, when due, the recent uuids). A write that
// fails is logged once per failure streak: the stream goes on in memory and
// at worst repeats pages after a restart.
func (c *cursorStore) persist(ctx context.Context, withRecent bool) {
	// Once a page is accepted its cursor must be written even if shutdown
	// has begun, or the page is delivered twice.
	ctx = context.WithoutCancel(ctx)
	state, _ := json.Marshal(c.state)
	ops := []*storage.Operation{c.ns.setOp(cursorKey(c.stream), state)}
	if withRecent {
		ops = append(ops, c.ns.setOp(recentKey(c.stream), c.recentJSON()))
	}
	if err := c.ns.batch(ctx, ops...); err != nil {
		if !c.storageFailing {
			c.logger.Error("Could not write the stream's cursor to storage; a restart may deliver pages again", zap.Error(err))
		}
		c.storageFailing = true
		return
	}
	c.storageFailing = false
	if withRecent {
		c.recentDirty, c.lastRecentSave = false, time.Now()
	}
}

// saveRecent writes the recent uuids on shutdown.
func (c *cursorStore) saveRecent(ctx context.Context) error {
	if !c.recentDirty {
		return nil
	}
	return c.ns.set(ctx, recentKey(c.stream), c.recentJSON())
}

func (c *cursorStore) recentJSON() []byte {
	b, _ := json.Marshal(recentState{Schema: stateSchema, UUIDs: c.ring.ordered()})
	return b
}
