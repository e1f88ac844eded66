//go:build e2e

package e2ekit

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// otelcolFlag names the binary under test. The default is where `make build`
// puts it, seen from e2e/ and bench/ (go test runs in the package's folder).
var otelcolFlag = flag.String("otelcol", "../_build/otelcol-onepassword",
	"path to the otelcol-onepassword binary under test, built by `make build`")

// BinaryPath returns the absolute path of the binary under test. A missing
// binary fails the test instead of skipping it: a suite that silently skips
// cannot catch anything, and a skipped benchmark looks like a pass.
func BinaryPath(t testing.TB) string {
	t.Helper()
	if *otelcolFlag == "" {
		t.Fatal("-otelcol is empty: go test -tags=e2e ./e2e/... -args -otelcol=$PWD/_build/otelcol-onepassword (make e2e and make bench pass it)")
	}
	p, err := filepath.Abs(*otelcolFlag)
	if err != nil {
		t.Fatalf("-otelcol %q: %v", *otelcolFlag, err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatalf("-otelcol %q: %v (build it with make build)", p, err)
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		t.Fatalf("-otelcol %q is not an executable file", p)
	}
	return p
}
