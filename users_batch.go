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
// pipeline a plog.Logs it may have kept or changed.
func (b *passBatch) chunk(i, _ int) (plog.Logs, int, error) {
	size := b.size()
	var out plog.Logs
	emit := func(l plog.Logs) error { out = l; return nil }
	if n := chunksOf(len(b.changes), size); i < n {
		part := b.changes[i*size : min((i+1)*size, len(b.changes))]
		err := b.s.builder.EmitChanges(b.next.Pass, b.completed, part, emit)
		return out, len(part), err
	} else {
		i -= n
	}
	part := b.inventory[i*size : min((i+1)*size, len(b.inventory))]
	err := b.s.builder.EmitInventoryOf(b.next.Pass, b.completed, b.next, part, emit)
	return out, len(part), err
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
