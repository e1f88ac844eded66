package onepasswordreceiver // import "github.com/onepassword-otel/onepasswordreceiver"

// recentRing keeps the uuids of the last cap delivered events, for repeat
// suppression after a restart from an earlier point. Adding is a slice
// store: the set used for suppression is built only when a reset needs it,
// so the hot path pays no map insert per event.
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
