package jsonscan

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEndOfValue(t *testing.T) {
	tests := []struct {
		in   string
		want string // the value EndOfValue finds at the first byte
	}{
		{`"plain", 1`, `"plain"`},
		{`"esc\"aped \\", 1`, `"esc\"aped \\"`},
		{`{"a":{"b":[1,"}"]}} ,`, `{"a":{"b":[1,"}"]}}`},
		{`[1,[2,3],"]"]}`, `[1,[2,3],"]"]`},
		{`12.5e3,`, `12.5e3`},
		{`true}`, `true`},
		{`null `, `null`},
		{`-7`, `-7`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.in[:EndOfValue([]byte(tt.in), 0)])
		})
	}
}

func TestSkipWS(t *testing.T) {
	assert.Equal(t, 4, SkipWS([]byte(" \t\r\nx"), 0))
	assert.Equal(t, 2, SkipWS([]byte("x "), 1), "to the end")
	assert.Equal(t, 2, SkipWS([]byte("ab"), 2), "at the end")
}
