//go:build e2e && deploy

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
)

// TestDeployImageMetadata: the image runs as the unprivileged user with the
// config at its conventional path, exposes the collector's usual ports and
// carries the OCI labels.
func TestDeployImageMetadata(t *testing.T) {
	image := requiredFlag(t, "image", *imageFlag)
	version := requiredFlag(t, "version", *versionFlag)
	out := runContainerTool(t, "image", "inspect", image)
	var inspected []struct {
		Config struct {
			User         string
			Entrypoint   []string
			Cmd          []string
			ExposedPorts map[string]struct{}
			Volumes      map[string]struct{}
			Labels       map[string]string
		}
	}
	if err := json.Unmarshal([]byte(out), &inspected); err != nil || len(inspected) != 1 {
		t.Fatalf("image inspect %s: %v\n%s", image, err, out)
	}
	cfg := inspected[0].Config
	checks := []struct {
		what      string
		got, want string
	}{
		{"user", cfg.User, "10001:10001"},
		{"entrypoint", strings.Join(cfg.Entrypoint, " "), "/otelcol-onepassword"},
		{"cmd", strings.Join(cfg.Cmd, " "), "--config /etc/otelcol-onepassword/config.yaml"},
		{"label version", cfg.Labels["org.opencontainers.image.version"], version},
		{"label source", cfg.Labels["org.opencontainers.image.source"], "https://github.com/onepassword-otel/onepasswordreceiver"},
		{"label licenses", cfg.Labels["org.opencontainers.image.licenses"], "Apache-2.0"},
	}
	for _, port := range []string{"4317/tcp", "4318/tcp", "8888/tcp", "13133/tcp"} {
		_, ok := cfg.ExposedPorts[port]
		checks = append(checks, struct{ what, got, want string }{"exposes " + port, strconv.FormatBool(ok), "true"})
	}
	_, ok := cfg.Volumes["/var/lib/otelcol-onepassword"]
	checks = append(checks, struct{ what, got, want string }{"volume /var/lib/otelcol-onepassword", strconv.FormatBool(ok), "true"})
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("image %s: %s = %q, want %q", image, c.what, c.got, c.want)
		}
	}
}

// TestDeployImageFiles: the files the image is built around are in it: a
// CA bundle for the Events API's TLS, the user it runs as, its config.
func TestDeployImageFiles(t *testing.T) {
	image := requiredFlag(t, "image", *imageFlag)
	// A created, never started container lets cp read the image's files
	// (FROM scratch has no shell to cat them with).
	name := fmt.Sprintf("otelcol-onepassword-files-%d", os.Getpid())
	runContainerTool(t, "create", "--name", name, image)
	t.Cleanup(func() { runContainerTool(t, "rm", "--force", name) })
	dir := t.TempDir()
	for _, tc := range []struct {
		path, want string
		atLeast    int // occurrences of want
	}{
		{"/etc/ssl/certs/ca-certificates.crt", "-----BEGIN CERTIFICATE-----", 50},
		{"/etc/passwd", "otelcol:x:10001:10001:", 1},
		{"/etc/otelcol-onepassword/config.yaml", "onepassword:", 1},
	} {
		local := filepath.Join(dir, filepath.Base(tc.path))
		runContainerTool(t, "cp", name+":"+tc.path, local)
		if n := strings.Count(e2ekit.ReadFile(local), tc.want); n < tc.atLeast {
			t.Errorf("%s in %s holds %q %d times, want at least %d", tc.path, image, tc.want, n, tc.atLeast)
		}
	}
}

// TestDeployImageListsReceiver: `run IMAGE components` names the receiver.
func TestDeployImageListsReceiver(t *testing.T) {
	image := requiredFlag(t, "image", *imageFlag)
	out := runContainerTool(t, "run", "--rm", "--network", "host", image, "components")
	start, end := strings.Index(out, "\nreceivers:\n"), strings.Index(out, "\nprocessors:\n")
	if start < 0 || end < start || !strings.Contains(out[start:end], "- name: onepassword\n") {
		t.Fatalf("components of %s list no onepassword receiver:\n%s", image, out)
	}
}

