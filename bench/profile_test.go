//go:build e2e

package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"time"
)

// captureCPUProfile asks the collector's pprof extension for a CPU profile
// of the next `seconds` seconds and writes it to dst. It blocks for that
// long.
func captureCPUProfile(ctx context.Context, pprofBase string, seconds int, dst string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(seconds)*time.Second+time.Minute)
	defer cancel()
	return fetchProfile(ctx, fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", pprofBase, seconds), dst)
}

// captureLiveHeap writes a heap profile taken right after a garbage
// collection (gc=1): what the collector really keeps, without the garbage
// an idle process may carry for up to two minutes.
func captureLiveHeap(ctx context.Context, pprofBase, dst string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	return fetchProfile(ctx, pprofBase+"/debug/pprof/heap?gc=1", dst)
}

func fetchProfile(ctx context.Context, url, dst string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("%s: status %d: %s", url, resp.StatusCode, msg)
	}
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// waitHTTP polls url until it answers 200, for a process that is starting.
func waitHTTP(ctx context.Context, url string, c *collector) error {
	client := &http.Client{Timeout: time.Second}
	for {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if !c.running() {
			return fmt.Errorf("the collector exited before %s answered: %s", url, c.logTail(20))
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s did not answer: %w", url, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// pprofTop renders a profile as `go tool pprof -top -nodecount=25` text
// (plus extra flags, e.g. -cum). Go profiles carry their symbols, so the
// binary is not needed.
func pprofTop(profile string, extra ...string) (string, error) {
	args := append([]string{"tool", "pprof", "-top", "-nodecount=25"}, extra...)
	args = append(args, profile)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", args...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go %v: %w: %s", args, err, out)
	}
	return string(out), nil
}
