package roster

import (
	"bytes"
	"slices"
)

// ChangeKind is the value of onepassword.user.change.
type ChangeKind string

const (
	Added        ChangeKind = "added"
	Removed      ChangeKind = "removed"
	Suspended    ChangeKind = "suspended"     // ACTIVE to SUSPENDED
	Reactivated  ChangeKind = "reactivated"   // SUSPENDED to ACTIVE
	StateChanged ChangeKind = "state_changed" // any other change of state
	Updated      ChangeKind = "updated"       // a top-level key other than state
)

// Change is one change record to emit.
type Change struct {
	Kind ChangeKind
	ID   string
	// Raw is the record's body: the user now, or as last seen for Removed.
	Raw   []byte
	State string
	// PreviousState is set for Suspended, Reactivated, StateChanged and
	// Removed (the last seen state, equal to State).
	PreviousState string
	// ChangedFields (sorted) and PreviousRaw (the whole previous object,
	// whose values of those keys the record carries) are set for Updated.
	ChangedFields []string
	PreviousRaw   []byte
}

// stateKey is the key whose changes are state changes, not updates.
const stateKey = "state"

// Compare compares one complete pass with the stored roster and returns
// the changes, in the order of the pass (removals last, by id), and the
// roster to store once they are delivered. previous is not modified; the
// next roster shares the unchanged users' objects with it.
//
//   - The first pass (no baseline) gives no changes: the caller emits the
//     inventory.
//   - A user absent from the pass is marked pending; it is Removed only
//     when the next complete pass lacks it too. A user that comes back is
//     compared with how it was last seen.
//   - Users repeated within the pass (offset paging) count once, with the
//     object seen last.
//   - A change of state and of another key gives two changes.
func Compare(previous Roster, pass []User) ([]Change, Roster) {
	next := Roster{
		Users:         make(map[string]Entry, max(len(pass), len(previous.Users))),
		Pass:          previous.Pass + 1,
		LastInventory: previous.LastInventory,
	}
	order := make([]string, 0, len(pass))
	for _, u := range pass {
		if _, seen := next.Users[u.ID]; !seen {
			order = append(order, u.ID)
		}
		next.Users[u.ID] = Entry{Raw: u.Raw, State: u.State}
	}
	if !previous.Baselined() {
		return nil, next
	}

	var changes []Change
	for _, id := range order {
		now := next.Users[id]
		before, known := previous.Users[id]
		if !known {
			changes = append(changes, Change{Kind: Added, ID: id, Raw: now.Raw, State: now.State})
			continue
		}
		if bytes.Equal(before.Raw, now.Raw) {
			continue
		}
		changes = appendDiff(changes, id, before, now)
	}

	var gone []string
	for id, before := range previous.Users {
		if _, present := next.Users[id]; present {
			continue
		}
		if before.Pending {
			gone = append(gone, id)
			continue
		}
		before.Pending = true
		next.Users[id] = before
	}
	slices.Sort(gone)
	for _, id := range gone {
		before := previous.Users[id]
		changes = append(changes, Change{Kind: Removed, ID: id, Raw: before.Raw, State: before.State, PreviousState: before.State})
	}
	return changes, next
}

// appendDiff appends the state change and the update of one user whose
// object differs from how it was last seen. Values are compared as the bytes
// the API sent, so a value re-encoded differently counts as changed.
func appendDiff(changes []Change, id string, before, now Entry) []Change {
	old, cur := membersOf(before.Raw), membersOf(now.Raw)

	oldState, hadState := old[stateKey]
	newState, hasState := cur[stateKey]
	stateDiffers := hadState != hasState || !bytes.Equal(oldState, newState)
	if before.State != "" && before.State == now.State {
		stateDiffers = false // the same string, escaped differently
	}
	if stateDiffers {
		changes = append(changes, Change{Kind: stateChange(before.State, now.State), ID: id, Raw: now.Raw, State: now.State, PreviousState: before.State})
	}

	var fields []string
	for k, v := range cur {
		if w, ok := old[k]; k != stateKey && (!ok || !bytes.Equal(v, w)) {
			fields = append(fields, k)
		}
	}
	for k := range old {
		if _, ok := cur[k]; k != stateKey && !ok {
			fields = append(fields, k)
		}
	}
	if len(fields) > 0 {
		slices.Sort(fields)
		changes = append(changes, Change{Kind: Updated, ID: id, Raw: now.Raw, State: now.State, ChangedFields: fields, PreviousRaw: before.Raw})
	}
	return changes
}

func stateChange(from, to string) ChangeKind {
	switch {
	case from == StateActive && to == StateSuspended:
		return Suspended
	case from == StateSuspended && to == StateActive:
		return Reactivated
	}
	return StateChanged
}
