//go:build e2e

package bench

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.opentelemetry.io/collector/config/configopaque"

	"github.com/onepassword-otel/onepasswordreceiver/internal/e2ekit"
	"github.com/onepassword-otel/onepasswordreceiver/internal/roster"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator"
	"github.com/onepassword-otel/onepasswordreceiver/internal/simulator/usersim"
	"github.com/onepassword-otel/onepasswordreceiver/internal/usersapi"
)

var (
	usersCount    = flag.Int("users", 100_000, "BenchmarkUsersPass100k: users of the simulated account")
	usersPageSize = flag.Int("users-page-size", 1000, "BenchmarkUsersPass100k: users::page_size")
)

// BenchmarkUsersPass100k: one pass of the users source over -users
// (100,000) users, page_size 1000, through the built collector (users-only
// receiver, roster in file_storage, exporter nop): the baseline, i.e. the
// walk, an inventory record per user and the roster's commit. It reports
// the pass's duration (from the collector being ready to the committed
// roster, as the last_complete_pass gauge shows it), the collector's peak
// RSS (VmHWM) after the baseline and after a second pass (which compares
// every user with the stored roster, both held at once), and the stored
// roster's size: the value the source writes and the file_storage file.
func BenchmarkUsersPass100k(b *testing.B) {
	bin := e2ekit.BinaryPath(b)
	n, pageSize := *usersCount, *usersPageSize
	sim := simulator.New(simulator.Config{RateLimit: &simulator.RateLimitConfig{}})
	account := sim.Accounts()[0]
	users := usersim.New(usersim.Config{AccountID: account})
	users.Generate(n)
	sim.MountUsers(users)
	url := e2ekit.ServeSim(b, sim, sim, nil)

	dir, storageDir := b.TempDir(), b.TempDir()
	metricsPort := e2ekit.FreePort(b)
	body, err := e2ekit.RenderConfig(map[string]any{
		"extensions": map[string]any{"file_storage": map[string]any{"directory": storageDir}},
		"receivers": map[string]any{"onepassword": map[string]any{
			"storage":         "file_storage",
			"audit_events":    map[string]any{"enabled": false},
			"item_usages":     map[string]any{"enabled": false},
			"signin_attempts": map[string]any{"enabled": false},
			"users": map[string]any{
				"enabled": true, "client_id": users.ClientID(), "client_secret": "${env:OP_USERS_CLIENT_SECRET}",
				"account_id": account, "endpoint": url, "page_size": pageSize, "poll_interval": "2s",
			},
		}},
		"exporters": map[string]any{"nop": nil},
		"service": map[string]any{
			"extensions": []string{"file_storage"},
			"pipelines":  map[string]any{"logs": map[string]any{"receivers": []string{"onepassword"}, "exporters": []string{"nop"}}},
			"telemetry": e2ekit.MetricsTelemetry("", metricsPort, map[string]any{
				"without_scope_info": true, "without_units": true, "without_type_suffix": true,
			}),
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	cfgPath := e2ekit.WriteConfig(b, dir, body)
	logPath := filepath.Join(dir, "collector.log")

	b.ResetTimer()
	p := e2ekit.Start(b, e2ekit.Command{
		Bin: bin, Args: []string{"--config", cfgPath},
		Env:        append(append(os.Environ(), collectorEnv...), "OP_USERS_CLIENT_SECRET="+users.ClientSecret()),
		StdoutPath: logPath, StderrPath: logPath,
	})
	b.Cleanup(func() { p.Stop(stopGrace) })
	if err := p.WaitReady(time.Minute); err != nil {
		b.Fatalf("collector: %v%s", err, "\n"+e2ekit.Tail(e2ekit.ReadFile(logPath), 40))
	}
	ready := time.Now()
	metricsURL := fmt.Sprintf("http://127.0.0.1:%d/metrics", metricsPort)
	deadline := ready.Add(10 * time.Minute)
	// passDone waits until the last_complete_pass gauge moves past after.
	passDone := func(after float64) (float64, time.Time) {
		for {
			last, err := scrapeSum(metricsURL, "otelcol_receiver_onepassword_users_last_complete_pass")
			if err == nil && last > after {
				return last, time.Now()
			}
			if p.Exited() || time.Now().After(deadline) {
				b.Fatalf("the pass did not complete (exited: %v)%s", p.Exited(), "\n"+e2ekit.Tail(e2ekit.ReadFile(logPath), 40))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	first, committed := passDone(0)
	baseline, err := readMemory(p.Pid())
	if err != nil {
		b.Fatal(err)
	}
	cpu, _ := readCPU(p.Pid())
	accepted, _ := scrapeSum(metricsURL, "otelcol_receiver_accepted_log_records")
	// The second pass compares 100,000 users with the stored roster, both
	// held at once: the steady state's peak.
	second, _ := passDone(first)
	mem, err := readMemory(p.Pid())
	if err != nil {
		b.Fatal(err)
	}
	cpu2, _ := readCPU(p.Pid())
	b.StopTimer()
	p.Stop(stopGrace)
	if int(accepted) != n {
		b.Errorf("the pipeline accepted %v records, want one inventory record per user (%d)", accepted, n)
	}

	stored := storedRosterSize(b, url, account, users, pageSize)
	var fileBytes int64
	entries, _ := os.ReadDir(storageDir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			fileBytes += info.Size()
		}
	}

	r := newResult(b, fmt.Sprintf("UsersPass%dk", n/1000))
	r.note("users", float64(n))
	r.note("page_size", float64(pageSize))
	r.metric("pass_s", round(committed.Sub(ready).Seconds(), 2), "pass-s")
	r.metric("peak_rss_mib", round(mib(mem.peak), 1), "peak-RSS-MiB")
	r.note("baseline_peak_rss_mib", round(mib(baseline.peak), 1))
	r.note("rss_after_mib", round(mib(mem.rss), 1))
	r.note("baseline_cpu_s", round(cpu.Seconds(), 2))
	r.note("second_pass_cpu_s", round((cpu2-cpu).Seconds(), 2))
	r.note("second_pass_walk_end_s", round(second-first, 2))
	r.metric("stored_roster_mib", round(mib(int64(stored)), 2), "roster-MiB")
	r.note("stored_bytes_per_user", round(float64(stored)/float64(n), 1))
	r.note("storage_file_mib", round(mib(fileBytes), 2))
	r.print()
}

// storedRosterSize walks the simulator with the project's own client and
// returns the size of the stored form of that roster (what the source
// writes under users/roster).
func storedRosterSize(b *testing.B, url, account string, users *usersim.Sim, pageSize int) int {
	b.Helper()
	client, err := usersapi.NewClient(&http.Client{Timeout: time.Minute}, usersapi.Config{
		Endpoint: url, APIVersion: usersapi.VersionV1, AccountID: account,
		ClientID: users.ClientID(), ClientSecret: configopaque.String(users.ClientSecret()),
	})
	if err != nil {
		b.Fatal(err)
	}
	w := client.NewWalk(pageSize)
	var pass []roster.User
	for !w.Done() {
		page, err := w.Next(context.Background())
		if err != nil {
			b.Fatalf("walking the simulator: %v", err)
		}
		for _, raw := range page.Users {
			u, err := roster.ParseUser(raw)
			if err != nil {
				b.Fatal(err)
			}
			pass = append(pass, u)
		}
	}
	_, next := roster.Compare(roster.Roster{}, pass)
	next.LastInventory = time.Now()
	return len(roster.Marshal(next))
}
