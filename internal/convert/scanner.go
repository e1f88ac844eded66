package convert // import "github.com/onepassword-otel/onepasswordreceiver/internal/convert"

import (
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds the nesting of objects and arrays, as encoding/json does,
// so that a hostile body cannot exhaust the stack.
const maxDepth = 10000

// maxHint caps the capacity reserved for a map from what earlier objects
// looked like (the API's objects have at most 17 keys), so that one huge
// object cannot make every later map of the page huge.
const maxHint = 32

// decoder is the byte scanner. It works on a string so that values without
// escapes can be handed to pdata as substrings, without an allocation.
type decoder struct {
	s       string
	i       int
	item    int // index of the item being decoded, -1 outside "items"
	scratch []byte
	kept    strings.Builder // the page's uuids, see keep
	fields
	// hint is the largest key count seen so far in each context, so that the
	// maps of the following items are allocated once, big enough.
	hint [numCtx]int32
	// order is the key each context's last object had at each position
	// (see memberKey).
	order [numCtx][maxHint]keyID
}

func (d *decoder) skipWS() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// expect consumes c after optional whitespace.
func (d *decoder) expect(c byte, want string) error {
	d.skipWS()
	if d.i < len(d.s) && d.s[d.i] == c {
		d.i++
		return nil
	}
	return d.errUnexpected(want)
}

// plain marks the bytes a string can hold as they are: not a quote, not a
// backslash, not a control character and ASCII (other bytes take the slow
// path, which checks UTF-8).
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plainEnd returns the index of the first byte from i on that is not plain,
// or len(s). Strings are most of a page's bytes, so it looks at eight bytes
// per step (SWAR: SIMD within a register) rather than one.
func plainEnd(s string, i int) int {
	for ; i+8 <= len(s); i += 8 {
		if m := notPlain(load64(s[i : i+8])); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for i < len(s) && plain[s[i]] {
		i++
	}
	return i
}

// load64 reads eight bytes little-endian; the compiler makes this one load.
func load64(b string) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

const (
	lsb = 0x0101010101010101 // the lowest bit of every byte
	msb = 0x8080808080808080 // the highest bit of every byte
)

// notPlain sets the high bit of each byte of w that is not plain: a control
// character, a byte >= 0x80, '"' or a backslash (the classic tests for "a
// byte less than n" and "a zero byte", the latter on w xor the character).
// A borrow can also mark a plain byte, but only above a byte that is truly
// not plain, so the lowest set bit is exact; it is all plainEnd uses.
func notPlain(w uint64) uint64 {
	quote := w ^ ('"' * lsb)
	backslash := w ^ ('\\' * lsb)
	control := (w - ' '*lsb) &^ w
	return (control | (quote-lsb)&^quote | (backslash-lsb)&^backslash | w) & msb
}

// str decodes the string starting at d.s[d.i] == '"'.
func (d *decoder) str() (string, error) {
	s := d.s
	start := d.i + 1
	i := plainEnd(s, start)
	if i < len(s) && s[i] == '"' {
		d.i = i + 1
		return s[start:i], nil
	}
	return d.strSlow(start, i)
}

// strSlow finishes a string that holds a non-ASCII byte, an escape or an
// error. Valid UTF-8 without escapes is still returned as a substring;
// otherwise the string is rebuilt with the escapes decoded and invalid UTF-8
// replaced by U+FFFD, exactly as encoding/json does.
func (d *decoder) strSlow(start, i int) (string, error) {
	s := d.s
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			d.i = i + 1
			return s[start:i], nil
		case c == '\\':
			return d.unescape(start, i)
		case c < 0x20:
			return "", d.errAt(i, "control character "+describeByte(c)+" in string")
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return d.unescape(start, i)
			}
			i += size
		}
	}
	return "", d.errAt(i, "unexpected end of input in string")
}

func (d *decoder) unescape(start, i int) (string, error) {
	s := d.s
	buf := append(d.scratch[:0], s[start:i]...)
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			d.i = i + 1
			d.scratch = buf
			return string(buf), nil
		case c == '\\':
			if i+1 >= len(s) {
				return "", d.errAt(i+1, "unexpected end of input in string escape")
			}
			switch e := s[i+1]; e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, err := d.hex4(i + 2)
				if err != nil {
					return "", err
				}
				i += 6
				if utf16.IsSurrogate(r) {
					// A high surrogate followed by an escaped low surrogate
					// is one character; a lone surrogate becomes U+FFFD.
					if i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
						if r2, err := d.hex4(i + 2); err == nil {
							if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
								buf = utf8.AppendRune(buf, dec)
								i += 6
								continue
							}
						}
					}
					r = utf8.RuneError
				}
				buf = utf8.AppendRune(buf, r)
				continue
			default:
				return "", d.errAt(i+1, "invalid escape "+describeByte(e)+" in string")
			}
			i += 2
		case c < 0x20:
			return "", d.errAt(i, "control character "+describeByte(c)+" in string")
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				buf = utf8.AppendRune(buf, utf8.RuneError)
			} else {
				buf = append(buf, s[i:i+size]...)
			}
			i += size
		}
	}
	d.scratch = buf
	return "", d.errAt(i, "unexpected end of input in string")
}

// hex4 reads the four hex digits of a \u escape starting at i.
func (d *decoder) hex4(i int) (rune, error) {
	var r rune
	for j := i; j < i+4; j++ {
		if j >= len(d.s) {
			return 0, d.errAt(j, "unexpected end of input in \\u escape")
		}
		c := d.s[j]
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, d.errAt(j, "invalid \\u escape: "+describeByte(c))
		}
		r = r<<4 | rune(c)
	}
	return r, nil
}

