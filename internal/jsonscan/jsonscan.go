// Package jsonscan finds the ends of values in JSON that is already known to
// be valid (encoding/json checked it, or the API's framing did), so that a
// caller can take a value's raw bytes without decoding it. It never checks
// validity itself: on invalid input the results are meaningless.
package jsonscan

// SkipWS returns the index of the first non-whitespace byte at or after i.
func SkipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// EndOfString returns the index just after the string starting at b[i] == '"'.
func EndOfString(b []byte, i int) int {
	for i++; b[i] != '"'; i++ {
		if b[i] == '\\' {
			i++
		}
	}
	return i + 1
}

// EndOfValue returns the index just after the valid JSON value at b[i].
func EndOfValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return EndOfString(b, i)
	case '{', '[':
		depth := 0
		for ; ; i++ {
			switch b[i] {
			case '"':
				i = EndOfString(b, i) - 1
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
