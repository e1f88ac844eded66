//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
)

const (
	// stopGrace is the contract's bound for SIGTERM to exit.
	stopGrace = 10 * time.Second
	// startTimeout bounds a start on a loaded 2-core machine.
	startTimeout = 60 * time.Second
)

// collector runs the binary under test as a process in its own process
// group, with stdout and stderr in files, a config in a temp dir and a
// storage directory that survives restarts.
type collector struct {
	t           testing.TB
	bin         string
	cfg         collectorConfig
	dir         string // config and logs
	storageDir  string // file_storage; kept across restarts
	configPath  string
	healthPort  int
	metricsPort int
	env         []string
	runs        []*e2ekit.Process
}

// newCollector prepares (but does not start) a collector reading the
// simulator with token. Cleanup kills whatever still runs, even when the test
// failed half-way, and prints the logs of a failed test.
func newCollector(t testing.TB, cfg collectorConfig, token string) *collector {
	t.Helper()
	c := &collector{
		t:          t,
		bin:        e2ekit.BinaryPath(t),
		cfg:        cfg,
		dir:        t.TempDir(),
		storageDir: t.TempDir(),
		env:        append(os.Environ(), tokenEnv+"="+token),
	}
	c.pickPorts()
	t.Cleanup(func() {
		if p := c.current(); p != nil && !p.Exited() {
			p.Signal(syscall.SIGKILL)
			p.Wait(stopGrace)
		}
		if t.Failed() {
			for i, p := range c.runs {
				t.Logf("collector run %d stderr (last lines):\n%s", i+1, e2ekit.Tail(e2ekit.ReadFile(p.StderrPath), 40))
			}
		}
	})
	return c
}

// pickPorts chooses free loopback ports and (re)writes the config.
func (c *collector) pickPorts() {
	c.t.Helper()
	c.healthPort, c.metricsPort = e2ekit.FreePort(c.t), e2ekit.FreePort(c.t)
	body, err := c.cfg.yaml(c.storageDir, c.healthPort, c.metricsPort)
	if err != nil {
		c.t.Fatalf("rendering the collector config: %v", err)
	}
	c.configPath = e2ekit.WriteConfig(c.t, c.dir, body)
}

// start launches the binary and waits until it logs that it is ready. A
// port taken between pickPorts and the bind is retried with new ports.
func (c *collector) start() {
	c.t.Helper()
	p, err := e2ekit.StartReady(startTimeout, c.launch, c.pickPorts)
	if err != nil {
		c.t.Fatalf("collector run %d did not become ready: %v\nstderr:\n%s", len(c.runs), err, e2ekit.Tail(e2ekit.ReadFile(p.StderrPath), 60))
	}
}

func (c *collector) launch() *e2ekit.Process {
	c.t.Helper()
	if p := c.current(); p != nil && !p.Exited() {
		c.t.Fatal("harness: starting a collector while the previous run is still alive")
	}
	n := len(c.runs) + 1
	p := e2ekit.Start(c.t, e2ekit.Command{
		Bin:        c.bin,
		Args:       []string{"--config", c.configPath},
		Dir:        c.dir,
		Env:        c.env,
		StdoutPath: filepath.Join(c.dir, fmt.Sprintf("stdout-%d.log", n)),
		StderrPath: filepath.Join(c.dir, fmt.Sprintf("stderr-%d.log", n)),
	})
	c.runs = append(c.runs, p)
	return p
}

func (c *collector) current() *e2ekit.Process {
	if len(c.runs) == 0 {
		return nil
	}
	return c.runs[len(c.runs)-1]
}

// stop sends SIGTERM and fails the test unless the process exits within the
// contract's 10 s. It returns the exit error (nil for a clean exit).
func (c *collector) stop() error {
	c.t.Helper()
	p := c.current()
	if p == nil || p.Exited() {
		c.t.Fatal("harness: stop without a running collector")
	}
	began := time.Now()
	if !p.Stop(stopGrace) {
		c.t.Fatalf("the collector did not exit within %s of SIGTERM (killed)", stopGrace)
	}
	c.t.Logf("collector run %d exited %s after SIGTERM: %v", len(c.runs), time.Since(began).Round(time.Millisecond), p.Err())
	return p.Err()
}

// kill sends SIGKILL to the process group: a crash, nothing gets saved.
func (c *collector) kill() {
	c.t.Helper()
	p := c.current()
	if p == nil || p.Exited() {
		c.t.Fatal("harness: kill without a running collector")
	}
	p.Signal(syscall.SIGKILL)
	if !p.Wait(stopGrace) {
		c.t.Fatal("the collector did not die within 10 s of SIGKILL")
	}
}

// alive reports whether the current run is still running.
func (c *collector) alive() bool {
	p := c.current()
	return p != nil && !p.Exited()
}

// stderr and stdout return the output of every run so far.
func (c *collector) stderr() string {
	return c.output(func(p *e2ekit.Process) string { return p.StderrPath })
}
func (c *collector) stdout() string {
	return c.output(func(p *e2ekit.Process) string { return p.StdoutPath })
}

func (c *collector) output(path func(*e2ekit.Process) string) string {
	var b strings.Builder
	for _, p := range c.runs {
		b.WriteString(e2ekit.ReadFile(path(p)))
	}
	return b.String()
}

// health GETs the healthcheckv2 status endpoint.
func (c *collector) health() (int, string, error) {
	return e2ekit.HTTPGet(fmt.Sprintf("http://127.0.0.1:%d/status", c.healthPort))
}

// scrape GETs the collector's own Prometheus metrics.
func (c *collector) scrape() (string, error) {
	return e2ekit.Scrape(fmt.Sprintf("http://127.0.0.1:%d/metrics", c.metricsPort))
}
