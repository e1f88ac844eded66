package convert // import "github.com/onepassword-otel/onepasswordreceiver/internal/convert"

import "strconv"

// decodeError says what is wrong and where. It names the byte offset, the
// item index when inside "items", and at most the one offending byte, so
// that no part of a page (which holds user names and e-mail addresses)
// ends up in logs.
type decodeError struct {
	offset int
	item   int // -1 outside the items array
	msg    string
}

func (e *decodeError) Error() string {
	s := "onepassword events page: offset " + strconv.Itoa(e.offset)
	if e.item >= 0 {
		s += " (item " + strconv.Itoa(e.item) + ")"
	}
	return s + ": " + e.msg
}

func (d *decoder) errAt(offset int, msg string) error {
	return &decodeError{offset: offset, item: d.item, msg: msg}
}

// errUnexpected reports the byte at d.i (or the end of input) where want was
// expected.
func (d *decoder) errUnexpected(want string) error {
	if d.i >= len(d.s) {
		return d.errAt(d.i, "unexpected end of input, expected "+want)
	}
	return d.errAt(d.i, "expected "+want+", found "+describeByte(d.s[d.i]))
}

func describeByte(c byte) string {
	if c >= 0x21 && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	return "byte 0x" + strconv.FormatUint(uint64(c), 16)
}

// describeValue names the JSON type that starts with c, for type errors.
func describeValue(c byte) string {
	switch c {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	if c == '-' || (c >= '0' && c <= '9') {
		return "a number"
	}
	return describeByte(c)
}
