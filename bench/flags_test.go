//go:build e2e

package bench

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// The defaults are the documented scenarios; the flags exist to try a
// benchmark at a small size while developing it. The binary under test
// comes from e2ekit's -otelcol flag.
var (
	featureGates = flag.String("feature-gates", "", "passed to every collector as --feature-gates (e.g. pdata.useProtoPooling); empty passes nothing")

	profileDir = flag.String("profile-dir", "profiles", "directory (relative to bench/) for the drain's CPU profile and its `pprof -top` text; empty disables profiling")

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

// receiverSettings are added to every receiver's configuration
// (-receiver-yaml), for experiments such as
// 'keepalive: {max_idle_conns_per_host: 10}'.
var receiverSettings = map[string]any{}

// collectorEnv is added to every collector's environment (-collector-env),
// for experiments such as GOGC=200.
var collectorEnv []string

func init() {
	flag.Func("receiver-yaml", "a YAML line (key: value) added to every receiver's configuration (repeatable)", func(line string) error {
		var kv map[string]any
		if err := yaml.Unmarshal([]byte(line), &kv); err != nil || len(kv) == 0 {
			return fmt.Errorf("%q is not a `key: value` line", line)
		}
		for k, v := range kv {
			receiverSettings[k] = v
		}
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