// key decodes an object key at d.s[d.i] == '"'. Known names come back as the
// constant from keyNames, so that keys never pin the page or allocate.
func (d *decoder) key() (string, keyID, error) {
	s := d.s
	start := d.i + 1
	i := plainEnd(s, start)
	var k string
	if i < len(s) && s[i] == '"' {
		d.i = i + 1
		k = s[start:i]
	} else {
		var err error
		if k, err = d.strSlow(start, i); err != nil {
			return "", kUnknown, err
		}
	}
	if id := lookupKey(k); id != kUnknown {
		return keyNames[id], id, nil
	}
	return k, kUnknown, nil
}

// memberKey decodes the key of member n of an object in context c at
// d.s[d.i] == '"'. The objects of one context nearly always send their keys
// in the same order (the API serialises structs), so the key the previous
// object of the context had at this position is tried first: one comparison
// instead of a scan and a table lookup. A known name has no byte that needs
// an escape, so the raw bytes equal to it, closed by a quote, are that key.
func (d *decoder) memberKey(c ctx, n int32) (string, keyID, error) {
	if n >= maxHint {
		return d.key()
	}
	if k := d.order[c][n]; k != kUnknown {
		name := keyNames[k]
		start := d.i + 1
		end := start + len(name)
		if end < len(d.s) && d.s[end] == '"' && d.s[start:end] == name {
			d.i = end + 1
			return name, k, nil
		}
	}
	key, k, err := d.key()
	d.order[c][n] = k
	return key, k, err
}

// number scans a JSON number at d.i. A number written without fraction or
// exponent that fits int64 is an int (so ids above 2^53 stay exact); any
// other number is a double, ±Inf when it overflows float64.
func (d *decoder) number() (isInt bool, iv int64, fv float64, err error) {
	s := d.s
	start := d.i
	i := start
	neg := false
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	digits := i
	switch {
	case i >= len(s):
		return false, 0, 0, d.errAt(i, "unexpected end of input in number")
	case s[i] == '0':
		i++
	case s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return false, 0, 0, d.errAt(i, "invalid character "+describeByte(s[i])+" in number")
	}
	isInt = true
	if i < len(s) && s[i] == '.' {
		isInt = false
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return false, 0, 0, d.errExpectDigit(i)
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		isInt = false
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return false, 0, 0, d.errExpectDigit(i)
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	d.i = i
	if isInt {
		if i-digits <= 18 { // cannot overflow int64
			for j := digits; j < i; j++ {
				iv = iv*10 + int64(s[j]-'0')
			}
			if neg {
				iv = -iv
			}
			return true, iv, 0, nil
		}
		if v, err := strconv.ParseInt(s[start:i], 10, 64); err == nil {
			return true, v, 0, nil
		}
	}
	// The syntax is checked above, so the only possible error is ErrRange,
	// for which ParseFloat returns the nearest value (±Inf or 0).
	fv, _ = strconv.ParseFloat(s[start:i], 64)
	return false, 0, fv, nil
}

func (d *decoder) errExpectDigit(i int) error {
	if i >= len(d.s) {
		return d.errAt(i, "unexpected end of input in number")
	}
	return d.errAt(i, "expected a digit in number, found "+describeByte(d.s[i]))
}

// literal consumes the literal word (true, false or null) at d.i.
func (d *decoder) literal(word string) error {
	s := d.s
	for j := 0; j < len(word); j++ {
		if d.i+j >= len(s) {
			return d.errAt(d.i+j, "unexpected end of input in literal "+word)
		}
		if s[d.i+j] != word[j] {
			return d.errAt(d.i+j, "invalid literal, expected "+word)
		}
	}
	d.i += len(word)
	return nil
}

// next consumes what follows a member of an object or an element of an
// array: ',' (and the whitespace after it) or the closing byte, which it
// reports as done.
func (d *decoder) next(closing byte) (done bool, err error) {
	d.skipWS()
	if d.i < len(d.s) {
		switch d.s[d.i] {
		case ',':
			d.i++
			d.skipWS()
			return false, nil
		case closing:
			d.i++
			return true, nil
		}
	}
	if closing == ']' {
		return false, d.errUnexpected("',' or ']'")
	}
	return false, d.errUnexpected("',' or '}'")
}

// skipValue checks and skips the value at d.i (unknown envelope keys).
func (d *decoder) skipValue(depth int) error {
	if d.i >= len(d.s) {
		return d.errUnexpected("a value")
	}
	switch c := d.s[d.i]; c {
	case '"':
		_, err := d.str()
		return err
	case 't':
		return d.literal("true")
	case 'f':
		return d.literal("false")
	case 'n':
		return d.literal("null")
	case '{', '[':
		if depth+1 > maxDepth {
			return d.errAt(d.i, "nesting deeper than "+strconv.Itoa(maxDepth))
		}
		d.i++
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		d.skipWS()
		if d.i < len(d.s) && d.s[d.i] == end {
			d.i++
			return nil
		}
		for {
			if c == '{' {
				if d.i >= len(d.s) || d.s[d.i] != '"' {
					return d.errUnexpected("a string key")
				}
				if _, err := d.str(); err != nil {
					return err
				}
				if err := d.expect(':', "':'"); err != nil {
					return err
				}
				d.skipWS()
			}
			if err := d.skipValue(depth + 1); err != nil {
				return err
			}
			if done, err := d.next(end); done || err != nil {
				return err
			}
		}
	default:
		if c == '-' || (c >= '0' && c <= '9') {
			_, _, _, err := d.number()
			return err
		}
		return d.errUnexpected("a value")
	}
}
