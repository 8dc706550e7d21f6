package analytics_test

import (
	"testing"
	"time"

	"github.com/socialflow/socialflow"
	"github.com/socialflow/socialflow/analytics"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// post adds a target published at local wall time in zone, whose likes one
// day later are score.
func post(t *testing.T, d *analytics.Dataset, id, network, channel, zone string, at time.Time, score int) {
	t.Helper()
	require.NoError(t, d.AddTarget(analytics.Target{ID: id, Network: network, Channel: channel, Zone: zone, PublishedAt: at}))
	require.NoError(t, d.Add(snap(id, at.Add(24*time.Hour), analytics.Likes, score)))
}

func bestTimeDataset(t *testing.T) *analytics.Dataset {
	d := analytics.NewDataset()
	ny, oslo := mustZone("America/New_York"), mustZone("Europe/Oslo")
	// "big": 16 weeks, 4 posts a week; Tuesday 09:00 does best. Mean 35.
	for w := range 16 {
		mon := time.Date(2026, 1, 5+7*w, 0, 0, 0, 0, ny)
		for _, p := range []struct {
			day, hour, score int
		}{{1, 9, 100}, {3, 15, 10}, {5, 11, 10}, {0, 20, 20}} {
			at := time.Date(mon.Year(), mon.Month(), mon.Day()+p.day, p.hour, 0, 0, 0, ny)
			post(t, d, "big-"+at.Format(time.RFC3339), "x", "big", "America/New_York", at, p.score)
		}
	}
	// "small": three posts on the same network, in Oslo.
	post(t, d, "s1", "x", "small", "Europe/Oslo", time.Date(2026, 4, 7, 9, 0, 0, 0, oslo), 5)   // Tue
	post(t, d, "s2", "x", "small", "Europe/Oslo", time.Date(2026, 4, 10, 10, 0, 0, 0, oslo), 5) // Fri
	post(t, d, "s3", "x", "small", "Europe/Oslo", time.Date(2026, 4, 12, 12, 0, 0, 0, oslo), 5) // Sun
	// "lonely": the only channel of its network.
	post(t, d, "l1", "bluesky", "lonely", "", utc(2026, 4, 8, 8, 0), 3)
	return d
}

func TestBestTimes(t *testing.T) {
	d := bestTimeDataset(t)
	var wed18 [analytics.SlotsPerWeek]float64
	for i := range wed18 {
		wed18[i] = 1
	}
	wed18[analytics.SlotIndex(time.Wednesday, 18)] = 3
	maps, err := d.BestTimes(analytics.BestTimeOptions{Now: utc(2026, 4, 30, 12, 0), Weeks: 17,
		Defaults: map[string][analytics.SlotsPerWeek]float64{"bluesky": wed18}})
	require.NoError(t, err)
	require.Len(t, maps, 3)
	big, lonely, small := maps[0], maps[1], maps[2]

	assert.Equal(t, analytics.FromChannel, big.Source)
	assert.Equal(t, 64, big.Posts)
	assert.InDelta(t, 35, big.Mean.V, 1e-9)
	tue9 := big.Slots[analytics.SlotIndex(time.Tuesday, 9)]
	assert.Equal(t, 16, tue9.N)
	assert.InDelta(t, (1600+5*35.0)/21, tue9.Score, 1e-9, "shrunk toward the channel mean")
	assert.InDelta(t, 16.0/21, tue9.Confidence, 1e-9)
	empty := big.Slots[analytics.SlotIndex(time.Sunday, 3)]
	assert.InDelta(t, 35, empty.Score, 1e-9, "an empty slot is the channel mean")
	assert.Zero(t, empty.Confidence)
	assert.False(t, empty.Mean.OK)
	top := big.Top(2)
	require.Len(t, top, 2)
	assert.Equal(t, []analytics.SlotScore{
		{Weekday: time.Tuesday, Hour: 9, Score: tue9.Score, Confidence: tue9.Confidence, N: 16},
		{Weekday: time.Monday, Hour: 20, Score: (320 + 5*35.0) / 21, Confidence: 16.0 / 21, N: 16},
	}, top)
	assert.Len(t, big.Top(100), 4, "only slots with MinSlotPosts posts are suggested")

	// The thin channel borrows the network's shape: Tuesday 09:00 again.
	assert.Equal(t, analytics.FromNetwork, small.Source)
	relTue9 := (16*100.0/35 + 5) / 21
	sTue9 := small.Slots[analytics.SlotIndex(time.Tuesday, 9)]
	assert.InDelta(t, (5+5*5*relTue9)/6, sTue9.Score, 1e-9)
	assert.InDelta(t, 9.0/14, sTue9.Confidence, 1e-9)
	slots := small.PostingSlots(1)
	assert.Equal(t, []analytics.PostingSlot{{Weekday: time.Tuesday, Hour: 9, Zone: "Europe/Oslo", Confidence: sTue9.Confidence}}, slots)

	assert.Equal(t, analytics.FromDefaults, lonely.Source)
	assert.Equal(t, analytics.SlotScore{Weekday: time.Wednesday, Hour: 18, Score: 3 * 3 * 168 / 170.0, N: 0}, // no own post there: the prior,
		lonely.Top(1)[0])

	// Ordering by time of week.
	ps := big.PostingSlots(3)
	require.Len(t, ps, 3)
	assert.Equal(t, time.Monday, ps[0].Weekday)
	assert.Equal(t, "America/New_York", ps[0].Zone)
}

func TestBestTimesBadOptions(t *testing.T) {
	d := bestTimeDataset(t)
	for _, o := range []analytics.BestTimeOptions{
		{},
		{Now: utc(2026, 4, 30, 0, 0), Weeks: -1},
		{Now: utc(2026, 4, 30, 0, 0), PriorStrength: -2},
		{Now: utc(2026, 4, 30, 0, 0), Horizon: -time.Hour},
	} {
		_, err := d.BestTimes(o)
		require.ErrorIs(t, err, socialflow.ErrInvalid)
		var fe *analytics.FieldError
		require.ErrorAs(t, err, &fe)
	}
}

func TestSlotIndex(t *testing.T) {
	for i := range analytics.SlotsPerWeek {
		wd, h := analytics.SlotTime(i)
		assert.Equal(t, i, analytics.SlotIndex(wd, h))
	}
	assert.Equal(t, 0, analytics.SlotIndex(time.Monday, 0))
	assert.Equal(t, 167, analytics.SlotIndex(time.Sunday, 23))
}
