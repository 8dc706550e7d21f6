package analytics

import (
	"sort"
	"strconv"
	"time"
)

// SlotsPerWeek is the number of slots of a [WeekMap]: one per local hour of
// the week (7 × 24). Hourly slots are a deliberate choice over 5-minute ones:
// with a few posts a day a 5-minute slot (2016 per week) would almost never
// hold enough posts to say anything, while an hour gathers twelve times more.
const SlotsPerWeek = 7 * 24

// SlotIndex returns the index of the slot for a weekday and hour (0–23) in a
// [WeekMap]: slots run Monday 00:00 to Sunday 23:00.
func SlotIndex(wd time.Weekday, hour int) int { return (int(wd)+6)%7*24 + hour }

// SlotTime returns the weekday and hour of slot i (see [SlotIndex]).
func SlotTime(i int) (time.Weekday, int) { return time.Weekday((i/24 + 1) % 7), i % 24 }

// BestTimeOptions configure [Dataset.BestTimes]. Zero fields take the
// documented defaults; Now is required.
type BestTimeOptions struct {
	// Now is the instant of the computation. Required.
	Now time.Time
	// Weeks of history considered: posts published in [Now − Weeks×7 days,
	// Now − Horizon]. Default 16.
	Weeks int
	// Horizon is the age at which a post's KPI is read (its latest snapshot
	// at or before PublishedAt + Horizon), so that old and recent posts are
	// compared at the same age. Default 48 h.
	Horizon time.Duration
	// KPI scores a post. The zero value (Posts) means Engagements.
	KPI KPI
	// PriorStrength is k in the shrinkage formula, in posts: a slot's own
	// mean counts n/(n+k). Default 5.
	PriorStrength float64
	// MinPosts is the number of scored posts a channel needs for its own
	// mean to be the prior; a thinner channel borrows the network-wide
	// shape. Default 30.
	MinPosts int
	// MinSlotPosts is the number of own posts a slot needs to be suggested
	// from a channel's own map. Default 2.
	MinSlotPosts int
	// Defaults holds host-supplied relative slot weights per network, used
	// when no channel of that network has MinPosts posts. Optional.
	Defaults map[string][SlotsPerWeek]float64
}

func (o *BestTimeOptions) fill() error {
	const op = "BestTimes"
	if o.Now.IsZero() {
		return &FieldError{Op: op, Field: "now", Reason: "required"}
	}
	switch {
	case o.Weeks < 0:
		return &FieldError{Op: op, Field: "weeks", Value: strconv.Itoa(o.Weeks), Reason: "negative"}
	case o.Horizon < 0:
		return &FieldError{Op: op, Field: "horizon", Value: o.Horizon.String(), Reason: "negative"}
	case o.PriorStrength < 0:
		return &FieldError{Op: op, Field: "prior_strength", Value: strconv.FormatFloat(o.PriorStrength, 'g', -1, 64), Reason: "negative"}
	case o.MinPosts < 0 || o.MinSlotPosts < 0:
		return &FieldError{Op: op, Field: "min_posts", Reason: "negative"}
	}
	if o.Weeks == 0 {
		o.Weeks = 16
	}
	if o.Horizon == 0 {
		o.Horizon = 48 * time.Hour
	}
	if o.KPI == Posts {
		o.KPI = Engagements
	}
	if o.PriorStrength == 0 {
		o.PriorStrength = 5
	}
	if o.MinPosts == 0 {
		o.MinPosts = 30
	}
	if o.MinSlotPosts == 0 {
		o.MinSlotPosts = 2
	}
	return nil
}

// Source says where a [WeekMap]'s prior comes from.
type Source uint8

// Sources, from the most to the least specific.
const (
	FromChannel  Source = iota // the channel's own mean: it has at least MinPosts posts
	FromNetwork                // the network-wide shape of channels with enough history
	FromDefaults               // BestTimeOptions.Defaults for the network
	Flat                       // nothing known: every slot equal
)

var sourceNames = [...]string{"channel", "network", "defaults", "flat"}

