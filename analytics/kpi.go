package analytics

import (
	"strconv"
)

// Value is a KPI result that may be undefined. An undefined value (OK false)
// says why in Why and is never to be shown as 0: a division by zero or a
// missing input never leaks into a report as 0 or NaN.
type Value struct {
	V   float64 `json:"v"`
	OK  bool    `json:"ok"`
	Why string  `json:"why,omitempty"` // set when OK is false
}

func defined(v float64) Value    { return Value{V: v, OK: true} }
func undefined(why string) Value { return Value{Why: why} }

// String formats a defined value with up to 4 decimals, and an undefined one
// as "undefined".
func (v Value) String() string {
	if !v.OK {
		return "undefined"
	}
	return strconv.FormatFloat(v.V, 'f', -1, 64)
}

// Format formats a defined value with prec decimals and an undefined one as
// "" (an empty cell), for tables.
func (v Value) Format(prec int) string {
	if !v.OK {
		return ""
	}
	return strconv.FormatFloat(v.V, 'f', prec, 64)
}

// PercentChange returns 100 × (cur − base) / base. It is undefined when either
// value is undefined or base is 0.
func PercentChange(cur, base Value) Value {
	switch {
	case !cur.OK:
		return cur
	case !base.OK:
		return base
	case base.V == 0:
		return undefined("base is 0")
	}
	return defined(100 * (cur.V - base.V) / base.V)
}

// KPI names a figure computed from snapshots. Every formula is listed in the
// package documentation. A KPI is either a metric total ([MetricKPI]) or one
// of the derived KPIs below.
type KPI uint8

// The derived KPIs. Metric totals follow them; see [MetricKPI].
const (
	Posts                       KPI = iota // targets with at least one snapshot
	Engagements                            // likes + comments + shares + saves + quotes
	AverageReach                           // mean reach per post reporting reach
	EngagementRateByReach                  // engagements / reach
	EngagementRateByImpressions            // engagements / impressions
	EngagementRateByFollowers              // engagements / followers
	ClickThroughRate                       // clicks / impressions
	ConversionRate                         // conversions / clicks
	ROI                                    // (revenue − cost) / cost
	CostPerEngagement                      // cost / engagements, in minor units
	CostPerClick                           // cost / clicks, in minor units
	Revenue                                // revenue, in minor units
	Cost                                   // cost, in minor units

	kpiMetric0 // first metric total
)

var kpiNames = [kpiMetric0]string{
	"posts", "engagements", "average_reach", "engagement_rate_by_reach",
	"engagement_rate_by_impressions", "engagement_rate_by_followers",
	"click_through_rate", "conversion_rate", "roi", "cost_per_engagement",
	"cost_per_click", "revenue", "cost",
}

// MetricKPI returns the KPI "total of metric m" (named like the metric).
// The total of [Reach] is undefined by design: reach is never summed across
// posts; use [AverageReach].
func MetricKPI(m Metric) KPI { return kpiMetric0 + KPI(m) }

// KPIs returns every KPI: the derived ones, then every metric total.
func KPIs() []KPI {
	out := make([]KPI, 0, int(kpiMetric0)+int(NumMetrics))
	for k := range kpiMetric0 + KPI(NumMetrics) {
		out = append(out, k)
	}
	return out
}

// String returns the KPI's snake_case name, e.g. "click_through_rate" or
// "likes".
func (k KPI) String() string {
	switch {
	case k < kpiMetric0:
		return kpiNames[k]
	case k < kpiMetric0+KPI(NumMetrics):
		return Metric(k - kpiMetric0).String()
	}
	return "kpi(" + itoa(int(k)) + ")"
}

// ParseKPI returns the KPI named name (as [KPI.String] writes it). An unknown
// name is a [*FieldError] matching socialflow.ErrInvalid.
func ParseKPI(name string) (KPI, error) {
	for _, k := range KPIs() {
		if k.String() == name {
			return k, nil
		}
	}
	return 0, &FieldError{Op: "ParseKPI", Field: "kpi", Value: name, Reason: "unknown KPI"}
}

// Columns of Figures. Each is a sum over posts, so Figures add up exactly.
// A pair (num, den) is summed over the posts that report both inputs.
const (
	colPosts  = iota
	colMetric // NumMetrics sums
	colHas    = colMetric + int(NumMetrics)
	colEng    = colHas + int(NumMetrics)
	colHasEng = colEng + 1
	colRev    = colHasEng + 1
	colHasRev = colRev + 1
	colCost   = colHasRev + 1
	colHasCst = colCost + 1
	colPairs  = colHasCst + 1 // numPairs × (num, den, count)
	numCols   = colPairs + 3*numPairs
)

