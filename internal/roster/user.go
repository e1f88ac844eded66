package roster

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/onepassword-otel/onepasswordreceiver/internal/jsonscan"
)

// User is one user object of a pass.
type User struct {
	ID    string
	State string // the "state" string; "" when absent or not a string
	// Raw is the object exactly as the API sent it. It is owned by the User
	// (ParseUser copies it) and never modified.
	Raw []byte
}

// ErrNoID is returned by ParseUser for an object without a non-empty string id.
var ErrNoID = errors.New("user object has no id")

// ParseUser reads the id and state of one user object and keeps a copy of
// it, so that raw may point into a reused page buffer.
func ParseUser(raw []byte) (User, error) {
	raw = bytes.TrimSpace(raw)
	if !json.Valid(raw) {
		return User{}, errors.New("user object is not valid JSON")
	}
	return parseValid(raw)
}

// ParsePageUser is ParseUser for an element of a page that was checked as a
// whole (usersapi validates every page), so the object is not scanned a
// second time.
func ParsePageUser(raw []byte) (User, error) { return parseValid(bytes.TrimSpace(raw)) }

func parseValid(raw []byte) (User, error) {
	it, err := objectMembers(raw)
	if err != nil {
		return User{}, err
	}
	var u User
	for key, value := range it.all() {
		if bytes.IndexByte(key, '\\') >= 0 {
			key = []byte(keyString(key))
		}
		switch string(key) {
		case "id":
			u.ID = stringValue(value)
		case "state":
			u.State = internState(stringValue(value))
		}
	}
	if u.ID == "" {
		return User{}, ErrNoID
	}
	u.Raw = bytes.Clone(raw)
	return u, nil
}

// Known states are constants, so that 100,000 users share three strings.
const (
	StateActive      = "ACTIVE"
	StateSuspended   = "SUSPENDED"
	StateUnspecified = "STATE_UNSPECIFIED"
)

func internState(s string) string {
	switch s {
	case StateActive:
		return StateActive
	case StateSuspended:
		return StateSuspended
	case StateUnspecified:
		return StateUnspecified
	}
	return s
}

// membersIter walks the top-level members of a JSON object. A repeated key
// is reported each time (a caller that overwrites keeps the last, as
// encoding/json does). Keys come as sent, escapes included (keyString
// decodes them).
type membersIter struct {
	raw []byte
	i   int
}

// newMembers checks that raw is one valid JSON object.
func newMembers(raw []byte) (membersIter, error) {
	if !json.Valid(raw) {
		return membersIter{}, errors.New("user object is not valid JSON")
	}
	return objectMembers(raw)
}

// objectMembers iterates raw, which the caller knows to be valid JSON.
func objectMembers(raw []byte) (membersIter, error) {
	i := jsonscan.SkipWS(raw, 0)
	if raw[i] != '{' {
		return membersIter{}, errors.New("user is not a JSON object")
	}
	return membersIter{raw: raw, i: jsonscan.SkipWS(raw, i+1)}, nil
}

// all yields each key (without its quotes) and the bytes of its value.
// After json.Valid, the scan can rely on well-formed JSON.
func (m membersIter) all() func(yield func(key, value []byte) bool) {
	return func(yield func(key, value []byte) bool) {
		raw, i := m.raw, m.i
		for i < len(raw) && raw[i] != '}' {
			keyEnd := jsonscan.EndOfString(raw, i)
			key := raw[i+1 : keyEnd-1]
			i = jsonscan.SkipWS(raw, jsonscan.SkipWS(raw, keyEnd)+1)
			end := jsonscan.EndOfValue(raw, i)
			if !yield(key, raw[i:end]) {
				return
			}
			i = jsonscan.SkipWS(raw, end)
			if raw[i] == ',' {
				i = jsonscan.SkipWS(raw, i+1)
			}
		}
	}
}

// membersOf maps each top-level key of a valid object to its value.
func membersOf(raw []byte) map[string][]byte {
	out := map[string][]byte{}
	it, err := newMembers(raw)
	if err != nil {
		return out
	}
	for k, v := range it.all() {
		out[keyString(k)] = v
	}
	return out
}

// keyString decodes an object key (its bytes between the quotes).
func keyString(k []byte) string {
	if bytes.IndexByte(k, '\\') < 0 {
		return string(k)
	}
	quoted := make([]byte, 0, len(k)+2)
	quoted = append(append(append(quoted, '"'), k...), '"')
	return stringValue(quoted)
}

// stringValue decodes a JSON string value; any other value gives "".
func stringValue(v []byte) string {
	if len(v) < 2 || v[0] != '"' {
		return ""
	}
	inner := v[1 : len(v)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner)
	}
	var s string
	if json.Unmarshal(v, &s) != nil {
		return ""
	}
	return s
}
