//go:build e2e

package bench

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

// soakStartTimeout bounds one start of the collector on a loaded machine.
const soakStartTimeout = 2 * time.Minute

// soakCollector is the collector of the soak: one config and one storage
// directory for all its runs, a log file per run.
type soakCollector struct {
	t    *testing.T
	bin  string
	dir  string
	cfg  collectorConfig
	path string // the config file
	runs []*e2ekit.Process
}

func newSoakCollector(t *testing.T, bin, dir string, cfg collectorConfig) *soakCollector {
	c := &soakCollector{t: t, bin: bin, dir: dir, cfg: cfg}
	c.pickPorts()
	t.Cleanup(func() {
		if p := c.current(); p != nil {
			p.Stop(stopGrace)
		}
	})
	return c
}

// pickPorts chooses free loopback ports for metrics and pprof and
// (re)writes the config.
func (c *soakCollector) pickPorts() {
	c.cfg.metricsPort, c.cfg.pprofPort = e2ekit.FreePort(c.t), e2ekit.FreePort(c.t)
	body, err := c.cfg.render()
	if err != nil {
		c.t.Fatalf("rendering the collector config: %v", err)
	}
	c.path = e2ekit.WriteConfig(c.t, c.dir, body)
}

// start launches a run on the same storage and waits until it is ready; a
// port taken meanwhile by another process is retried with new ports.
func (c *soakCollector) start() {
	c.t.Helper()
	launch := func() *e2ekit.Process {
		log := filepath.Join(c.dir, fmt.Sprintf("collector-%d.log", len(c.runs)+1))
		p := e2ekit.Start(c.t, e2ekit.Command{
			Bin: c.bin, Args: collectorArgs(c.path), Env: append(os.Environ(), collectorEnv...),
			StdoutPath: log, StderrPath: log,
		})
		c.runs = append(c.runs, p)
		return p
	}
	p, err := e2ekit.StartReady(soakStartTimeout, launch, c.pickPorts)
	if err != nil {
		p.Stop(stopGrace)
		c.t.Fatalf("collector run %d did not become ready: %v%s", len(c.runs), err, "\n"+e2ekit.Tail(e2ekit.ReadFile(p.StderrPath), 40))
	}
}

// kill sends SIGKILL (a crash: nothing is flushed or saved) and waits for
// the process to be reaped.
func (c *soakCollector) kill() {
	c.t.Helper()
	p := c.current()
	p.Signal(syscall.SIGKILL)
	if !p.Wait(stopGrace) {
		c.t.Fatalf("collector run %d did not die within %s of SIGKILL", len(c.runs), stopGrace)
	}
}

func (c *soakCollector) current() *e2ekit.Process {
	if len(c.runs) == 0 {
		return nil
	}
	return c.runs[len(c.runs)-1]
}

func (c *soakCollector) pprofBase() string { return "http://127.0.0.1:" + itoa(c.cfg.pprofPort) }

// errorLines counts ERROR records over all runs.
func (c *soakCollector) errorLines() int {
	n := 0
	for _, p := range c.runs {
		n += strings.Count(e2ekit.ReadFile(p.StdoutPath), "\terror\t")
	}
	return n
}

func (c *soakCollector) lastLog(lines int) string {
	return e2ekit.Tail(e2ekit.ReadFile(c.current().StdoutPath), lines)
}