// The ratio pairs, in column order after colPairs.
const (
	pairERReach = iota
	pairERImpr
	pairERFoll
	pairCTR
	pairConv
	pairROI
	pairCPE
	pairCPC
	numPairs
)

// Figures are the summed inputs of a set of posts: metric totals, how many
// posts report each metric, money and the numerator/denominator pairs of
// every ratio KPI. Figures of disjoint sets add up ([Figures.Add]), which is
// what makes aggregation mergeable. Read them through [Figures.KPI]; the
// zero value holds no post.
type Figures struct {
	c        [numCols]int64
	Currency string // the currency of Revenue and Cost, "" when there is no money
}

// FiguresOf returns the figures of one snapshot (one post).
func FiguresOf(s Snapshot) Figures {
	r := row{c: s.Counters}
	if s.HasRevenue {
		r.revenue, r.money = s.Revenue, r.money|moneyRevenue
	}
	if s.HasCost {
		r.cost, r.money = s.Cost, r.money|moneyCost
	}
	var f Figures
	r.cols(&f.c)
	if r.money != 0 {
		f.Currency = s.Currency
	}
	return f
}

// Compute returns KPI k of one snapshot: FiguresOf(s).KPI(k).
func Compute(s Snapshot, k KPI) Value { return FiguresOf(s).KPI(k) }

// engagementMask selects the metrics counted as engagements.
const engagementMask = 1<<Likes | 1<<Comments | 1<<Shares | 1<<Saves | 1<<Quotes

// hot is the linear state of one post, or of a set of posts sharing one
// presence mask: posts, every metric, revenue and cost. Absent metrics and
// money are 0 in a row, so sums of hot values are exact.
type hot [hotCols]int64

const (
	hotPosts  = 0
	hotMetric = 1
	hotRev    = hotMetric + int(NumMetrics)
	hotCost   = hotRev + 1
	hotCols   = hotCost + 1
)

// mask returns which metrics and money a row reports: the metric bits, then
// moneyRevenue and moneyCost shifted above them.
func (r *row) mask() uint32 { return r.c.has | uint32(r.money)<<NumMetrics }

// hot writes the row's linear state into v.
func (r *row) hot(v *hot) {
	v[hotPosts] = 1
	copy(v[hotMetric:hotRev], r.c.v[:])
	v[hotRev], v[hotCost] = r.revenue, r.cost
}

// cols writes the figure columns of one post into v.
func (r *row) cols(v *[numCols]int64) {
	var h hot
	r.hot(&h)
	*v = [numCols]int64{}
	expand(r.mask(), &h, v)
}

// expand adds to v the figure columns of a set of posts that all report
// exactly the metrics and money in mask, given their summed state h. Every
// column is linear in h for a fixed mask, which is what lets aggregation sum
// hot states and expand once per group, period and mask.
func expand(mask uint32, h *hot, v *[numCols]int64) {
	posts := h[hotPosts]
	has := func(m Metric) bool { return mask&(1<<m) != 0 }
	metric := func(m Metric) int64 { return h[hotMetric+int(m)] }
	v[colPosts] += posts
	for m := range NumMetrics {
		v[colMetric+int(m)] += metric(m)
		if has(m) {
			v[colHas+int(m)] += posts
		}
	}
	eng := metric(Likes) + metric(Comments) + metric(Shares) + metric(Saves) + metric(Quotes)
	hasEng := mask&engagementMask != 0
	if hasEng {
		v[colEng] += eng
		v[colHasEng] += posts
	}
	hasRev, hasCost := mask&(moneyRevenue<<NumMetrics) != 0, mask&(moneyCost<<NumMetrics) != 0
	rev, cost := h[hotRev], h[hotCost]
	if hasRev {
		v[colRev] += rev
		v[colHasRev] += posts
	}
	if hasCost {
		v[colCost] += cost
		v[colHasCst] += posts
	}
	pair := func(p int, ok bool, num, den int64) {
		if ok {
			i := colPairs + 3*p
			v[i] += num
			v[i+1] += den
			v[i+2] += posts
		}
	}
	pair(pairERReach, hasEng && has(Reach), eng, metric(Reach))
	pair(pairERImpr, hasEng && has(Impressions), eng, metric(Impressions))
	pair(pairERFoll, hasEng && has(Followers), eng, metric(Followers))
	pair(pairCTR, has(Clicks) && has(Impressions), metric(Clicks), metric(Impressions))
	pair(pairConv, has(Conversions) && has(Clicks), metric(Conversions), metric(Clicks))
	pair(pairROI, hasRev && hasCost, rev-cost, cost)
	pair(pairCPE, hasCost && hasEng, cost, eng)
	pair(pairCPC, hasCost && has(Clicks), cost, metric(Clicks))
}

