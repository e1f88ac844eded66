package roster

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// The stored form, version 1:
//
//	"OPR" 0x01
//	uvarint pass
//	varint  last inventory, Unix nanoseconds (0 = never)
//	uvarint number of users
//	per user, in id order: byte flags (1 = pending), uvarint length, the object
//
// The id and state are read back from each object, so the stored size is the
// users' objects plus a few bytes each.
var magic = [4]byte{'O', 'P', 'R', 1}

const flagPending = 1

// Marshal encodes r for storage.
func Marshal(r Roster) []byte {
	size := len(magic) + 3*binary.MaxVarintLen64
	for _, e := range r.Users {
		size += 1 + binary.MaxVarintLen32 + len(e.Raw)
	}
	b := make([]byte, 0, size)
	b = append(b, magic[:]...)
	b = binary.AppendUvarint(b, r.Pass)
	var inv int64
	if !r.LastInventory.IsZero() {
		inv = r.LastInventory.UnixNano()
	}
	b = binary.AppendVarint(b, inv)
	b = binary.AppendUvarint(b, uint64(len(r.Users)))
	for _, id := range r.sortedIDs(true) {
		e := r.Users[id]
		var flags byte
		if e.Pending {
			flags |= flagPending
		}
		b = append(b, flags)
		b = binary.AppendUvarint(b, uint64(len(e.Raw)))
		b = append(b, e.Raw...)
	}
	return b
}

// Unmarshal decodes what Marshal stored. Errors name the position, never
// a part of a user.
func Unmarshal(b []byte) (Roster, error) {
	if len(b) < len(magic) || [4]byte(b[:4]) != magic {
		return Roster{}, errors.New("stored roster: unknown format")
	}
	rd := reader{b: b, i: len(magic)}
	var r Roster
	r.Pass = rd.uvarint()
	if inv := rd.varint(); inv != 0 {
		r.LastInventory = time.Unix(0, inv).UTC()
	}
	n := rd.uvarint()
	if rd.err != nil {
		return Roster{}, rd.err
	}
	if n > uint64(len(b)) { // each user takes at least two bytes
		return Roster{}, errors.New("stored roster: user count larger than the data")
	}
	r.Users = make(map[string]Entry, n)
	for k := range n {
		flags := rd.byte()
		raw := rd.bytes(rd.uvarint())
		if rd.err != nil {
			return Roster{}, fmt.Errorf("stored roster: user %d: %w", k, rd.err)
		}
		u, err := ParseUser(raw)
		if err != nil {
			return Roster{}, fmt.Errorf("stored roster: user %d: %w", k, err)
		}
		r.Users[u.ID] = Entry{Raw: u.Raw, State: u.State, Pending: flags&flagPending != 0}
	}
	if rd.i != len(b) {
		return Roster{}, errors.New("stored roster: trailing bytes")
	}
	return r, nil
}

type reader struct {
	b   []byte
	i   int
	err error
}

var errTruncated = errors.New("truncated")

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.i:])
	if n <= 0 {
		r.err = errTruncated
		return 0
	}
	r.i += n
	return v
}

func (r *reader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b[r.i:])
	if n <= 0 {
		r.err = errTruncated
		return 0
	}
	r.i += n
	return v
}

func (r *reader) byte() byte {
	if r.err != nil || r.i >= len(r.b) {
		r.err = errTruncated
		return 0
	}
	r.i++
	return r.b[r.i-1]
}

func (r *reader) bytes(n uint64) []byte {
	if r.err != nil || n > uint64(len(r.b)-r.i) {
		r.err = errTruncated
		return nil
	}
	out := r.b[r.i : r.i+int(n)]
	r.i += int(n)
	return out
}
