//go:build unix

package convert

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the whole process has used (all threads, so the
// garbage collector's background work counts too). On a shared machine it
// depends much less than wall time on what else runs.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
