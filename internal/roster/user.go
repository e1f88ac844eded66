package roster

import (
	"bytes"
	"encoding/json"
	"errors"
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
	var u User
	err := members(raw, func(key string, value []byte) {
		switch key {
		case "id":
			u.ID = stringValue(value)
		case "state":
			u.State = internState(stringValue(value))
		}
	})
	if err != nil {
		return User{}, err
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

// members calls fn with each top-level key of the JSON object raw and the
// bytes of its value. A repeated key is reported each time (the last wins
// for a caller that overwrites, as in encoding/json).
func members(raw []byte, fn func(key string, value []byte)) error {
	if !json.Valid(raw) {
		return errors.New("user object is not valid JSON")
	}
	i := skipWS(raw, 0)
	if raw[i] != '{' {
		return errors.New("user is not a JSON object")
	}
	// After Valid, the scan can rely on well-formed JSON.
	i = skipWS(raw, i+1)
	for raw[i] != '}' {
		keyEnd := endOfString(raw, i)
		key := stringValue(raw[i:keyEnd])
		i = skipWS(raw, skipWS(raw, keyEnd)+1)
		end := endOfValue(raw, i)
		fn(key, raw[i:end])
		i = skipWS(raw, end)
		if raw[i] == ',' {
			i = skipWS(raw, i+1)
		}
	}
	return nil
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

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// endOfString returns the index just after the string starting at b[i] == '"'.
func endOfString(b []byte, i int) int {
	for i++; b[i] != '"'; i++ {
		if b[i] == '\\' {
			i++
		}
	}
	return i + 1
}

// endOfValue returns the index just after the valid JSON value at b[i].
func endOfValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return endOfString(b, i)
	case '{', '[':
		depth := 0
		for ; ; i++ {
			switch b[i] {
			case '"':
				i = endOfString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	return i
}
