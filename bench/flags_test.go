//go:build e2e

package bench

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The defaults are the documented scenarios; the flags exist to try a
// benchmark at a small size while developing it.
var (
	otelcolPath = flag.String("otelcol", "../_build/otelcol-onepassword", "path of the distribution built by `make build`")
	profileDir  = flag.String("profile-dir", "profiles", "directory (relative to bench/) for the drain's CPU profile and its `pprof -top` text; empty disables profiling")

	drainEvents   = flag.Int("drain-events", 1_000_000, "BenchmarkDrain1M: events spread over the three streams")
	drainPageSize = flag.Int("drain-page-size", 1000, "BenchmarkDrain1M: page_size of the receiver and of the floor client")

	rateLimitRPM     = flag.Int("ratelimit-rpm", 300, "BenchmarkRateLimitSustained: requests per minute, enforced by the simulator and configured in the receiver")
	rateLimitWindows = flag.Int("ratelimit-windows", 2, "BenchmarkRateLimitSustained: whole one-minute windows measured")

	scaleAccounts    = flag.Int("scale-accounts", 100, "BenchmarkScale100Accounts: receiver instances (and simulator accounts) in the large collector")
	scaleIdle        = flag.Duration("scale-idle", 60*time.Second, "BenchmarkScale100Accounts: length of the idle measurement")
	scaleSettle      = flag.Duration("scale-settle", 15*time.Second, "BenchmarkScale100Accounts: pause between catching up and the idle measurement")
	scalePostDrain   = flag.Duration("scale-post-drain", 30*time.Second, "BenchmarkScale100Accounts: length of the idle measurement after the drain")
	scaleDrainEvents = flag.Int("scale-drain-events", 2000, "BenchmarkScale100Accounts: events added per account for the drain phase")
)

// receiverYAML lines are added to every receiver's configuration
// (-receiver-yaml), for experiments such as
// 'keepalive: {max_idle_conns_per_host: 10}'.
var receiverYAML []string

// collectorEnv is added to every collector's environment (-collector-env),
// for experiments such as GOGC=200.
var collectorEnv []string

func init() {
	flag.Func("receiver-yaml", "a YAML line (key: value) added to every receiver's configuration (repeatable)", func(line string) error {
		if !strings.Contains(line, ":") {
			return fmt.Errorf("%q is not a `key: value` line", line)
		}
		receiverYAML = append(receiverYAML, line)
		return nil
	})
	flag.Func("collector-env", "KEY=VALUE added to the collectors' environment (repeatable), e.g. GOGC=200", func(kv string) error {
		if !strings.Contains(kv, "=") {
			return fmt.Errorf("%q is not KEY=VALUE", kv)
		}
		collectorEnv = append(collectorEnv, kv)
		return nil
	})
}

// requireCollector returns the absolute path of the distribution. A missing
// binary fails the benchmark: a skipped benchmark would look like a pass in
// `make bench`.
func requireCollector(b *testing.B) string {
	b.Helper()
	path, err := filepath.Abs(*otelcolPath)
	if err != nil {
		b.Fatalf("-otelcol %q: %v", *otelcolPath, err)
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatalf("the distribution is missing (%v); run `make build` or pass -otelcol=<path>", err)
	}
	if st.IsDir() || st.Mode()&0o111 == 0 {
		b.Fatalf("-otelcol %s is not an executable file", path)
	}
	return path
}
