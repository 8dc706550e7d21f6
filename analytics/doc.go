// Package analytics turns metric snapshots into KPIs with declared formulas,
// aggregations, best-time-to-post maps, team metrics and reports (CSV, SVG).
//
// It is pure: no I/O beyond the [io.Writer] exports, no goroutines, and every
// function that depends on time takes it as an argument.
//
// # Snapshots and series
//
// A [Snapshot] holds the cumulative counters of one published target (one
// post on one channel) at one instant. A metric the network does not report
// is absent from its [Counters], never zero: Mastodon and Bluesky report no
// impressions, and a KPI that needs them is undefined there rather than 0.
// Money (revenue, cost) is in minor units of one ISO 4217 currency.
//
// A [Series] keeps one target's snapshots in time order whatever order they
// arrive in; [Series.At] returns the latest snapshot at or before an instant
// by binary search. A counter that drops between snapshots (a network
// correcting itself) is kept as reported. A [Dataset] holds [Target]s — ID,
// network, channel, workspace, campaign, labels, author, publication instant
// and the channel's zone — with their series.
//
// # KPIs
//
// Every KPI is a [Value]: either a number (OK) or undefined with a reason
// (Why). Division by zero and missing inputs are undefined, never 0 or NaN.
// For one post, and for any set of posts summed into [Figures]:
//
//	engagements                    = likes + comments + shares + saves + quotes
//	                                 (the reported ones; undefined if none is reported.
//	                                 Clicks and video views are not engagements:
//	                                 they have their own KPIs.)
//	engagement_rate_by_reach       = engagements / reach
//	engagement_rate_by_impressions = engagements / impressions
//	engagement_rate_by_followers   = engagements / followers
//	click_through_rate             = clicks / impressions
//	conversion_rate                = conversions / clicks
//	roi                            = (revenue − cost) / cost
//	cost_per_engagement            = cost / engagements    (minor units)
//	cost_per_click                 = cost / clicks         (minor units)
//	average_reach                  = Σ reach / posts reporting reach
//	<metric> (e.g. likes)          = Σ metric over posts reporting it
//	                                 (never for reach: reach counts people, and
//	                                 the same person reached by two posts would
//	                                 be counted twice)
//	growth between t0 and t1       = m(t1) − m(t0), and 100 × (m(t1) − m(t0)) / m(t0),
//	                                 m read from the latest snapshot at or before each
//	                                 instant ([Series.Growth])
//	percent change (cur vs base)   = 100 × (cur − base) / base; undefined when base is 0
//
// Rates are fractions (0.05 is 5 %). Over several posts a ratio is Σ numerator
// / Σ denominator, both summed over the posts that report both inputs; this
// is the denominator-weighted mean of the per-post ratios (so the engagement
// rate by reach of a campaign is the reach-weighted mean of its posts' rates,
// not engagements divided by a "total reach").
//
// # Aggregation
//
// [Dataset.Aggregate] groups targets by a [Dimension] (network, channel,
// workspace, campaign, label, author, post, or all) and cuts time into
// calendar periods of a [Granularity] (hour, day, week from Monday, month) in
// an IANA zone, so a day across a DST change is 23 or 25 hours long. For
// every group and period, [Row.Total] sums each target's latest snapshot
// taken before the period's end, and [Row.Gain] is what changed during the
// period. Money in two currencies is never added: a group that would mix
// them is a [*CurrencyError]. Tables of disjoint target sets [Merge] into the
// table of their union. [Table.PeriodOverPeriod] and [Compare] give changes in
// percent; [Dataset.Top] ranks posts by any KPI; [WriteCSV] exports a table.
//
// # Best time to post
//
// [Dataset.BestTimes] builds, per channel, a [WeekMap] of 168 hourly slots
// (Monday 00:00 to Sunday 23:00 in the channel's zone; hourly rather than
// 5-minute slots so that each slot gathers enough posts). Each post of the
// last 16 weeks is scored with a KPI (engagements by default) read 48 hours
// after publication and falls in the slot of its local publication hour.
// Each slot is shrunk toward a prior (empirical-Bayes style):
//
//	score(s)      = (Σ scores in s + k × prior(s)) / (n(s) + k)
//	confidence(s) = n(s) / (n(s) + k)
//
// with prior strength k = 5 posts by default. prior(s) is the channel's mean
// score when the channel has at least MinPosts (30) scored posts. A thinner
// channel borrows the network-wide shape instead: prior(s) = channel mean ×
// rel(s), where rel(s) pools, over the network's channels with enough
// history, each slot's scores divided by their channel's mean, shrunk toward 1
// the same way; those borrowed posts count half in the confidence. With no
// such channel, host-supplied defaults or a flat map are used.
// [WeekMap.Top] returns the best slots (own-history maps only suggest slots
// with at least MinSlotPosts posts) and [WeekMap.PostingSlots] turns them
// into (weekday, hour, minute, zone) tuples for calendar posting slots.
//
// # Team metrics
//
// [Team] reads workflow [Event]s (drafted, submitted, approved,
// changes_requested, rejected, scheduled, published, publish_failed,
// deadline_missed) and reports time in review (median, 90th percentile),
// deadline breaches, the changes-requested rate, the on-time publishing rate,
// failed publishes by cause and contributions per member.
//
// # Community inbox
//
// [Inbox] reads [ConversationRecord]s (opened, first answered, resolved, by
// channel and member) and reports first-response and resolution times
// (median, 90th percentile) overall, per channel and per member, the
// conversations that missed their channel's [SLA] (answered late, or still
// waiting at Now), volume by network and state, and each member's workload.
//
// A [Classifier] reads the sentiment and labels of an incoming text; a host
// may back it with its own model. [LexiconClassifier] is the deterministic
// default: word lists per language as data ([DefaultLexicon], embedded from
// data/lexicon.json, or the host's own through [ParseLexicon]), negation
// within three tokens, a bounded score, and an explanation of what decided.
//
// # Charts
//
// [WriteHeatmapSVG] draws a week map and [LineChart.WriteSVG] a KPI over time
// ([TrendChart] builds one from a table), with the standard library only.
//
// # Errors
//
// Bad input — a negative counter, mixed currencies, an end before a start, an
// unknown zone — is a typed error ([*FieldError], [*CurrencyError],
// [*RangeError], [*ZoneError]) matching socialflow.ErrInvalid; a snapshot
// for an unknown target is an [*UnknownTargetError] matching
// socialflow.ErrNotFound. A failing call changes nothing.
package analytics
