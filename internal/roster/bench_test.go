package roster

import (
	"fmt"
	"testing"

	"go.opentelemetry.io/collector/pdata/plog"
)

// The benchmarks work on the 100,000-user roster a large account has.
//
//	go test -run='^$' -bench=. -benchmem ./internal/roster
const benchUsers = 100_000

func benchObjects() [][]byte {
	out := make([][]byte, benchUsers)
	for i := range out {
		out[i] = fmt.Appendf(nil, `{"id":"U%025d","email":"user%d@example.com","display_name":"User %d","state":"ACTIVE","create_time":"2024-01-15T10:30:00Z","path":"accounts/SIMACCOUNTAAAAAAAAAAAAAAAA/users/U%025d"}`, i, i, i, i)
	}
	return out
}

func benchPass(b *testing.B) []User {
	objs := benchObjects()
	pass := make([]User, len(objs))
	for i, raw := range objs {
		u, err := ParseUser(raw)
		if err != nil {
			b.Fatal(err)
		}
		pass[i] = u
	}
	return pass
}

// BenchmarkParseUser: per user, as a pass reads its pages.
func BenchmarkParseUser(b *testing.B) {
	objs := benchObjects()[:1000]
	b.ReportAllocs()
	for b.Loop() {
		for _, raw := range objs {
			if _, err := ParseUser(raw); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkCompareUnchanged: a pass of 100,000 users in which nothing changed.
func BenchmarkCompareUnchanged(b *testing.B) {
	pass := benchPass(b)
	_, prev := Compare(Roster{}, pass)
	b.ReportAllocs()
	for b.Loop() {
		changes, _ := Compare(prev, pass)
		if len(changes) != 0 {
			b.Fatal("changes")
		}
	}
}

func BenchmarkMarshal(b *testing.B) {
	_, r := Compare(Roster{}, benchPass(b))
	b.ReportAllocs()
	var size int
	for b.Loop() {
		size = len(Marshal(r))
	}
	b.ReportMetric(float64(size), "stored-bytes")
}

func BenchmarkUnmarshal(b *testing.B) {
	_, r := Compare(Roster{}, benchPass(b))
	data := Marshal(r)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Unmarshal(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEmitInventory: 100,000 inventory records in chunks of 1,000;
// allocs/op divided by 100,000 is the cost per record.
func BenchmarkEmitInventory(b *testing.B) {
	_, r := Compare(Roster{}, benchPass(b))
	builder := testBuilder(1000)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		err := builder.EmitInventory(1, completedAt, r, func(ld plog.Logs) error {
			n += ld.LogRecordCount()
			return nil
		})
		if err != nil || n != benchUsers {
			b.Fatal(err, n)
		}
	}
}
