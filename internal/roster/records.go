package roster

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/onepassword-otel/onepasswordreceiver/internal/convert"
)

// Event names of the users source.
const (
	EventUser       = "onepassword.user"        // inventory: one record per user
	EventUserChange = "onepassword.user_change" // one record per change
)

// Attribute names of the users source's records (besides convert.AttrRecordUID).
const (
	AttrAccountID     = "onepassword.account.id" // resource
	AttrUserID        = "user.id"
	AttrUserEmail     = "user.email"
	AttrUserFullName  = "user.full_name"
	AttrState         = "onepassword.user.state"
	AttrChange        = "onepassword.user.change"
	AttrPreviousState = "onepassword.user.previous_state"
	AttrChangedFields = "onepassword.user.changed_fields"
	AttrPrevious      = "onepassword.user.previous"
)

// inventoryKind is the uid discriminator of inventory records.
const inventoryKind = "inventory"

// Builder turns changes and inventories into log records: one plog.Logs
// per chunk of at most ChunkSize records, each with one ResourceLogs
// (onepassword.account.id) and one ScopeLogs.
type Builder struct {
	AccountID    string
	ScopeName    string
	ScopeVersion string
	SchemaURL    string // e.g. convert.SchemaURL
	ChunkSize    int    // the source's page_size; at least 1
}

// EmitChanges hands the change records of the pass numbered pass, completed
// at completed, to emit, chunk by chunk, and stops at emit's first error.
func (b Builder) EmitChanges(pass uint64, completed time.Time, changes []Change, emit func(plog.Logs) error) error {
	c := b.newChunker(emit)
	ts := pcommon.NewTimestampFromTime(completed)
	for i := range changes {
		ch := &changes[i]
		rec := c.record()
		if err := b.fill(rec, EventUserChange, ts, ch.Raw, ch.State, uid(b.AccountID, pass, ch.ID, string(ch.Kind))); err != nil {
			return fmt.Errorf("user %s: %w", ch.ID, err)
		}
		attrs := rec.Attributes()
		attrs.PutStr(AttrChange, string(ch.Kind))
		if ch.Kind != Added && ch.Kind != Updated {
			attrs.PutStr(AttrPreviousState, ch.PreviousState)
		}
		if ch.Kind == Updated {
			putPrevious(attrs, ch.ChangedFields, ch.PreviousRaw)
		}
		if err := c.flushIfFull(); err != nil {
			return err
		}
	}
	return c.flush()
}

// EmitInventory hands one onepassword.user record per user of the last
// complete pass (pending users excluded), in id order.
func (b Builder) EmitInventory(pass uint64, completed time.Time, r Roster, emit func(plog.Logs) error) error {
	return b.EmitInventoryOf(pass, completed, r, r.InventoryIDs(), emit)
}

// InventoryIDs are the users an inventory of r covers (pending users
// excluded), in id order.
func (r Roster) InventoryIDs() []string { return r.sortedIDs(false) }

// EmitInventoryOf is EmitInventory for the users ids of r only, e.g. one
// chunk of InventoryIDs, so that a caller can build the chunks of a large
// inventory one at a time instead of holding them all.
func (b Builder) EmitInventoryOf(pass uint64, completed time.Time, r Roster, ids []string, emit func(plog.Logs) error) error {
	c := b.newChunker(emit)
	ts := pcommon.NewTimestampFromTime(completed)
	for _, id := range ids {
		e, ok := r.Users[id]
		if !ok {
			return fmt.Errorf("user %s: not in the roster", id)
		}
		if err := b.fill(c.record(), EventUser, ts, e.Raw, e.State, uid(b.AccountID, pass, id, inventoryKind)); err != nil {
			return fmt.Errorf("user %s: %w", id, err)
		}
		if err := c.flushIfFull(); err != nil {
			return err
		}
	}
	return c.flush()
}

