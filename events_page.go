package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

import (
	"context"

	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/onepassword-otel/onepasswordreceiver/internal/convert"
)

// repeatFilter drops, after a cursor reset, the events delivered before it:
// the uuids of the recent-uuid ring, until the stream has caught up again.
type repeatFilter struct {
	seen map[string]struct{} // nil = no reset in progress
}

func (f *repeatFilter) active() bool                   { return f.seen != nil }
func (f *repeatFilter) start(seen map[string]struct{}) { f.seen = seen }
func (f *repeatFilter) stop()                          { f.seen = nil }

// apply removes the repeats from logs and returns how many records remain.
func (f *repeatFilter) apply(logs plog.Logs) int {
	if f.seen == nil {
		return logs.LogRecordCount()
	}
	records := logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	records.RemoveIf(func(lr plog.LogRecord) bool {
		uid, ok := lr.Attributes().Get(convert.AttrRecordUID)
		if !ok {
			return false
		}
		_, seen := f.seen[uid.Str()]
		return seen
	})
	return records.Len()
}

// pageBatch is one page as a delivery batch: a single chunk, whose commit
// advances the stream's cursor. It lives inside the stream and is reused
// for every page, so a page costs no allocation for it.
type pageBatch struct {
	s    *stream
	p    *page
	uids []string // taken before the hand-off, for the recent-uuid ring
}

func (b *pageBatch) chunks() int { return 1 }

func (b *pageBatch) chunk(_, attempt int) (plog.Logs, int, error) {
	logs := b.p.logs
	if attempt > 1 {
		// The consumer may have kept or changed the first copy; decode
		// the retained body again rather than reuse it.
		var err error
		if logs, _, err = b.s.fetcher.decode(b.p.buf, b.p.received); err != nil {
			return logs, 0, err // cannot happen: the same bytes decoded before
		}
	}
	n := b.s.repeats.apply(logs)
	// Read what commit needs before the hand-off: after ConsumeLogs the
	// pipeline owns the records and may have changed or dropped them.
	b.uids = pageUIDs(logs, b.s.cursor.ring.cap)
	return logs, n, nil
}

func (b *pageBatch) commit(ctx context.Context) { b.s.committed(ctx, b.p, b.uids) }

// pageUIDs lists the page's event uuids for the recent-uuid ring; nil
// when the ring is off (capacity 0).
func pageUIDs(logs plog.Logs, ringCap int) []string {
	if ringCap == 0 {
		return nil
	}
	records := logs.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	uids := make([]string, 0, records.Len())
	for i := 0; i < records.Len(); i++ {
		if uid, ok := records.At(i).Attributes().Get(convert.AttrRecordUID); ok {
			uids = append(uids, uid.Str())
		}
	}
	return uids
}
