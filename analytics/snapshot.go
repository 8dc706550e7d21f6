package analytics

import (
	"encoding/json"
	"sort"
	"strconv"
	"time"
)

// Metric names one cumulative counter of a [Snapshot].
type Metric uint8

// The counters a Snapshot may hold. The list is append-only: values are never
// renumbered.
const (
	Impressions Metric = iota // times the post was shown
	Reach                     // unique accounts that saw the post (never summed across posts)
	Likes                     // likes, favourites, reactions
	Comments                  // comments and replies
	Shares                    // shares, reposts, reblogs, retweets
	Saves                     // saves and bookmarks
	Clicks                    // link clicks
	VideoViews                // video views as the network counts them
	Followers                 // followers of the account at the snapshot's instant
	Conversions               // conversions attributed by the host
	Quotes                    // quote posts

	// NumMetrics is the number of metrics; it grows as metrics are appended.
	NumMetrics
)

var metricNames = [NumMetrics]string{
	"impressions", "reach", "likes", "comments", "shares", "saves", "clicks",
	"video_views", "followers", "conversions", "quotes",
}

// String returns the metric's snake_case name, e.g. "video_views".
func (m Metric) String() string {
	if m < NumMetrics {
		return metricNames[m]
	}
	return "metric(" + itoa(int(m)) + ")"
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for ; i > 0; i /= 10 {
		n--
		b[n] = byte('0' + i%10)
	}
	return string(b[n:])
}

// Counters is a set of metric values where a metric the network does not
// report is absent, not zero. The zero value holds no metric. Counters is a
// value type: copying it copies the values.
type Counters struct {
	v   [NumMetrics]int64
	has uint32
}

// Set records metric m as v. Set ignores a metric outside the declared list.
func (c *Counters) Set(m Metric, v int64) {
	if m >= NumMetrics {
		return
	}
	c.v[m] = v
	c.has |= 1 << m
}

// Get returns metric m and whether it is present.
func (c Counters) Get(m Metric) (int64, bool) {
	if m >= NumMetrics || c.has&(1<<m) == 0 {
		return 0, false
	}
	return c.v[m], true
}

// Has reports whether metric m is present.
func (c Counters) Has(m Metric) bool { return m < NumMetrics && c.has&(1<<m) != 0 }

// Delete makes metric m absent.
func (c *Counters) Delete(m Metric) {
	if m < NumMetrics {
		c.v[m] = 0
		c.has &^= 1 << m
	}
}

// Snapshot holds the cumulative counters of one published target at one
// instant, as a network (or the host, for conversions and money) reported
// them. A metric the network does not report is absent from Counters, never
// zero: Mastodon and Bluesky report no impressions.
//
// Money is in minor units of Currency (cents for "USD"); Revenue and Cost are
// meaningful only when HasRevenue / HasCost are set.
type Snapshot struct {
	Target   string    `json:"target"` // the published target's ID
	At       time.Time `json:"at"`     // when the counters were read
	Counters Counters  `json:"counters"`

	Revenue    int64  `json:"revenue,omitempty"` // minor units
	HasRevenue bool   `json:"has_revenue,omitempty"`
	Cost       int64  `json:"cost,omitempty"` // minor units
	HasCost    bool   `json:"has_cost,omitempty"`
	Currency   string `json:"currency,omitempty"` // ISO 4217 code, required with money
}

// ParseMetric returns the metric whose [Metric.String] is name. An unknown name
// is a [*FieldError] matching socialflow.ErrInvalid.
func ParseMetric(name string) (Metric, error) {
	for m := range NumMetrics {
		if metricNames[m] == name {
			return m, nil
		}
	}
	return 0, &FieldError{Op: "ParseMetric", Field: "metric", Value: name, Reason: "unknown metric"}
}

// Len returns how many metrics are present.
func (c Counters) Len() int {
	n := 0
	for m := range NumMetrics {
		if c.Has(m) {
			n++
		}
	}
	return n
}

// MarshalJSON encodes the present metrics as an object keyed by metric name,
// e.g. {"likes":3,"reach":120}; absent metrics are left out, so absence
// survives a round trip.
func (c Counters) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	first := true
	for m := range NumMetrics {
		v, ok := c.Get(m)
		if !ok {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = strconv.AppendQuote(b, metricNames[m])
		b = append(b, ':')
		b = strconv.AppendInt(b, v, 10)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON decodes the form written by [Counters.MarshalJSON]. An unknown
// metric name is a [*FieldError]; null leaves the counters empty. Values are
// not range-checked here: [Snapshot.Validate] refuses negative counters.
func (c *Counters) UnmarshalJSON(data []byte) error {
	var raw map[string]int64
	if err := json.Unmarshal(data, &raw); err != nil {
		return &FieldError{Op: "Counters.UnmarshalJSON", Field: "counters", Value: truncate(string(data)), Reason: err.Error()}
	}
	names := make([]string, 0, len(raw))
	for k := range raw {
		names = append(names, k)
	}
	sort.Strings(names)
	var out Counters
	for _, k := range names {
		m, err := ParseMetric(k)
		if err != nil {
			return &FieldError{Op: "Counters.UnmarshalJSON", Field: "counters", Value: k, Reason: "unknown metric"}
		}
		out.Set(m, raw[k])
	}
	*c = out
	return nil
}

func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

// Earliest and latest instants a Snapshot may carry: the range of
// time.Time.UnixNano, which series use internally.
var (
	minInstant = time.Unix(0, -1<<63).UTC()
	maxInstant = time.Unix(0, 1<<63-1).UTC()
)

// Validate checks the snapshot: a target ID, an instant (between the years
// 1678 and 2262), no negative counter, no negative revenue or cost, and a
// ISO 4217-shaped currency code (three upper-case letters) whenever revenue or cost is present. Each failure is
// a [*FieldError] matching socialflow.ErrInvalid.
func (s Snapshot) Validate() error {
	const op = "Snapshot.Validate"
	if s.Target == "" {
		return &FieldError{Op: op, Field: "target", Value: "", Reason: "required"}
	}
	if s.At.IsZero() || s.At.Before(minInstant) || s.At.After(maxInstant) {
		return &FieldError{Op: op, Field: "at", Value: s.At.String(), Reason: "outside 1678..2262 or zero"}
	}
	for m := range NumMetrics {
		if v, ok := s.Counters.Get(m); ok && v < 0 {
			return &FieldError{Op: op, Field: "counters." + m.String(), Value: strconv.FormatInt(v, 10), Reason: "negative"}
		}
	}
	if s.HasRevenue && s.Revenue < 0 {
		return &FieldError{Op: op, Field: "revenue", Value: strconv.FormatInt(s.Revenue, 10), Reason: "negative"}
	}
	if s.HasCost && s.Cost < 0 {
		return &FieldError{Op: op, Field: "cost", Value: strconv.FormatInt(s.Cost, 10), Reason: "negative"}
	}
	if s.HasRevenue || s.HasCost || s.Currency != "" {
		if err := validCurrency(op, s.Currency); err != nil {
			return err
		}
	}
	return nil
}

func validCurrency(op, code string) error {
	if code == "" {
		return &FieldError{Op: op, Field: "currency", Value: code, Reason: "required with revenue or cost"}
	}
	if len(code) != 3 {
		return &FieldError{Op: op, Field: "currency", Value: code, Reason: "not a three-letter ISO 4217 code"}
	}
	for i := range 3 {
		if code[i] < 'A' || code[i] > 'Z' {
			return &FieldError{Op: op, Field: "currency", Value: code, Reason: "not a three-letter ISO 4217 code"}
		}
	}
	return nil
}
