package convert

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestParseTimestamp(t *testing.T) {
	valid := []string{
		"2021-08-11T14:28:03Z",
		"2021-08-30T18:57:42.484Z",
		"2022-10-24T21:16:52.827288935Z",
		"2024-12-02T11:54:21.24645983Z",
		"2020-06-11T16:32:50-03:00",
		"2020-06-11T16:32:50.5+05:30",
		"2020-06-11T16:32:50-00:00",
		"2024-02-29T00:00:00Z",
		"2000-02-29T00:00:00Z",
		"1970-01-01T00:00:00Z",
		"1969-12-31T23:00:00-01:00",
		"2261-12-31T23:59:59.999999999Z",
		"2021-08-11T14:28:03.1234567891234Z", // beyond nanoseconds: truncated, as time.Parse does
	}
	for _, s := range valid {
		want, err := time.Parse(time.RFC3339Nano, s)
		if !assert.NoError(t, err, s) {
			continue
		}
		got, ok := parseTimestamp(s)
		if assert.True(t, ok, s) {
			assert.Equal(t, uint64(want.UnixNano()), got, s)
		}
	}
	invalid := []string{
		"", "yesterday", "2021-12-15 18:02:23", "2021-12-15T18:02:23", "2021-12-15T18:02:23.Z",
		"2021-12-15T18:02:23,5Z", "2021-12-15t18:02:23z", "2021-12-15T18:02:23+0100", "2021-12-15T18:02:23+01",
		"2021-12-15T18:02:23+24:00", "2021-12-15T18:02:23+01:60", "2021-12-15T24:00:00Z", "2021-12-15T23:60:00Z",
		"2021-12-15T23:59:60Z", "2021-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2021-13-01T00:00:00Z",
		"2021-00-01T00:00:00Z", "2021-01-00T00:00:00Z", "2021-04-31T00:00:00Z", "1000-01-01T0:00:00Z",
		"1969-12-31T23:59:59Z", "1970-01-01T00:30:00+01:00", "2262-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
		"+2021-08-11T14:28:03Z", "2021-08-11T14:28:03ZZ", "2021-08-11T14:28:03Z ", " 2021-08-11T14:28:03Z",
		"2021-08-11T14:28:03.123", "2021-08-11T14:28:03.-1Z", "2021-8-11T14:28:03Z", "２０２１-08-11T14:28:03Z",
	}
	for _, s := range invalid {
		_, ok := parseTimestamp(s)
		assert.False(t, ok, "%q", s)
	}
}

// FuzzParseTimestamp compares the hand-written parser with the reference
// (RFC 3339 shape, then time.Parse).
func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2021-08-11T14:28:03Z", "2022-10-24T21:16:52.827288935Z", "2020-06-11T16:32:50-03:00", "2024-02-29T23:59:59.5+05:30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseTimestamp(s)
		want, wok := refTimestamp(&refNode{kind: 'o', keys: []string{"timestamp"}, elems: []*refNode{{kind: 's', str: s}}})
		if ok != wok || (ok && got != uint64(want)) {
			t.Fatalf("%q: got %d %v, reference %d %v", s, got, ok, want, wok)
		}
	})
}

func BenchmarkParseTimestamp(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := parseTimestamp("2022-10-24T21:16:52.827288935Z"); !ok {
			b.Fatal("rejected")
		}
	}
}
