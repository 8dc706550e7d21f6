package analytics

import "time"

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
	Counters Counters  `json:"-"`

	Revenue    int64  `json:"revenue,omitempty"` // minor units
	HasRevenue bool   `json:"has_revenue,omitempty"`
	Cost       int64  `json:"cost,omitempty"` // minor units
	HasCost    bool   `json:"has_cost,omitempty"`
	Currency   string `json:"currency,omitempty"` // ISO 4217 code, required with money
}
