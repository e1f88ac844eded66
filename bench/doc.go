//go:build e2e

// Package bench holds the end-to-end performance benchmarks of the
// otelcol-onepassword distribution. They run the ocb-built binary as a
// process against the Events API simulator, which runs inside the test
// process on 127.0.0.1, and measure what a user of the distribution would
// see: events per second, peak memory, request rates and 429s, and the cost
// of one more account. Results go to BENCHMARKS.md at the repository root.
//
//	go test -tags=e2e -run='^$' -bench=. -benchtime=1x -count=1 -timeout=30m \
//	    ./bench/... -args -otelcol=$PWD/_build/otelcol-onepassword
//
// Each benchmark runs its scenario once (b.N is not a repetition count
// here: a scenario takes minutes), reports its figures with b.ReportMetric
// and prints one summary line "RESULT <name>: key=value ..." for scripts.
// The tag keeps them out of `go test ./...`.
package bench
