//go:build e2e

package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// collector is one running otelcol-onepassword process.
type collector struct {
	cmd     *exec.Cmd
	pid     int
	logPath string
	exited  chan struct{} // closed when the process has been reaped
}

// startCollector writes config into dir and runs the distribution with it.
// The process is stopped by b.Cleanup whatever happens, and dies with the
// test process (Pdeathsig) if that is killed first.
func startCollector(b *testing.B, bin, dir, config string) *collector {
	b.Helper()
	cfgPath := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(config), 0o600); err != nil {
		b.Fatal(err)
	}
	logPath := filepath.Join(dir, "collector.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		b.Fatal(err)
	}
	defer logFile.Close() // the child has its own descriptor
	cmd := exec.Command(bin, "--config", cfgPath)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = append(os.Environ(), collectorEnv...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		b.Fatalf("starting %s: %v", bin, err)
	}
	c := &collector{cmd: cmd, pid: cmd.Process.Pid, logPath: logPath, exited: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(c.exited)
	}()
	b.Cleanup(c.stop)
	return c
}

// stop sends SIGTERM, waits up to 15 s (the contract promises shutdown
// within 10 s), then kills. Calling it again is harmless.
func (c *collector) stop() {
	select {
	case <-c.exited:
		return
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
	case <-time.After(15 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.exited
	}
}

func (c *collector) running() bool {
	select {
	case <-c.exited:
		return false
	default:
		return true
	}
}

// logTail returns the last n lines of the collector's output, for failures.
func (c *collector) logTail(n int) string {
	data, err := os.ReadFile(c.logPath)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "\n" + strings.Join(lines, "\n")
}

// countLogLines counts lines of the collector's output containing substr
// (e.g. "\terror\t" for ERROR records of the console encoder).
func (c *collector) countLogLines(substr string) int {
	data, err := os.ReadFile(c.logPath)
	if err != nil {
		return -1
	}
	return strings.Count(string(data), substr)
}
