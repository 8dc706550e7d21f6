package apikit

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/socialflow/socialflow/networks"
)

// ResetForm says how a network writes its rate-limit reset header.
type ResetForm int

// The reset forms.
const (
	// ResetEpochOrTime: Unix seconds (X's x-rate-limit-reset) or an RFC
	// 3339 time (Mastodon's and GoToSocial's X-RateLimit-Reset), as
	// [networks.ParseReset] reads them. The zero value.
	ResetEpochOrTime ResetForm = iota
	// ResetDeltaOrEpoch: the IETF RateLimit header draft's delta-seconds,
	// or Unix seconds as the atproto PDS sends: a value under ten years of
	// seconds is a delta from now, anything larger a Unix time.
	ResetDeltaOrEpoch
	// ResetTime: an RFC 3339 time only, any fraction of a second
	// (Mastodon's microseconds, GoToSocial's milliseconds); Unix seconds
	// are malformed. For a network whose servers never send a number, so
	// that one is not mistaken for a time.
	ResetTime
)

// RateHeaders names a network's rate-limit headers (matched without regard
// to case, so "x-rate-limit-reset", "X-RateLimit-Reset" and
// "X-Ratelimit-Reset" are one header). The zero value reads none.
type RateHeaders struct {
	Limit, Remaining, Reset string
	Form                    ResetForm
	// Scope is whose budget the headers and a 429 describe; empty means
	// networks.ScopeAccount.
	Scope networks.Scope
}

// The header sets of the networks the kit knows.
var (
	// IETFDraftHeaders: RateLimit-Limit/-Remaining/-Reset
	// (draft-ietf-httpapi-ratelimit-headers), as the atproto PDS sends them.
	IETFDraftHeaders = RateHeaders{Limit: "RateLimit-Limit", Remaining: "RateLimit-Remaining", Reset: "RateLimit-Reset", Form: ResetDeltaOrEpoch}
	// XRateLimitHeaders: X-RateLimit-Limit/-Remaining/-Reset (also spelt
	// X-Ratelimit-*) with an RFC 3339 or epoch reset, as Mastodon
	// (https://docs.joinmastodon.org/api/rate-limits/) and GoToSocial send
	// them.
	XRateLimitHeaders = RateHeaders{Limit: "X-RateLimit-Limit", Remaining: "X-RateLimit-Remaining", Reset: "X-RateLimit-Reset"}
	// XAPIHeaders: x-rate-limit-limit/-remaining/-reset (epoch seconds), as
	// X API v2 sends them per endpoint
	// (https://docs.x.com/x-api/fundamentals/rate-limits). Note the dash
	// between "rate" and "limit": a different header from X-RateLimit-*.
	XAPIHeaders = RateHeaders{Limit: "x-rate-limit-limit", Remaining: "x-rate-limit-remaining", Reset: "x-rate-limit-reset"}
)

func (h RateHeaders) scope() networks.Scope {
	if h.Scope == "" {
		return networks.ScopeAccount
	}
	return h.Scope
}

// Parse reads the quota the headers report at now. It returns nil when a
// header is missing or malformed, or a count is negative.
func (h RateHeaders) Parse(hd http.Header, now time.Time) []networks.Quota {
	if h.Limit == "" || h.Remaining == "" || h.Reset == "" {
		return nil
	}
	lim, err1 := strconv.Atoi(strings.TrimSpace(hd.Get(h.Limit)))
	rem, err2 := strconv.Atoi(strings.TrimSpace(hd.Get(h.Remaining)))
	reset, ok := h.ParseReset(hd.Get(h.Reset), now)
	if err1 != nil || err2 != nil || !ok || lim < 0 || rem < 0 {
		return nil
	}
	return []networks.Quota{{Scope: h.scope(), Limit: lim, Remaining: rem, Reset: reset}}
}

// ParseReset reads a reset value in h's form at now. ok is false for a
// missing, malformed or negative value; the time is UTC.
func (h RateHeaders) ParseReset(v string, now time.Time) (time.Time, bool) {
	switch h.Form {
	case ResetTime:
		t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v))
		return t.UTC(), err == nil
	case ResetDeltaOrEpoch:
	default:
		t, ok := networks.ParseReset(v)
		return t.UTC(), ok
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > 1<<40 {
		return time.Time{}, false
	}
	const tenYears = 10 * 365 * 24 * 3600
	if n < tenYears {
		return now.Add(time.Duration(n) * time.Second), true
	}
	return time.Unix(n, 0).UTC(), true
}