// String returns the source's name, e.g. "network".
func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return "source(" + strconv.Itoa(int(s)) + ")"
}

// Slot is one hour of a [WeekMap].
type Slot struct {
	N          int     // the channel's own posts published in this slot
	Mean       Value   // their mean score; undefined when N is 0
	Score      float64 // the smoothed estimate (see the package documentation)
	Confidence float64 // in [0, 1): the weight of observed posts in Score
}

// WeekMap is the best-time map of one channel in its zone.
type WeekMap struct {
	Channel, Network string
	Zone             string // the channel's IANA zone; "" is UTC
	KPI              KPI
	Posts            int   // scored posts of the channel
	Mean             Value // their mean score (the channel mean)
	Source           Source
	Slots            [SlotsPerWeek]Slot

	minSlot int
}

type sample struct {
	slot  int
	score float64
}

// BestTimes computes one [WeekMap] per channel (sorted by channel) from the
// targets' history. Each post is scored with opts.KPI at opts.Horizon and put
// in the local hour of the week it was published in, in its target's zone.
// Targets with no channel or no PublishedAt are ignored. Invalid options are
// a [*FieldError].
func (d *Dataset) BestTimes(opts BestTimeOptions) ([]WeekMap, error) {
	if err := opts.fill(); err != nil {
		return nil, err
	}
	from := opts.Now.Add(-time.Duration(opts.Weeks) * 7 * 24 * time.Hour)
	until := opts.Now.Add(-opts.Horizon)
	type channel struct {
		network, zone string
		latest        time.Time
		samples       []sample
	}
	chans := map[string]*channel{}
	for i, t := range d.targets {
		if t.Channel == "" || t.PublishedAt.IsZero() {
			continue
		}
		c := chans[t.Channel]
		if c == nil {
			c = &channel{network: t.Network}
			chans[t.Channel] = c
		}
		if !t.PublishedAt.Before(c.latest) {
			c.latest, c.zone = t.PublishedAt, t.Zone
		}
		if t.PublishedAt.Before(from) || t.PublishedAt.After(until) {
			continue
		}
		snap, ok := d.series[i].At(t.PublishedAt.Add(opts.Horizon))
		if !ok {
			continue
		}
		v := Compute(snap, opts.KPI)
		if !v.OK {
			continue
		}
		l := t.PublishedAt.In(d.locs[i])
		c.samples = append(c.samples, sample{slot: SlotIndex(l.Weekday(), l.Hour()), score: v.V})
	}
	k := opts.PriorStrength

	// The network-wide shape: each rich channel's slot means relative to
	// its own mean (so a big account does not drown a small one), pooled
	// per network and shrunk toward 1.
	type shape struct {
		rel [SlotsPerWeek]float64
		n   [SlotsPerWeek]float64
		src Source
	}
	shapes := map[string]*shape{}
	names := make([]string, 0, len(chans))
	for name := range chans {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		c := chans[name]
		sh := shapes[c.network]
		if sh == nil {
			sh = &shape{src: Flat}
			shapes[c.network] = sh
		}
		mean := meanOf(c.samples)
		if len(c.samples) < opts.MinPosts || mean <= 0 {
			continue
		}
		sh.src = FromNetwork
		for _, s := range c.samples {
			sh.rel[s.slot] += s.score / mean
			sh.n[s.slot]++
		}
	}
	for network, sh := range shapes {
		switch {
		case sh.src == FromNetwork:
			for i := range sh.rel {
				sh.rel[i] = (sh.rel[i] + k) / (sh.n[i] + k)
			}
		default:
			w, ok := opts.Defaults[network]
			var sum float64
			for _, x := range w {
				sum += x
			}
			if ok && sum > 0 {
				sh.src = FromDefaults
				for i, x := range w {
					sh.rel[i] = x * SlotsPerWeek / sum
				}
			} else {
				for i := range sh.rel {
					sh.rel[i] = 1
				}
			}
		}
	}

	out := make([]WeekMap, 0, len(names))
	for _, name := range names {
		c := chans[name]
		sh := shapes[c.network]
		m := WeekMap{Channel: name, Network: c.network, Zone: c.zone, KPI: opts.KPI, Posts: len(c.samples), minSlot: opts.MinSlotPosts}
		var sum [SlotsPerWeek]float64
		for _, s := range c.samples {
			m.Slots[s.slot].N++
			sum[s.slot] += s.score
		}
		mean, base := 1.0, 1.0
		if len(c.samples) > 0 {
			mean = meanOf(c.samples)
			m.Mean = defined(mean)
			base = mean
		} else {
			m.Mean = undefined("no scored post")
		}
		rich := len(c.samples) >= opts.MinPosts
		if rich {
			m.Source = FromChannel
		} else {
			m.Source = sh.src
		}
		for i := range m.Slots {
			sl := &m.Slots[i]
			n := float64(sl.N)
			prior, borrowed := mean, 0.0
			if !rich {
				prior = base * sh.rel[i]
				if sh.src == FromNetwork {
					borrowed = sh.n[i] / 2 // other accounts' posts count half
				}
			}
			if sl.N > 0 {
				sl.Mean = defined(sum[i] / n)
			} else {
				sl.Mean = undefined("no post in this slot")
			}
			sl.Score = (sum[i] + k*prior) / (n + k)
			sl.Confidence = (n + borrowed) / (n + borrowed + k)
		}
		out = append(out, m)
	}
	return out, nil
}

