//go:build e2e

package e2e

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
)

// TestMakeRunDemoPrintsAllThreeKinds runs what `make run` runs without a
// token — scripts/run-demo.sh: the bundled simulator and config/demo.yaml —
// and waits until the debug exporter has printed records of all three event
// kinds and the users' inventory, as a new user would see them.
func TestMakeRunDemoPrintsAllThreeKinds(t *testing.T) {
	bin := e2ekit.BinaryPath(t)
	dir := t.TempDir()
	sim := filepath.Join(dir, "eventsapi-sim")
	if out, err := exec.Command("go", "build", "-o", sim, "../cmd/eventsapi-sim").CombinedOutput(); err != nil {
		t.Fatalf("building the simulator: %v\n%s", err, out)
	}

	cmd := exec.Command("bash", "scripts/run-demo.sh", bin, sim)
	cmd.Dir = ".." // the script names config/demo.yaml from the repository root
	cmd.Env = append(os.Environ(), "SIM_PORT="+strconv.Itoa(e2ekit.FreePort(t)))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting the demo: %v", err)
	}
	t.Cleanup(func() {
		// The collector and the simulator share the script's process group.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
	})

	names := make(chan string, 64)
	go func() {
		defer close(names)
		eventName := regexp.MustCompile(`EventName: (onepassword\.[a-z_]+)`)
		scanner := bufio.NewScanner(out)
		scanner.Buffer(make([]byte, 1<<20), 1<<20)
		for scanner.Scan() {
			if m := eventName.FindStringSubmatch(scanner.Text()); m != nil {
				names <- m[1]
			}
		}
	}()

	want := map[string]bool{"onepassword.audit_event": false, "onepassword.item_usage": false, "onepassword.signin_attempt": false, "onepassword.user": false}
	deadline := time.After(2 * time.Minute)
	for seen := 0; seen < len(want); {
		select {
		case name, ok := <-names:
			if !ok {
				t.Fatalf("the demo ended before printing every kind: %v", want)
			}
			if done, known := want[name]; known && !done {
				want[name] = true
				seen++
			}
		case <-deadline:
			t.Fatalf("the demo printed no records of some kinds within 2 minutes: %v", want)
		}
	}
}
