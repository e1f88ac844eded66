//go:build e2e

package e2ekit

import (
	"net"
	"net/http"
	"testing"
	"time"
)

// Closer is what ServeSim closes before the server: the simulator, whose
// Close releases delayed answers, so that closing the server does not wait
// for a slow-answer fault.
type Closer interface{ Close() }

// ServeSim serves h (the simulator, or a wrapper around it) on a fresh
// 127.0.0.1 port and returns its base URL. onNewConn, when set, is called
// for every new TCP connection. At cleanup sim is closed, then the server.
func ServeSim(t testing.TB, sim Closer, h http.Handler, onNewConn func()) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listening for the simulator: %v", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	if onNewConn != nil {
		srv.ConnState = func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				onNewConn()
			}
		}
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		sim.Close()
		_ = srv.Close()
	})
	return "http://" + ln.Addr().String()
}
