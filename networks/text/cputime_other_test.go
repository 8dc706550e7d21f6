//go:build !unix

package text_test

import "time"

// processCPU reports false: TestPeerSpeed compares wall-clock time only.
func processCPU() (time.Duration, bool) { return 0, false }
