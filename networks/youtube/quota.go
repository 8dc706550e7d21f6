package youtube

import (
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/socialflow/socialflow/networks"
)

// Quota costs of the calls the adapter makes, in units of the project's
// daily quota (https://developers.google.com/youtube/v3/determine_quota_cost).
// Every request costs its units, invalid ones included.
const (
	CostList      = 1  // videos.list, channels.list, playlistItems.list
	CostDelete    = 50 // videos.delete
	CostThumbnail = 50 // thumbnails.set
	// LegacyInsertCost is what videos.insert cost in the general bucket
	// before it got its own (and what older projects may still be billed).
	LegacyInsertCost = 1600
)

// QuotaConfig is a project's daily YouTube Data API quota. The zero value
// is [DefaultQuota].
type QuotaConfig struct {
	// Units is the general bucket, shared by every call except
	// videos.insert when Inserts is set: 10,000 a day by default.
	Units int
	// Inserts is videos.insert's own bucket in calls (100 a day by
	// default, one per call). Zero with InsertCost set bills inserts to
	// Units instead (the older model: 1,600 of 10,000 units).
	Inserts int
	// InsertCost is the units one videos.insert takes from Units when
	// Inserts is zero.
	InsertCost int
}

// DefaultQuota is the default allocation the quota page documents: 100
// videos.insert calls and 10,000 units for all other calls a day, reset at
// midnight Pacific Time.
var DefaultQuota = QuotaConfig{Units: 10_000, Inserts: 100}

// Quota tracks the units a project spent today, so a publish that would
// exceed the quota fails before anything is sent with a
// [*networks.RateLimitError] (Scope app, Reset the next midnight Pacific
// Time) and the Publisher waits for the reset instead of spending a call the
// network refuses. It counts only what this process spends: share one Quota
// between every Adapter of a project ([WithQuota]); replicas of a host each
// count their own and the network's quotaExceeded remains the final word
// (it exhausts the tracker until the reset). Safe for concurrent use.
type Quota struct {
	cfg     QuotaConfig
	mu      sync.Mutex
	day     time.Time // the reset that ends the current day
	units   int
	inserts int
}

// NewQuota returns a tracker for cfg (the zero value: [DefaultQuota]).
func NewQuota(cfg QuotaConfig) (*Quota, error) {
	if cfg == (QuotaConfig{}) {
		cfg = DefaultQuota
	}
	switch {
	case cfg.Units <= 0:
		return nil, &networks.FieldError{Network: Network, Field: "quota.units", Reason: "must be positive"}
	case cfg.Inserts < 0 || cfg.InsertCost < 0:
		return nil, &networks.FieldError{Network: Network, Field: "quota.inserts", Reason: "must not be negative"}
	case cfg.Inserts == 0 && (cfg.InsertCost == 0 || cfg.InsertCost > cfg.Units):
		return nil, &networks.FieldError{Network: Network, Field: "quota.insert_cost", Reason: "without an insert bucket, inserts need a cost between 1 and the units"}
	}
	return &Quota{cfg: cfg}, nil
}

// Remaining returns the units and inserts left at now.
func (q *Quota) Remaining(now time.Time) (units, inserts int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.roll(now)
	return q.cfg.Units - q.units, q.cfg.Inserts - q.inserts
}

func (q *Quota) roll(now time.Time) {
	if q.day.IsZero() || !now.Before(q.day) {
		q.day, q.units, q.inserts = NextQuotaReset(now), 0, 0
	}
}

// spend takes units (and inserts) at now, or returns a RateLimitError
// naming the reset when they are not left; nothing is taken then.
func (q *Quota) spend(now time.Time, op string, units, inserts int) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.roll(now)
	if q.cfg.Inserts == 0 && inserts > 0 {
		units, inserts = units+inserts*q.cfg.InsertCost, 0
	}
	if q.units+units > q.cfg.Units || q.inserts+inserts > q.cfg.Inserts {
		return &networks.RateLimitError{Network: Network, Op: op, Scope: networks.ScopeApp, Reset: q.day, Err: &QuotaError{
			Units: units, Inserts: inserts, UnitsLeft: q.cfg.Units - q.units, InsertsLeft: q.cfg.Inserts - q.inserts, Reset: q.day,
		}}
	}
	q.units += units
	q.inserts += inserts
	return nil
}

// exhaust records the network's quotaExceeded: nothing is left until the
// reset.
func (q *Quota) exhaust(now time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.roll(now)
	q.units, q.inserts = q.cfg.Units, q.cfg.Inserts
}

// QuotaError is the cause of the [*networks.RateLimitError] a tracked quota
// returns: what the call needed, what was left and when the quota resets.
type QuotaError struct {
	Units, Inserts         int // needed
	UnitsLeft, InsertsLeft int
	Reset                  time.Time
}

// Error describes the shortfall.
func (e *QuotaError) Error() string {
	return "youtube: daily quota: the call needs " + itoa(e.Units) + " units and " + itoa(e.Inserts) + " inserts, " +
		itoa(e.UnitsLeft) + " units and " + itoa(e.InsertsLeft) + " inserts left until " + e.Reset.UTC().Format(time.RFC3339)
}

// pacific is the zone the quota resets in. Without the time zone database
// (no tzdata on the host and no time/tzdata import) it falls back to
// Pacific Standard Time, which puts the reset an hour late during daylight
// saving time: later, never early.
var pacific = func() *time.Location {
	if loc, err := time.LoadLocation("America/Los_Angeles"); err == nil {
		return loc
	}
	return time.FixedZone("PST", -8*60*60)
}()

// NextQuotaReset returns the first midnight Pacific Time after now, when the
// YouTube Data API's daily quotas reset.
func NextQuotaReset(now time.Time) time.Time {
	t := now.In(pacific)
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, pacific).UTC()
}

func isQuotaExceeded(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && (ae.Reason == "quotaExceeded" || ae.Reason == "dailyLimitExceeded")
}

func itoa(n int) string { return strconv.Itoa(n) }
