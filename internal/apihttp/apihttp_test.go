package apihttp

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidHeaderValue(t *testing.T) {
	for v, want := range map[string]bool{"Bearer eyJ.abc\tdef": true, "tok\n": false, "to\r\nk": false, "tok\x00": false, "tok\x7f": false, "": true} {
		assert.Equal(t, want, ValidHeaderValue(v), "%q", v)
	}
}

func TestExcerpt(t *testing.T) {
	assert.Equal(t, "upstream exploded", Excerpt([]byte("  upstream\n\texploded \n")))
	long := Excerpt([]byte(strings.Repeat("x", 300)))
	assert.Equal(t, strings.Repeat("x", 200)+"…", long)
}
