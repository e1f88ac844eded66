//go:build e2e

package e2e

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	// readyLine is what the collector logs once every component started.
	readyLine = "Everything is ready"
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
	runs        []*process
}

// process is one run of the binary.
type process struct {
	cmd        *exec.Cmd
	done       chan struct{} // closed when the process exited
	err        error         // cmd.Wait's result, valid once done is closed
	stdoutPath string
	stderrPath string
}

// newCollector prepares (but does not start) a collector reading the
// simulator with token. Cleanup kills whatever still runs, even when the test
// failed half-way, and prints the logs of a failed test.
func newCollector(t testing.TB, cfg collectorConfig, token string) *collector {
	t.Helper()
	c := &collector{
		t:          t,
		bin:        binaryPath(t),
		cfg:        cfg,
		dir:        t.TempDir(),
		storageDir: t.TempDir(),
		env:        append(os.Environ(), tokenEnv+"="+token),
	}
	c.pickPorts()
	t.Cleanup(func() {
		if p := c.current(); p != nil && !p.exited() {
			p.signal(syscall.SIGKILL)
			p.wait(stopGrace)
		}
		if t.Failed() {
			for i, p := range c.runs {
				t.Logf("collector run %d stderr (last lines):\n%s", i+1, tail(readFile(p.stderrPath), 40))
			}
		}
	})
	return c
}

// pickPorts chooses free loopback ports and (re)writes the config.
func (c *collector) pickPorts() {
	c.t.Helper()
	c.healthPort, c.metricsPort = freePort(c.t), freePort(c.t)
	body, err := c.cfg.yaml(c.storageDir, c.healthPort, c.metricsPort)
	if err != nil {
		c.t.Fatalf("rendering the collector config: %v", err)
	}
	c.configPath = writeConfig(c.t, c.dir, body)
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// start launches the binary and waits until it logs that it is ready. A
// port taken between pickPorts and the bind is retried with new ports.
func (c *collector) start() {
	c.t.Helper()
	for attempt := 1; ; attempt++ {
		p := c.launch()
		err := c.waitReady(p)
		if err == nil {
			return
		}
		if attempt < 3 && p.exited() && strings.Contains(readFile(p.stderrPath), "address already in use") {
			c.pickPorts()
			continue
		}
		c.t.Fatalf("collector run %d did not become ready: %v\nstderr:\n%s", len(c.runs), err, tail(readFile(p.stderrPath), 60))
	}
}

func (c *collector) launch() *process {
	c.t.Helper()
	if p := c.current(); p != nil && !p.exited() {
		c.t.Fatal("harness: starting a collector while the previous run is still alive")
	}
	n := len(c.runs) + 1
	p := &process{
		done:       make(chan struct{}),
		stdoutPath: filepath.Join(c.dir, fmt.Sprintf("stdout-%d.log", n)),
		stderrPath: filepath.Join(c.dir, fmt.Sprintf("stderr-%d.log", n)),
	}
	stdout, err := os.Create(p.stdoutPath)
	if err != nil {
		c.t.Fatal(err)
	}
	stderr, err := os.Create(p.stderrPath)
	if err != nil {
		c.t.Fatal(err)
	}
	p.cmd = exec.Command(c.bin, "--config", c.configPath)
	p.cmd.Dir = c.dir
	p.cmd.Env = c.env
	p.cmd.Stdout, p.cmd.Stderr = stdout, stderr
	p.cmd.SysProcAttr = &syscall.SysProcAttr{
		// Its own process group, so that a kill reaches anything it spawned
		// and never the test itself.
		Setpgid: true,
		// Killed with the test process too, e.g. when go test's -timeout
		// panics before any cleanup runs. The signal follows the OS thread
		// that started the child, so that thread stays locked (below) for
		// the child's whole life.
		Pdeathsig: syscall.SIGKILL,
	}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := p.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		p.err = p.cmd.Wait()
		stdout.Close()
		stderr.Close()
		close(p.done)
	}()
	if err := <-started; err != nil {
		stdout.Close()
		stderr.Close()
		c.t.Fatalf("starting %s: %v", c.bin, err)
	}
	c.runs = append(c.runs, p)
	return p
}

func (c *collector) waitReady(p *process) error {
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		if strings.Contains(readFile(p.stderrPath), readyLine) {
			return nil
		}
		if p.exited() {
			if p.err == nil {
				return errors.New("the process exited (status 0) before it was ready")
			}
			return fmt.Errorf("the process exited before it was ready: %w", p.err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("no %q in its log within %s", readyLine, startTimeout)
}

func (c *collector) current() *process {
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
	if p == nil || p.exited() {
		c.t.Fatal("harness: stop without a running collector")
	}
	began := time.Now()
	p.signal(syscall.SIGTERM)
	if !p.wait(stopGrace) {
		p.signal(syscall.SIGKILL)
		p.wait(stopGrace)
		c.t.Fatalf("the collector did not exit within %s of SIGTERM (killed)", stopGrace)
	}
	c.t.Logf("collector run %d exited %s after SIGTERM: %v", len(c.runs), time.Since(began).Round(time.Millisecond), p.err)
	return p.err
}

// kill sends SIGKILL to the process group: a crash, nothing gets saved.
func (c *collector) kill() {
	c.t.Helper()
	p := c.current()
	if p == nil || p.exited() {
		c.t.Fatal("harness: kill without a running collector")
	}
	p.signal(syscall.SIGKILL)
	if !p.wait(stopGrace) {
		c.t.Fatal("the collector did not die within 10 s of SIGKILL")
	}
}

// alive reports whether the current run is still running.
func (c *collector) alive() bool {
	p := c.current()
	return p != nil && !p.exited()
}

// stderr and stdout return the output of every run so far.
func (c *collector) stderr() string { return c.output(func(p *process) string { return p.stderrPath }) }
func (c *collector) stdout() string { return c.output(func(p *process) string { return p.stdoutPath }) }

func (c *collector) output(path func(*process) string) string {
	var b strings.Builder
	for _, p := range c.runs {
		b.WriteString(readFile(path(p)))
	}
	return b.String()
}

// health GETs the healthcheckv2 status endpoint.
func (c *collector) health() (int, string, error) {
	return httpGet(fmt.Sprintf("http://127.0.0.1:%d/status", c.healthPort))
}

// scrape GETs the collector's own Prometheus metrics.
func (c *collector) scrape() (string, error) {
	code, body, err := httpGet(fmt.Sprintf("http://127.0.0.1:%d/metrics", c.metricsPort))
	if err == nil && code != http.StatusOK {
		err = fmt.Errorf("metrics endpoint answered %d", code)
	}
	return body, err
}

func httpGet(url string) (int, string, error) {
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

func (p *process) wait(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-p.done:
		return true
	case <-t.C:
		return false
	}
}

// signal signals the whole process group (the process is its leader).
func (p *process) signal(sig syscall.Signal) {
	if err := syscall.Kill(-p.cmd.Process.Pid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		_ = p.cmd.Process.Signal(sig)
	}
}

func readFile(path string) string {
	b, _ := os.ReadFile(path)
	return string(b)
}

func tail(s string, lines int) string {
	parts := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(parts) > lines {
		parts = parts[len(parts)-lines:]
	}
	return strings.Join(parts, "\n")
}
