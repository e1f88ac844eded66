//go:build e2e

package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
)

// stopGrace is how long a collector gets to exit after SIGTERM (the
// contract promises 10 s) before it is killed.
const stopGrace = 15 * time.Second

// collector is one running otelcol-onepassword process, its stdout and
// stderr in one log file.
type collector struct {
	*e2ekit.Process
}

// startCollector writes cfg into dir and runs the distribution with it.
// The process is stopped by b.Cleanup whatever happens, and dies with the
// test process if that is killed first.
func startCollector(b *testing.B, bin, dir string, cfg collectorConfig) *collector {
	b.Helper()
	body, err := cfg.render()
	if err != nil {
		b.Fatalf("rendering the collector config: %v", err)
	}
	cfgPath := e2ekit.WriteConfig(b, dir, body)
	logPath := filepath.Join(dir, "collector.log")
	c := &collector{e2ekit.Start(b, e2ekit.Command{
		Bin:        bin,
		Args:       collectorArgs(cfgPath),
		Env:        append(os.Environ(), collectorEnv...),
		StdoutPath: logPath,
		StderrPath: logPath,
	})}
	b.Cleanup(c.stop)
	return c
}

// collectorArgs is the command line of a collector run with the config
// at cfgPath, with -feature-gates when it is set.
func collectorArgs(cfgPath string) []string {
	args := []string{"--config", cfgPath}
	if *featureGates != "" {
		args = append(args, "--feature-gates="+*featureGates)
	}
	return args
}

// stop sends SIGTERM, waits, then kills. Calling it again is harmless.
func (c *collector) stop() { c.Stop(stopGrace) }

func (c *collector) running() bool { return !c.Exited() }

// logTail returns the last n lines of the collector's output, for failures.
func (c *collector) logTail(n int) string {
	return "\n" + e2ekit.Tail(e2ekit.ReadFile(c.StdoutPath), n)
}

// countLogLines counts lines of the collector's output containing substr
// (e.g. "\terror\t" for ERROR records of the console encoder).
func (c *collector) countLogLines(substr string) int {
	return strings.Count(e2ekit.ReadFile(c.StdoutPath), substr)
}
