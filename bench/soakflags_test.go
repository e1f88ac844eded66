//go:build e2e

package bench

import (
	"flag"
	"time"
)

// The soak's settings (make soak sets -soak-duration from SOAK_DURATION).
// With -soak-duration=0, the default, TestSoak is skipped: an hour-long test
// has no place in `go test ./...` or `make bench`.
var (
	soakDuration    = flag.Duration("soak-duration", 0, "TestSoak: how long faults, backlogs and kills go on (make soak: 60m); 0 skips the soak")
	soakKillEvery   = flag.Duration("soak-kill-every", 4*time.Minute, "TestSoak: mean time between SIGKILLs of the collector (each one ±50 %)")
	soakBacklog     = flag.Duration("soak-backlog-every", 5*time.Minute, "TestSoak: time between backlogs of 20,000-50,000 events")
	soakSampleEvery = flag.Duration("soak-sample-every", 10*time.Second, "TestSoak: time between samples of RSS, goroutines, descriptors and storage size")
	soakTrickle     = flag.Int("soak-trickle", 2, "TestSoak: events per second added to each stream between backlogs")
	soakSeed        = flag.Uint64("soak-seed", 0, "TestSoak: seed of the fault, backlog and kill schedule (0: from the clock; the seed is printed)")
	soakOut         = flag.String("soak-out", "results", "TestSoak: directory (relative to bench/) for soak.csv, soak.png and soak-result.txt")
	soakFlatWindow  = flag.Duration("soak-flat-window", 40*time.Minute, "TestSoak: the trailing window that must be flat (shorter runs use their second half)")
	soakPlotFrom    = flag.String("soak-plot", "", "TestSoakPlot: redraw soak.png from this soak.csv (no soak is run)")
)