func meanOf(s []sample) float64 {
	if len(s) == 0 {
		return 0
	}
	var sum float64
	for _, x := range s {
		sum += x.score
	}
	return sum / float64(len(s))
}

// SlotScore is one suggested slot of a [WeekMap].
type SlotScore struct {
	Weekday    time.Weekday
	Hour       int
	Score      float64
	Confidence float64
	N          int // the channel's own posts in the slot
}

// Top returns up to n slots with the highest smoothed score, ties broken by
// confidence, then by time of week. A map built from the channel's own
// history suggests only slots with at least MinSlotPosts own posts; a
// fallback map may suggest any slot.
func (m *WeekMap) Top(n int) []SlotScore {
	idx := make([]int, 0, SlotsPerWeek)
	for i, s := range m.Slots {
		if m.Source == FromChannel && s.N < m.minSlot {
			continue
		}
		idx = append(idx, i)
	}
	sort.SliceStable(idx, func(a, b int) bool {
		sa, sb := m.Slots[idx[a]], m.Slots[idx[b]]
		if sa.Score != sb.Score {
			return sa.Score > sb.Score
		}
		return sa.Confidence > sb.Confidence
	})
	if n < len(idx) {
		idx = idx[:max(n, 0)]
	}
	out := make([]SlotScore, len(idx))
	for j, i := range idx {
		wd, h := SlotTime(i)
		s := m.Slots[i]
		out[j] = SlotScore{Weekday: wd, Hour: h, Score: s.Score, Confidence: s.Confidence, N: s.N}
	}
	return out
}

// PostingSlot is a weekly wall-clock posting time in a zone, the shape a
// calendar's recurring posting slot takes ("every Tuesday 09:00
// Europe/Oslo").
type PostingSlot struct {
	Weekday    time.Weekday
	Hour       int
	Minute     int
	Zone       string // IANA zone; "" is UTC
	Confidence float64
}

// PostingSlots turns the top n slots into weekly posting times in the
// channel's zone, ordered by time of week (Monday first), ready to become
// calendar posting slots. Slots are hourly, so Minute is 0.
func (m *WeekMap) PostingSlots(n int) []PostingSlot {
	top := m.Top(n)
	out := make([]PostingSlot, len(top))
	for i, s := range top {
		out[i] = PostingSlot{Weekday: s.Weekday, Hour: s.Hour, Zone: m.Zone, Confidence: s.Confidence}
	}
	sort.Slice(out, func(a, b int) bool {
		return SlotIndex(out[a].Weekday, out[a].Hour) < SlotIndex(out[b].Weekday, out[b].Hour)
	})
	return out
}
