package apikit

import (
	"context"
	"time"
)

// Sleep waits d, or until ctx is done, whichever comes first, and returns
// ctx.Err() in the second case (also when d <= 0 and ctx is already done).
// It is the default wait of adapters that poll a network's processing
// (media, containers); adapters take a replacement for tests.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
