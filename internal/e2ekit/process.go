//go:build e2e

package e2ekit

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ReadyLine is what the collector logs once every component started.
const ReadyLine = "Everything is ready"

// Command is one run of a binary: its arguments, working directory,
// environment and where its output goes (StdoutPath == StderrPath puts both
// into one file).
type Command struct {
	Bin        string
	Args       []string
	Dir        string
	Env        []string
	StdoutPath string
	StderrPath string
}

// Process is a running (or finished) Command.
type Process struct {
	cmd        *exec.Cmd
	done       chan struct{} // closed once the process has been reaped
	err        error         // cmd.Wait's result, valid once done is closed
	StdoutPath string
	StderrPath string
}

// Start launches c in a process group of its own, so that a signal reaches
// anything it spawned and never the test itself, and with a parent-death
// signal, so that it dies with the test process even when go test's
// -timeout panics before any cleanup runs.
func Start(t testing.TB, c Command) *Process {
	t.Helper()
	p := &Process{done: make(chan struct{}), StdoutPath: c.StdoutPath, StderrPath: c.StderrPath}
	stdout, err := os.Create(c.StdoutPath)
	if err != nil {
		t.Fatal(err)
	}
	stderr := stdout
	if c.StderrPath != c.StdoutPath {
		if stderr, err = os.Create(c.StderrPath); err != nil {
			stdout.Close()
			t.Fatal(err)
		}
	}
	closeFiles := func() {
		stdout.Close()
		if stderr != stdout {
			stderr.Close()
		}
	}
	p.cmd = exec.Command(c.Bin, c.Args...)
	p.cmd.Dir, p.cmd.Env = c.Dir, c.Env
	p.cmd.Stdout, p.cmd.Stderr = stdout, stderr
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	started := make(chan error, 1)
	go func() {
		// The parent-death signal follows the OS thread that started the
		// child, so that thread stays locked for the child's whole life.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := p.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		p.err = p.cmd.Wait()
		closeFiles()
		close(p.done)
	}()
	if err := <-started; err != nil {
		closeFiles()
		t.Fatalf("starting %s: %v", c.Bin, err)
	}
	return p
}

// Pid is the process's id (and its process group's).
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Done is closed once the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Err is the exit error (nil for a clean exit); valid once Done is closed.
func (p *Process) Err() error { return p.err }

// Exited reports whether the process has exited.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Wait waits up to d for the process to exit and reports whether it did.
func (p *Process) Wait(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-p.done:
		return true
	case <-t.C:
		return false
	}
}

// Signal signals the whole process group (the process is its leader).
func (p *Process) Signal(sig syscall.Signal) {
	if err := syscall.Kill(-p.Pid(), sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		_ = p.cmd.Process.Signal(sig)
	}
}

// Stop sends SIGTERM and waits up to grace; a process still running then
// is killed. It reports whether the process exited within grace. Stopping
// a process that has exited is harmless.
func (p *Process) Stop(grace time.Duration) bool {
	if p.Exited() {
		return true
	}
	p.Signal(syscall.SIGTERM)
	if p.Wait(grace) {
		return true
	}
	p.Signal(syscall.SIGKILL)
	p.Wait(grace)
	return false
}

// WaitReady waits until the process's stderr holds ReadyLine, it exits, or
// timeout passes.
func (p *Process) WaitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if strings.Contains(ReadFile(p.StderrPath), ReadyLine) {
			return nil
		}
		if p.Exited() {
			if p.err == nil {
				return errors.New("the process exited (status 0) before it was ready")
			}
			return fmt.Errorf("the process exited before it was ready: %w", p.err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("no %q in its log within %s", ReadyLine, timeout)
}

// StartReady launches a run with launch and waits up to timeout until it is
// ready. A run that exited because a port was taken between choosing it and
// binding it is launched again (three runs at most) after repick chose new
// ports. It returns the last run and, if that one never became ready, why.
func StartReady(timeout time.Duration, launch func() *Process, repick func()) (*Process, error) {
	for attempt := 1; ; attempt++ {
		p := launch()
		err := p.WaitReady(timeout)
		if err == nil {
			return p, nil
		}
		if attempt < 3 && p.Exited() && strings.Contains(ReadFile(p.StderrPath), "address already in use") {
			repick()
			continue
		}
		return p, err
	}
}
