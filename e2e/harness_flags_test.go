//go:build e2e

package e2e

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var (
	otelcolFlag = flag.String("otelcol", "",
		"path to the otelcol-onepassword binary under test (required; the tests fail without it)")
	fixturesFlag = flag.String("fixtures", "../internal/convert/testdata/fixtures",
		"directory of the Events API fixtures (the copy in the repository by default)")
)

// binaryPath returns the binary under test. A missing binary fails the test
// instead of skipping it: a suite that silently skips cannot catch anything.
func binaryPath(t testing.TB) string {
	t.Helper()
	if *otelcolFlag == "" {
		t.Fatal("-otelcol is required: go test -tags=e2e ./e2e/... -args -otelcol=/path/to/otelcol-onepassword (make e2e passes it)")
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