// TestDeployImageDeliversAllThreeKinds runs the image with its own default
// configuration against the simulator on this host (host network, loopback
// only) and waits for records of all three kinds at an OTLP endpoint, and
// for its healthcheckv2 to answer 200.
func TestDeployImageDeliversAllThreeKinds(t *testing.T) {
	image := requiredFlag(t, "image", *imageFlag)
	env := startSim(t, simulator.Config{Seed: 41})
	now := time.Now()
	for _, st := range simulator.Streams {
		// Inside the API's default start (an hour before the first request).
		if err := env.sim.AddEvents(env.account, st, 50, simulator.GenOptions{Start: now.Add(-30 * time.Minute), End: now}); err != nil {
			t.Fatal(err)
		}
	}
	sink := newSink(t, false)
	healthPort, metricsPort := e2ekit.FreePort(t), e2ekit.FreePort(t)
	name := fmt.Sprintf("otelcol-onepassword-test-%d", os.Getpid())
	argv := append(containerCommand(t), "run", "--rm", "--name", name, "--network", "host",
		// -e NAME without a value passes the variable from this process, so
		// the token never appears on a command line.
		"-e", tokenEnv,
		"-e", "OP_EVENTS_API_ENDPOINT="+env.url,
		"-e", "OTEL_EXPORTER_OTLP_ENDPOINT="+sink.URL(),
		"-e", "OTELCOL_LISTEN_HOST=127.0.0.1",
		"-e", "OTELCOL_HEALTH_PORT="+strconv.Itoa(healthPort),
		"-e", "OTELCOL_METRICS_PORT="+strconv.Itoa(metricsPort),
		image)
	logPath := filepath.Join(t.TempDir(), "container.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), tokenEnv+"="+env.token)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", strings.Join(argv, " "), err)
	}
	var waitErr error
	exited := make(chan struct{}) // closed once waitErr is set
	go func() { waitErr = cmd.Wait(); logFile.Close(); close(exited) }()
	t.Cleanup(func() {
		rm := append(containerCommand(t), "rm", "--force", name)
		if out, err := exec.Command(rm[0], rm[1:]...).CombinedOutput(); err != nil {
			t.Logf("removing container %s: %v\n%s", name, err, out)
		}
		select {
		case <-exited:
			t.Logf("the container's %s exited: %v", argv[0], waitErr)
		case <-time.After(stopGrace):
			_ = cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("container output (last lines):\n%s", e2ekit.Tail(e2ekit.ReadFile(logPath), 40))
		}
		logged := e2ekit.ReadFile(logPath)
		if !strings.Contains(logged, e2ekit.ReadyLine) {
			t.Errorf("no %q in the container's output: the checks of its log saw nothing", e2ekit.ReadyLine)
		}
		if strings.Contains(logged, env.token) {
			t.Errorf("the token appears in the container's output")
		}
		for _, line := range strings.Split(logged, "\n") {
			if strings.Contains(strings.ToLower(line), "deprecat") {
				t.Errorf("the image's default configuration logs a deprecation: %s", line)
			}
		}
	})

	kinds := []string{eventNameOf[simulator.StreamAuditEvents], eventNameOf[simulator.StreamItemUsages], eventNameOf[simulator.StreamSignInAttempts]}
	allArrived := waitFor(3*time.Minute, 100*time.Millisecond, func() bool {
		select {
		case <-exited:
			return true // it stopped: what arrived is all there is
		default:
		}
		for _, k := range kinds {
			if sink.CountOf(k) == 0 {
				return false
			}
		}
		return true
	})
	for _, k := range kinds {
		if sink.CountOf(k) == 0 {
			t.Errorf("no %s record arrived from the container (waited for all kinds: %v)", k, allArrived)
		}
	}
	if t.Failed() {
		return
	}
	var code int
	var body string
	if !waitFor(time.Minute, 100*time.Millisecond, func() bool {
		code, body, _ = e2ekit.HTTPGet(fmt.Sprintf("http://127.0.0.1:%d/status", healthPort))
		return code == 200
	}) {
		t.Errorf("healthcheckv2 in the container answered %d, want 200: %s", code, body)
	}
}

// runContainerTool runs the engine with args and returns its stdout.
func runContainerTool(t *testing.T, args ...string) string {
	t.Helper()
	argv := append(containerCommand(t), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, stderr.String())
	}
	return string(out)
}
