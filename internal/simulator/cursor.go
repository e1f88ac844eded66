package simulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"
)

// cursorState is everything a continuing request needs: the real API keeps
// the reset's limit and time bounds inside its cursor too (events-api.md
// §7.3), so a continuing request body is just {"cursor": "..."}.
type cursorState struct {
	apiVersion int    // 1 or 2: a cursor is not portable between versions
	stream     int    // the stream's code (streamDef.code)
	account    string // account UUID
	limit      int
	start      int64 // unix nanoseconds, inclusive
	end        int64 // unix nanoseconds, exclusive; valid when hasEnd
	hasEnd     bool
	position   uint64 // sequence number of the last event returned, 0 = none
}

const (
	cursorTag    = 0x53 // 'S', version 1 of this layout
	cursorMACLen = 16
	// tag, version, stream, flags, limit(2), start(8), end(8), position(8), account len(1)
	cursorFixedLen = 1 + 1 + 1 + 1 + 2 + 8 + 8 + 8 + 1
)

var errBadCursor = errors.New("simulator: bad cursor")

type cursorCodec struct{ key []byte }

func (c cursorCodec) mac(b []byte) []byte {
	m := hmac.New(sha256.New, c.key)
	m.Write(b)
	return m.Sum(nil)[:cursorMACLen]
}

// encode is deterministic, so the same position yields the same string:
// a caught-up client gets back exactly the cursor it sent.
func (c cursorCodec) encode(s cursorState) string {
	b := make([]byte, 0, cursorFixedLen+len(s.account)+cursorMACLen)
	var flags byte
	if s.hasEnd {
		flags |= 1
	}
	b = append(b, cursorTag, byte(s.apiVersion), byte(s.stream), flags)
	b = binary.BigEndian.AppendUint16(b, uint16(s.limit))
	b = binary.BigEndian.AppendUint64(b, uint64(s.start))
	b = binary.BigEndian.AppendUint64(b, uint64(s.end))
	b = binary.BigEndian.AppendUint64(b, s.position)
	b = append(b, byte(len(s.account)))
	b = append(b, s.account...)
	b = append(b, c.mac(b)...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decode rejects anything this server did not issue: wrong encoding, wrong
// length, a failed HMAC (garbage or tampering) or an unknown layout tag.
func (c cursorCodec) decode(str string) (cursorState, error) {
	if len(str) == 0 || len(str) > 512 {
		return cursorState{}, errBadCursor
	}
	// Strict: a cursor must be the canonical encoding, so that even a
	// change in the unused bits of the last character is refused.
	b, err := base64.RawURLEncoding.Strict().DecodeString(str)
	if err != nil || len(b) < cursorFixedLen+cursorMACLen {
		return cursorState{}, errBadCursor
	}
	body, mac := b[:len(b)-cursorMACLen], b[len(b)-cursorMACLen:]
	if !hmac.Equal(mac, c.mac(body)) {
		return cursorState{}, errBadCursor
	}
	if body[0] != cursorTag {
		return cursorState{}, errBadCursor
	}
	n := int(body[cursorFixedLen-1])
	if len(body) != cursorFixedLen+n {
		return cursorState{}, errBadCursor
	}
	s := cursorState{
		apiVersion: int(body[1]),
		stream:     int(body[2]),
		hasEnd:     body[3]&1 != 0,
		limit:      int(binary.BigEndian.Uint16(body[4:])),
		start:      int64(binary.BigEndian.Uint64(body[6:])),
		end:        int64(binary.BigEndian.Uint64(body[14:])),
		position:   binary.BigEndian.Uint64(body[22:]),
		account:    string(body[cursorFixedLen:]),
	}
	if s.limit < 1 || s.limit > MaxLimit || !knownStream(s.stream) {
		return cursorState{}, errBadCursor
	}
	return s, nil
}

// DecodedCursor is a cursor's content, for tests that want to assert what a
// cursor carries (e.g. that a continuing cursor keeps the reset's limit).
type DecodedCursor struct {
	APIVersion int
	Stream     string
	Account    string
	Limit      int
	Start      time.Time
	End        time.Time // zero when open-ended
	Position   uint64
}

// DecodeCursor verifies and decodes a cursor issued by this server.
func (s *Server) DecodeCursor(cursor string) (DecodedCursor, error) {
	st, err := s.cursors.decode(cursor)
	if err != nil {
		return DecodedCursor{}, err
	}
	d := DecodedCursor{
		APIVersion: st.apiVersion,
		Stream:     streamName(st.stream),
		Account:    st.account,
		Limit:      st.limit,
		Start:      time.Unix(0, st.start).UTC(),
		Position:   st.position,
	}
	if st.hasEnd {
		d.End = time.Unix(0, st.end).UTC()
	}
	return d, nil
}
