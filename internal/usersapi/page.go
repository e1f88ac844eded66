package usersapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/onepassword-otel/onepasswordreceiver/internal/jsonscan"
)

// splitPage reads a ListUsersResponse ({"results":[..],"next_page_token":".."},
// keys in any order, unknown keys ignored) without decoding the users: it
// appends each user object of "results" to users as a slice of body, so the
// caller decodes each user once, straight into its own representation.
// Errors name an offset or an index, never a part of the body.
func splitPage(body []byte, users [][]byte) ([][]byte, string, error) {
	users = users[:0]
	// After Valid, the scan below can rely on well-formed JSON.
	if !json.Valid(body) {
		return users, "", errors.New("response is not valid JSON")
	}
	i := jsonscan.SkipWS(body, 0)
	if body[i] != '{' {
		return users, "", errors.New("response is not a JSON object")
	}
	next := ""
	i = jsonscan.SkipWS(body, i+1)
	for body[i] != '}' {
		keyEnd := jsonscan.EndOfString(body, i)
		key, err := unquote(body[i:keyEnd])
		if err != nil {
			return users, "", err
		}
		i = jsonscan.SkipWS(body, jsonscan.SkipWS(body, keyEnd)+1) // past ':'
		end := jsonscan.EndOfValue(body, i)
		switch key {
		case "results":
			users, err = splitResults(body, i, users[:0])
		case "next_page_token":
			next, err = pageToken(body[i:end])
		}
		if err != nil {
			return users, "", err
		}
		i = jsonscan.SkipWS(body, end)
		if body[i] == ',' {
			i = jsonscan.SkipWS(body, i+1)
		}
	}
	return users, next, nil
}

func splitResults(body []byte, i int, users [][]byte) ([][]byte, error) {
	switch body[i] {
	case 'n':
		return users, nil
	case '[':
	default:
		return users, errors.New(`"results" is not an array`)
	}
	i = jsonscan.SkipWS(body, i+1)
	for body[i] != ']' {
		if body[i] != '{' {
			return users, errors.New(`"results" element ` + strconv.Itoa(len(users)) + " is not an object")
		}
		end := jsonscan.EndOfValue(body, i)
		users = append(users, body[i:end:end])
		i = jsonscan.SkipWS(body, end)
		if body[i] == ',' {
			i = jsonscan.SkipWS(body, i+1)
		}
	}
	return users, nil
}

func pageToken(v []byte) (string, error) {
	switch v[0] {
	case 'n':
		return "", nil
	case '"':
		return unquote(v)
	}
	return "", errors.New(`"next_page_token" is not a string`)
}

// unquote decodes a JSON string; the common case has no escapes.
func unquote(quoted []byte) (string, error) {
	inner := quoted[1 : len(quoted)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner), nil
	}
	var s string
	err := json.Unmarshal(quoted, &s)
	return s, err
}
