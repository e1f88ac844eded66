package usersapi

import (
	"testing"

	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator/usersim"
)

// BenchmarkWalk walks 10,000 users in pages of 1,000 from the simulator over
// loopback HTTP; allocs/op divided by 10,000 is the client's cost per user.
//
//	go test -run='^$' -bench=BenchmarkWalk -benchmem ./internal/usersapi
func BenchmarkWalk(b *testing.B) {
	sim := usersim.New(usersim.Config{})
	sim.Generate(10_000)
	e := &env{sim: sim}
	srv := newBenchServer(b, sim)
	e.srv = srv
	c, err := NewClient(srv.Client(), e.config(VersionV1))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		w := c.NewWalk(1000)
		n := 0
		for !w.Done() {
			page, err := w.Next(b.Context())
			if err != nil {
				b.Fatal(err)
			}
			n += len(page.Users)
		}
		if n != 10_000 {
			b.Fatalf("walked %d users", n)
		}
	}
}