// Add adds o to f: the figures of the union of two disjoint sets of posts.
// Money in two currencies is a [*CurrencyError] and leaves f unchanged.
func (f *Figures) Add(o Figures) error {
	if f.Currency != "" && o.Currency != "" && f.Currency != o.Currency {
		return &CurrencyError{Op: "Figures.Add", Want: f.Currency, Got: o.Currency}
	}
	if f.Currency == "" {
		f.Currency = o.Currency
	}
	for i := range f.c {
		f.c[i] += o.c[i]
	}
	return nil
}

// countsFrom copies the presence counts (how many posts report each metric,
// money and ratio pair) of o into f.
func (f *Figures) countsFrom(o *Figures) {
	copy(f.c[colHas:colHas+int(NumMetrics)], o.c[colHas:colHas+int(NumMetrics)])
	f.c[colHasEng], f.c[colHasRev], f.c[colHasCst] = o.c[colHasEng], o.c[colHasRev], o.c[colHasCst]
	for p := range numPairs {
		f.c[colPairs+3*p+2] = o.c[colPairs+3*p+2]
	}
}

// Posts returns the number of posts counted.
func (f Figures) Posts() int64 { return f.c[colPosts] }

// Reporting returns how many posts report metric m.
func (f Figures) Reporting(m Metric) int64 {
	if m >= NumMetrics {
		return 0
	}
	return f.c[colHas+int(m)]
}

// Total returns the sum of metric m over the posts that report it; it is
// undefined when no post reports m, and always undefined for [Reach], which
// is never summed across posts.
func (f Figures) Total(m Metric) Value { return f.KPI(MetricKPI(m)) }

func (f Figures) ratio(p int, num, den string) Value {
	i := colPairs + 3*p
	switch {
	case f.c[i+2] == 0:
		return undefined("no post reports both " + num + " and " + den)
	case f.c[i+1] == 0:
		return undefined(den + " is 0")
	}
	return defined(float64(f.c[i]) / float64(f.c[i+1]))
}

// KPI returns KPI k of these figures, as documented in the package
// documentation, or an undefined [Value] saying why.
func (f Figures) KPI(k KPI) Value {
	switch k {
	case Posts:
		return defined(float64(f.c[colPosts]))
	case Engagements:
		if f.c[colHasEng] == 0 {
			return undefined("no post reports an engagement metric")
		}
		return defined(float64(f.c[colEng]))
	case AverageReach:
		n := f.c[colHas+int(Reach)]
		if n == 0 {
			return undefined("no post reports reach")
		}
		return defined(float64(f.c[colMetric+int(Reach)]) / float64(n))
	case EngagementRateByReach:
		return f.ratio(pairERReach, "engagements", "reach")
	case EngagementRateByImpressions:
		return f.ratio(pairERImpr, "engagements", "impressions")
	case EngagementRateByFollowers:
		return f.ratio(pairERFoll, "engagements", "followers")
	case ClickThroughRate:
		return f.ratio(pairCTR, "clicks", "impressions")
	case ConversionRate:
		return f.ratio(pairConv, "conversions", "clicks")
	case ROI:
		return f.ratio(pairROI, "revenue", "cost")
	case CostPerEngagement:
		return f.ratio(pairCPE, "cost", "engagements")
	case CostPerClick:
		return f.ratio(pairCPC, "cost", "clicks")
	case Revenue:
		if f.c[colHasRev] == 0 {
			return undefined("no post reports revenue")
		}
		return defined(float64(f.c[colRev]))
	case Cost:
		if f.c[colHasCst] == 0 {
			return undefined("no post reports cost")
		}
		return defined(float64(f.c[colCost]))
	}
	if k >= kpiMetric0 && k < kpiMetric0+KPI(NumMetrics) {
		m := Metric(k - kpiMetric0)
		if m == Reach {
			return undefined("reach is not summed across posts; use average_reach")
		}
		if f.c[colHas+int(m)] == 0 {
			return undefined("no post reports " + m.String())
		}
		return defined(float64(f.c[colMetric+int(m)]))
	}
	return undefined("unknown KPI " + k.String())
}
