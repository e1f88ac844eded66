package roster

import (
	"slices"
	"time"
)

// Roster is the stored knowledge of an account's users.
type Roster struct {
	// Users by id: every user of the last complete pass, and those absent
	// from it for the first time (Pending).
	Users map[string]Entry
	// Pass counts the complete passes compared; 0 means no baseline yet.
	Pass uint64
	// LastInventory is when the last inventory was emitted; zero for never.
	LastInventory time.Time
}

// Entry is one user as last seen.
type Entry struct {
	Raw     []byte // the object as last sent; never modified
	State   string
	Pending bool // absent from the last complete pass: removed if the next lacks it too
}

// Baselined reports that a complete pass has been stored.
func (r Roster) Baselined() bool { return r.Pass > 0 }

// Present counts the users of the last complete pass.
func (r Roster) Present() int {
	n := 0
	for _, e := range r.Users {
		if !e.Pending {
			n++
		}
	}
	return n
}

// CountByState counts the users of the last complete pass by state
// ("" for a user without one).
func (r Roster) CountByState() map[string]int {
	out := map[string]int{}
	for _, e := range r.Users {
		if !e.Pending {
			out[e.State]++
		}
	}
	return out
}

// InventoryDue reports whether a pass completed at now must emit an
// inventory: always for the baseline, then when interval (> 0) has passed
// since the last one.
func (r Roster) InventoryDue(now time.Time, interval time.Duration) bool {
	if !r.Baselined() || r.LastInventory.IsZero() {
		return true
	}
	return interval > 0 && !now.Before(r.LastInventory.Add(interval))
}

// sortedIDs returns the ids of the users, pending ones included or not, in order.
func (r Roster) sortedIDs(withPending bool) []string {
	ids := make([]string, 0, len(r.Users))
	for id, e := range r.Users {
		if withPending || !e.Pending {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}
