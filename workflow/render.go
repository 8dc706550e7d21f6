package workflow

import "time"

// by renders a deadline for a notice: " by 2026-03-02T10:00:00Z", or
// nothing for the zero time (no deadline), so a zero time is never shown.
func by(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return " by " + t.UTC().Format(time.RFC3339)
}

// due is [by] with "due".
func due(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return " due " + t.UTC().Format(time.RFC3339)
}
