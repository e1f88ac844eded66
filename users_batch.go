package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/pdata/plog"
	"go.uber.org/zap"

	"github.com/onepassword-otel/onepasswordreceiver/internal/roster"
)

// passBatch is the records of one complete pass for the delivery: its
// change records, then its inventory, in chunks of page_size that are built
// one at a time (a 100,000-user inventory is never held as records all at
// once). Its commit writes the new roster.
type passBatch struct {
	s         *usersSource
	completed time.Time
	changes   []roster.Change
	inventory []string // ids of the users to announce; nil = no inventory
	next      roster.Roster
}

func (b *passBatch) size() int { return max(b.s.cfg.PageSize, 1) }

func chunksOf(n, size int) int { return (n + size - 1) / size }

func (b *passBatch) chunks() int {
	return chunksOf(len(b.changes), b.size()) + chunksOf(len(b.inventory), b.size())
}

// chunk builds chunk i afresh on every attempt, so a retry never hands the
// pipeline a plog.Logs it may have kept or changed. A record that cannot
// be built is left out (logged and counted on the first attempt only), so
// that one odd user object never holds the source back for good.
func (b *passBatch) chunk(i, attempt int) (plog.Logs, int, error) {
	size := b.size()
	inventory, lo := false, i*size
	if n := chunksOf(len(b.changes), size); i >= n {
		inventory, lo = true, (i-n)*size
	}
	hi := min(lo+size, b.records(inventory))
	if out, err := b.build(inventory, lo, hi); err == nil {
		return out, hi - lo, nil
	}
	out, n := b.buildSkipping(inventory, lo, hi, attempt == 1)
	return out, n, nil
}

// records is how many change or inventory records the batch holds.
func (b *passBatch) records(inventory bool) int {
	if inventory {
		return len(b.inventory)
	}
	return len(b.changes)
}

// build returns change or inventory records lo to hi (at most page_size)
// in one plog.Logs.
func (b *passBatch) build(inventory bool, lo, hi int) (plog.Logs, error) {
	var out plog.Logs
	emit := func(l plog.Logs) error { out = l; return nil }
	if inventory {
		err := b.s.builder.EmitInventoryOf(b.next.Pass, b.completed, b.next, b.inventory[lo:hi], emit)
		return out, err
	}
	err := b.s.builder.EmitChanges(b.next.Pass, b.completed, b.changes[lo:hi], emit)
	return out, err
}

// buildSkipping builds records lo to hi one at a time, leaving out each
// that cannot be built; report says whether to log and count them. It is
// the slow path, taken only when the chunk as a whole failed.
func (b *passBatch) buildSkipping(inventory bool, lo, hi int, report bool) (plog.Logs, int) {
	out := plog.NewLogs()
	var records plog.LogRecordSlice
	n := 0
	for j := lo; j < hi; j++ {
		one, err := b.build(inventory, j, j+1)
		if err != nil {
			if report {
				b.dropped(inventory, j)
			}
			continue
		}
		if n == 0 {
			out = one
			records = out.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
		} else {
			one.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().MoveAndAppendTo(records)
		}
		n++
	}
	return out, n
}

// dropped tells of a record that cannot be built. Only the user's id is
// logged: the error may quote the object, which holds personal data.
func (b *passBatch) dropped(inventory bool, j int) {
	s := b.s
	id, kind := "", "inventory"
	if inventory {
		id = b.inventory[j]
	} else {
		id, kind = b.changes[j].ID, string(b.changes[j].Kind)
	}
	s.rt.telemetry.ReceiverOnepasswordDroppedEvents.Add(context.Background(), 1, s.attrs.unit.set)
	s.logger.Error("A user's record could not be built from the object the Users API sent; it is left out and the pass goes on",
		zap.String("user_id", id), zap.String("record", kind))
}

// commit runs once every chunk was accepted (or dropped for good): the new
// roster, its pass number and inventory time are written together, then
// the metrics move. It runs even while shutdown has begun, since the
// records are already downstream.
func (b *passBatch) commit(ctx context.Context) {
	s := b.s
	if b.mustStore(s.roster) {
		if err := s.store.set(context.WithoutCancel(ctx), usersRosterKey, roster.Marshal(b.next)); err != nil {
			s.logger.Error("Writing the roster to storage failed; after a restart the last pass's records may be delivered again", zap.Error(err))
		}
	} else {
		// Nothing to store: keep the stored pass number, so that the next
		// pass's uids are the same whether or not a restart comes between.
		b.next.Pass = s.roster.Pass
	}
	s.roster = b.next
	for i := range b.changes {
		s.rt.telemetry.ReceiverOnepasswordUsersChanges.Add(ctx, 1, s.attrs.change(b.changes[i].Kind))
	}
	s.publishCounts(b.next)
	s.completedAt(b.completed)
	s.progress.succeeded()
}

// mustStore reports whether the stored roster would differ in more than the
// pass number: a pass without changes, inventory or new pending users
// leaves storage alone (a 100,000-user roster is some 30 MB) and does not
// count as a pass of the stored numbering.
func (b *passBatch) mustStore(previous roster.Roster) bool {
	if len(b.changes) > 0 || b.inventory != nil || !previous.Baselined() || len(previous.Users) != len(b.next.Users) {
		return true
	}
	for id, e := range b.next.Users {
		if before, ok := previous.Users[id]; !ok || before.Pending != e.Pending {
			return true
		}
	}
	return false
}
