//go:build unix

package text_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time, user and system, that this process
// has spent in all its threads, and true.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
