//go:build e2e && deploy

package e2e

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The deployment tests (make deploy-test) check what make dist and make
// image produced, and the files under deploy/. They carry the extra build
// tag deploy so that the plain end-to-end suite needs neither a container
// engine nor cross-compiled archives.
var (
	distFlag = flag.String("dist", "",
		"directory of the make dist archives and checksums.txt (make deploy-test passes it)")
	versionFlag = flag.String("version", "",
		"the version make stamped into the binaries and the image tag (make deploy-test passes it)")
	imageFlag = flag.String("image", "",
		"the make image result, e.g. otelcol-onepassword:1.2.3 (make deploy-test passes it)")
	containerFlag = flag.String("container", "",
		`the container engine's command line, e.g. "docker" or "podman --runtime runc" (make deploy-test passes it)`)
)

// requiredFlag fails the test when a flag it needs is empty: a deployment
// check that skips silently cannot catch anything.
func requiredFlag(t testing.TB, name, value string) string {
	t.Helper()
	if value == "" {
		t.Fatalf("-%s is required: run make deploy-test, or pass it after -args", name)
	}
	return value
}

// containerCommand returns the engine's command line as argv.
func containerCommand(t testing.TB) []string {
	t.Helper()
	argv := strings.Fields(requiredFlag(t, "container", *containerFlag))
	if _, err := exec.LookPath(argv[0]); err != nil {
		t.Fatalf("-container %q: %v", *containerFlag, err)
	}
	return argv
}

// repoPath is a path inside the repository (the tests run in e2e/).
func repoPath(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join("..", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return p
}
