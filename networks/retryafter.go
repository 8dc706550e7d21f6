package networks

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter caps what ParseRetryAfter returns, so a hostile or broken
// header cannot park a publish for years.
const maxRetryAfter = 7 * 24 * time.Hour

// ParseRetryAfter parses an HTTP Retry-After value (RFC 9110 §10.2.3): either
// a number of seconds ("120") or an HTTP-date ("Wed, 21 Oct 2015 07:28:00
// GMT"), relative to now. It returns the wait and true, or false when s is
// neither. The wait is never negative (a date in the past gives 0) and is
// capped at seven days.
func ParseRetryAfter(s string, now time.Time) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if isDigits(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true // too many digits: a very long wait
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(s)
	if err != nil {
		return 0, false
	}
	d := t.Sub(now)
	switch {
	case d < 0:
		return 0, true
	case d > maxRetryAfter:
		return maxRetryAfter, true
	}
	return d, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseReset parses a rate-limit reset header as networks send it: Unix
// seconds (X's x-rate-limit-reset, Bluesky's RateLimit-Reset) or an RFC 3339
// timestamp (Mastodon's X-RateLimit-Reset). It returns false when s is
// neither.
func ParseReset(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if isDigits(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n > 1<<40 {
			return time.Time{}, false
		}
		return time.Unix(n, 0).UTC(), true
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}