// fill sets what every record of the source carries.
func (b Builder) fill(rec plog.LogRecord, eventName string, ts pcommon.Timestamp, raw []byte, state, recordUID string) error {
	rec.SetEventName(eventName)
	rec.SetTimestamp(ts)
	rec.SetObservedTimestamp(ts)
	rec.SetSeverityNumber(plog.SeverityNumberInfo)
	if err := convert.DecodeObject(raw, rec.Body().SetEmptyMap()); err != nil {
		return err
	}
	attrs := rec.Attributes()
	attrs.EnsureCapacity(8)
	body := rec.Body().Map()
	putBodyStr(attrs, AttrUserID, body, "id")
	putBodyStr(attrs, AttrUserEmail, body, "email")
	putBodyStr(attrs, AttrUserFullName, body, "display_name")
	if state != "" {
		attrs.PutStr(AttrState, state)
	}
	attrs.PutStr(convert.AttrRecordUID, recordUID)
	return nil
}

// putBodyStr copies a non-empty string of the body into an attribute.
func putBodyStr(attrs pcommon.Map, name string, body pcommon.Map, key string) {
	if v, ok := body.Get(key); ok && v.Type() == pcommon.ValueTypeStr && v.Str() != "" {
		attrs.PutStr(name, v.Str())
	}
}

// putPrevious sets changed_fields and previous: the previous values of the
// changed keys (a key that did not exist before is absent from previous).
func putPrevious(attrs pcommon.Map, fields []string, previousRaw []byte) {
	sl := attrs.PutEmptySlice(AttrChangedFields)
	sl.EnsureCapacity(len(fields))
	for _, f := range fields {
		sl.AppendEmpty().SetStr(f)
	}
	old := pcommon.NewMap()
	_ = convert.DecodeObject(previousRaw, old) // stored objects were checked on the way in
	prev := attrs.PutEmptyMap(AttrPrevious)
	prev.EnsureCapacity(len(fields))
	for _, f := range fields {
		if v, ok := old.Get(f); ok {
			v.CopyTo(prev.PutEmpty(f))
		}
	}
}

// uid is the record's log.record.uid: the same for the same account, pass,
// user and kind, so a pass delivered again after a restart repeats its uids.
// 128 bits of SHA-256, in hex.
func uid(account string, pass uint64, userID, kind string) string {
	var buf [256]byte
	msg := buf[:0]
	for _, part := range [...]string{account, userID, kind} {
		msg = binary.BigEndian.AppendUint32(msg, uint32(len(part)))
		msg = append(msg, part...)
	}
	msg = binary.BigEndian.AppendUint64(msg, pass)
	sum := sha256.Sum256(msg)
	return hex.EncodeToString(sum[:16])
}

// chunker fills one plog.Logs up to the chunk size and hands it on.
type chunker struct {
	b       Builder
	emit    func(plog.Logs) error
	logs    plog.Logs
	records plog.LogRecordSlice
	open    bool // logs holds records not yet emitted
	size    int
}

func (b Builder) newChunker(emit func(plog.Logs) error) *chunker {
	return &chunker{b: b, emit: emit, size: max(b.ChunkSize, 1)}
}

func (c *chunker) record() plog.LogRecord {
	if !c.open {
		c.open = true
		c.logs = plog.NewLogs()
		rl := c.logs.ResourceLogs().AppendEmpty()
		rl.SetSchemaUrl(c.b.SchemaURL)
		if c.b.AccountID != "" {
			rl.Resource().Attributes().PutStr(AttrAccountID, c.b.AccountID)
		}
		sl := rl.ScopeLogs().AppendEmpty()
		sl.Scope().SetName(c.b.ScopeName)
		sl.Scope().SetVersion(c.b.ScopeVersion)
		c.records = sl.LogRecords()
		c.records.EnsureCapacity(c.size)
	}
	return c.records.AppendEmpty()
}

func (c *chunker) flushIfFull() error {
	if c.records.Len() < c.size {
		return nil
	}
	return c.flush()
}

func (c *chunker) flush() error {
	if !c.open {
		return nil
	}
	logs := c.logs
	c.logs, c.records, c.open = plog.Logs{}, plog.LogRecordSlice{}, false
	return c.emit(logs)
}
