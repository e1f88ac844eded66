//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
)

// runValidate runs the binary's `validate` on config with env added to the
// environment, and returns what it printed and its error (nil = accepted).
func runValidate(t *testing.T, config string, env ...string) ([]byte, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(e2ekit.BinaryPath(t), "validate", "--config", path)
	cmd.Env = append(os.Environ(), env...)
	return cmd.CombinedOutput()
}
