//go:build e2e

package e2ekit

import (
	"net"
	"testing"
)

// FreePort asks the kernel for a free loopback port. Another process may
// take it before the collector binds it; callers that can, retry with new
// ports (see Collector.Start in e2e/), the others fail and say so.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
