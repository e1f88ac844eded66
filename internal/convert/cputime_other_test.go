//go:build !unix

package convert

import "time"

// processCPU is unknown here; the ratio benchmark then reports wall time only.
func processCPU() time.Duration { return 0 }
